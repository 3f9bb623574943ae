"""What waits for the user in community partnerships, for the home page: a short list of things to do or to
watch, each with a count and the page where it is done. Only items with something in them are returned.

- a principal (and a network admin): agreements awaiting their approval, campus approvals to decide;
- partnerships staff (and a network admin): draft agreements not yet submitted;
- principals, senior directors, partnerships staff, admins and partner users: clearance items that have
  expired or expire within 30 days, as `expiring_for` scopes them;
- a partner user: this year's measures without an actual, and this year's survey while it is unanswered.

Every count reads through `restrict`, so nobody learns of records they may not see.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from equitable.core.permissions import role_of
from equitable.core.roles import Role
from equitable.network.scoping import school_ids_for
from equitable.partners.models import (
    Agreement,
    AgreementStatus,
    ApprovalStatus,
    CampusApproval,
    Measure,
    PartnerSurvey,
)
from equitable.partners.scoping import partner_ids_for, partnerships_staff
from equitable.partners.selectors.agreements import current_year
from equitable.partners.selectors.clearance import DEFAULT_DAYS, expiring_for


@dataclass(frozen=True)
class WaitingItem:
    key: str
    label: str
    count: int
    url: str
    urgent: bool = False


def waiting_for(user, *, on: date | None = None) -> list[WaitingItem]:
    """The user's partnership to-dos with a count above zero, most urgent first."""
    role = role_of(user)
    if role is None:
        return []
    staff = role == Role.ADMIN or partnerships_staff(user, Agreement)
    items: list[WaitingItem] = []
    if role in (Role.PRINCIPAL, Role.ADMIN):
        items += _decisions(user, role)
    if role in (Role.PRINCIPAL, Role.DIRECTOR, Role.PARTNER) or staff:
        items += _clearance(user, on)
    if staff:
        drafts = Agreement.objects.restrict(user, "view").filter(status=AgreementStatus.DRAFT).count()
        items.append(WaitingItem(
            "drafts", ngettext("draft agreement not yet submitted to the principal",
                               "draft agreements not yet submitted to the principal", drafts),
            drafts, reverse("partners:agreement_list") + "?status=draft"))
    if role == Role.PARTNER:
        items += _partner(user)
    return sorted((i for i in items if i.count), key=lambda i: not i.urgent)


def _decisions(user, role) -> list[WaitingItem]:
    agreements = Agreement.objects.restrict(user, "view").filter(status=AgreementStatus.PENDING)
    if role == Role.PRINCIPAL:
        agreements = agreements.filter(school_id__in=school_ids_for(user))
    pending = agreements.count()
    approvals = CampusApproval.objects.restrict(user, "change").filter(status=ApprovalStatus.PENDING).count()
    return [
        WaitingItem("agreements", ngettext("agreement awaits your approval", "agreements await your approval",
                                           pending),
                    pending, reverse("partners:agreement_list") + "?status=pending", urgent=True),
        WaitingItem("approvals", ngettext("person asks to work on your campus", "people ask to work on your campus",
                                          approvals),
                    approvals, reverse("partners:approval_list") + "?status=pending", urgent=True),
    ]


def _clearance(user, on: date | None) -> list[WaitingItem]:
    rows = expiring_for(user, days=DEFAULT_DAYS, on=on)
    expired = sum(1 for r in rows if r.status == "expired")
    expiring = len(rows) - expired
    url = reverse("partners:expiring")
    return [
        WaitingItem("expired", ngettext("clearance item has expired", "clearance items have expired", expired),
                    expired, url, urgent=True),
        WaitingItem("expiring", ngettext("clearance item expires within %(days)d days",
                                         "clearance items expire within %(days)d days", expiring)
                    % {"days": DEFAULT_DAYS}, expiring, url),
    ]


def _partner(user) -> list[WaitingItem]:
    year = current_year()
    if year is None:
        return []
    portal = reverse("partners:portal")
    open_measures = (Measure.objects.restrict(user, "view")
                     .filter(school_year=year, actual__isnull=True).count())
    items = [WaitingItem("measures", ngettext("measure for %(year)s has no actual yet",
                                              "measures for %(year)s have no actual yet", open_measures)
                         % {"year": year.name}, open_measures, portal)]
    if year.is_current:
        answered = PartnerSurvey.objects.filter(partner_id__in=partner_ids_for(user), school_year=year).count()
        unanswered = max(0, len(partner_ids_for(user)) - answered)
        items.append(WaitingItem("survey", _("the %(year)s partner survey is unanswered") % {"year": year.name},
                                 unanswered, reverse("partners:portal_survey")))
    return items
