"""Clearance pages: the overview, a partner's clearance, the expiring list (with CSV/XLSX export), the
requirement sets (requirements and tiers), dated checks, and campus approvals (request, the principal's
list, decide).

Views stay thin: reads through `partners.selectors.clearance` (scoped by `restrict`), writes through
`partners.services.clearance`. A record the user may not see answers 404; a page their role may not
open, 403 (board viewers get no clearance pages)."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _

from equitable.core.permissions import role_of
from equitable.core.roles import Role
from equitable.core.tabular import FORMATS, tabular_response
from equitable.network.models import School
from equitable.network.scoping import school_ids_for
from equitable.partners.filters.clearance import ApprovalFilterSet, RequirementFilterSet, TierFilterSet
from equitable.partners.forms.clearance import (
    ApprovalDecideForm,
    ApprovalRequestForm,
    CheckForm,
    ExpiringForm,
    RequirementForm,
    TierForm,
)
from equitable.partners.models import CampusApproval, ClearanceRequirement, Partner, PartnerPerson
from equitable.partners.scoping import partner_ids_for, partnerships_staff
from equitable.partners.selectors import clearance as sel
from equitable.partners.services import clearance as svc
from equitable.partners.tables.clearance import RequirementTable, TierTable
from equitable.web.generic import TableListView, run_service

READERS = sel.CLEARANCE_READERS


def _require_reader(request):
    if role_of(request.user) not in READERS:
        raise PermissionDenied


def _is_staff(user, model) -> bool:
    return role_of(user) == Role.ADMIN or partnerships_staff(user, model)


# --- overview, partner page, expiring -------------------------------------------------------------------


def overview(request):
    _require_reader(request)
    rows = sel.overview(request.user)
    role = role_of(request.user)
    return render(request, "partners/clearance/overview.html", {
        "rows": rows, "today": date.today(), "is_staff": _is_staff(request.user, Partner),
        "is_school": role in (Role.PRINCIPAL, Role.DIRECTOR), "is_partner": role == Role.PARTNER,
    })


def partner_clearance(request, pk: int):
    _require_reader(request)
    page = sel.partner_page(request.user, pk)
    if page is None:
        raise Http404
    return render(request, "partners/clearance/partner.html", {
        "page": page, "today": date.today(), "may_request": _may_request_for(request.user, page.partner),
    })


def _expiring_choices(user):
    role = role_of(user)
    partners = Partner.objects.restrict(user, "view")
    if role in (Role.ADMIN, Role.STAFF):
        schools = School.objects.all()
    elif role in (Role.PRINCIPAL, Role.DIRECTOR):
        schools = School.objects.filter(pk__in=school_ids_for(user))
    else:
        schools = School.objects.filter(partner_agreements__partner_id__in=partner_ids_for(user)).distinct()
    return schools, partners


EXPIRING_LABELS = [_("Partner"), _("Person"), _("Item"), _("Expires on"), _("Days left"), _("Status"),
                   _("Schools affected")]


def expiring(request):
    _require_reader(request)
    schools, partners = _expiring_choices(request.user)
    params = request.GET.copy()
    export = params.pop("export", [None])[-1]
    form = ExpiringForm(params or None, schools=schools, partners=partners)
    days, school, partner = sel.DEFAULT_DAYS, None, None
    if params and form.is_valid():
        days = form.cleaned_data["days"] if form.cleaned_data["days"] is not None else sel.DEFAULT_DAYS
        school, partner = form.cleaned_data["school"], form.cleaned_data["partner"]
    elif params:
        return render(request, "partners/clearance/expiring.html", {"form": form, "rows": [], "days": days},
                      status=400)
    rows = sel.expiring_for(request.user, days=days, school_id=school.pk if school else None,
                            partner_id=partner.pk if partner else None)
    if export in FORMATS:
        return tabular_response(f"clearance-expiring-{days}-days", list(sel.EXPIRING_HEADERS),
                                [r.as_list() for r in rows], export)
    return render(request, "partners/clearance/expiring.html", {
        "form": form, "rows": rows, "days": days, "export_formats": FORMATS, "labels": EXPIRING_LABELS,
    })


# --- requirement sets ------------------------------------------------------------------------------------


class RequirementListView(TableListView):
    title = _("Clearance requirements")
    table_class = RequirementTable
    filterset_class = RequirementFilterSet
    roles = READERS
    export_name = "clearance-requirements"
    empty_text = _("No clearance requirements yet.")
    filtered_empty_text = _("No requirements match these filters.")

    def get_queryset(self, request):
        return sel.requirement_list(request.user)

    def table_kwargs(self, request):
        return {"may_edit": sel.may_configure(request.user)}

    def extra_context(self, request):
        may = sel.may_configure(request.user)
        return {"add_url": reverse("partners:requirement_add") if may else None, "add_label": _("New requirement")}


class TierListView(TableListView):
    title = _("Clearance tiers")
    table_class = TierTable
    filterset_class = TierFilterSet
    roles = READERS
    export_name = "clearance-tiers"
    empty_text = _("No clearance tiers yet.")
    filtered_empty_text = _("No tiers match these filters.")

    def get_queryset(self, request):
        return sel.tier_list(request.user)

    def table_kwargs(self, request):
        return {"may_edit": sel.may_configure(request.user)}

    def extra_context(self, request):
        may = sel.may_configure(request.user)
        return {"add_url": reverse("partners:tier_add") if may else None, "add_label": _("New tier")}


def _form_page(request, form, *, title, back, status=200):
    return render(request, "partners/clearance/form.html", {"form": form, "title": title, "back": back},
                  status=status)


def _configure(request, *, form_class, instance, create, update, title, list_name, kind):
    if role_of(request.user) not in READERS or not sel.may_configure(request.user):
        raise PermissionDenied
    form = form_class(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        args = form.service_args()
        ok, saved = run_service(form, lambda: (
            update(**{kind: instance}, **args, acting_user=request.user) if instance
            else create(**args, acting_user=request.user)))
        if ok:
            messages.success(request, _t("“%(name)s” was saved.") % {"name": saved.name})
            return redirect(list_name)
    return _form_page(request, form, title=title, back=reverse(list_name),
                      status=400 if request.method == "POST" else 200)


def requirement_add(request):
    return _configure(request, form_class=RequirementForm, instance=None, create=svc.requirement_create,
                      update=svc.requirement_update, title=_t("New clearance requirement"),
                      list_name="partners:requirement_list", kind="requirement")


def requirement_edit(request, pk: int):
    instance = sel.requirement_list(request.user).filter(pk=pk).first()
    if instance is None:
        raise Http404
    return _configure(request, form_class=RequirementForm, instance=instance, create=svc.requirement_create,
                      update=svc.requirement_update, title=_t("Edit %(name)s") % {"name": instance.name},
                      list_name="partners:requirement_list", kind="requirement")


def tier_add(request):
    return _configure(request, form_class=TierForm, instance=None, create=svc.tier_create, update=svc.tier_update,
                      title=_t("New clearance tier"), list_name="partners:tier_list", kind="tier")


def tier_edit(request, pk: int):
    instance = sel.tier_list(request.user).filter(pk=pk).first()
    if instance is None:
        raise Http404
    return _configure(request, form_class=TierForm, instance=instance, create=svc.tier_create,
                      update=svc.tier_update, title=_t("Edit %(name)s") % {"name": instance.name},
                      list_name="partners:tier_list", kind="tier")


# --- checks ----------------------------------------------------------------------------------------------


def check_add(request, pk: int):
    _require_reader(request)
    partner = Partner.objects.restrict(request.user, "view").filter(pk=pk).first()
    if partner is None:
        raise Http404
    if not sel.may_edit_partner_checks(request.user, partner):
        raise PermissionDenied
    initial = {}
    person_pk = request.GET.get("person")
    if person_pk and person_pk.isdigit():
        initial["person"] = PartnerPerson.objects.filter(partner=partner, pk=int(person_pk)).first()
    form = CheckForm(request.POST or None, partner=partner, initial=initial,
                     may_verify=_is_staff(request.user, ClearanceRequirement))
    if request.method == "POST" and form.is_valid():
        ok, check = run_service(form, lambda: svc.check_create(partner=partner, **form.service_args(),
                                                                acting_user=request.user))
        if ok:
            messages.success(request, _t("The check was saved."))
            return redirect("partners:clearance_partner", pk=partner.pk)
    return _form_page(request, form, title=_t("New clearance check for %(partner)s") % {"partner": partner.name},
                      back=reverse("partners:clearance_partner", args=[partner.pk]),
                      status=400 if request.method == "POST" else 200)


def check_edit(request, pk: int):
    _require_reader(request)
    check = sel.check_get(request.user, pk)
    if check is None:
        raise Http404
    if sel.check_get(request.user, pk, "change") is None:
        raise PermissionDenied
    form = CheckForm(request.POST or None, instance=check, partner=check.partner,
                     may_verify=_is_staff(request.user, ClearanceRequirement))
    if request.method == "POST" and form.is_valid():
        args = form.service_args()
        data = {**args["data"], "person": args["person"]}
        ok, saved = run_service(form, lambda: svc.check_update(check=check, data=data, verified=args["verified"],
                                                                acting_user=request.user))
        if ok:
            messages.success(request, _t("The check was saved."))
            return redirect("partners:clearance_partner", pk=check.partner_id)
    return _form_page(request, form, title=_t("Edit clearance check: %(check)s") % {"check": check},
                      back=reverse("partners:clearance_partner", args=[check.partner_id]),
                      status=400 if request.method == "POST" else 200)


# --- campus approvals ------------------------------------------------------------------------------------


def _may_request_for(user, partner) -> bool:
    return _is_staff(user, Partner) or (role_of(user) == Role.PARTNER and partner.pk in partner_ids_for(user))


def approval_list(request):
    _require_reader(request)
    filterset = ApprovalFilterSet(request.GET or None, queryset=sel.approval_list(request.user), request=request)
    approvals = sorted(filterset.qs, key=lambda a: (a.status != "pending", a.school.name, a.person.last_name))
    rows = sel.approval_rows(request.user, approvals)
    decidable = set(CampusApproval.objects.restrict(request.user, "change").values_list("pk", flat=True))
    return render(request, "partners/clearance/approval_list.html", {
        "rows": rows, "filterset": filterset, "decidable": decidable, "title": _t("Campus approvals"),
    })


def approval_request(request, pk: int):
    _require_reader(request)
    person = PartnerPerson.objects.restrict(request.user, "view").select_related("partner").filter(pk=pk).first()
    if person is None:
        raise Http404
    if not _may_request_for(request.user, person.partner):
        raise PermissionDenied
    form = ApprovalRequestForm(request.POST or None, schools=sel.requestable_schools(request.user, person))
    if request.method == "POST" and form.is_valid():
        ok, approval = run_service(form, lambda: svc.approval_request(
            person=person, school=form.cleaned_data["school"], note=form.cleaned_data["note"],
            acting_user=request.user))
        if ok:
            messages.success(request, _t("The principal of %(school)s was asked to approve %(person)s.")
                             % {"school": approval.school.name, "person": person.full_name})
            return redirect("partners:clearance_partner", pk=person.partner_id)
    return _form_page(request, form, title=_t("Ask for campus approval: %(person)s") % {"person": person.full_name},
                      back=reverse("partners:clearance_partner", args=[person.partner_id]),
                      status=400 if request.method == "POST" else 200)


def approval_decide(request, pk: int):
    _require_reader(request)
    approval = sel.approval_get(request.user, pk)
    if approval is None:
        raise Http404
    if not sel.may_decide(request.user, approval):
        raise PermissionDenied
    form = ApprovalDecideForm(request.POST or None, initial={
        "status": approval.status if approval.status != "pending" else None,
        "required_tier": approval.required_tier, "note": approval.note})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        ok, saved = run_service(form, lambda: svc.approval_decide(
            approval=approval, status=data["status"], note=data["note"], required_tier=data["required_tier"],
            acting_user=request.user))
        if ok:
            messages.success(request, _t("%(person)s at %(school)s: %(status)s.") % {
                "person": approval.person.full_name, "school": approval.school.name,
                "status": saved.get_status_display()})
            return redirect("partners:approval_list")
    status = sel.approval_rows(request.user, [approval])[0].status
    return render(request, "partners/clearance/approval_decide.html",
                  {"form": form, "approval": approval, "status": status},
                  status=400 if request.method == "POST" else 200)


urlpatterns = [
    path("clearance/", overview, name="clearance"),
    path("clearance/partner/<int:pk>/", partner_clearance, name="clearance_partner"),
    path("clearance/expiring/", expiring, name="expiring"),
    path("clearance/requirements/", RequirementListView.as_view(), name="requirement_list"),
    path("clearance/requirements/add/", requirement_add, name="requirement_add"),
    path("clearance/requirements/<int:pk>/edit/", requirement_edit, name="requirement_edit"),
    path("clearance/tiers/", TierListView.as_view(), name="tier_list"),
    path("clearance/tiers/add/", tier_add, name="tier_add"),
    path("clearance/tiers/<int:pk>/edit/", tier_edit, name="tier_edit"),
    path("clearance/partner/<int:pk>/checks/add/", check_add, name="check_add"),
    path("clearance/checks/<int:pk>/edit/", check_edit, name="check_edit"),
    path("clearance/approvals/", approval_list, name="approval_list"),
    path("clearance/approvals/request/<int:pk>/", approval_request, name="approval_request"),
    path("clearance/approvals/<int:pk>/decide/", approval_decide, name="approval_decide"),
]
