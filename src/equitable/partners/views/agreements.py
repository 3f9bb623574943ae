"""Agreement pages (list, detail with the relationship timeline, add, edit, submit, decide, end, renew),
the relationships page, convenings with attendance, RBA measures and the partner survey responses.

Views stay thin: reads through `partners.selectors.agreements` (scoped by `restrict`), writes through
`partners.services.agreements`. A record the user may not see answers 404; a page their role may not open,
403. Board viewers read only the relationships summary; partner users their own organization's records."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from equitable.core.audit import history_for
from equitable.core.exceptions import DomainError, NotPermitted
from equitable.core.permissions import can, role_of
from equitable.core.roles import Role
from equitable.network.models import School
from equitable.network.scoping import school_ids_for
from equitable.partners.filters.agreements import AgreementFilterSet, ConveningFilterSet, SurveyFilterSet
from equitable.partners.forms.agreements import (
    AgreementForm,
    AttendanceForm,
    ConveningForm,
    DecisionForm,
    EndForm,
    MeasureForm,
)
from equitable.partners.models import Agreement, AgreementStatus, Convening, ConveningAttendance, Partner
from equitable.partners.scoping import partnerships_staff
from equitable.partners.selectors import agreements as selectors
from equitable.partners.services import agreements as services
from equitable.partners.tables.agreements import AgreementTable, ConveningTable, SurveyTable
from equitable.web.generic import TableListView, run_service

READERS = (Role.ADMIN, Role.STAFF, Role.DIRECTOR, Role.PRINCIPAL, Role.PARTNER)
RELATIONSHIP_READERS = (Role.ADMIN, Role.STAFF, Role.DIRECTOR, Role.PRINCIPAL, Role.BOARD)
SURVEY_READERS = (Role.ADMIN, Role.STAFF)


def _require(request, roles) -> None:
    if role_of(request.user) not in roles:
        raise PermissionDenied


def is_partnerships(user) -> bool:
    return role_of(user) == Role.ADMIN or partnerships_staff(user, Agreement)


def drafting_schools(user):
    """The schools a user may draft agreements for (none for those who may not)."""
    if is_partnerships(user):
        return School.objects.filter(membership="member").order_by("name")
    if role_of(user) == Role.PRINCIPAL:
        return School.objects.filter(pk__in=school_ids_for(user)).order_by("name")
    return School.objects.none()


# --- Agreements -----------------------------------------------------------------------------------------


class AgreementListView(TableListView):
    title = _("Agreements")
    table_class = AgreementTable
    filterset_class = AgreementFilterSet
    roles = READERS
    export_name = "agreements"
    empty_text = _("No agreements you may see yet.")
    filtered_empty_text = _("No agreements match these filters.")

    def get_queryset(self, request):
        return selectors.agreement_list(request.user)

    def extra_context(self, request):
        may_add = drafting_schools(request.user).exists()
        return {"add_url": reverse("partners:agreement_add") if may_add else None, "add_label": _("New agreement")}


agreement_list = AgreementListView.as_view()


def _visible(request, pk) -> Agreement:
    _require(request, READERS)
    agreement = selectors.visible_agreement(request.user, pk)
    if agreement is None:
        raise Http404
    return agreement


def _changeable(request, pk) -> Agreement:
    agreement = _visible(request, pk)
    if not services.may_change_agreement(request.user, agreement):
        raise PermissionDenied
    return agreement


def agreement_detail(request, pk: int):
    agreement = _visible(request, pk)
    user = request.user
    may_change = services.may_change_agreement(user, agreement)
    timeline = selectors.agreement_timeline(user, agreement)
    measures = list(selectors.measure_list(user).filter(agreement=agreement)
                    .order_by("-school_year__start_date", "kind", "name"))
    context = {
        "agreement": agreement,
        "timeline": timeline,
        "measures": measures,
        "editable_measures": {m.pk for m in measures if can(user, "change", m)},
        "may_edit": may_change and agreement.status in services.EDITABLE_STATUSES,
        "may_submit": may_change and agreement.status in (AgreementStatus.DRAFT, AgreementStatus.DECLINED),
        "may_decide": agreement.status == AgreementStatus.PENDING and services.may_decide(user, agreement),
        "may_end": may_change and agreement.status == AgreementStatus.ACTIVE,
        "may_renew": (agreement.status in selectors.APPROVED and role_of(user) != Role.PARTNER
                      and not Agreement.objects.filter(renews=agreement).exists()
                      and drafting_schools(user).filter(pk=agreement.school_id).exists()),
        "may_add_measure": is_partnerships(user),
        "history": history_for(agreement) if role_of(user) != Role.PARTNER else [],
        "focus_areas": list(agreement.focus_areas.all()),
        "needs": list(agreement.needs.select_related("focus_area", "assessment__school_year")),
    }
    return render(request, "partners/agreements/agreement_detail.html", context)


def agreement_add(request):
    _require(request, READERS)
    schools = drafting_schools(request.user)
    if not schools.exists():
        raise PermissionDenied
    initial = {}
    for name in ("partner", "school"):
        if request.GET.get(name, "").isdigit():
            initial[name] = int(request.GET[name])
    form = AgreementForm(request.POST or None, user=request.user, schools=schools, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        ok, agreement = run_service(form, lambda: services.agreement_create(
            partner=data["partner"], school=data["school"], data=form.terms(), focus_areas=data["focus_areas"],
            needs=data["needs"], acting_user=request.user))
        if ok:
            messages.success(request, _t("The agreement “%(title)s” was saved as a draft.") % {"title": agreement.title})
            return redirect("partners:agreement_detail", pk=agreement.pk)
    return render(request, "partners/agreements/agreement_form.html", {"form": form, "agreement": None})


def agreement_edit(request, pk: int):
    agreement = _changeable(request, pk)
    if agreement.status not in services.EDITABLE_STATUSES:
        messages.error(request, services.LOCKED.format(
            status=agreement.get_status_display().lower(),
            end_hint=", or end it" if agreement.status == AgreementStatus.ACTIVE else ""))
        return redirect("partners:agreement_detail", pk=agreement.pk)
    form = AgreementForm(request.POST or None, instance=agreement, user=request.user, schools=School.objects.none())
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        ok, saved = run_service(form, lambda: services.agreement_update(
            agreement=agreement, data=form.terms(), focus_areas=data["focus_areas"], needs=data["needs"],
            acting_user=request.user))
        if ok:
            messages.success(request, _t("The agreement was saved."))
            return redirect("partners:agreement_detail", pk=saved.pk)
        agreement.refresh_from_db()
    return render(request, "partners/agreements/agreement_form.html", {"form": form, "agreement": agreement})


def _act(request, agreement, action, success: str):
    try:
        action()
    except NotPermitted as exc:
        raise PermissionDenied(str(exc)) from None
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, success)
    return redirect("partners:agreement_detail", pk=agreement.pk)


@require_POST
def agreement_submit(request, pk: int):
    agreement = _changeable(request, pk)
    return _act(request, agreement, lambda: services.agreement_submit(agreement=agreement, acting_user=request.user),
                _t("The agreement was sent to the principal for approval."))


def agreement_decide(request, pk: int):
    agreement = _visible(request, pk)
    if not services.may_decide(request.user, agreement):
        raise PermissionDenied
    form = DecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        approve = form.cleaned_data["decision"] == "approve"
        ok, _saved = run_service(form, lambda: services.agreement_decide(
            agreement=agreement, approve=approve, note=form.cleaned_data["decision_note"], acting_user=request.user))
        if ok:
            messages.success(request, _t("The agreement was approved.") if approve else _t("The agreement was declined."))
            return redirect("partners:agreement_detail", pk=agreement.pk)
    return render(request, "partners/agreements/agreement_decide.html", {"form": form, "agreement": agreement},
                  status=400 if form.errors else 200)


def agreement_end(request, pk: int):
    agreement = _changeable(request, pk)
    form = EndForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        ok, _saved = run_service(form, lambda: services.agreement_end(
            agreement=agreement, on=form.cleaned_data["end_date"], acting_user=request.user))
        if ok:
            messages.success(request, _t("The agreement was ended."))
            return redirect("partners:agreement_detail", pk=agreement.pk)
    return render(request, "partners/agreements/agreement_end.html", {"form": form, "agreement": agreement})


@require_POST
def agreement_renew(request, pk: int):
    agreement = _visible(request, pk)
    if role_of(request.user) == Role.PARTNER or not drafting_schools(request.user).filter(
            pk=agreement.school_id).exists():
        raise PermissionDenied
    try:
        renewal = services.agreement_renew(agreement=agreement, acting_user=request.user)
    except NotPermitted as exc:
        raise PermissionDenied(str(exc)) from None
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("partners:agreement_detail", pk=agreement.pk)
    messages.success(request, _t("A renewal was drafted with the same terms for the next year: review it and "
                                 "submit it for approval."))
    return redirect("partners:agreement_edit", pk=renewal.pk)


# --- Relationships --------------------------------------------------------------------------------------


def relationships(request):
    _require(request, RELATIONSHIP_READERS)
    summary = selectors.relationship_summary()
    rows = selectors.relationships_for(request.user) if selectors.sees_relationship_rows(request.user) else None
    return render(request, "partners/agreements/relationships.html", {"summary": summary, "rows": rows})


# --- Convenings -----------------------------------------------------------------------------------------


class ConveningListView(TableListView):
    title = _("Convenings")
    table_class = ConveningTable
    filterset_class = ConveningFilterSet
    roles = READERS
    export_name = "convenings"
    empty_text = _("No convenings you may see yet.")
    filtered_empty_text = _("No convenings match these filters.")

    def get_queryset(self, request):
        return selectors.convening_list(request.user)

    def extra_context(self, request):
        may_add = is_partnerships(request.user)
        return {"add_url": reverse("partners:convening_add") if may_add else None, "add_label": _("New convening")}


convening_list = ConveningListView.as_view()


def _visible_convening(request, pk) -> Convening:
    _require(request, READERS)
    convening = selectors.visible_convening(request.user, pk)
    if convening is None:
        raise Http404
    return convening


def convening_detail(request, pk: int):
    convening = _visible_convening(request, pk)
    user = request.user
    may_edit = can(user, "change", convening)
    attendance = (ConveningAttendance.objects.restrict(user, "view").filter(convening=convening)
                  .select_related("partner").order_by("partner__name"))
    form = AttendanceForm(request.POST or None, user=user) if may_edit else None
    if request.method == "POST":
        if not may_edit:
            raise PermissionDenied
        if form.is_valid():
            data = form.cleaned_data
            ok, _row = run_service(form, lambda: services.attendance_set(
                convening=convening, partner=data["partner"], attended=data["attended"], people=data["people"] or 0,
                acting_user=user))
            if ok:
                messages.success(request, _t("Attendance of %(partner)s saved.") % {"partner": data["partner"]})
                return redirect("partners:convening_detail", pk=convening.pk)
    rows = list(attendance)
    return render(request, "partners/agreements/convening_detail.html", {
        "convening": convening, "attendance": rows, "form": form, "may_edit": may_edit,
        "invited": len(rows), "attended": sum(r.attended for r in rows), "people": sum(r.people for r in rows),
    }, status=400 if form is not None and form.errors else 200)


def convening_add(request):
    _require(request, READERS)
    if not is_partnerships(request.user):
        raise PermissionDenied
    form = ConveningForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        ok, convening = run_service(form, lambda: services.convening_create(data=form.values(),
                                                                           acting_user=request.user))
        if ok:
            messages.success(request, _t("The convening was added."))
            return redirect("partners:convening_detail", pk=convening.pk)
    return render(request, "partners/agreements/convening_form.html", {"form": form, "convening": None})


def convening_edit(request, pk: int):
    convening = _visible_convening(request, pk)
    if not can(request.user, "change", convening):
        raise PermissionDenied
    form = ConveningForm(request.POST or None, instance=convening)
    if request.method == "POST" and form.is_valid():
        ok, saved = run_service(form, lambda: services.convening_update(convening=convening, data=form.values(),
                                                                       acting_user=request.user))
        if ok:
            messages.success(request, _t("The convening was saved."))
            return redirect("partners:convening_detail", pk=saved.pk)
        convening.refresh_from_db()
    return render(request, "partners/agreements/convening_form.html", {"form": form, "convening": convening})


# --- Measures -------------------------------------------------------------------------------------------


def measure_add(request, pk: int):
    agreement = _visible(request, pk)
    if not is_partnerships(request.user):
        raise PermissionDenied
    year = selectors.current_year()
    form = MeasureForm(request.POST or None, initial={"school_year": year.pk if year else None})
    if request.method == "POST" and form.is_valid():
        ok, _measure = run_service(form, lambda: services.measure_create(agreement=agreement, data=form.values(),
                                                                        acting_user=request.user))
        if ok:
            messages.success(request, _t("The measure was added."))
            return redirect("partners:agreement_detail", pk=agreement.pk)
    return render(request, "partners/agreements/measure_form.html",
                  {"form": form, "agreement": agreement, "measure": None})


def measure_edit(request, pk: int):
    _require(request, READERS)
    measure = selectors.measure_list(request.user).filter(pk=pk).first()
    if measure is None:
        raise Http404
    if not can(request.user, "change", measure):
        raise PermissionDenied
    partner_only = role_of(request.user) == Role.PARTNER
    form = MeasureForm(request.POST or None, instance=measure, partner_only=partner_only)
    if request.method == "POST" and form.is_valid():
        ok, _saved = run_service(form, lambda: services.measure_update(measure=measure, data=form.values(),
                                                                      acting_user=request.user))
        if ok:
            messages.success(request, _t("The measure was saved."))
            if partner_only:
                return redirect("partners:portal")
            return redirect("partners:agreement_detail", pk=measure.agreement_id)
        measure.refresh_from_db()
    return render(request, "partners/agreements/measure_form.html",
                  {"form": form, "agreement": measure.agreement, "measure": measure})


# --- Survey responses -----------------------------------------------------------------------------------


class SurveyListView(TableListView):
    title = _("Partner survey responses")
    table_class = SurveyTable
    filterset_class = SurveyFilterSet
    roles = SURVEY_READERS
    export_name = "partner-surveys"
    template_name = "partners/agreements/survey_list.html"
    empty_text = _("No survey responses yet.")
    filtered_empty_text = _("No responses match these filters.")

    def get_queryset(self, request):
        return selectors.survey_list(request.user)

    def extra_context(self, request):
        params = request.GET.copy()
        params.pop("export", None)
        queryset = SurveyFilterSet(params or None, queryset=self.get_queryset(request), request=request).qs
        return {"averages": selectors.survey_averages(queryset), "responses": queryset.count()}


survey_list = SurveyListView.as_view()


def partner_agreements_url(partner: Partner) -> str:
    return f"{reverse('partners:agreement_list')}?partner={partner.pk}"


urlpatterns = [
    path("agreements/", agreement_list, name="agreement_list"),
    path("agreements/add/", agreement_add, name="agreement_add"),
    path("agreements/<int:pk>/", agreement_detail, name="agreement_detail"),
    path("agreements/<int:pk>/edit/", agreement_edit, name="agreement_edit"),
    path("agreements/<int:pk>/submit/", agreement_submit, name="agreement_submit"),
    path("agreements/<int:pk>/decide/", agreement_decide, name="agreement_decide"),
    path("agreements/<int:pk>/end/", agreement_end, name="agreement_end"),
    path("agreements/<int:pk>/renew/", agreement_renew, name="agreement_renew"),
    path("agreements/<int:pk>/measures/add/", measure_add, name="measure_add"),
    path("measures/<int:pk>/edit/", measure_edit, name="measure_edit"),
    path("relationships/", relationships, name="relationships"),
    path("convenings/", convening_list, name="convening_list"),
    path("convenings/add/", convening_add, name="convening_add"),
    path("convenings/<int:pk>/", convening_detail, name="convening_detail"),
    path("convenings/<int:pk>/edit/", convening_edit, name="convening_edit"),
    path("surveys/", survey_list, name="survey_list"),
]
