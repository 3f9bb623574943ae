"""A little partner world on top of the personas, shared by every partners test.

- Focus areas: arts, mental health, after-school, tutoring, college access.
- Clearance: person items (registry check, TB test valid 4 years, fingerprints) in Tiers I–III, and
  organization items (insurance certificate with its own expiry; a signed agreement) required of all.
- `xp` "Xochi Arts Project" (the `partner` persona's organization): arts and after-school, serves Watts in
  English and Spanish, capacity 3 schools; an approved year-round agreement at school A renewing last
  year's; person `xp_artist` (Tier II) cleared at school A; person `xp_new` (Tier III) missing fingerprints.
- `yc` "Yellow Cab Counseling" (another partner): mental health in Boyle Heights; an agreement at school B
  awaiting approval; its insurance certificate expired.
- School A's needs assessment (current year): arts (high), mental health (medium); school B's: mental
  health (high), tutoring (low).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from equitable.core.roles import Area, Role
from equitable.network.models import SchoolYear
from equitable.partners.models import (
    Agreement,
    AppliesTo,
    CampusApproval,
    ClearanceCheck,
    ClearanceRequirement,
    ClearanceTier,
    Convening,
    ConveningAttendance,
    FocusArea,
    Measure,
    NeedsAssessment,
    Partner,
    PartnerPerson,
    PartnerSurvey,
    SchoolNeed,
)
from tests.personas import Personas, _user


@dataclass
class PartnerWorld:
    p: Personas
    staff_partnerships: object
    partner_b_user: object
    arts: FocusArea
    mental: FocusArea
    after_school: FocusArea
    tutoring: FocusArea
    college: FocusArea
    megan: ClearanceRequirement
    tb: ClearanceRequirement
    fingerprints: ClearanceRequirement
    insurance: ClearanceRequirement
    signed: ClearanceRequirement
    tier1: ClearanceTier
    tier2: ClearanceTier
    tier3: ClearanceTier
    xp: Partner
    yc: Partner
    xp_contact: PartnerPerson
    xp_artist: PartnerPerson
    xp_new: PartnerPerson
    yc_counselor: PartnerPerson
    last_year: SchoolYear
    assessment_a: NeedsAssessment
    assessment_b: NeedsAssessment
    need_a_arts: SchoolNeed
    need_a_mental: SchoolNeed
    need_b_mental: SchoolNeed
    need_b_tutoring: SchoolNeed
    agreement_a_prev: Agreement
    agreement_a: Agreement
    agreement_b: Agreement
    approval_artist_a: CampusApproval
    approval_counselor_b: CampusApproval
    convening_network: Convening
    convening_b: Convening
    measure_a: Measure
    survey_xp: PartnerSurvey


TODAY = date.today()


def build_world(p: Personas) -> PartnerWorld:
    staff_partnerships = _user("staff_partnerships", Role.STAFF, Area.PARTNERSHIPS)
    partner_b_user = _user("partner_b", Role.PARTNER)
    arts = FocusArea.objects.create(slug="arts", name="Arts")
    mental = FocusArea.objects.create(slug="mental-health", name="Mental health")
    after_school = FocusArea.objects.create(slug="after-school", name="After-school")
    tutoring = FocusArea.objects.create(slug="tutoring", name="Tutoring")
    college = FocusArea.objects.create(slug="college-access", name="College access")

    megan = ClearanceRequirement.objects.create(name="Sex-offender registry check", applies_to=AppliesTo.PERSON)
    tb = ClearanceRequirement.objects.create(name="TB clearance", applies_to=AppliesTo.PERSON, valid_days=4 * 365)
    fingerprints = ClearanceRequirement.objects.create(name="Fingerprinting", applies_to=AppliesTo.PERSON)
    insurance = ClearanceRequirement.objects.create(name="Insurance certificate", applies_to=AppliesTo.ORGANIZATION,
                                                    required_for_all_partners=True)
    signed = ClearanceRequirement.objects.create(name="Signed partnership agreement",
                                                 applies_to=AppliesTo.ORGANIZATION, required_for_all_partners=True)
    tier1 = ClearanceTier.objects.create(name="Tier I", rank=1, allows="One-day events; always supervised")
    tier1.requirements.set([megan])
    tier2 = ClearanceTier.objects.create(name="Tier II", rank=2, allows="Classroom or campus volunteer; supervised")
    tier2.requirements.set([megan, tb])
    tier3 = ClearanceTier.objects.create(name="Tier III", rank=3, allows="One-on-one tutoring; overnight chaperone")
    tier3.requirements.set([megan, tb, fingerprints])

    xp = Partner.objects.create(name="Xochi Arts Project", kind="arts", languages="en,es", capacity_schools=3,
                                capacity_students=400, email="hello@xochi.example.org")
    xp.focus_areas.set([arts, after_school])
    xp.communities.set([p.watts])
    yc = Partner.objects.create(name="Yellow Cab Counseling", kind="health", languages="en", capacity_schools=1)
    yc.focus_areas.set([mental])
    yc.communities.set([p.boyle])

    xp_contact = PartnerPerson.objects.create(partner=xp, first_name="Paz", last_name="Portal", email="paz@xochi.example.org",
                                              contact_role="program", is_primary_contact=True, user=p.partner)
    xp_artist = PartnerPerson.objects.create(partner=xp, first_name="Ari", last_name="Artist", works_on_campus=True,
                                             tier=tier2)
    xp_new = PartnerPerson.objects.create(partner=xp, first_name="Nico", last_name="Newhire", works_on_campus=True,
                                          tier=tier3)
    yc_counselor = PartnerPerson.objects.create(partner=yc, first_name="Cora", last_name="Counselor",
                                                works_on_campus=True, tier=tier2, contact_role="site",
                                                user=partner_b_user)

    def check(req, *, person=None, partner, completed, expires=None):
        return ClearanceCheck.objects.create(requirement=req, person=person, partner=partner, completed_on=completed,
                                             expires_on=expires)

    check(megan, person=xp_artist, partner=xp, completed=TODAY - timedelta(days=400))
    check(tb, person=xp_artist, partner=xp, completed=TODAY - timedelta(days=400),
          expires=TODAY - timedelta(days=400) + timedelta(days=4 * 365))
    check(megan, person=xp_new, partner=xp, completed=TODAY - timedelta(days=10))
    check(tb, person=xp_new, partner=xp, completed=TODAY - timedelta(days=10),
          expires=TODAY - timedelta(days=10) + timedelta(days=4 * 365))
    check(insurance, partner=xp, completed=TODAY - timedelta(days=340), expires=TODAY + timedelta(days=25))
    check(signed, partner=xp, completed=TODAY - timedelta(days=100))
    check(megan, person=yc_counselor, partner=yc, completed=TODAY - timedelta(days=200))
    check(tb, person=yc_counselor, partner=yc, completed=TODAY - timedelta(days=200),
          expires=TODAY - timedelta(days=200) + timedelta(days=4 * 365))
    check(insurance, partner=yc, completed=TODAY - timedelta(days=400), expires=TODAY - timedelta(days=35))
    check(signed, partner=yc, completed=TODAY - timedelta(days=300))

    last_year, _created = SchoolYear.objects.get_or_create(
        name="2024-25", defaults={"start_date": date(2024, 8, 14), "end_date": date(2025, 6, 11)})
    assessment_a = NeedsAssessment.objects.create(school=p.school_a, school_year=p.year, status="final",
                                                  languages="en,es", stakeholders="families (survey), teachers (ILT)")
    assessment_b = NeedsAssessment.objects.create(school=p.school_b, school_year=p.year, languages="en,es")
    need_a_arts = SchoolNeed.objects.create(assessment=assessment_a, focus_area=arts, priority=1, grades="TK–5",
                                            students=400, evidence="No credentialed arts teacher on site.")
    need_a_mental = SchoolNeed.objects.create(assessment=assessment_a, focus_area=mental, priority=2)
    need_b_mental = SchoolNeed.objects.create(assessment=assessment_b, focus_area=mental, priority=1,
                                              groups="Foster youth", evidence="Counselor ratio 1:600.")
    need_b_tutoring = SchoolNeed.objects.create(assessment=assessment_b, focus_area=tutoring, priority=3)

    agreement_a_prev = Agreement.objects.create(
        partner=xp, school=p.school_a, title="Visual arts residency", programs="After-school visual arts, TK–5",
        start_date=date(2024, 8, 14), end_date=date(2025, 6, 11), year_round=True, status="ended",
        decided_by=p.principal_a)
    agreement_a = Agreement.objects.create(
        partner=xp, school=p.school_a, title="Visual arts residency", programs="After-school visual arts, TK–5",
        access_days="Mon–Thu", access_hours="2:30–5:30 pm", staffing="Two teaching artists; a site lead",
        annual_cost=Decimal("42000"), paid_by="shared", students_served=120, start_date=p.year.start_date,
        end_date=p.year.end_date, year_round=True, status="active", decided_by=p.principal_a,
        renews=agreement_a_prev)
    agreement_a.focus_areas.set([arts])
    agreement_a.needs.set([need_a_arts])
    agreement_b = Agreement.objects.create(
        partner=yc, school=p.school_b, title="Counseling groups", programs="Small-group counseling",
        start_date=date(2026, 1, 6), end_date=date(2026, 3, 27), year_round=False, status="pending")
    agreement_b.focus_areas.set([mental])

    approval_artist_a = CampusApproval.objects.create(person=xp_artist, school=p.school_a, status="approved",
                                                      decided_by=p.principal_a, decided_on=TODAY - timedelta(days=90))
    approval_counselor_b = CampusApproval.objects.create(person=yc_counselor, school=p.school_b)

    convening_network = Convening.objects.create(kind="moy", title="Mid-year all-hands", school_year=p.year,
                                                 held_on=date(2026, 1, 22))
    ConveningAttendance.objects.create(convening=convening_network, partner=xp, attended=True, people=2)
    ConveningAttendance.objects.create(convening=convening_network, partner=yc, attended=False)
    convening_b = Convening.objects.create(kind="boy", title="Bravo meet & greet", school_year=p.year,
                                           school=p.school_b, held_on=date(2025, 8, 28))
    ConveningAttendance.objects.create(convening=convening_b, partner=yc, attended=True, people=1)

    measure_a = Measure.objects.create(agreement=agreement_a, school_year=p.year, kind="how_much",
                                       name="Students enrolled", unit="students", target=Decimal("120"),
                                       actual=Decimal("104"))
    Measure.objects.create(agreement=agreement_a, school_year=p.year, kind="better_off",
                           name="Students showing a finished piece at the spring show", unit="%",
                           target=Decimal("80"))
    survey_xp = PartnerSurvey.objects.create(partner=xp, school_year=p.year, submitted_on=date(2026, 5, 20),
                                             overall=5, communication=4, school_fit=5, clearance_support=3,
                                             principal_relationship=5, will_continue=True)
    PartnerSurvey.objects.create(partner=yc, school_year=p.year, submitted_on=date(2026, 5, 22), overall=3)
    return PartnerWorld(**{k: v for k, v in locals().items() if k in PartnerWorld.__dataclass_fields__ and k != "p"},
                        p=p)
