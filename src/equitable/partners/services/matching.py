"""Writes for matching: accepting a suggestion turns one school–partner pair into a DRAFT agreement (through
`services.agreements.agreement_create`), which staff then complete and send to the principal for approval.
Accepting is done one pair at a time by partnerships staff (or a network admin)."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.db.models import Q

from equitable.core.exceptions import DomainError, NotPermitted
from equitable.network.models import School
from equitable.partners.models import Agreement, Partner, PartnerStatus, SchoolNeed
from equitable.partners.selectors.matching import HOLDING_STATUSES, may_accept
from equitable.partners.services.agreements import agreement_create

ACCEPT_STAFF_ONLY = "Only partnerships staff and network admins accept matching suggestions."
NO_NEEDS = "Choose at least one of the school's needs that the partner should address."
NEED_OTHER_SCHOOL = "The need “{need}” is not one of {school}'s needs."
NEEDS_MIXED_YEARS = "The needs come from different needs assessments; accept one school year at a time."
PARTNER_INACTIVE = "{partner} is inactive: make it active or prospective before proposing an agreement."
NOT_COVERED = "{partner} does not work in {area}, so it cannot address that need."
ALREADY_COVERED = ("The need “{need}” already has an agreement for {year} (#{pk}, {status}); open that agreement "
                   "instead.")


def suggestion_accept(*, school: School, partner: Partner, needs: Iterable[SchoolNeed], acting_user) -> Agreement:
    """Accept the suggestion “partner for these needs of this school”: a draft agreement for the needs'
    school year, naming the needs and their focus areas. Refused when a need already has a draft, pending or
    approved agreement for the year (the suggestion was accepted before, or someone else covers it)."""
    if not may_accept(acting_user):
        raise NotPermitted(ACCEPT_STAFF_ONLY)
    needs = sorted({n.pk: n for n in needs}.values(), key=lambda n: (n.priority, n.focus_area.name, n.pk))
    if not needs:
        raise DomainError(NO_NEEDS, field="needs")
    for need in needs:
        if need.assessment.school_id != school.pk:
            raise DomainError(NEED_OTHER_SCHOOL.format(need=need.focus_area, school=school), field="needs")
    if len({n.assessment.school_year_id for n in needs}) > 1:
        raise DomainError(NEEDS_MIXED_YEARS, field="needs")
    if partner.status == PartnerStatus.INACTIVE:
        raise DomainError(PARTNER_INACTIVE.format(partner=partner), field="partner")
    areas = set(partner.focus_areas.values_list("pk", flat=True))
    for need in needs:
        if need.focus_area_id not in areas:
            raise DomainError(NOT_COVERED.format(partner=partner, area=need.focus_area), field="needs")
    year = needs[0].assessment.school_year
    with transaction.atomic():
        for need in needs:
            holding = (Agreement.objects
                       .filter(Q(needs=need) | Q(focus_areas=need.focus_area_id), school=school,
                               status__in=HOLDING_STATUSES, start_date__lte=year.end_date,
                               end_date__gte=year.start_date)
                       .order_by("pk").first())
            if holding is not None:
                raise DomainError(ALREADY_COVERED.format(need=need.focus_area, year=year, pk=holding.pk,
                                                         status=holding.get_status_display()), field="needs")
        names = [n.focus_area.name for n in needs]
        data = {
            "title": f"{partner.name}: {', '.join(names)}"[:200],
            "programs": (f"Proposed by needs-to-partner matching for {year}: {', '.join(names)}. "
                         "Describe the programs, days and hours before sending it to the principal."),
            "start_date": year.start_date,
            "end_date": year.end_date,
            "year_round": True,
        }
        return agreement_create(partner=partner, school=school, data=data,
                                focus_areas=[n.focus_area for n in needs], needs=needs, acting_user=acting_user)
