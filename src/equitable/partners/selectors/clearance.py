"""Reads of campus clearance: statuses of people and organizations (through the pure engine
`partners.clearance`), the expiring list (page, export, API and CLI share one computation), the
overview and the principal's approval list.

Scoped reads go through `Model.objects.restrict(user, "view")`. A status, once the user may see the
person or organization, is computed from all of that person's or organization's checks.

Contracts used by other parts: `expiring_table`, `ExpiringInputError`, `partner_clearance_summary`,
`person_cleared`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from equitable.core.permissions import role_of
from equitable.core.roles import Role
from equitable.network.models import School
from equitable.network.scoping import school_ids_for
from equitable.partners import clearance as engine
from equitable.partners.models import (
    Agreement,
    AgreementStatus,
    AppliesTo,
    ApprovalStatus,
    CampusApproval,
    ClearanceCheck,
    ClearanceRequirement,
    ClearanceTier,
    Partner,
    PartnerPerson,
    PartnerStatus,
)
from equitable.partners.scoping import partnerships_staff

EXPIRING_HEADERS = ["partner", "person", "item", "expires_on", "days_left", "status", "schools"]
DEFAULT_DAYS = 30
MAX_DAYS = 3660
# Agreements whose school an organization item affects, and which let a partner ask for campus approval.
AFFECTING_AGREEMENTS = (AgreementStatus.PENDING, AgreementStatus.ACTIVE)
OPEN_AGREEMENTS = (AgreementStatus.DRAFT, AgreementStatus.PENDING, AgreementStatus.ACTIVE)

UNKNOWN_SCHOOL = "No school with CDS code {cds!r}."
UNKNOWN_PARTNER = "No partner organization named {name!r}."
BAD_DAYS = "The number of days must be between 0 and {max}."

CLEARANCE_READERS = (Role.ADMIN, Role.STAFF, Role.PRINCIPAL, Role.DIRECTOR, Role.PARTNER)


class ExpiringInputError(Exception):
    """Bad input to the expiring list (unknown school or partner, days out of range)."""


# --- loading facts into the engine's dataclasses ---------------------------------------------------------


def _requirement(r: ClearanceRequirement) -> engine.Requirement:
    return engine.Requirement(id=r.pk, name=r.name, applies_to=r.applies_to, valid_days=r.valid_days)


def _check(c: ClearanceCheck) -> engine.Check:
    return engine.Check(requirement_id=c.requirement_id, completed_on=c.completed_on, expires_on=c.expires_on)


@dataclass
class Facts:
    """Requirements, tiers and the checks of some partners, loaded once and evaluated many times."""

    requirements: dict[int, engine.Requirement]
    org_items: list[engine.Requirement]
    tiers: dict[int, engine.Tier]
    person_checks: dict[int, list[engine.Check]] = field(default_factory=dict)
    org_checks: dict[int, list[engine.Check]] = field(default_factory=dict)

    def person_status(self, person: PartnerPerson, approval: CampusApproval | None, on: date,
                      within: int = engine.DEFAULT_WITHIN) -> engine.Status:
        return engine.person_status(
            tier=self.tiers.get(person.tier_id), requirements=self.requirements, org_items=self.org_items,
            person_checks=self.person_checks.get(person.pk, []), org_checks=self.org_checks.get(person.partner_id, []),
            approval=approval.status if approval else None, on=on,
            required_tier=self.tiers.get(approval.required_tier_id) if approval else None, within=within)

    def organization_status(self, partner_id: int, on: date, within: int = engine.DEFAULT_WITHIN) -> engine.Status:
        return engine.organization_status(org_items=self.org_items, org_checks=self.org_checks.get(partner_id, []),
                                          on=on, within=within)


def load_facts(partner_ids: Iterable[int] | None = None) -> Facts:
    """Everything the engine needs for these partners (None: all partners)."""
    requirements = list(ClearanceRequirement.objects.all())
    reqs = {r.pk: _requirement(r) for r in requirements}
    org_items = [reqs[r.pk] for r in requirements
                 if r.applies_to == AppliesTo.ORGANIZATION and r.required_for_all_partners]
    tiers = {
        t.pk: engine.Tier(id=t.pk, name=t.name, rank=t.rank,
                          requirement_ids=frozenset(r.pk for r in t.requirements.all()))
        for t in ClearanceTier.objects.prefetch_related("requirements")
    }
    facts = Facts(requirements=reqs, org_items=org_items, tiers=tiers)
    checks = ClearanceCheck.objects.only("requirement_id", "person_id", "partner_id", "completed_on", "expires_on")
    if partner_ids is not None:
        checks = checks.filter(partner_id__in=list(partner_ids))
    for c in checks:
        target = facts.person_checks.setdefault(c.person_id, []) if c.person_id else facts.org_checks.setdefault(
            c.partner_id, [])
        target.append(_check(c))
    return facts


# --- contract functions -----------------------------------------------------------------------------------


def person_status(person: PartnerPerson, school, *, on: date, facts: Facts | None = None) -> engine.Status:
    """A person's clearance at one school on a day (with the reason)."""
    school_id = getattr(school, "pk", school)
    approval = CampusApproval.objects.filter(person=person, school_id=school_id).first()
    facts = facts or load_facts([person.partner_id])
    return facts.person_status(person, approval, on)


def person_cleared(person: PartnerPerson, school, *, on: date) -> bool:
    """Is this person cleared to work at this school on `on` (every item valid and the principal approved)?"""
    return person_status(person, school, on=on).cleared


def partner_summaries(partner_ids: Iterable[int], *, on: date,
                      facts: Facts | None = None) -> dict[int, engine.PartnerSummary]:
    ids = list(partner_ids)
    facts = facts or load_facts(ids)
    approved = defaultdict(list)
    for a in (CampusApproval.objects.filter(person__partner_id__in=ids, status=ApprovalStatus.APPROVED)
              .select_related("person")):
        approved[a.person.partner_id].append(facts.person_status(a.person, a, on))
    return {pid: engine.partner_summary(facts.organization_status(pid, on), approved[pid]) for pid in ids}


def partner_clearance_summary(partner_ids: Iterable[int], *, on: date) -> dict[int, str]:
    """For each partner: "cleared", "expiring" (cleared but something expires within 30 days) or
    "not cleared"."""
    return {pid: s.state for pid, s in partner_summaries(partner_ids, on=on).items()}


# --- the expiring list ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ExpiringRow:
    partner_id: int
    partner: str
    person_id: int | None
    person: str
    requirement_id: int
    item: str
    expires_on: date
    days_left: int
    status: str  # "expired" or "expiring"
    schools: tuple[str, ...]
    school_ids: frozenset[int]

    def as_list(self) -> list:
        return [self.partner, self.person, self.item, self.expires_on.isoformat(), self.days_left, self.status,
                "; ".join(self.schools)]


def expiring_rows(checks, *, days: int, on: date, school_id: int | None = None,
                  partner_id: int | None = None) -> list[ExpiringRow]:
    """Items (a person's or an organization's requirement) whose best check expires within `days` of `on`
    or has already expired, from the given checks queryset. Only people who work on campus and partners
    that are not inactive count. Sorted by expiry, then partner, person and item."""
    checks = (checks.filter(partner__status__in=[PartnerStatus.ACTIVE, PartnerStatus.PROSPECTIVE])
              .exclude(person__works_on_campus=False)
              .select_related("requirement", "person", "partner"))
    if partner_id is not None:
        checks = checks.filter(partner_id=partner_id)
    groups: dict[tuple, list[ClearanceCheck]] = defaultdict(list)
    for c in checks:
        groups[(c.partner_id, c.person_id, c.requirement_id)].append(c)
    found = []
    for (_pid, _person_id, _rid), items in groups.items():
        first = items[0]
        state = engine.item_state(_requirement(first.requirement), [_check(c) for c in items], on, within=days)
        if state.state in ("expired", "expiring"):
            found.append((first, state))
    person_ids = {c.person_id for c, _ in found if c.person_id}
    org_partner_ids = {c.partner_id for c, _ in found if not c.person_id}
    person_schools = defaultdict(dict)
    # a person's schools: where they are approved or awaiting the principal (a lapse blocks both)
    for a in (CampusApproval.objects.filter(person_id__in=person_ids,
                                            status__in=[ApprovalStatus.APPROVED, ApprovalStatus.PENDING])
              .values("person_id", "school_id", "school__name")):
        person_schools[a["person_id"]][a["school_id"]] = a["school__name"]
    partner_schools = defaultdict(dict)
    for a in (Agreement.objects.filter(partner_id__in=org_partner_ids, status__in=AFFECTING_AGREEMENTS)
              .values("partner_id", "school_id", "school__name")):
        partner_schools[a["partner_id"]][a["school_id"]] = a["school__name"]
    rows = []
    for c, state in found:
        schools = person_schools[c.person_id] if c.person_id else partner_schools[c.partner_id]
        if school_id is not None and school_id not in schools:
            continue
        rows.append(ExpiringRow(
            partner_id=c.partner_id, partner=c.partner.name, person_id=c.person_id,
            person=c.person.full_name if c.person_id else "", requirement_id=c.requirement_id,
            item=c.requirement.name, expires_on=state.expires_on, days_left=(state.expires_on - on).days,
            status="expired" if state.state == "expired" else "expiring",
            schools=tuple(sorted(schools.values())), school_ids=frozenset(schools)))
    rows.sort(key=lambda r: (r.expires_on, r.partner, r.person, r.item))
    return rows


def _check_days(days: int) -> int:
    if not isinstance(days, int) or days < 0 or days > MAX_DAYS:
        raise ExpiringInputError(BAD_DAYS.format(max=MAX_DAYS))
    return days


def expiring_table(*, days: int, school: str | None = None, partner: str | None = None,
                   on: date | None = None) -> tuple[list[str], list[list]]:
    """Every clearance item expiring within `days` (or expired), network-wide (for the CLI):
    headers and rows. `school` is a CDS code, `partner` an organization's name."""
    _check_days(days)
    on = on or date.today()
    school_id = partner_id = None
    if school:
        school_id = School.objects.filter(cds_code=school.strip()).values_list("pk", flat=True).first()
        if school_id is None:
            raise ExpiringInputError(UNKNOWN_SCHOOL.format(cds=school))
    if partner:
        partner_id = Partner.objects.filter(name__iexact=partner.strip()).values_list("pk", flat=True).first()
        if partner_id is None:
            raise ExpiringInputError(UNKNOWN_PARTNER.format(name=partner))
    rows = expiring_rows(ClearanceCheck.objects.all(), days=days, on=on, school_id=school_id, partner_id=partner_id)
    return list(EXPIRING_HEADERS), [r.as_list() for r in rows]


def expiring_for(user, *, days: int = DEFAULT_DAYS, school_id: int | None = None, partner_id: int | None = None,
                 on: date | None = None) -> list[ExpiringRow]:
    """The expiring list as `user` may see it: staff everything; principals and directors their schools'
    people and partners; a partner user their own organization."""
    _check_days(days)
    return expiring_rows(ClearanceCheck.objects.restrict(user, "view"), days=days, on=on or date.today(),
                         school_id=school_id, partner_id=partner_id)


# --- reference lists and checks ---------------------------------------------------------------------------


def requirement_list(user):
    return ClearanceRequirement.objects.restrict(user, "view").prefetch_related("tiers")


def tier_list(user):
    return ClearanceTier.objects.restrict(user, "view").prefetch_related("requirements")


def may_configure(user) -> bool:
    """Partnerships staff and admins edit requirements and tiers."""
    return role_of(user) == Role.ADMIN or partnerships_staff(user, ClearanceRequirement)


def check_list(user):
    return (ClearanceCheck.objects.restrict(user, "view")
            .select_related("requirement", "person", "partner", "verified_by"))


def check_get(user, pk: int, action: str = "view") -> ClearanceCheck | None:
    return check_list(user).filter(pk=pk).first() if action == "view" else (
        ClearanceCheck.objects.restrict(user, action).select_related("requirement", "person", "partner")
        .filter(pk=pk).first())


def may_edit_partner_checks(user, partner: Partner) -> bool:
    return ClearanceCheck.objects.all().permits_add(user, ClearanceCheck(partner=partner))


def approval_list(user):
    return (CampusApproval.objects.restrict(user, "view")
            .select_related("person", "person__partner", "person__tier", "school", "required_tier", "decided_by"))


def approval_get(user, pk: int, action: str = "view") -> CampusApproval | None:
    qs = CampusApproval.objects.restrict(user, action).select_related("person", "person__partner", "school")
    return qs.filter(pk=pk).first()


def may_decide(user, approval: CampusApproval) -> bool:
    return CampusApproval.objects.restrict(user, "change").filter(pk=approval.pk).exists()


def requestable_schools(user, person: PartnerPerson):
    """Schools where the person's partner has an agreement that is not declined or ended (staff may pick
    any school)."""
    if role_of(user) == Role.ADMIN or partnerships_staff(user, CampusApproval):
        return School.objects.all()
    return School.objects.filter(partner_agreements__partner_id=person.partner_id,
                                 partner_agreements__status__in=OPEN_AGREEMENTS).distinct()


# --- pages ------------------------------------------------------------------------------------------------


@dataclass
class PersonRow:
    person: PartnerPerson
    approval: CampusApproval | None
    status: engine.Status


@dataclass
class PartnerRow:
    partner: Partner
    summary: engine.PartnerSummary
    people: list[PersonRow]


def approval_rows(user, approvals, *, on: date | None = None) -> list[PersonRow]:
    """Each approval with the person's clearance status at that campus."""
    approvals = list(approvals)
    on = on or date.today()
    facts = load_facts({a.person.partner_id for a in approvals})
    return [PersonRow(a.person, a, facts.person_status(a.person, a, on)) for a in approvals]


def overview(user, *, on: date | None = None, partner_id: int | None = None) -> list[PartnerRow]:
    """The clearance overview: each visible partner with its summary and each campus person's status per
    school. Principals and directors get only the people working at their schools (and their partners);
    partner users their own organization."""
    on = on or date.today()
    role = role_of(user)
    partners = Partner.objects.restrict(user, "view")
    approvals = CampusApproval.objects.restrict(user, "view").select_related("school", "required_tier")
    people = PartnerPerson.objects.restrict(user, "view").filter(works_on_campus=True)
    if role in (Role.PRINCIPAL, Role.DIRECTOR):
        mine = school_ids_for(user)
        approvals = approvals.filter(school_id__in=mine)
        people = people.filter(approvals__school_id__in=mine).distinct()
        partners = partners.filter(pk__in=people.values("partner_id"))
    if partner_id is not None:
        partners = partners.filter(pk=partner_id)
    partners = list(partners.exclude(status=PartnerStatus.INACTIVE) if partner_id is None else partners)
    ids = [p.pk for p in partners]
    facts = load_facts(ids)
    summaries = partner_summaries(ids, on=on, facts=facts)
    by_person = defaultdict(list)
    for a in approvals.filter(person__partner_id__in=ids):
        by_person[a.person_id].append(a)
    people_by_partner = defaultdict(list)
    for person in people.filter(partner_id__in=ids).select_related("tier"):
        mine = by_person.get(person.pk) or [None]
        for a in mine:
            people_by_partner[person.partner_id].append(PersonRow(person, a, facts.person_status(person, a, on)))
    return [PartnerRow(p, summaries[p.pk], people_by_partner[p.pk]) for p in partners]


@dataclass
class PartnerClearancePage:
    partner: Partner
    summary: engine.PartnerSummary
    people: list[PersonRow]
    org_checks: list[ClearanceCheck]
    person_checks: dict[int, list[ClearanceCheck]]
    may_edit: bool


def partner_page(user, pk: int, *, on: date | None = None) -> PartnerClearancePage | None:
    """A partner's clearance page: organization items and every campus person's status per school; None
    when the user may not see this partner's clearance."""
    on = on or date.today()
    partner = Partner.objects.restrict(user, "view").filter(pk=pk).first()
    if partner is None:
        return None
    role = role_of(user)
    if role not in CLEARANCE_READERS:
        return None
    rows = overview(user, on=on, partner_id=partner.pk)
    checks = list(check_list(user).filter(partner=partner).order_by("requirement__name", "-completed_on"))
    if role in (Role.PRINCIPAL, Role.DIRECTOR) and not rows and not checks:
        return None
    person_checks = defaultdict(list)
    for c in checks:
        if c.person_id:
            person_checks[c.person_id].append(c)
    summary = rows[0].summary if rows else partner_summaries([partner.pk], on=on)[partner.pk]
    return PartnerClearancePage(
        partner=partner, summary=summary, people=rows[0].people if rows else [],
        org_checks=[c for c in checks if not c.person_id], person_checks=dict(person_checks),
        may_edit=may_edit_partner_checks(user, partner))
