"""The pure clearance engine: table tests and properties."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from equitable.partners import clearance as c

DAY = date(2026, 11, 22)
MEGAN = c.Requirement(1, "Sex-offender registry check")
TB = c.Requirement(2, "TB clearance", valid_days=4 * 365)
PRINTS = c.Requirement(3, "Fingerprinting")
INSURANCE = c.Requirement(4, "Insurance certificate", applies_to=c.ORGANIZATION)
REQS = {r.id: r for r in (MEGAN, TB, PRINTS, INSURANCE)}
TIER1 = c.Tier(1, "Tier I", 1, frozenset({1}))
TIER2 = c.Tier(2, "Tier II", 2, frozenset({1, 2}))
TIER3 = c.Tier(3, "Tier III", 3, frozenset({1, 2, 3}))
ORG_OK = [c.Check(4, DAY - timedelta(days=10), DAY + timedelta(days=300))]


def status(person_checks, *, tier=TIER2, org_checks=ORG_OK, approval="approved", on=DAY, required_tier=None):
    return c.person_status(tier=tier, requirements=REQS, org_items=[INSURANCE], person_checks=person_checks,
                           org_checks=org_checks, approval=approval, on=on, required_tier=required_tier)


def test_expiry_rules():
    assert c.check_expiry(c.Check(2, date(2024, 1, 1)), TB) == date(2024, 1, 1) + timedelta(days=4 * 365)
    assert c.check_expiry(c.Check(2, date(2024, 1, 1), date(2025, 1, 1)), TB) == date(2025, 1, 1)
    assert c.check_expiry(c.Check(1, date(2024, 1, 1)), MEGAN) is None
    check = c.Check(4, date(2026, 1, 1), date(2026, 12, 31))
    assert c.check_valid(check, INSURANCE, date(2026, 1, 1)) and c.check_valid(check, INSURANCE, date(2026, 12, 31))
    assert not c.check_valid(check, INSURANCE, date(2025, 12, 31))
    assert not c.check_valid(check, INSURANCE, date(2027, 1, 1))


def test_cleared_until_earliest_expiry():
    s = status([c.Check(1, DAY - timedelta(days=5)), c.Check(2, DAY - timedelta(days=5))])
    assert s.cleared and s.reason == f"Cleared until {(DAY + timedelta(days=300)).isoformat()}"
    assert s.valid_until == DAY + timedelta(days=300) and not s.missing and not s.expired


def test_missing_expired_and_approval_reasons():
    assert status([c.Check(1, DAY)], tier=TIER3).reason == "Missing: Fingerprinting, TB clearance"
    old_tb = c.Check(2, DAY - timedelta(days=5 * 365))
    s = status([c.Check(1, DAY), old_tb])
    assert not s.cleared and s.reason == f"Expired: TB clearance on {c.check_expiry(old_tb, TB).isoformat()}"
    checks = [c.Check(1, DAY), c.Check(2, DAY)]
    assert status(checks, approval="pending").reason == "Awaiting the principal's approval"
    assert status(checks, approval=None).reason == "No approval requested for this campus"
    assert status(checks, approval="denied").reason == "Denied by the principal"
    assert status(checks, tier=None).reason == "No clearance tier assigned"
    assert not status(checks, org_checks=[]).cleared
    assert status(checks, org_checks=[]).reason == "Missing: Insurance certificate"


def test_expiring_within_days():
    org = [c.Check(4, DAY - timedelta(days=300), DAY + timedelta(days=25))]
    s = status([c.Check(1, DAY), c.Check(2, DAY)], org_checks=org)
    assert s.cleared and [i.requirement.name for i in s.expiring] == ["Insurance certificate"]


def test_required_tier_takes_the_higher():
    assert c.higher_tier(TIER2, TIER3) == TIER3 and c.higher_tier(TIER3, TIER1) == TIER3
    assert c.higher_tier(None, None) is None
    s = status([c.Check(1, DAY), c.Check(2, DAY)], required_tier=TIER3)
    assert s.tier == TIER3 and s.reason == "Missing: Fingerprinting"
    assert status([c.Check(1, DAY), c.Check(2, DAY)], required_tier=TIER1).tier == TIER2


def test_a_later_check_renews():
    checks = [c.Check(1, DAY), c.Check(2, DAY - timedelta(days=1500)), c.Check(2, DAY - timedelta(days=30))]
    assert status(checks).cleared


def test_future_check_does_not_count_yet():
    s = status([c.Check(1, DAY), c.Check(2, DAY + timedelta(days=1))])
    assert s.reason == "Missing: TB clearance"


def test_partner_summary_states():
    ok = c.organization_status(org_items=[INSURANCE], org_checks=ORG_OK, on=DAY)
    cleared = status([c.Check(1, DAY), c.Check(2, DAY)])
    assert c.partner_summary(ok, [cleared]).state == c.CLEARED
    soon = c.organization_status(org_items=[INSURANCE], org_checks=ORG_OK, on=DAY + timedelta(days=290))
    assert c.partner_summary(soon, []).state == c.EXPIRING
    assert c.partner_summary(ok, [status([])]).state == c.NOT_CLEARED
    gone = c.organization_status(org_items=[INSURANCE], org_checks=[], on=DAY)
    assert c.partner_summary(gone, []).state == c.NOT_CLEARED


# --- properties -------------------------------------------------------------------------------------------

checks_st = st.lists(
    st.builds(c.Check, requirement_id=st.sampled_from([1, 2, 3, 4]),
              completed_on=st.dates(min_value=date(2020, 1, 1), max_value=date(2027, 12, 31)),
              expires_on=st.one_of(st.none(), st.dates(min_value=date(2020, 1, 1), max_value=date(2031, 12, 31)))),
    max_size=8)
tier_st = st.sampled_from([TIER1, TIER2, TIER3, None])
approval_st = st.sampled_from(["approved", "pending", "denied", None])
day_st = st.dates(min_value=date(2021, 1, 1), max_value=date(2028, 12, 31))


def evaluate(checks, tier, approval, day, required_tier=None):
    person = [x for x in checks if x.requirement_id != 4]
    org = [x for x in checks if x.requirement_id == 4]
    return status(person, tier=tier, org_checks=org, approval=approval, on=day, required_tier=required_tier)


@settings(max_examples=300, deadline=None)
@given(checks_st, tier_st, approval_st, day_st, tier_st)
def test_cleared_implies_nothing_missing_or_expired_and_approved(checks, tier, approval, day, required):
    s = evaluate(checks, tier, approval, day, required)
    if s.cleared:
        assert not s.missing and not s.expired and approval == "approved"
        assert s.tier is not None and s.tier.rank >= max(t.rank for t in (tier, required) if t)


@settings(max_examples=300, deadline=None)
@given(checks_st, tier_st, day_st)
def test_past_the_earliest_expiry_uncleared(checks, tier, day):
    # Checks on file by `day` (a renewal completed later would count from its own date).
    checks = [x for x in checks if x.completed_on <= day]
    s = evaluate(checks, tier, "approved", day)
    if s.cleared and s.valid_until is not None:
        assert not evaluate(checks, tier, "approved", s.valid_until + timedelta(days=1)).cleared
        assert evaluate(checks, tier, "approved", s.valid_until).cleared


@settings(max_examples=300, deadline=None)
@given(checks_st, tier_st, approval_st, day_st, st.sampled_from([1, 2, 3, 4]), st.integers(0, 2000))
def test_adding_a_valid_check_never_unclears(checks, tier, approval, day, req_id, length):
    before = evaluate(checks, tier, approval, day)
    extra = c.Check(req_id, day, day + timedelta(days=length))
    after = evaluate([*checks, extra], tier, approval, day)
    if before.cleared:
        assert after.cleared
    assert len(after.missing) + len(after.expired) <= len(before.missing) + len(before.expired)


@settings(max_examples=200, deadline=None)
@given(checks_st, tier_st, approval_st, day_st)
def test_deterministic_and_each_item_in_one_state(checks, tier, approval, day):
    a, b = evaluate(checks, tier, approval, day), evaluate(list(reversed(checks)), tier, approval, day)
    assert a == b
    names = [i.requirement.name for i in a.items]
    assert len(names) == len(set(names))
