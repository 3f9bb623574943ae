"""Matching pages.

- `match_school` (school pk): the ranked partner suggestions for one school, with a score bar and the reasons.
  Home-office staff and admins open it for any school; a principal and a senior director for their own
  schools (another school answers 404); partner and board users get 403.
- `match`: the network assignment for a year (home-office staff and admins; others 403). Partnerships staff
  accept the proposed pairs one by one (`match_accept`, POST), each becoming a draft agreement.
Both lists export as CSV or XLSX (`?export=csv`)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _t
from django.views.decorators.http import require_POST

from equitable.core.exceptions import DomainError, NotPermitted
from equitable.core.tabular import FORMATS, tabular_response
from equitable.partners.forms.matching import AcceptForm, MatchYearForm, NetworkMatchForm
from equitable.partners.selectors import matching as selectors
from equitable.partners.services.matching import suggestion_accept
from equitable.partners.tables.matching import ASSIGNMENT_COLUMNS, SUGGESTION_COLUMNS, components

EXPORT = "export"


def match_school(request, pk: int):
    if not selectors.may_read_school_matches(request.user):
        raise PermissionDenied
    form = MatchYearForm(request.GET or None)
    school = selectors.visible_school(request.user, pk)
    if school is None:
        raise Http404
    try:
        year = selectors.resolve_year(form.year_name())
    except selectors.MatchInputError as exc:
        raise Http404(str(exc)) from None
    matches = selectors.school_matches(school, year)
    export = request.GET.get(EXPORT)
    if export in FORMATS:
        headers, rows = selectors.suggestion_rows(matches)
        return tabular_response(f"partner-suggestions-{school.cds_code}-{year.name}", headers, rows, export)
    rows = [{"rank": rank, "s": s, "components": components(s)}
            for rank, s in enumerate(matches.suggestions, start=1)]
    return render(request, "partners/matching/school.html", {
        "title": _t("Partner suggestions for %(school)s") % {"school": school.name},
        "matches": matches, "rows": rows, "form": form, "columns": SUGGESTION_COLUMNS,
        "export_formats": FORMATS, "may_open_network": selectors.may_read_network(request.user),
    })


def match(request):
    if not selectors.may_read_network(request.user):
        raise PermissionDenied
    form = NetworkMatchForm(request.GET or None)
    try:
        network = selectors.network_matches(selectors.resolve_year(form.year_name()),
                                            exclude_not_cleared=form.exclude())
    except selectors.MatchInputError as exc:
        return render(request, "partners/matching/network.html", {"form": form, "error": str(exc),
                                                                  "title": _t("Needs-to-partner matching")})
    export = request.GET.get(EXPORT)
    if export in FORMATS:
        headers, rows = selectors.assignment_rows(network)
        return tabular_response(f"partner-matching-{network.year.name}", headers, rows, export)
    query = request.GET.copy()
    query.pop(EXPORT, None)
    return render(request, "partners/matching/network.html", {
        "title": _t("Needs-to-partner matching"), "network": network, "form": form, "columns": ASSIGNMENT_COLUMNS,
        "export_formats": FORMATS, "may_accept": selectors.may_accept(request.user), "query": query.urlencode(),
    })


@require_POST
def match_accept(request):
    if not selectors.may_accept(request.user):
        raise PermissionDenied
    form = AcceptForm(request.POST)
    year = request.POST.get("year") or ""
    target = reverse("partners:match") + (f"?{urlencode({'year': year})}" if year else "")
    if not form.is_valid():
        messages.error(request, _t("This suggestion could not be read; run the matching again."))
        return redirect(target)
    data = form.cleaned_data
    try:
        agreement = suggestion_accept(school=data["school"], partner=data["partner"], needs=data["needs"],
                                      acting_user=request.user)
    except NotPermitted as exc:
        raise PermissionDenied(str(exc)) from None
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _t("Accepted: a draft agreement of %(partner)s with %(school)s (#%(pk)s). "
                                     "Complete it and send it to the principal.")
                         % {"partner": agreement.partner.name, "school": agreement.school.name, "pk": agreement.pk})
    return redirect(target)


urlpatterns = [
    path("match/", match, name="match"),
    path("match/accept/", match_accept, name="match_accept"),
    path("match/school/<int:pk>/", match_school, name="match_school"),
]
