"""The partner portal: a partner user's own organization — its profile, its people and their clearance,
its agreements and the measures to keep current, the annual survey, upcoming convenings, what expires
soon — and an upload of people or clearance checks (previewed as a dry run, then confirmed).

Only partner users open it (others 403). Everything on it is read through `restrict(user, …)`, so a partner
user sees nothing of other partners; the clearance and profile pages it links to apply the same scoping."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _t
from django.views.decorators.http import require_POST

from equitable.core.exceptions import DomainError, NotPermitted
from equitable.core.imports import discard_staged, import_kind, read_staged, run_import, stage_upload
from equitable.core.permissions import can, role_of
from equitable.core.roles import Role
from equitable.core.tabular import FORMATS, tabular_response
from equitable.partners.forms.agreements import (
    PORTAL_IMPORT_KINDS,
    ConfirmUploadForm,
    PortalUploadForm,
    SurveyForm,
)
from equitable.partners.models import AgreementStatus, CampusApproval, PartnerPerson, PartnerSurvey
from equitable.partners.selectors import agreements as selectors
from equitable.partners.selectors.clearance import expiring_for, load_facts
from equitable.partners.services import agreements as services
from equitable.partners.templatetags.clearance_words import reason_text
from equitable.web.generic import run_service

SESSION_KEY = "equitable_portal_uploads"
EXPIRING_DAYS = 30
AGREEMENT_ENDING_DAYS = 60
PREVIEW_ROWS = 50


def _url(name: str, *args) -> str | None:
    """A link to another part of the app (None while that page does not exist)."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


def _partner_or_403(request):
    if role_of(request.user) != Role.PARTNER:
        raise PermissionDenied(_t("The partner portal is for partner organization users."))
    return selectors.portal_partner(request.user)


def _people(user, partner, today):
    people = list(PartnerPerson.objects.restrict(user, "view").filter(partner=partner)
                  .select_related("tier").order_by("last_name", "first_name"))
    approvals = {}
    for a in (CampusApproval.objects.restrict(user, "view").filter(person__partner=partner)
              .select_related("school")):
        approvals.setdefault(a.person_id, []).append(a)
    facts = load_facts([partner.pk])
    rows = []
    for person in people:
        campuses = []
        for approval in approvals.get(person.pk, []):
            status = facts.person_status(person, approval, today)
            campuses.append({"school": approval.school.name, "approval": approval.get_status_display(),
                             "cleared": bool(status and status.cleared),
                             "reason": reason_text(status) if status else ""})
        rows.append({"person": person, "campuses": campuses,
                     "edit_url": _url("partners:person_edit", person.pk),
                     "check_url": (f"{_url('partners:check_add', partner.pk)}?person={person.pk}"
                                   if _url("partners:check_add", partner.pk) else None)})
    return rows


def portal(request):
    partner = _partner_or_403(request)
    if partner is None:
        return render(request, "partners/portal/portal.html", {"partner": None})
    user = request.user
    today = timezone.localdate()
    agreements = list(selectors.agreement_list(user).filter(partner=partner).order_by("-start_date"))
    measures = list(selectors.measure_list(user).filter(agreement__partner=partner)
                    .order_by("-school_year__start_date", "agreement__school__name", "kind", "name"))
    year = selectors.current_year()
    survey = (PartnerSurvey.objects.restrict(user, "view").filter(partner=partner, school_year=year).first()
              if year else None)
    convenings = list(selectors.convening_list(user).filter(held_on__gte=today).order_by("held_on")[:10])
    expiring = expiring_for(user, days=EXPIRING_DAYS, partner_id=partner.pk, on=today)
    ending = [a for a in agreements if a.status == AgreementStatus.ACTIVE
              and today <= a.end_date <= today + timedelta(days=AGREEMENT_ENDING_DAYS)]
    return render(request, "partners/portal/portal.html", {
        "partner": partner,
        "edit_url": _url("partners:partner_edit", partner.pk) if can(user, "change", partner) else None,
        "clearance_url": _url("partners:clearance_partner", partner.pk),
        "check_add_url": _url("partners:check_add", partner.pk),
        "person_add_url": _url("partners:person_add", partner.pk),
        "people": _people(user, partner, today),
        "agreements": agreements,
        "measures": measures,
        "editable_measures": {m.pk for m in measures if can(user, "change", m)},
        "year": year,
        "survey": survey,
        "survey_open": bool(year and year.is_current),
        "convenings": convenings,
        "expiring": expiring,
        "ending": ending,
        "upload_form": PortalUploadForm(),
        "expiring_days": EXPIRING_DAYS,
    })


def portal_survey(request):
    partner = _partner_or_403(request)
    if partner is None:
        raise PermissionDenied(_t("Your login is not linked to a partner organization."))
    year = selectors.current_year()
    if year is None:
        messages.error(request, _t("No school year is set up yet."))
        return redirect("partners:portal")
    existing = PartnerSurvey.objects.restrict(request.user, "view").filter(partner=partner, school_year=year).first()
    form = SurveyForm(request.POST or None, instance=existing)
    if request.method == "POST" and form.is_valid():
        ok, _saved = run_service(form, lambda: services.survey_submit(
            partner=partner, school_year=year, data=form.values(), acting_user=request.user))
        if ok:
            messages.success(request, _t("Thank you: your %(year)s survey response was saved.") % {"year": year.name})
            return redirect("partners:portal")
    return render(request, "partners/portal/survey_form.html", {
        "form": form, "partner": partner, "year": year, "existing": existing, "open": year.is_current,
    }, status=400 if form.errors else 200)


def _upload_page(request, partner, form, *, result=None, kind=None, token=None, filename="", status=200):
    return render(request, "partners/portal/upload.html", {
        "partner": partner, "form": form, "result": result, "kind": kind, "token": token, "filename": filename,
        "preview_rows": result.preview[:PREVIEW_ROWS] if result else [],
        "more_rows": max(len(result.preview) - PREVIEW_ROWS, 0) if result else 0,
    }, status=status)


def portal_upload(request):
    """GET: the form; POST: a dry run of the file, showing what would change (or every row's error)."""
    partner = _partner_or_403(request)
    if partner is None:
        raise PermissionDenied(_t("Your login is not linked to a partner organization."))
    if request.method != "POST":
        return _upload_page(request, partner, PortalUploadForm())
    form = PortalUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _upload_page(request, partner, form, status=400)
    kind = import_kind(form.cleaned_data["kind"])
    upload = form.cleaned_data["file"]
    token = stage_upload(upload.chunks())
    try:
        result = run_import(kind.make(acting_user=request.user), read_staged(token), filename=upload.name,
                            dry_run=True)
    except NotPermitted as exc:
        discard_staged(token)
        raise PermissionDenied(str(exc)) from None
    except DomainError as exc:
        discard_staged(token)
        form.add_error(None, exc.message)
        return _upload_page(request, partner, form, status=400)
    if not result.ok:
        discard_staged(token)
        return _upload_page(request, partner, form, result=result, kind=kind, filename=upload.name, status=400)
    staged = request.session.get(SESSION_KEY, {})
    for old in list(staged)[: max(len(staged) - 4, 0)]:
        discard_staged(old)
        staged.pop(old, None)
    staged[token] = {"kind": kind.slug, "filename": upload.name}
    request.session[SESSION_KEY] = staged
    return _upload_page(request, partner, PortalUploadForm(initial={"kind": kind.slug}), result=result, kind=kind,
                        token=token, filename=upload.name)


@require_POST
def portal_upload_confirm(request):
    partner = _partner_or_403(request)
    if partner is None:
        raise PermissionDenied(_t("Your login is not linked to a partner organization."))
    confirm = ConfirmUploadForm(request.POST)
    staged = request.session.get(SESSION_KEY, {})
    entry = staged.pop(confirm.data.get("token", ""), None) if confirm.is_valid() else None
    content = read_staged(confirm.cleaned_data["token"]) if entry else None
    kind = import_kind(entry["kind"]) if entry and entry["kind"] in PORTAL_IMPORT_KINDS else None
    if entry is None or content is None or kind is None:
        messages.error(request, _t("This upload is no longer available; upload the file again."))
        return redirect("partners:portal_upload")
    request.session[SESSION_KEY] = staged
    try:
        result = run_import(kind.make(acting_user=request.user), content, filename=entry["filename"], dry_run=False)
    except NotPermitted as exc:
        raise PermissionDenied(str(exc)) from None
    finally:
        discard_staged(confirm.cleaned_data["token"])
    if not result.ok:
        return _upload_page(request, partner, PortalUploadForm(initial={"kind": kind.slug}), result=result,
                            kind=kind, filename=entry["filename"], status=400)
    messages.success(request, _t("Uploaded %(file)s (%(kind)s): %(summary)s") % {
        "file": entry["filename"], "kind": kind.label, "summary": result.summary()})
    return redirect("partners:portal")


def portal_export(request, kind: str):
    """The organization's current rows of one upload kind (people, clearance checks, measures) in the upload's
    columns: a file to edit and upload again."""
    partner = _partner_or_403(request)
    if partner is None:
        raise PermissionDenied(_t("Your login is not linked to a partner organization."))
    found = import_kind(kind) if kind in PORTAL_IMPORT_KINDS else None
    if found is None or found.exporter is None:
        raise Http404
    fmt = request.GET.get("format", "csv")
    if fmt not in FORMATS:
        fmt = "csv"
    headers, rows = found.exporter(user=request.user)
    return tabular_response(f"{kind}", headers, rows, fmt)


urlpatterns = [
    path("portal/", portal, name="portal"),
    path("portal/export/<slug:kind>/", portal_export, name="portal_export"),
    path("portal/survey/", portal_survey, name="portal_survey"),
    path("portal/upload/", portal_upload, name="portal_upload"),
    path("portal/upload/confirm/", portal_upload_confirm, name="portal_upload_confirm"),
]
