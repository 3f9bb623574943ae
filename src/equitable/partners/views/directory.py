"""Pages of the partner directory, school needs and the needs landscape. Views stay thin: selectors read
(scoped by `restrict`), services write.

A record the user may not view answers 404; a record they may view but not change answers 403 on its
forms; list pages answer 403 to personas who hold no such records (board viewers)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _

from equitable.core.tabular import FORMATS, tabular_response
from equitable.network.models import Community
from equitable.partners.filters.directory import NeedsAssessmentFilterSet, PartnerFilterSet
from equitable.partners.forms.directory import (
    FocusAreaForm,
    NeedsAssessmentForm,
    PartnerForm,
    PartnerPersonForm,
    SchoolNeedForm,
)
from equitable.partners.models import Priority
from equitable.partners.selectors import directory as selectors
from equitable.partners.services import directory as services
from equitable.partners.tables.directory import AssessmentTable, PartnerTable
from equitable.web.generic import TableListView, run_service


def _require(value):
    if value is None:
        raise Http404
    return value


# --- Partners ----------------------------------------------------------------------------------------------

class PartnerListView(TableListView):
    title = _("Partner directory")
    table_class = PartnerTable
    filterset_class = PartnerFilterSet
    roles = selectors.DIRECTORY_READERS
    export_name = "partners"
    empty_text = _("No partners in the directory yet.")
    filtered_empty_text = _("No partners match these filters.")

    def get_queryset(self, request):
        return selectors.partner_list(request.user)

    def extra_context(self, request):
        may_add = selectors.may_add_partner(request.user)
        return {"add_url": reverse("partners:partner_add") if may_add else None, "add_label": _("Add a partner")}


partner_list = PartnerListView.as_view()


def partner_detail(request, pk: int):
    profile = _require(selectors.partner_profile(request.user, pk))
    return render(request, "partners/directory/partner_detail.html", {"profile": profile,
                                                                      "partner": profile.partner})


def partner_add(request):
    if not selectors.may_add_partner(request.user):
        raise PermissionDenied
    form = PartnerForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        ok, partner = run_service(form, lambda: services.partner_create(**form.service_args(),
                                                                        acting_user=request.user))
        if ok:
            messages.success(request, _t("%(partner)s was added.") % {"partner": partner.name})
            return redirect("partners:partner_detail", pk=partner.pk)
    return render(request, "partners/directory/partner_form.html", {"form": form, "partner": None})


def partner_edit(request, pk: int):
    partner = _require(selectors.visible_partner(request.user, pk))
    if selectors.visible_partner(request.user, pk, "change") is None:
        raise PermissionDenied
    form = PartnerForm(request.POST or None, instance=partner, user=request.user,
                       may_change_status=selectors.may_add_partner(request.user))
    if request.method == "POST" and form.is_valid():
        ok, _saved = run_service(form, lambda: services.partner_update(partner=partner, **form.service_args(),
                                                                       acting_user=request.user))
        if ok:
            messages.success(request, _t("The changes to %(partner)s were saved.") % {"partner": partner.name})
            return redirect("partners:partner_detail", pk=partner.pk)
        partner.refresh_from_db()
    return render(request, "partners/directory/partner_form.html", {"form": form, "partner": partner})


def person_add(request, pk: int):
    partner = _require(selectors.visible_partner(request.user, pk))
    if not selectors.may_add_person(request.user, partner):
        raise PermissionDenied
    form = PartnerPersonForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        ok, person = run_service(form, lambda: services.person_create(partner=partner, data=form.cleaned_data,
                                                                      acting_user=request.user))
        if ok:
            messages.success(request, _t("%(person)s was added.") % {"person": person.full_name})
            return redirect(reverse("partners:partner_detail", args=[partner.pk]) + "#people")
    return render(request, "partners/directory/person_form.html",
                  {"form": form, "partner": partner, "person": None})


def person_edit(request, pk: int):
    person = _require(selectors.visible_person(request.user, pk))
    if selectors.visible_person(request.user, pk, "change") is None:
        raise PermissionDenied
    form = PartnerPersonForm(request.POST or None, instance=person, user=request.user)
    if request.method == "POST" and form.is_valid():
        ok, _saved = run_service(form, lambda: services.person_update(person=person, data=form.cleaned_data,
                                                                      acting_user=request.user))
        if ok:
            messages.success(request, _t("The changes to %(person)s were saved.") % {"person": person.full_name})
            return redirect(reverse("partners:partner_detail", args=[person.partner_id]) + "#people")
        person.refresh_from_db()
    return render(request, "partners/directory/person_form.html",
                  {"form": form, "partner": person.partner, "person": person})


# --- Focus areas -------------------------------------------------------------------------------------------

def focusarea_list(request):
    if not selectors.may_read_directory(request.user):
        raise PermissionDenied
    return render(request, "partners/directory/focusarea_list.html", {
        "areas": selectors.focus_area_list(request.user),
        "may_manage": selectors.may_manage_focus_areas(request.user),
    })


def focusarea_add(request):
    if not selectors.may_manage_focus_areas(request.user):
        raise PermissionDenied
    form = FocusAreaForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        ok, area = run_service(form, lambda: services.focus_area_create(data=form.cleaned_data,
                                                                        acting_user=request.user))
        if ok:
            messages.success(request, _t("%(area)s was added.") % {"area": area.name})
            return redirect("partners:focusarea_list")
    return render(request, "partners/directory/focusarea_form.html", {"form": form, "area": None})


def focusarea_edit(request, pk: int):
    area = _require(selectors.visible_focus_area(request.user, pk))
    if selectors.visible_focus_area(request.user, pk, "change") is None:
        raise PermissionDenied
    form = FocusAreaForm(request.POST or None, instance=area)
    if request.method == "POST" and form.is_valid():
        ok, _saved = run_service(form, lambda: services.focus_area_update(focus_area=area, data=form.cleaned_data,
                                                                          acting_user=request.user))
        if ok:
            messages.success(request, _t("The changes to %(area)s were saved.") % {"area": area.name})
            return redirect("partners:focusarea_list")
        area.refresh_from_db()
    return render(request, "partners/directory/focusarea_form.html", {"form": form, "area": area})


# --- Needs assessments -------------------------------------------------------------------------------------

class AssessmentListView(TableListView):
    title = _("School needs")
    table_class = AssessmentTable
    filterset_class = NeedsAssessmentFilterSet
    roles = selectors.NEEDS_READERS
    export_name = "needs-assessments"
    empty_text = _("No needs assessments yet.")
    filtered_empty_text = _("No needs assessments match these filters.")

    def get_queryset(self, request):
        return selectors.assessment_list(request.user)

    def extra_context(self, request):
        may_add = selectors.may_add_assessment(request.user)
        return {"add_url": reverse("partners:assessment_add") if may_add else None,
                "add_label": _("Add a needs assessment")}


assessment_list = AssessmentListView.as_view()


def assessment_detail(request, pk: int):
    profile = _require(selectors.assessment_profile(request.user, pk))
    return render(request, "partners/directory/assessment_detail.html",
                  {"profile": profile, "assessment": profile.assessment})


def assessment_add(request):
    if not selectors.may_add_assessment(request.user):
        raise PermissionDenied
    form = NeedsAssessmentForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        ok, assessment = run_service(form, lambda: services.needs_assessment_create(data=form.service_data(),
                                                                                    acting_user=request.user))
        if ok:
            messages.success(request, _t("The needs assessment was added."))
            return redirect("partners:assessment_detail", pk=assessment.pk)
    return render(request, "partners/directory/assessment_form.html", {"form": form, "assessment": None})


def assessment_edit(request, pk: int):
    assessment = _require(selectors.visible_assessment(request.user, pk))
    if selectors.visible_assessment(request.user, pk, "change") is None:
        raise PermissionDenied
    form = NeedsAssessmentForm(request.POST or None, instance=assessment, user=request.user)
    if request.method == "POST" and form.is_valid():
        ok, _saved = run_service(form, lambda: services.needs_assessment_update(
            assessment=assessment, data=form.service_data(), acting_user=request.user))
        if ok:
            messages.success(request, _t("The needs assessment was saved."))
            return redirect("partners:assessment_detail", pk=assessment.pk)
        assessment.refresh_from_db()
    return render(request, "partners/directory/assessment_form.html", {"form": form, "assessment": assessment})


def need_add(request, pk: int):
    assessment = _require(selectors.visible_assessment(request.user, pk))
    if not selectors.may_add_need(request.user, assessment):
        raise PermissionDenied
    form = SchoolNeedForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        ok, _need = run_service(form, lambda: services.school_need_create(
            assessment=assessment, data=form.cleaned_data, acting_user=request.user))
        if ok:
            messages.success(request, _t("The need was added."))
            return redirect("partners:assessment_detail", pk=assessment.pk)
    return render(request, "partners/directory/need_form.html",
                  {"form": form, "assessment": assessment, "need": None})


def need_edit(request, pk: int):
    need = _require(selectors.visible_need(request.user, pk))
    if selectors.visible_need(request.user, pk, "change") is None:
        raise PermissionDenied
    form = SchoolNeedForm(request.POST or None, instance=need, user=request.user)
    if request.method == "POST":
        if "delete" in request.POST:
            form = SchoolNeedForm(instance=need, user=request.user)
            ok, _done = run_service(form, lambda: services.school_need_delete(need=need, acting_user=request.user))
            if ok:
                messages.success(request, _t("The need was removed."))
                return redirect("partners:assessment_detail", pk=need.assessment_id)
        elif form.is_valid():
            ok, _saved = run_service(form, lambda: services.school_need_update(need=need, data=form.cleaned_data,
                                                                               acting_user=request.user))
            if ok:
                messages.success(request, _t("The need was saved."))
                return redirect("partners:assessment_detail", pk=need.assessment_id)
            need.refresh_from_db()
    return render(request, "partners/directory/need_form.html",
                  {"form": form, "assessment": need.assessment, "need": need})


# --- The needs landscape -----------------------------------------------------------------------------------

def landscape(request):
    if not selectors.may_read_needs(request.user):
        raise PermissionDenied
    years = list(selectors.landscape_years(request.user))
    year_name = request.GET.get("year") or ""
    year = next((y for y in years if y.name == year_name), None) if year_name else None
    if year_name and year is None:
        raise Http404
    communities = list(Community.objects.restrict(request.user, "view").order_by("name"))
    slug = request.GET.get("community") or ""
    community = next((c for c in communities if c.slug == slug), None) if slug else None
    if slug and community is None:
        raise Http404
    result = selectors.landscape(request.user, year=year, community=community, network_label=_t("Network"))
    export = request.GET.get("export")
    if result is not None and export in FORMATS:
        headers, rows = selectors.landscape_table(result)
        return tabular_response(f"landscape-{result.year}", headers, rows, export)
    return render(request, "partners/directory/landscape.html", {
        "result": result, "years": years, "communities": communities, "community": community,
        "year_name": result.year if result else "", "priorities": Priority,
    })


urlpatterns = [
    path("directory/", partner_list, name="partner_list"),
    path("directory/add/", partner_add, name="partner_add"),
    path("directory/<int:pk>/", partner_detail, name="partner_detail"),
    path("directory/<int:pk>/edit/", partner_edit, name="partner_edit"),
    path("directory/<int:pk>/people/add/", person_add, name="person_add"),
    path("people/<int:pk>/edit/", person_edit, name="person_edit"),
    path("focus-areas/", focusarea_list, name="focusarea_list"),
    path("focus-areas/add/", focusarea_add, name="focusarea_add"),
    path("focus-areas/<int:pk>/edit/", focusarea_edit, name="focusarea_edit"),
    path("needs/", assessment_list, name="assessment_list"),
    path("needs/add/", assessment_add, name="assessment_add"),
    path("needs/<int:pk>/", assessment_detail, name="assessment_detail"),
    path("needs/<int:pk>/edit/", assessment_edit, name="assessment_edit"),
    path("needs/<int:pk>/add-need/", need_add, name="need_add"),
    path("school-needs/<int:pk>/edit/", need_edit, name="need_edit"),
    path("landscape/", landscape, name="landscape"),
]
