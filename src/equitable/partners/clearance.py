"""Campus clearance: who is cleared to work on which campus, on which day (pure engine, no Django).

A person is cleared for a campus only while every required item is valid AND the campus's principal
approved them. The items required are the person-level requirements of the tier that applies at that
campus — the higher (by rank) of the person's own tier and the tier the principal asked for — plus the
organization-level items required of every partner (checked on the organization's own checks).

A check counts from `completed_on` to its expiry inclusive: its own `expires_on` when given, else
`completed_on + valid_days` of the requirement, else never. Everything here is deterministic: dataclasses
in, dataclasses out.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

PERSON = "person"
ORGANIZATION = "organization"

APPROVED = "approved"
PENDING = "pending"
DENIED = "denied"

# Partner summary states.
CLEARED = "cleared"
EXPIRING = "expiring"
NOT_CLEARED = "not cleared"

DEFAULT_WITHIN = 30

REASON_CLEARED_UNTIL = "Cleared until {day}"
REASON_CLEARED = "Cleared"
REASON_MISSING = "Missing: {items}"
REASON_EXPIRED = "Expired: {items}"
REASON_EXPIRED_ITEM = "{name} on {day}"
REASON_PENDING = "Awaiting the principal's approval"
REASON_NOT_REQUESTED = "No approval requested for this campus"
REASON_DENIED = "Denied by the principal"
REASON_NO_TIER = "No clearance tier assigned"


@dataclass(frozen=True)
class Requirement:
    """One clearance item: a registry check, a TB test, an insurance certificate…"""

    id: int
    name: str
    applies_to: str = PERSON
    valid_days: int | None = None


@dataclass(frozen=True)
class Tier:
    id: int
    name: str
    rank: int
    requirement_ids: frozenset[int] = frozenset()


@dataclass(frozen=True)
class Check:
    """A dated check of one requirement."""

    requirement_id: int
    completed_on: date
    expires_on: date | None = None


@dataclass(frozen=True)
class ItemState:
    """Where one required item stands on a day; `expires_on` is None for an item that never expires
    (or that is missing)."""

    requirement: Requirement
    state: str  # "valid", "expiring", "expired" or "missing"
    expires_on: date | None = None


@dataclass(frozen=True)
class Status:
    cleared: bool
    reason: str                      # in English, for the CLI and logs; pages word it from the key and args
    missing: tuple[Requirement, ...] = ()
    expired: tuple[ItemState, ...] = ()
    expiring: tuple[ItemState, ...] = ()
    items: tuple[ItemState, ...] = ()
    valid_until: date | None = None  # the earliest expiry of the required items (None: never, or not cleared)
    tier: Tier | None = None
    approval: str | None = None
    # The reason as data: one of REASON_KEYS, with its arguments ("items": names, or (name, day) pairs for
    # "expired"; "day"), so a page can say it in the reader's language.
    reason_key: str = "cleared"
    reason_args: dict = field(default_factory=dict)

    @property
    def items_valid(self) -> bool:
        return not self.missing and not self.expired

    @property
    def expiring_soon(self) -> bool:
        return bool(self.expiring)


def check_expiry(check: Check, requirement: Requirement | None = None) -> date | None:
    """The last day a check counts: its own expiry, else completion + the requirement's valid days,
    else None (never expires)."""
    if check.expires_on is not None:
        return check.expires_on
    if requirement is not None and requirement.valid_days is not None:
        return check.completed_on + timedelta(days=requirement.valid_days)
    return None


def check_valid(check: Check, requirement: Requirement | None, day: date) -> bool:
    """Does the check count on `day` (from completion to expiry, both inclusive)?"""
    if check.completed_on > day:
        return False
    expiry = check_expiry(check, requirement)
    return expiry is None or day <= expiry


def higher_tier(*tiers: Tier | None) -> Tier | None:
    """The tier with the highest rank among those given (None when none is given)."""
    present = [t for t in tiers if t is not None]
    return max(present, key=lambda t: t.rank) if present else None


def item_state(requirement: Requirement, checks: Iterable[Check], day: date,
               within: int = DEFAULT_WITHIN) -> ItemState:
    """Where one requirement stands on `day` given the checks of that person or organization."""
    own = [c for c in checks if c.requirement_id == requirement.id and c.completed_on <= day]
    if not own:
        return ItemState(requirement, "missing")
    valid = [c for c in own if check_valid(c, requirement, day)]
    if not valid:
        last = max(check_expiry(c, requirement) for c in own)  # all are dated (else they'd be valid)
        return ItemState(requirement, "expired", last)
    expiries = [check_expiry(c, requirement) for c in valid]
    best = None if any(e is None for e in expiries) else max(expiries)
    if best is not None and (best - day).days <= within:
        return ItemState(requirement, "expiring", best)
    return ItemState(requirement, "valid", best)


def _evaluate(items: Sequence[tuple[Requirement, Sequence[Check]]], day: date, within: int):
    states = tuple(item_state(req, checks, day, within) for req, checks in items)
    missing = tuple(s.requirement for s in states if s.state == "missing")
    expired = tuple(s for s in states if s.state == "expired")
    expiring = tuple(s for s in states if s.state == "expiring")
    dated = [s.expires_on for s in states if s.state in ("valid", "expiring") and s.expires_on is not None]
    valid_until = min(dated) if dated and not missing and not expired else None
    return states, missing, expired, expiring, valid_until


REASON_KEYS = {"cleared_until": REASON_CLEARED_UNTIL, "cleared": REASON_CLEARED, "missing": REASON_MISSING,
               "expired": REASON_EXPIRED, "pending": REASON_PENDING, "not_requested": REASON_NOT_REQUESTED,
               "denied": REASON_DENIED, "no_tier": REASON_NO_TIER}


def reason_in_english(key: str, args: dict) -> str:
    """The English wording of a reason key and its arguments."""
    if key == "missing":
        return REASON_MISSING.format(items=", ".join(args["items"]))
    if key == "expired":
        return REASON_EXPIRED.format(items=", ".join(
            REASON_EXPIRED_ITEM.format(name=name, day=day) for name, day in args["items"]))
    return REASON_KEYS[key].format(**args)


def _problem_reason(missing, expired) -> tuple[str, dict] | None:
    if missing:
        return "missing", {"items": tuple(r.name for r in missing)}
    if expired:
        return "expired", {"items": tuple((s.requirement.name, s.expires_on.isoformat()) for s in expired)}
    return None


def _cleared_reason(valid_until: date | None) -> tuple[str, dict]:
    return ("cleared_until", {"day": valid_until.isoformat()}) if valid_until else ("cleared", {})


def _status(key_args: tuple[str, dict], **fields) -> Status:
    key, args = key_args
    return Status(reason=reason_in_english(key, args), reason_key=key, reason_args=args, **fields)


def _by_id(requirements: Iterable[Requirement]) -> list[Requirement]:
    return sorted({r.id: r for r in requirements}.values(), key=lambda r: (r.name, r.id))


def organization_status(*, org_items: Iterable[Requirement], org_checks: Sequence[Check], on: date,
                        within: int = DEFAULT_WITHIN) -> Status:
    """Are the organization-level items (insurance, signed agreement…) all valid on `on`?"""
    items = [(req, org_checks) for req in _by_id(org_items)]
    states, missing, expired, expiring, valid_until = _evaluate(items, on, within)
    problem = _problem_reason(missing, expired)
    return _status(problem or _cleared_reason(valid_until), cleared=problem is None, missing=missing,
                   expired=expired, expiring=expiring, items=states, valid_until=valid_until)


def person_status(*, tier: Tier | None, requirements: dict[int, Requirement], org_items: Iterable[Requirement],
                  person_checks: Sequence[Check], org_checks: Sequence[Check], approval: str | None,
                  on: date, required_tier: Tier | None = None, within: int = DEFAULT_WITHIN) -> Status:
    """A person's clearance at one campus on `on`.

    `tier` is the person's own tier and `required_tier` the one the principal asked for at this campus;
    the higher of the two applies. `requirements` maps requirement ids to requirements (to resolve the
    tier's items); `org_items` are the organization items required of every partner; `approval` is the
    principal's decision at this campus ("approved", "pending", "denied") or None when never requested.
    """
    applied = higher_tier(tier, required_tier)
    person_items = [requirements[i] for i in (applied.requirement_ids if applied else ()) if i in requirements]
    items = [(req, person_checks) for req in _by_id(person_items)]
    items += [(req, org_checks) for req in _by_id(org_items)]
    states, missing, expired, expiring, valid_until = _evaluate(items, on, within)
    if approval == DENIED:
        reason = ("denied", {})
    elif applied is None:
        reason = ("no_tier", {})
    else:
        reason = _problem_reason(missing, expired)
        if reason is None and approval != APPROVED:
            reason = ("pending", {}) if approval == PENDING else ("not_requested", {})
    cleared = reason is None
    return _status(reason or _cleared_reason(valid_until), cleared=cleared, missing=missing, expired=expired,
                   expiring=expiring, items=states, valid_until=valid_until if cleared else None, tier=applied,
                   approval=approval)


@dataclass(frozen=True)
class PartnerSummary:
    state: str  # CLEARED, EXPIRING or NOT_CLEARED
    organization: Status
    people: tuple[Status, ...] = field(default_factory=tuple)


def partner_summary(organization: Status, people: Iterable[Status]) -> PartnerSummary:
    """One word for a partner: "cleared" when its organization items are valid and every person with an
    approved campus is cleared there, "expiring" when cleared but something expires soon, else
    "not cleared"."""
    people = tuple(people)
    if not organization.cleared or not all(s.cleared for s in people):
        state = NOT_CLEARED
    elif organization.expiring or any(s.expiring for s in people):
        state = EXPIRING
    else:
        state = CLEARED
    return PartnerSummary(state, organization, people)
