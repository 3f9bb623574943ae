"""Demo community partners (issue 4): a focus-area taxonomy; LA Unified's clearance tiers as configurable
requirements; about 60 FICTIONAL partner organizations across Watts, South LA and Boyle Heights with their
contacts and campus people; a needs assessment of 3–6 needs for each member school in the current year;
agreements (year-round renewal chains of 2–5 years, term-limited ones, some awaiting approval or declined);
clearance checks (some expiring within 30 days of the day the demo is loaded, some expired) and principals'
campus approvals; three convenings a year with attendance; partner surveys and Results-Based Accountability
measures.

The tiers follow LA Unified's public volunteer tiers (DOMAIN.md 1.9): Tier I — a sex-offender registry check;
Tier II — plus a TB clearance valid four years; Tier III — plus fingerprinting. Organization items are an
insurance certificate (with its own expiry) and a signed partnership agreement. No official form names are
used: the district's process for community organizations is not published, so the items are configurable.

Every organization, person, need and figure is made up and says so ("(demo)", `is_demo=True`). Loading is
deterministic (random draws seeded by names) and idempotent through `sync.Sync`: a second load on the same day
writes nothing. Clearance dates are set relative to the day of loading so that the expiring lists always have
something to show.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone

from equitable.core.models import User
from equitable.demo import people
from equitable.demo.generate import CURRENT_START_YEAR, school_year_dates
from equitable.demo.names import ascii_slug, demo_email, fictional_name
from equitable.demo.sync import Sync
from equitable.network.codes import Membership
from equitable.partners.models import (
    Agreement,
    AgreementStatus,
    AppliesTo,
    ApprovalStatus,
    CampusApproval,
    ClearanceCheck,
    ClearanceRequirement,
    ClearanceTier,
    ContactRole,
    Convening,
    ConveningAttendance,
    ConveningKind,
    FocusArea,
    Measure,
    MeasureKind,
    NeedsAssessment,
    PaidBy,
    Partner,
    PartnerKind,
    PartnerPerson,
    PartnerStatus,
    PartnerSurvey,
    SchoolNeed,
)

DEMO = people.DEMO_TAG
PARTNER_COUNT = 60
NAME_OFFSET = 1000  # partner people take fictional names far from the network's people
FIRST_CHAIN_YEAR = 2021  # the demo's school years are 2021-22 … 2025-26
LOGIN_PARTNER_INDEX = 0  # the demo "partner" login works for the first partner


# --- Reference data ---------------------------------------------------------------------------------------

FOCUS_AREAS: tuple[tuple[str, str, str], ...] = (
    ("arts", "Arts", "Visual and performing arts, music, dance, theater."),
    ("mental-health", "Mental health", "Counseling, social-emotional learning, trauma-informed support."),
    ("physical-health", "Physical health", "Clinics, vision, dental, asthma care, nutrition education."),
    ("after-school", "After-school", "Programs after the school day: homework help, clubs, enrichment."),
    ("tutoring", "Tutoring", "Small-group and one-on-one academic tutoring."),
    ("college-access", "College access", "College and financial-aid counseling, campus visits, applications."),
    ("family-services", "Family services", "Parent education, case management, housing and benefits help."),
    ("legal", "Legal services", "Immigration, housing and education-rights legal help for families."),
    ("food", "Food and basic needs", "Food pantries, meals, clothing and hygiene supplies."),
    ("mentoring", "Mentoring", "Adult and near-peer mentors."),
    ("sports", "Sports and recreation", "Coached sports, play and recreation."),
    ("career", "Career pathways", "Internships, career exploration and work-based learning."),
)

REQUIREMENTS: tuple[dict, ...] = (
    {"name": "Sex-offender registry check", "applies_to": AppliesTo.PERSON, "valid_days": None,
     "required_for_all_partners": False,
     "description": "A check of California's sex-offender registry (Megan's Law) before anyone works with "
                    "students. Needed at every tier."},
    {"name": "TB clearance", "applies_to": AppliesTo.PERSON, "valid_days": 4 * 365,
     "required_for_all_partners": False,
     "description": "A tuberculosis risk assessment or test; valid four years. Needed from Tier II."},
    {"name": "Fingerprinting", "applies_to": AppliesTo.PERSON, "valid_days": None,
     "required_for_all_partners": False,
     "description": "A fingerprint-based background check. Needed at Tier III (one-on-one work, overnight trips)."},
    {"name": "Insurance certificate", "applies_to": AppliesTo.ORGANIZATION, "valid_days": None,
     "required_for_all_partners": True,
     "description": "A certificate of liability insurance naming the district; each certificate carries its own "
                    "expiry date."},
    {"name": "Signed partnership agreement", "applies_to": AppliesTo.ORGANIZATION, "valid_days": None,
     "required_for_all_partners": True,
     "description": "The organization's signed agreement with the network (terms of working on campuses)."},
)

TIERS: tuple[tuple[str, int, tuple[str, ...], str, str], ...] = (
    ("Tier I", 1, ("Sex-offender registry check",), "One-day events; always supervised; no overnight trips.",
     "LA Unified's first volunteer tier: a registry check, always supervised."),
    ("Tier II", 2, ("Sex-offender registry check", "TB clearance"),
     "Classroom or campus volunteer; supervised; no access to student records.",
     "Tier I plus a TB clearance valid four years."),
    ("Tier III", 3, ("Sex-offender registry check", "TB clearance", "Fingerprinting"),
     "One-on-one tutoring or mentoring; overnight chaperone.", "Tier II plus fingerprinting."),
)


@dataclass(frozen=True)
class KindSpec:
    kind: str
    focus: tuple[str, ...]
    nouns: tuple[str, ...]
    programs: tuple[str, ...]
    measures: tuple[tuple[str, str], tuple[str, str], tuple[str, str]]  # (name, unit) how much / how well / better off


KINDS: tuple[KindSpec, ...] = (
    KindSpec(PartnerKind.ARTS, ("arts", "after-school"), ("Arts Collective", "Youth Theater", "Mural Project",
                                                          "Music Academy", "Dance Company"),
             ("After-school visual arts", "Classroom theater residency", "Mural design studio", "Strings and choir",
              "Folklórico and hip-hop dance"),
             (("Students enrolled", "students"), ("Sessions held as planned", "%"),
              ("Students showing work at the spring show", "%"))),
    KindSpec(PartnerKind.HEALTH, ("mental-health", "physical-health"), ("Wellness Center", "Counseling Services",
                                                                       "Youth Clinic", "Healing Circle"),
             ("Small-group counseling", "School-based clinic days", "Mindfulness and SEL groups",
              "Vision and dental screenings"),
             (("Students served", "students"), ("Referrals seen within two weeks", "%"),
              ("Students reporting they feel better able to cope", "%"))),
    KindSpec(PartnerKind.AFTER_SCHOOL, ("after-school", "sports"), ("Youth League", "After-School Club",
                                                                   "Play Coalition"),
             ("After-school program, 3–6 pm", "Coached sports and recreation", "Homework club and enrichment"),
             (("Students enrolled", "students"), ("Average daily attendance", "%"),
              ("Participants with fewer absences than last year", "%"))),
    KindSpec(PartnerKind.TUTORING, ("tutoring", "mentoring"), ("Reading Corps", "Math Circle", "Tutoring Network"),
             ("Small-group reading tutoring", "Math tutoring in class", "One-on-one literacy mentors"),
             (("Tutoring hours delivered", "hours"), ("Students attending 80% of sessions", "%"),
              ("Tutored students gaining a grade level", "%"))),
    KindSpec(PartnerKind.COLLEGE_ACCESS, ("college-access", "career"), ("College Bound", "Scholars Program",
                                                                       "Pathways Alliance"),
             ("College and financial-aid counseling", "Campus visits and applications", "Career internships"),
             (("Seniors advised", "students"), ("FAFSA/CADAA completion", "%"),
              ("Seniors admitted to a two- or four-year college", "%"))),
    KindSpec(PartnerKind.FAMILY, ("family-services", "food"), ("Family Resource Center", "Familias Unidas Hub",
                                                              "Parent Circle"),
             ("Family case management", "Parent workshops in Spanish and English", "Benefits and housing help"),
             (("Families served", "families"), ("Families contacted within a week", "%"),
              ("Families reporting a need met", "%"))),
    KindSpec(PartnerKind.LEGAL, ("legal", "family-services"), ("Legal Aid Project", "Justice Clinic"),
             ("Immigration legal clinics for families", "Education-rights advocacy"),
             (("Consultations held", "consultations"), ("Cases opened within 30 days", "%"),
              ("Families with a resolved case", "%"))),
    KindSpec(PartnerKind.FOOD, ("food", "physical-health"), ("Community Pantry", "Food Share"),
             ("Weekly food distribution", "Breakfast and snack program"),
             (("Meals or bags distributed", "meals"), ("Distributions held as planned", "%"),
              ("Families reporting less food insecurity", "%"))),
    KindSpec(PartnerKind.ORGANIZING, ("family-services", "mentoring"), ("Youth Organizers", "Community Voices"),
             ("Youth leadership and organizing", "Parent leadership training"),
             (("Participants trained", "people"), ("Sessions rated useful", "%"),
              ("Participants leading a school project", "%"))),
    KindSpec(PartnerKind.HIGHER_ED, ("college-access", "tutoring"), ("University Partnership", "College Mentors"),
             ("Near-peer college mentors", "Summer bridge program"),
             (("Mentoring hours", "hours"), ("Mentor pairs meeting monthly", "%"),
              ("Mentees completing A–G courses", "%"))),
)

WORDS: tuple[str, ...] = (
    "Jacaranda", "Marigold", "Sycamore", "Hummingbird", "Sunflower", "Monarch", "Nopal", "Cedar", "Lantern",
    "Bright Path", "Open Door", "Golden Hour", "Mariposa", "Bluebird", "Riverbend", "Starling", "Copper Kite",
    "Willow", "Canyon", "Tidewater", "Firefly", "Cornerstone", "Morning Star", "Harbor Light", "Pepper Tree",
    "Oak Grove", "Red Clay", "Blue Heron", "Paper Crane", "Sunrise Sparrow",
)
LANGUAGES = ("en,es", "en,es", "en,es", "en", "en,es,ko", "en,es,zh", "es")
COMMUNITY_KEYS = ("watts", "south-la", "boyle-heights")


@dataclass(frozen=True)
class PartnerSpec:
    index: int
    name: str
    kind: KindSpec
    communities: tuple[str, ...]
    languages: str
    capacity_schools: int
    capacity_students: int
    status: str


def partner_specs() -> list[PartnerSpec]:
    specs = []
    for i in range(PARTNER_COUNT):
        kind = KINDS[i % len(KINDS)]
        word = WORDS[i % 29]  # 29 and the 10 kinds are coprime: (kind, word) never repeats below 290
        noun = kind.nouns[(i // len(KINDS)) % len(kind.nouns)]
        rng = random.Random(f"demo-partner:{i}")
        home = COMMUNITY_KEYS[i % 3]
        communities = COMMUNITY_KEYS if i % 7 == 3 else (home,) if i % 4 else (home, COMMUNITY_KEYS[(i + 1) % 3])
        status = PartnerStatus.PROSPECTIVE if i % 19 == 18 else PartnerStatus.ACTIVE
        specs.append(PartnerSpec(i, f"{word} {noun}", kind, communities, LANGUAGES[i % len(LANGUAGES)],
                                 rng.randint(1, 5), rng.choice((60, 120, 200, 300, 450, 600)), status))
    names = [s.name for s in specs]
    assert len(set(names)) == len(names), "demo partner names must be unique"
    return specs


# --- Loading ----------------------------------------------------------------------------------------------


def sync_links(sync: Sync, field, pairs: set[tuple[int, int]]) -> None:
    """Make these many-to-many links exist (bulk; existing links are left as they are)."""
    through = field.remote_field.through
    left = field.m2m_field_name() + "_id"
    right = field.m2m_reverse_field_name() + "_id"
    lefts = {a for a, _b in pairs}
    existing = set(through.objects.filter(**{f"{left}__in": lefts}).values_list(left, right))
    missing = sorted(pairs - existing)
    if missing:
        through.objects.bulk_create([through(**{left: a, right: b}) for a, b in missing], batch_size=1000)
        sync.created[through._meta.label] += len(missing)


def load_demo_partners(sync: Sync, state: dict, *, today: date | None = None) -> None:
    """A step of `load_demo_network` (after the schools, logins and years)."""
    today = today or timezone.localdate()
    ctx = _Context(sync, state, today)
    ctx.reference()
    ctx.organizations()
    ctx.needs()
    ctx.agreements()
    ctx.clearance()
    ctx.convenings()
    ctx.surveys_and_measures()


class _Context:
    def __init__(self, sync: Sync, state: dict, today: date):
        self.sync, self.state, self.today = sync, state, today
        self.years = state["years"]  # start year → SchoolYear
        self.schools = {key: school for key, school in state["schools"].items()
                        if school.membership == Membership.MEMBER}
        self.communities = state["communities"]
        self.users = {u.username: u for u in User.objects.filter(
            username__in=["partner", "principal", "principal2"], is_demo=True)}

    # reference --------------------------------------------------------------------------------------------
    def reference(self) -> None:
        sync = self.sync
        areas = sync.apply(FocusArea, ("slug",), [
            {"slug": slug, "name": name, "description": f"{text}", "is_demo": True} for slug, name, text in FOCUS_AREAS])
        self.areas = {slug: obj for (slug,), obj in areas.items()}
        reqs = sync.apply(ClearanceRequirement, ("name",), [{**r, "is_demo": True} for r in REQUIREMENTS])
        self.reqs = {name: obj for (name,), obj in reqs.items()}
        tiers = sync.apply(ClearanceTier, ("name",), [
            {"name": name, "rank": rank, "allows": allows, "description": text, "is_demo": True}
            for name, rank, _items, allows, text in TIERS])
        self.tiers = {name: obj for (name,), obj in tiers.items()}
        sync_links(sync, ClearanceTier.requirements.field, {
            (self.tiers[name].pk, self.reqs[item].pk) for name, _rank, items, _a, _t in TIERS for item in items})

    # organizations ----------------------------------------------------------------------------------------
    def organizations(self) -> None:
        sync = self.sync
        self.specs = partner_specs()
        rows = []
        for s in self.specs:
            slug = ascii_slug(s.name)
            rows.append({
                "name": s.name, "kind": s.kind.kind, "status": s.status,
                "description": f"Fictional demo organization: {s.kind.programs[0].lower()} and more. {DEMO}",
                "languages": s.languages, "capacity_schools": s.capacity_schools,
                "capacity_students": s.capacity_students, "website": f"https://{slug}.demo.equitable.example",
                "email": f"hello@{slug}.demo.equitable.example", "phone": f"(213) 555-{1000 + s.index:04d}",
                "address": "", "zip_code": "", "is_demo": True})
        partners = sync.apply(Partner, ("name",), rows)
        self.partners = [partners[(s.name,)] for s in self.specs]
        sync_links(sync, Partner.focus_areas.field, {
            (p.pk, self.areas[slug].pk) for p, s in zip(self.partners, self.specs, strict=True) for slug in s.kind.focus})
        sync_links(sync, Partner.communities.field, {
            (p.pk, self.communities[c].pk) for p, s in zip(self.partners, self.specs, strict=True)
            for c in s.communities})
        # People: an executive director, a program or site contact, and 1–4 people who work on campus.
        person_rows = []
        self.login_person_key = None
        n = NAME_OFFSET
        partner_login = self.users.get("partner")
        for p, s in zip(self.partners, self.specs, strict=True):
            rng = random.Random(f"demo-people:{s.name}")
            roles = [(ContactRole.EXECUTIVE, "Executive Director", False), (ContactRole.PROGRAM, "Program Director",
                                                                            False)]
            roles += [("", "Site lead" if k == 0 else "Program staff", True) for k in range(rng.randint(1, 4))]
            for k, (role, title, on_campus) in enumerate(roles):
                first, last = fictional_name(n)
                n += 1
                email = demo_email(first, last)
                user_id = None
                if s.index == LOGIN_PARTNER_INDEX and role == ContactRole.PROGRAM and partner_login is not None:
                    first, last, email = partner_login.first_name, partner_login.last_name, partner_login.email
                    user_id = partner_login.pk
                tier = None
                if on_campus:
                    tier = self.tiers[("Tier III" if rng.random() < 0.35 else "Tier II") if k != 3 else "Tier I"]
                person_rows.append({
                    "partner_id": p.pk, "first_name": first, "last_name": last, "email": email,
                    "phone": f"(323) 555-{(n * 7) % 10000:04d}", "title": f"{title} {DEMO}", "contact_role": role,
                    "is_primary_contact": role == ContactRole.PROGRAM, "works_on_campus": on_campus,
                    "tier_id": tier.pk if tier else None, "user_id": user_id, "is_demo": True})
        # A user is linked to one partner person only: unlink the login elsewhere first (never the case in
        # a clean demo, but a hand-edited one may have moved it).
        if partner_login is not None:
            PartnerPerson.objects.filter(user=partner_login).exclude(
                partner=self.partners[LOGIN_PARTNER_INDEX], email=partner_login.email).update(user=None)
        people_by_key = sync.apply(PartnerPerson, ("partner_id", "first_name", "last_name", "email"), person_rows)
        self.people: dict[int, list[PartnerPerson]] = {}
        for person in people_by_key.values():
            self.people.setdefault(person.partner_id, []).append(person)
        for items in self.people.values():
            items.sort(key=lambda x: (x.last_name, x.first_name))

    # needs ------------------------------------------------------------------------------------------------
    def needs(self) -> None:
        sync = self.sync
        year = self.years[CURRENT_START_YEAR]
        rows = [{"school_id": school.pk, "school_year_id": year.pk, "status": "final",
                 "conducted_on": date(CURRENT_START_YEAR, 9, 19),
                 "stakeholders": "Families (survey), teachers (ILT), students (focus group), partners " + DEMO,
                 "languages": "en,es", "vision": f"Year-round partners for every student at {school.name}. {DEMO}",
                 "is_demo": True} for _key, school in sorted(self.schools.items())]
        assessments = sync.apply(NeedsAssessment, ("school_id", "school_year_id"), rows)
        slugs = [slug for slug, _n, _t in FOCUS_AREAS]
        need_rows = []
        for _key, school in sorted(self.schools.items()):
            assessment = assessments[(school.pk, year.pk)]
            rng = random.Random(f"demo-needs:{school.cds_code}")
            chosen = rng.sample(slugs, rng.randint(3, 6))
            if school.level == "high" and "college-access" not in chosen:
                chosen[-1] = "college-access"
            for rank, slug in enumerate(chosen):
                need_rows.append({
                    "assessment_id": assessment.pk, "focus_area_id": self.areas[slug].pk,
                    "priority": 1 if rank < 2 else 2 if rank < 4 else 3,
                    "grades": _grades(school), "groups": rng.choice(("", "English learners", "Foster youth",
                                                                     "Students with disabilities", "Newcomers")),
                    "students": rng.randrange(40, 400, 10),
                    "evidence": f"Stakeholder survey and school data point to {self.areas[slug].name.lower()}. {DEMO}",
                    "is_demo": True})
        needs = sync.apply(SchoolNeed, ("assessment_id", "focus_area_id"), need_rows)
        self.needs_by_school: dict[int, dict[int, SchoolNeed]] = {}
        for need in needs.values():
            school_id = next(s for (s, _y), a in assessments.items() if a.pk == need.assessment_id)
            self.needs_by_school.setdefault(school_id, {})[need.focus_area_id] = need

    # agreements -------------------------------------------------------------------------------------------
    def _pairs(self) -> list[tuple[str, int, str]]:
        """(school key, partner index, shape) for every school–partner relationship of the demo."""
        by_community: dict[str, list[PartnerSpec]] = {}
        for s in self.specs:
            if s.status != PartnerStatus.ACTIVE:
                continue
            for c in s.communities:
                by_community.setdefault(c, []).append(s)
        pairs = []
        login_schools = ("grape", "jordan", "markham")  # the partner login's organization works at three schools
        for key in login_schools:
            pairs.append((key, LOGIN_PARTNER_INDEX, {"grape": "chain4+renewal", "jordan": "chain2",
                                                     "markham": "pending"}[key]))
        shapes = ("chain2", "chain3", "chain4", "chain5", "term", "term-ended", "chain3+renewal", "pending",
                  "declined", "draft", "term", "chain2")
        for key, school in sorted(self.schools.items()):
            community = next(c for c, obj in self.communities.items() if obj.pk == school.community_id)
            rng = random.Random(f"demo-pairs:{school.cds_code}")
            pool = [s for s in by_community.get(community, []) if s.index != LOGIN_PARTNER_INDEX]
            for s in rng.sample(pool, min(len(pool), rng.randint(3, 5))):
                pairs.append((key, s.index, shapes[(s.index + len(key)) % len(shapes)]))
        return pairs

    def agreements(self) -> None:
        sync = self.sync
        pairs = self._pairs()
        by_year: dict[int, list[dict]] = {}
        meta: dict[tuple, dict] = {}
        for key, index, shape in pairs:
            school, spec = self.schools[key], self.specs[index]
            partner = self.partners[index]
            rng = random.Random(f"demo-agreement:{school.cds_code}:{spec.name}")
            program = rng.choice(spec.kind.programs)
            base = {
                "partner_id": partner.pk, "school_id": school.pk, "title": program,
                "programs": f"{program} for {_grades(school)} students. {DEMO}",
                "access_days": rng.choice(("Mon–Thu", "Tue and Thu", "Mon–Fri", "Wednesdays")),
                "access_hours": rng.choice(("2:30–6:00 pm", "8:00 am–3:00 pm", "During the school day", "3:00–5:00 pm")),
                "staffing": f"{rng.randint(1, 4)} partner staff; a site lead checks in with the front office; "
                            f"school staff supervise in classrooms. {DEMO}",
                "safety": "Partner staff sign in and out; cleared people only; emergency procedures reviewed at the "
                          f"start of each term. {DEMO}",
                "facilities": rng.choice(("Uses the auditorium after school.", "Uses a classroom; no capital work.",
                                          "Parent Center room; partner maintains its supplies.",
                                          "Wellness room set up by the partner (furniture donated).")) + f" {DEMO}",
                "annual_cost": Decimal(rng.choice((0, 0, 6000, 12000, 18000, 25000, 40000))),
                "paid_by": rng.choice((PaidBy.PARTNER, PaidBy.NETWORK, PaidBy.SHARED, PaidBy.SCHOOL, PaidBy.NONE)),
                "cost_notes": "", "students_served": rng.randrange(20, 200, 5), "decision_note": "",
                "decided_by_id": None, "decided_at": None, "renews_id": None, "is_demo": True,
            }
            decider = self.users.get("principal") if key == "grape" else (
                self.users.get("principal2") if key == "roosevelt" else None)
            years: list[tuple[int, str, bool]] = []  # (start year, status, year_round)
            if shape.startswith("chain"):
                length = int(shape[5])
                for y in range(CURRENT_START_YEAR - length + 1, CURRENT_START_YEAR + 1):
                    years.append((y, AgreementStatus.ACTIVE if y == CURRENT_START_YEAR else AgreementStatus.ENDED,
                                  True))
                if shape.endswith("+renewal"):
                    years.append((CURRENT_START_YEAR + 1, AgreementStatus.PENDING, True))
            elif shape == "term":
                years.append((CURRENT_START_YEAR, AgreementStatus.ACTIVE, False))
            elif shape == "term-ended":
                years.append((CURRENT_START_YEAR - 1, AgreementStatus.ENDED, False))
            elif shape == "pending":
                years.append((CURRENT_START_YEAR + 1, AgreementStatus.PENDING, rng.random() < 0.5))
            elif shape == "declined":
                years.append((CURRENT_START_YEAR, AgreementStatus.DECLINED, False))
            else:
                years.append((CURRENT_START_YEAR + 1, AgreementStatus.DRAFT, True))
            for position, (y, status, year_round) in enumerate(years):
                start, end = school_year_dates(y)
                if not year_round:  # one term: the spring or the fall
                    start, end = ((date(y + 1, 1, 12), date(y + 1, 3, 27)) if rng.random() < 0.5
                                  else (date(y, 9, 8), date(y, 12, 11)))
                row = {**base, "start_date": start, "end_date": end, "year_round": year_round, "status": status}
                if status in (AgreementStatus.ACTIVE, AgreementStatus.ENDED, AgreementStatus.DECLINED):
                    row["decided_by_id"] = decider.pk if decider else None
                    row["decided_at"] = datetime.combine(start - timedelta(days=21), time(16, 0), tzinfo=UTC)
                    if status == AgreementStatus.DECLINED:
                        row["decision_note"] = f"Not this term: the schedule overlaps the after-school program. {DEMO}"
                by_year.setdefault(y, []).append(row)
                meta[(partner.pk, school.pk, start)] = {"chain": position > 0, "spec": spec, "key": key}
        self.agreements_by_key: dict[tuple, Agreement] = {}
        previous: dict[tuple[int, int], Agreement] = {}
        for y in sorted(by_year):
            rows = by_year[y]
            for row in rows:
                info = meta[(row["partner_id"], row["school_id"], row["start_date"])]
                before = previous.get((row["partner_id"], row["school_id"]))
                row["renews_id"] = before.pk if info["chain"] and before is not None else None
            done = sync.apply(Agreement, ("partner_id", "school_id", "start_date"), rows)
            self.agreements_by_key.update(done)
            for agreement in done.values():
                previous[(agreement.partner_id, agreement.school_id)] = agreement
        spec_by_partner = {p.pk: s for p, s in zip(self.partners, self.specs, strict=True)}
        current_start = school_year_dates(CURRENT_START_YEAR)[0]
        focus_links, need_links = set(), set()
        for agreement in self.agreements_by_key.values():
            spec = spec_by_partner[agreement.partner_id]
            for slug in spec.kind.focus:
                focus_links.add((agreement.pk, self.areas[slug].pk))
            if agreement.start_date >= current_start:  # the current assessment's needs
                needs = self.needs_by_school.get(agreement.school_id, {})
                for slug in spec.kind.focus:
                    need = needs.get(self.areas[slug].pk)
                    if need is not None:
                        need_links.add((agreement.pk, need.pk))
        sync_links(sync, Agreement.focus_areas.field, focus_links)
        sync_links(sync, Agreement.needs.field, need_links)

    # clearance --------------------------------------------------------------------------------------------
    def clearance(self) -> None:
        sync, today = self.sync, self.today
        current_start, current_end = school_year_dates(CURRENT_START_YEAR)
        # Schools each partner works at (approved agreements of the current year or later).
        schools_of: dict[int, set[int]] = {}
        for a in self.agreements_by_key.values():
            if a.status in (AgreementStatus.ACTIVE, AgreementStatus.PENDING) and a.end_date >= current_start:
                schools_of.setdefault(a.partner_id, set()).add(a.school_id)
        check_rows, approval_rows = [], []
        registry, tb, prints = (self.reqs["Sex-offender registry check"], self.reqs["TB clearance"],
                                self.reqs["Fingerprinting"])
        insurance, signed = self.reqs["Insurance certificate"], self.reqs["Signed partnership agreement"]
        strict_school = self.schools.get("jordan")  # this campus asks Tier III of everyone
        for p, s in zip(self.partners, self.specs, strict=True):
            rng = random.Random(f"demo-clearance:{s.name}")
            # Organization items: an insurance certificate with its own expiry, the signed agreement.
            roll = s.index % 10
            if roll == 1:
                ins_expires = today + timedelta(days=rng.randint(5, 28))  # expiring within 30 days
            elif roll == 6:
                ins_expires = today - timedelta(days=rng.randint(3, 40))  # expired
            else:
                ins_expires = today + timedelta(days=rng.randint(45, 330))
            check_rows.append(_check(insurance, p, None, ins_expires - timedelta(days=365), ins_expires,
                                     f"COI-{2400 + s.index}"))
            if s.status == PartnerStatus.ACTIVE:
                check_rows.append(_check(signed, p, None, date(2021, 7, 15) + timedelta(days=s.index * 9), None,
                                         f"SPA-{s.index + 1:03d}"))
            for k, person in enumerate(x for x in self.people.get(p.pk, []) if x.works_on_campus):
                tier_rank = next(t[1] for t in TIERS if self.tiers[t[0]].pk == person.tier_id)
                done = today - timedelta(days=rng.randint(30, 900))
                check_rows.append(_check(registry, p, person, done, None, ""))
                if tier_rank >= 2:
                    mode = (s.index + k) % 9
                    if mode == 2:  # TB clearance expiring within 30 days
                        tb_done = today - timedelta(days=4 * 365 - rng.randint(4, 27))
                    elif mode == 5:  # TB clearance expired
                        tb_done = today - timedelta(days=4 * 365 + rng.randint(2, 60))
                    else:
                        tb_done = today - timedelta(days=rng.randint(20, 1200))
                    if not (mode == 7 and k == 0):  # one person now and then has not had the TB test yet
                        check_rows.append(_check(tb, p, person, tb_done, tb_done + timedelta(days=4 * 365), ""))
                if tier_rank >= 3:
                    check_rows.append(_check(prints, p, person, done + timedelta(days=3), None,
                                             f"LS-{person.pk:05d}"))
                for school_id in sorted(schools_of.get(p.pk, ())):
                    state = (s.index + k + school_id) % 11
                    status = (ApprovalStatus.PENDING if state == 4 else ApprovalStatus.DENIED if state == 9
                              else ApprovalStatus.APPROVED)
                    approval_rows.append({
                        "person_id": person.pk, "school_id": school_id,
                        "required_tier_id": (self.tiers["Tier III"].pk if strict_school and
                                             school_id == strict_school.pk else None),
                        "status": status,
                        "decided_by_id": None, "decided_on": (current_start - timedelta(days=10)
                                                              if status != ApprovalStatus.PENDING else None),
                        "note": (f"Schedule does not allow supervision this term. {DEMO}"
                                 if status == ApprovalStatus.DENIED else ""), "is_demo": True})
        for row in approval_rows:
            if row["status"] == ApprovalStatus.PENDING:
                continue
            for username, key in (("principal", "grape"), ("principal2", "roosevelt")):
                school = self.schools.get(key)
                if school and row["school_id"] == school.pk and self.users.get(username):
                    row["decided_by_id"] = self.users[username].pk
        sync.apply(ClearanceCheck, ("requirement_id", "partner_id", "person_id"), check_rows)
        sync.apply(CampusApproval, ("person_id", "school_id"), approval_rows)

    # convenings -------------------------------------------------------------------------------------------
    def convenings(self) -> None:
        sync = self.sync
        rows = []
        for y in (CURRENT_START_YEAR - 2, CURRENT_START_YEAR - 1, CURRENT_START_YEAR):
            year = self.years.get(y)
            if year is None:
                continue
            name = year.name
            for key, school in sorted(self.schools.items()):
                rows.append({"kind": ConveningKind.BOY, "title": f"{school.name}: partner meet & greet {name}",
                             "school_year_id": year.pk, "school_id": school.pk, "community_id": school.community_id,
                             "held_on": date(y, 9, 3) + timedelta(days=sorted(self.schools).index(key) % 10),
                             "location": "Library", "notes": f"Meet & greet with the principal. {DEMO}",
                             "is_demo": True})
            rows.append({"kind": ConveningKind.MOY, "title": f"Mid-year partner all-hands {name}",
                         "school_year_id": year.pk, "school_id": None, "community_id": None,
                         "held_on": date(y + 1, 1, 22), "location": "Home office",
                         "notes": f"Recalibrate with principals and partners. {DEMO}", "is_demo": True})
            rows.append({"kind": ConveningKind.EOY, "title": f"End-of-year partner celebration {name}",
                         "school_year_id": year.pk, "school_id": None, "community_id": None,
                         "held_on": date(y + 1, 5, 28), "location": "Roosevelt High auditorium",
                         "notes": f"Celebrate the year's partnerships. {DEMO}", "is_demo": True})
        convenings = sync.apply(Convening, ("title",), rows)
        attendance = []
        for convening in convenings.values():
            start, end = school_year_dates(convening.held_on.year if convening.held_on.month >= 7
                                           else convening.held_on.year - 1)
            working = {(a.partner_id, a.school_id) for a in self.agreements_by_key.values()
                       if a.status in (AgreementStatus.ACTIVE, AgreementStatus.ENDED)
                       and a.start_date <= end and a.end_date >= start}
            invited = sorted({p for p, school_id in working
                              if convening.school_id is None or school_id == convening.school_id})
            for partner_id in invited:
                rng = random.Random(f"demo-attendance:{convening.title}:{partner_id}")
                came = rng.random() < 0.78
                attendance.append({"convening_id": convening.pk, "partner_id": partner_id, "attended": came,
                                   "people": rng.randint(1, 4) if came else 0, "is_demo": True})
        sync.apply(ConveningAttendance, ("convening_id", "partner_id"), attendance)

    # surveys and measures ---------------------------------------------------------------------------------
    def surveys_and_measures(self) -> None:
        sync = self.sync
        spec_by_partner = {p.pk: s for p, s in zip(self.partners, self.specs, strict=True)}
        surveys, measures = [], []
        for y in (CURRENT_START_YEAR - 1, CURRENT_START_YEAR):
            year = self.years.get(y)
            if year is None:
                continue
            active = [a for a in self.agreements_by_key.values()
                      if a.status in (AgreementStatus.ACTIVE, AgreementStatus.ENDED)
                      and a.start_date <= year.end_date and a.end_date >= year.start_date]
            for partner_id in sorted({a.partner_id for a in active}):
                rng = random.Random(f"demo-survey:{partner_id}:{y}")
                if rng.random() > 0.85:
                    continue
                surveys.append({
                    "partner_id": partner_id, "school_year_id": year.pk,
                    "submitted_on": date(y + 1, 5, 1) + timedelta(days=rng.randint(0, 25)),
                    "overall": rng.choice((3, 4, 4, 5, 5)), "communication": rng.choice((2, 3, 4, 4, 5)),
                    "school_fit": rng.choice((3, 4, 5, 5)), "clearance_support": rng.choice((2, 3, 3, 4, 5)),
                    "principal_relationship": rng.choice((3, 4, 4, 5)), "will_continue": rng.random() < 0.9,
                    "comments": rng.choice(("", "Clearance took longer than we hoped.",
                                            "The meet & greet helped us plan with the principal.",
                                            "We would like a room we can keep supplies in.")) + f" {DEMO}",
                    "is_demo": True})
            for a in active:
                spec = spec_by_partner[a.partner_id]
                rng = random.Random(f"demo-measures:{a.pk}:{y}")
                served = a.students_served or 60
                targets = (Decimal(served), Decimal(rng.choice((80, 85, 90))), Decimal(rng.choice((60, 70, 75))))
                factors = (rng.uniform(0.75, 1.1), rng.uniform(0.8, 1.08), rng.uniform(0.7, 1.15))
                for kind, (name, unit), target, factor in zip(
                        (MeasureKind.HOW_MUCH, MeasureKind.HOW_WELL, MeasureKind.BETTER_OFF), spec.kind.measures,
                        targets, factors, strict=True):
                    actual = None if (y == CURRENT_START_YEAR and kind == MeasureKind.BETTER_OFF
                                      and rng.random() < 0.3) else min(
                        (target * Decimal(str(round(factor, 2)))).quantize(Decimal("1")),
                        Decimal(100) if unit == "%" else Decimal(10**6))
                    measures.append({"agreement_id": a.pk, "school_year_id": year.pk, "kind": kind, "name": name,
                                     "unit": unit, "higher_is_better": True, "target": target, "actual": actual,
                                     "notes": "", "is_demo": True})
        sync.apply(PartnerSurvey, ("partner_id", "school_year_id"), surveys)
        sync.apply(Measure, ("agreement_id", "school_year_id", "name"), measures)


def _check(requirement, partner, person, completed: date, expires: date | None, reference: str) -> dict:
    return {"requirement_id": requirement.pk, "partner_id": partner.pk, "person_id": person.pk if person else None,
            "completed_on": completed, "expires_on": expires, "reference": reference, "verified_by_id": None,
            "is_demo": True}


def _grades(school) -> str:
    low = "TK" if school.grade_low <= 0 else str(school.grade_low)
    return f"{low}–{school.grade_high}"
