"""Pages of the network registry. Views stay thin: selectors read (scoped by `restrict`), services write.

A record the user may not view answers 404 (its existence is not revealed); a record they may view but
not change answers 403 on its forms; list pages answer 403 to personas who hold no such records."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _

from equitable.network import selectors, services
from equitable.network.filters import PersonFilterSet, SchoolFilterSet
from equitable.network.forms import EnrollmentForm, PersonForm, SchoolForm, StaffAssignmentForm
from equitable.network.models import School, StaffAssignment
from equitable.network.tables import PersonTable, SchoolTable
from equitable.web.generic import TableListView, run_service


def _require(value):
    if value is None:
        raise Http404
    return value


def _registry_reader(request) -> None:
    if not selectors.may_browse_registry(request.user):
        raise PermissionDenied


# --- Schools -----------------------------------------------------------------------------------------------

class SchoolListView(TableListView):
    title = _("Schools")
    table_class = SchoolTable
    filterset_class = SchoolFilterSet
    roles = selectors.REGISTRY_READERS
    export_name = "schools"
    empty_text = _("No schools to show yet.")
    filtered_empty_text = _("No schools match these filters.")

    def get_queryset(self, request):
        return selectors.school_list(request.user)

    def table_kwargs(self, request):
        year = selectors.current_school_year()
        if year is None:
            return {}
        return {"column_headers": {"enrollment": _t("Enrollment %(year)s") % {"year": year.name}}}

    def extra_context(self, request):
        may_add = School.objects.all().permits_add(request.user, School())
        return {"add_url": reverse("network:school_add") if may_add else None, "add_label": _("Add a school")}


school_list = SchoolListView.as_view()


def school_detail(request, cds_code: str):
    profile = _require(selectors.school_profile(request.user, cds_code))
    return render(request, "network/school_detail.html", {"profile": profile, "school": profile.school})


def _school_form_page(request, form, *, school=None):
    return render(request, "network/school_form.html", {"form": form, "school": school})


def school_add(request):
    if not School.objects.all().permits_add(request.user, School()):
        raise PermissionDenied
    form = SchoolForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        def save():
            return services.school_create(data=form.cleaned_data, acting_user=request.user)
        ok, school = run_service(form, save)
        if ok:
            messages.success(request, _t("%(school)s was added.") % {"school": school.name})
            return redirect("network:school_detail", cds_code=school.cds_code)
    return _school_form_page(request, form)


def school_edit(request, cds_code: str):
    school = _require(selectors.visible_school(request.user, cds_code))
    if selectors.visible_school(request.user, cds_code, "change") is None:
        raise PermissionDenied
    form = SchoolForm(request.POST or None, instance=school, user=request.user)
    if request.method == "POST" and form.is_valid():
        def save():
            return services.school_update(school=school, data=form.cleaned_data, acting_user=request.user)
        ok, _saved = run_service(form, save)
        if ok:
            messages.success(request, _t("The changes to %(school)s were saved.") % {"school": school.name})
            return redirect("network:school_detail", cds_code=school.cds_code)
        school.refresh_from_db()
    return _school_form_page(request, form, school=school)


def enrollment_edit(request, cds_code: str, year: str | None = None):
    """Enrollment of a school for one school year (the current year when none is named): add or change."""
    school = _require(selectors.visible_school(request.user, cds_code))
    years = selectors.school_years(request.user)
    school_year = (years.filter(name=year).first() if year else selectors.current_school_year())
    school_year = _require(school_year)
    enrollment = selectors.enrollment_for(request.user, school, school_year)
    if not selectors.may_edit_enrollment(request.user, school, school_year, enrollment):
        raise PermissionDenied
    form = EnrollmentForm(request.POST or None, initial=EnrollmentForm.initial_for(enrollment))
    if request.method == "POST" and form.is_valid():
        def save():
            if enrollment is None:
                return services.enrollment_create(
                    data={"school": school, "school_year": school_year, **form.service_data()},
                    acting_user=request.user,
                )
            return services.enrollment_update(enrollment=enrollment, data=form.service_data(),
                                              acting_user=request.user)
        ok, _saved = run_service(form, save, aliases={"by_grade": None, "by_group": None, "school": None,
                                                      "school_year": None})
        if ok:
            messages.success(request, _t("Enrollment for %(year)s was saved.") % {"year": school_year.name})
            return redirect(reverse("network:school_detail", args=[school.cds_code]) + "#tab-enrollment")
    return render(request, "network/enrollment_form.html", {
        "form": form, "school": school, "school_year": school_year, "enrollment": enrollment, "years": years,
    })


# --- Staff assignments -------------------------------------------------------------------------------------

PERSON_ALIASES = {"email": "new_email", "first_name": "new_first_name", "last_name": "new_last_name",
                  "school": None}


def staff_add(request, cds_code: str):
    school = _require(selectors.visible_school(request.user, cds_code))
    if not StaffAssignment.objects.all().permits_add(request.user, StaffAssignment(school=school)):
        raise PermissionDenied
    form = StaffAssignmentForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = {**form.assignment_data(), "school": school}
        def save():
            new_person = form.new_person_data()
            if new_person is None:
                services.staff_assignment_create(data={**data, "person": form.cleaned_data["person"]},
                                                 acting_user=request.user)
            else:
                services.staff_assignment_create_with_person(person_data=new_person, assignment_data=data,
                                                             acting_user=request.user)
        ok, _saved = run_service(form, save, aliases=PERSON_ALIASES)
        if ok:
            messages.success(request, _t("The staff assignment was added."))
            return redirect(reverse("network:school_detail", args=[school.cds_code]) + "#tab-staff")
    return render(request, "network/staff_form.html", {"form": form, "school": school, "assignment": None})


def staff_edit(request, pk: int):
    assignment = _require(selectors.visible_assignment(request.user, pk))
    if selectors.visible_assignment(request.user, pk, "change") is None:
        raise PermissionDenied
    form = StaffAssignmentForm(request.POST or None, user=request.user, adding=False,
                               initial=StaffAssignmentForm.initial_for(assignment))
    if request.method == "POST" and form.is_valid():
        def save():
            services.staff_assignment_update(assignment=assignment, data=form.assignment_data(),
                                             acting_user=request.user)
        ok, _saved = run_service(form, save)
        if ok:
            messages.success(request, _t("The staff assignment was saved."))
            return redirect(reverse("network:school_detail", args=[assignment.school.cds_code]) + "#tab-staff")
        assignment.refresh_from_db()
    return render(request, "network/staff_form.html",
                  {"form": form, "school": assignment.school, "assignment": assignment})


# --- Communities -------------------------------------------------------------------------------------------

def community_list(request):
    if not selectors.may_browse_communities(request.user):
        raise PermissionDenied
    rows = selectors.community_list(request.user)
    return render(request, "network/community_list.html", {
        "rows": rows, "year": selectors.current_school_year(),
        "may_browse_registry": selectors.may_browse_registry(request.user),
    })


def community_detail(request, slug: str):
    profile = _require(selectors.community_profile(request.user, slug))
    return render(request, "network/community_detail.html", {"profile": profile, "community": profile.community})


# --- Feeder patterns ---------------------------------------------------------------------------------------

def feederpattern_list(request):
    _registry_reader(request)
    patterns = list(selectors.feeder_pattern_list(request.user))
    viewable = selectors.viewable_school_ids(request.user)
    chains = [(p, selectors.chain_stages(p.links.all(), viewable)) for p in patterns]
    return render(request, "network/feederpattern_list.html", {"chains": chains})


def feederpattern_detail(request, pk: int):
    chain = _require(selectors.feeder_chain(request.user, pk))
    return render(request, "network/feederpattern_detail.html", {"chain": chain, "pattern": chain.pattern})


# --- People ------------------------------------------------------------------------------------------------

class PersonListView(TableListView):
    title = _("People")
    table_class = PersonTable
    filterset_class = PersonFilterSet
    roles = selectors.REGISTRY_READERS
    export_name = "people"
    empty_text = _("No people in the directory yet.")
    filtered_empty_text = _("Nobody matches these filters.")

    def get_queryset(self, request):
        return selectors.person_list(request.user)

    def extra_context(self, request):
        may_add = selectors.may_manage_directory(request.user)
        return {"add_url": reverse("network:person_add") if may_add else None, "add_label": _("Add a person")}


person_list = PersonListView.as_view()


def person_detail(request, pk: int):
    profile = _require(selectors.person_profile(request.user, pk))
    return render(request, "network/person_detail.html", {"profile": profile, "person": profile.person})


def person_add(request):
    if not selectors.may_manage_directory(request.user):
        raise PermissionDenied
    form = PersonForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        def save():
            return services.person_create(data=form.cleaned_data, acting_user=request.user)
        ok, person = run_service(form, save)
        if ok:
            messages.success(request, _t("%(person)s was added.") % {"person": person.full_name})
            return redirect("network:person_detail", pk=person.pk)
    return render(request, "network/person_form.html", {"form": form, "person": None})


def person_edit(request, pk: int):
    person = _require(selectors.visible_person(request.user, pk))
    if selectors.visible_person(request.user, pk, "change") is None:
        raise PermissionDenied
    form = PersonForm(request.POST or None, instance=person, user=request.user)
    if request.method == "POST" and form.is_valid():
        def save():
            return services.person_update(person=person, data=form.cleaned_data, acting_user=request.user)
        ok, _saved = run_service(form, save)
        if ok:
            messages.success(request, _t("The changes to %(person)s were saved.") % {"person": person.full_name})
            return redirect("network:person_detail", pk=person.pk)
        person.refresh_from_db()
    return render(request, "network/person_form.html", {"form": form, "person": person})

