"""Community partners: the directory (organizations, their people and contacts), each school's needs
assessment, school–partner agreements with renewals, configurable campus clearance, and the year-round
relationship (convenings, the annual partner survey, Results-Based Accountability measures).

One taxonomy of focus areas is shared by partners' expertise and schools' needs, so the two can be
matched. Rules (who is cleared, what fits, what expires) live in `clearance.py`, `matching.py` and the
services; these models only hold the facts.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from equitable.core.models import DomainModel
from equitable.core.roles import Area
from equitable.network.models import Community, School, SchoolYear
from equitable.partners.scoping import (
    AgreementQuerySet,
    ClearanceCheckQuerySet,
    ConveningQuerySet,
    NeedsQuerySet,
    PartnerChildQuerySet,
    PartnerPersonQuerySet,
    PartnerQuerySet,
    ReferenceQuerySet,
)


class Language(models.TextChoices):
    """Languages families speak and partners serve in (codes as in the CDE's language census)."""

    ENGLISH = "en", _("English")
    SPANISH = "es", _("Spanish")
    KOREAN = "ko", _("Korean")
    CHINESE = "zh", _("Chinese")
    TAGALOG = "tl", _("Filipino / Tagalog")
    VIETNAMESE = "vi", _("Vietnamese")
    ARMENIAN = "hy", _("Armenian")
    ARABIC = "ar", _("Arabic")
    ASL = "asl", _("American Sign Language")


LANGUAGE_CODES = frozenset(code for code, _label in Language.choices)


class FocusArea(DomainModel):
    """One entry of the taxonomy shared by partners' expertise and schools' needs (arts, mental health, …)."""

    slug = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100, unique=True)
    description = models.TextField(_("description"), blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)

    objects = ReferenceQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("focus area")

    def __str__(self) -> str:
        return self.name


class PartnerKind(models.TextChoices):
    AFTER_SCHOOL = "after_school", _("After-school program")
    HEALTH = "health", _("Health and wraparound services")
    ARTS = "arts", _("Arts non-profit")
    COLLEGE_ACCESS = "college_access", _("College access")
    LEGAL = "legal", _("Legal advocacy")
    ORGANIZING = "organizing", _("Grassroots organizing / advocacy")
    FAMILY = "family", _("Family services")
    TUTORING = "tutoring", _("Tutoring and mentoring")
    FOOD = "food", _("Food and basic needs")
    HIGHER_ED = "higher_ed", _("College or university")
    BUSINESS = "business", _("Business or foundation")
    OTHER = "other", _("Other")


class PartnerStatus(models.TextChoices):
    PROSPECTIVE = "prospective", _("Prospective")
    ACTIVE = "active", _("Active")
    INACTIVE = "inactive", _("Inactive")


class Partner(DomainModel):
    """A partner organization."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    kind = models.CharField(_("type"), max_length=20, choices=PartnerKind.choices)
    status = models.CharField(_("status"), max_length=12, choices=PartnerStatus.choices,
                              default=PartnerStatus.ACTIVE)
    description = models.TextField(_("description"), blank=True)
    focus_areas = models.ManyToManyField(FocusArea, related_name="partners", blank=True,
                                         verbose_name=_("focus areas"))
    communities = models.ManyToManyField(Community, related_name="partners", blank=True,
                                         verbose_name=_("communities served"))
    languages = models.CharField(
        _("languages"), max_length=100, blank=True,
        help_text=_("Comma-separated language codes the partner serves in, e.g. “en,es”."))
    capacity_schools = models.PositiveIntegerField(
        _("capacity (schools)"), null=True, blank=True,
        help_text=_("How many schools the partner can serve at once; empty when not stated."))
    capacity_students = models.PositiveIntegerField(_("capacity (students)"), null=True, blank=True)
    website = models.URLField(_("website"), blank=True)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    zip_code = models.CharField(_("ZIP code"), max_length=10, blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)

    objects = PartnerQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("partner")

    def __str__(self) -> str:
        return self.name

    @property
    def language_codes(self) -> list[str]:
        return [code.strip() for code in self.languages.split(",") if code.strip()]


class ContactRole(models.TextChoices):
    EXECUTIVE = "executive", _("Executive director")
    PROGRAM = "program", _("Program director")
    SITE = "site", _("Site coordinator")
    CLEARANCE = "clearance", _("Clearance / compliance")
    BILLING = "billing", _("Billing")
    OTHER = "other", _("Other")


class PartnerPerson(DomainModel):
    """A person of a partner organization: a contact (with a contact role), someone who works on
    campus (with a clearance tier, dated checks and principal approvals), or both. A partner user's
    login is linked here; that link is what gives them their organization in the partner portal."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="people")
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    title = models.CharField(_("title"), max_length=150, blank=True)
    contact_role = models.CharField(_("contact role"), max_length=12, choices=ContactRole.choices, blank=True,
                                    help_text=_("Empty when the person is not one of the organization's contacts."))
    is_primary_contact = models.BooleanField(_("primary contact"), default=False)
    works_on_campus = models.BooleanField(_("works on campus"), default=False)
    tier = models.ForeignKey("ClearanceTier", on_delete=models.PROTECT, related_name="people", null=True,
                             blank=True, verbose_name=_("clearance tier"))
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, related_name="partner_person",
                                null=True, blank=True, help_text=_("The partner-portal login of this person."))
    is_demo = models.BooleanField(_("demo data"), default=False)

    objects = PartnerPersonQuerySet.as_manager()

    class Meta:
        ordering = ["partner__name", "last_name", "first_name"]
        verbose_name = _("partner person")
        verbose_name_plural = _("partner people")
        constraints = [
            models.UniqueConstraint(fields=["partner", "first_name", "last_name", "email"],
                                    name="partnerperson_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name} ({self.partner})"

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"


# --- School needs ---------------------------------------------------------------------------------------


class AssessmentStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    FINAL = "final", _("Final")


class NeedsAssessment(DomainModel):
    """A school's needs assessment for one school year, built from stakeholder input."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="needs_assessments")
    school_year = models.ForeignKey(SchoolYear, on_delete=models.PROTECT, related_name="needs_assessments")
    status = models.CharField(_("status"), max_length=8, choices=AssessmentStatus.choices,
                              default=AssessmentStatus.DRAFT)
    conducted_on = models.DateField(_("conducted on"), null=True, blank=True)
    stakeholders = models.CharField(
        _("stakeholder input"), max_length=300, blank=True,
        help_text=_("Who gave input, e.g. “families (survey, 212), teachers (ILT), students (focus group)”."))
    languages = models.CharField(_("family languages"), max_length=100, blank=True,
                                 help_text=_("Comma-separated language codes families speak, e.g. “en,es”."))
    vision = models.TextField(_("partnership vision"), blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)

    objects = NeedsQuerySet.as_manager()
    scope_path = "school"

    class Meta:
        ordering = ["-school_year__start_date", "school__name"]
        verbose_name = _("needs assessment")
        constraints = [models.UniqueConstraint(fields=["school", "school_year"], name="needsassessment_unique")]

    def __str__(self) -> str:
        return f"{self.school} {self.school_year}"

    @property
    def language_codes(self) -> list[str]:
        return [code.strip() for code in self.languages.split(",") if code.strip()]


class Priority(models.IntegerChoices):
    HIGH = 1, _("High")
    MEDIUM = 2, _("Medium")
    LOW = 3, _("Low")


# The weight a need's priority carries in matching (high counts three times a low need).
PRIORITY_WEIGHTS = {Priority.HIGH: 3.0, Priority.MEDIUM: 2.0, Priority.LOW: 1.0}


class SchoolNeed(DomainModel):
    """One need in an assessment: a focus area, a priority, whom it concerns and the evidence."""

    assessment = models.ForeignKey(NeedsAssessment, on_delete=models.CASCADE, related_name="needs")
    focus_area = models.ForeignKey(FocusArea, on_delete=models.PROTECT, related_name="needs")
    priority = models.PositiveSmallIntegerField(_("priority"), choices=Priority.choices, default=Priority.MEDIUM)
    grades = models.CharField(_("grades"), max_length=40, blank=True, help_text=_("e.g. “K–2” or “9–12”."))
    groups = models.CharField(_("student groups"), max_length=100, blank=True,
                              help_text=_("e.g. “English learners, foster youth”."))
    students = models.PositiveIntegerField(_("students concerned"), null=True, blank=True)
    evidence = models.TextField(_("evidence"), blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)

    objects = NeedsQuerySet.as_manager()
    scope_path = "assessment__school"

    class Meta:
        ordering = ["assessment", "priority", "focus_area__name"]
        verbose_name = _("school need")
        constraints = [models.UniqueConstraint(fields=["assessment", "focus_area"], name="schoolneed_unique")]

    def __str__(self) -> str:
        return f"{self.assessment.school}: {self.focus_area} ({self.get_priority_display()})"


# --- Agreements -----------------------------------------------------------------------------------------


class AgreementStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PENDING = "pending", _("Awaiting principal approval")
    ACTIVE = "active", _("Approved")
    DECLINED = "declined", _("Declined by the principal")
    ENDED = "ended", _("Ended")


class PaidBy(models.TextChoices):
    PARTNER = "partner", _("The partner")
    SCHOOL = "school", _("The school")
    NETWORK = "network", _("The network")
    DISTRICT = "district", _("The district")
    SHARED = "shared", _("Shared")
    NONE = "none", _("No cost")


class Agreement(DomainModel):
    """A school–partner agreement: what the partner does at the school, when and how, who pays, and the
    principal's approval. A renewal is a new agreement whose `renews` points at the one it continues."""

    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="agreements")
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="partner_agreements")
    title = models.CharField(_("title"), max_length=200)
    programs = models.TextField(_("programs covered"))
    focus_areas = models.ManyToManyField(FocusArea, related_name="agreements", blank=True,
                                         verbose_name=_("focus areas"))
    needs = models.ManyToManyField(SchoolNeed, related_name="agreements", blank=True,
                                   verbose_name=_("needs addressed"))
    access_days = models.CharField(_("days of access"), max_length=100, blank=True, help_text=_("e.g. “Mon–Thu”."))
    access_hours = models.CharField(_("hours of access"), max_length=100, blank=True,
                                    help_text=_("e.g. “2:30–6:00 pm”."))
    staffing = models.TextField(_("staffing and supervision"), blank=True)
    safety = models.TextField(_("safety and security"), blank=True)
    facilities = models.TextField(_("facilities, capital investment and maintenance"), blank=True)
    annual_cost = models.DecimalField(_("annual cost"), max_digits=12, decimal_places=2, default=0,
                                      validators=[MinValueValidator(0)])
    paid_by = models.CharField(_("who pays"), max_length=10, choices=PaidBy.choices, default=PaidBy.PARTNER)
    cost_notes = models.CharField(_("cost notes"), max_length=300, blank=True)
    students_served = models.PositiveIntegerField(_("students to serve"), null=True, blank=True)
    start_date = models.DateField(_("start"))
    end_date = models.DateField(_("end"))
    year_round = models.BooleanField(_("year-round"), default=False,
                                     help_text=_("Runs across the whole school year rather than one term."))
    status = models.CharField(_("status"), max_length=10, choices=AgreementStatus.choices,
                              default=AgreementStatus.DRAFT)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   null=True, blank=True, verbose_name=_("approved or declined by"))
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decision_note = models.CharField(_("decision note"), max_length=300, blank=True)
    renews = models.OneToOneField("self", on_delete=models.PROTECT, related_name="renewed_by", null=True,
                                  blank=True, verbose_name=_("renews"))
    is_demo = models.BooleanField(_("demo data"), default=False)

    objects = AgreementQuerySet.as_manager()
    scope_path = "school"

    class Meta:
        ordering = ["-start_date", "school__name", "partner__name"]
        verbose_name = _("agreement")
        constraints = [
            models.CheckConstraint(condition=models.Q(end_date__gte=models.F("start_date")),
                                   name="agreement_dates_ordered"),
        ]

    def __str__(self) -> str:
        return f"{self.partner} at {self.school}: {self.title}"


# --- Clearance ------------------------------------------------------------------------------------------


class AppliesTo(models.TextChoices):
    PERSON = "person", _("A person")
    ORGANIZATION = "organization", _("The organization")


class ClearanceRequirement(DomainModel):
    """One item of clearance (a registry check, TB test, fingerprints, insurance certificate, signed
    agreement…), configurable per network: what it applies to and how long a check stays valid."""

    name = models.CharField(_("name"), max_length=150, unique=True)
    applies_to = models.CharField(_("applies to"), max_length=12, choices=AppliesTo.choices,
                                  default=AppliesTo.PERSON)
    valid_days = models.PositiveIntegerField(
        _("valid for (days)"), null=True, blank=True,
        help_text=_("How long a check stays valid; empty when it does not expire or the check carries its own "
                    "expiry date (e.g. an insurance certificate)."))
    required_for_all_partners = models.BooleanField(
        _("required of every partner organization"), default=False,
        help_text=_("For organization items: every partner working on a campus needs it."))
    description = models.TextField(_("description"), blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)

    objects = ReferenceQuerySet.as_manager()

    class Meta:
        ordering = ["applies_to", "name"]
        verbose_name = _("clearance requirement")

    def __str__(self) -> str:
        return self.name


class ClearanceTier(DomainModel):
    """A clearance tier (e.g. Tier I, II, III): the person-level requirements it needs and the roles it
    allows. Higher `rank` = more checks."""

    name = models.CharField(_("name"), max_length=60, unique=True)
    rank = models.PositiveSmallIntegerField(_("rank"), unique=True)
    requirements = models.ManyToManyField(ClearanceRequirement, related_name="tiers", blank=True,
                                          verbose_name=_("requirements"))
    allows = models.CharField(_("allows"), max_length=300, blank=True,
                              help_text=_("The roles this tier allows, e.g. “classroom volunteer; supervised”."))
    description = models.TextField(_("description"), blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)

    objects = ReferenceQuerySet.as_manager()

    class Meta:
        ordering = ["rank"]
        verbose_name = _("clearance tier")

    def __str__(self) -> str:
        return self.name


class ClearanceCheck(DomainModel):
    """A dated check of one requirement, for a person or for an organization. It counts while
    `completed_on <= day <= expires_on` (an empty expiry never expires)."""

    requirement = models.ForeignKey(ClearanceRequirement, on_delete=models.PROTECT, related_name="checks")
    person = models.ForeignKey(PartnerPerson, on_delete=models.CASCADE, related_name="checks", null=True,
                               blank=True)
    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="checks",
                                help_text=_("The organization (for a person's check: their organization)."))
    completed_on = models.DateField(_("completed on"))
    expires_on = models.DateField(_("expires on"), null=True, blank=True)
    reference = models.CharField(_("reference"), max_length=100, blank=True,
                                 help_text=_("A certificate, policy or receipt number."))
    verified_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, related_name="+",
                                    null=True, blank=True, verbose_name=_("verified by"))
    is_demo = models.BooleanField(_("demo data"), default=False)

    objects = ClearanceCheckQuerySet.as_manager()

    class Meta:
        ordering = ["expires_on", "partner__name"]
        verbose_name = _("clearance check")

    def __str__(self) -> str:
        who = self.person.full_name if self.person_id else str(self.partner)
        return f"{who}: {self.requirement} ({self.completed_on} → {self.expires_on or '—'})"


class ApprovalStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting the principal")
    APPROVED = "approved", _("Approved")
    DENIED = "denied", _("Denied")


class CampusApproval(DomainModel):
    """A principal's approval for one partner person to work on one campus. The principal may deny
    anyone, and may ask more than the person's tier (`required_tier`), as some schools require Tier III
    for everyone."""

    person = models.ForeignKey(PartnerPerson, on_delete=models.CASCADE, related_name="approvals")
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="partner_approvals")
    required_tier = models.ForeignKey(ClearanceTier, on_delete=models.PROTECT, related_name="+", null=True,
                                      blank=True, verbose_name=_("tier required at this campus"))
    status = models.CharField(_("status"), max_length=10, choices=ApprovalStatus.choices,
                              default=ApprovalStatus.PENDING)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   null=True, blank=True)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)

    objects = PartnerChildQuerySet.as_manager()
    scope_path = "school"
    partner_path = "person__partner"
    principal_edits = True  # the principal decides
    partner_edits = False  # a partner asks through the service, never decides

    class Meta:
        ordering = ["school__name", "person__last_name"]
        verbose_name = _("campus approval")
        constraints = [models.UniqueConstraint(fields=["person", "school"], name="campusapproval_unique")]

    def __str__(self) -> str:
        return f"{self.person.full_name} at {self.school}: {self.get_status_display()}"


# --- The year-round relationship ------------------------------------------------------------------------


class ConveningKind(models.TextChoices):
    BOY = "boy", _("Beginning of year: meet & greet with the principal")
    MOY = "moy", _("Mid-year all-hands")
    EOY = "eoy", _("End-of-year celebration")
    OTHER = "other", _("Other")


class Convening(DomainModel):
    """A partner convening, at one school (e.g. the BOY meet & greet) or network-wide (no school)."""

    kind = models.CharField(_("kind"), max_length=6, choices=ConveningKind.choices)
    title = models.CharField(_("title"), max_length=200)
    school_year = models.ForeignKey(SchoolYear, on_delete=models.PROTECT, related_name="convenings")
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="convenings", null=True, blank=True)
    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="convenings", null=True,
                                  blank=True)
    held_on = models.DateField(_("date"))
    location = models.CharField(_("location"), max_length=200, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)

    objects = ConveningQuerySet.as_manager()

    class Meta:
        ordering = ["-held_on", "title"]
        verbose_name = _("convening")

    def __str__(self) -> str:
        return f"{self.title} ({self.held_on})"


class ConveningAttendance(DomainModel):
    """Who was invited to a convening and whether they came."""

    convening = models.ForeignKey(Convening, on_delete=models.CASCADE, related_name="attendance")
    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="convenings_attended")
    attended = models.BooleanField(_("attended"), default=False)
    people = models.PositiveSmallIntegerField(_("people who came"), default=0)
    is_demo = models.BooleanField(_("demo data"), default=False)

    objects = PartnerChildQuerySet.as_manager()
    scope_path = "convening__school"
    partner_path = "partner"

    class Meta:
        ordering = ["convening", "partner__name"]
        verbose_name = _("convening attendance")
        constraints = [models.UniqueConstraint(fields=["convening", "partner"], name="conveningattendance_unique")]

    def __str__(self) -> str:
        return f"{self.partner} at {self.convening}"


def _rating(label):
    return models.PositiveSmallIntegerField(label, validators=[MinValueValidator(1), MaxValueValidator(5)],
                                            null=True, blank=True)


class PartnerSurvey(DomainModel):
    """The annual partner survey: one response per partner and school year (ratings 1–5)."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="surveys")
    school_year = models.ForeignKey(SchoolYear, on_delete=models.PROTECT, related_name="partner_surveys")
    submitted_on = models.DateField(_("submitted on"))
    overall = _rating(_("overall experience"))
    communication = _rating(_("communication with the network"))
    school_fit = _rating(_("fit with the schools' needs"))
    clearance_support = _rating(_("help with clearance"))
    principal_relationship = _rating(_("relationship with principals"))
    will_continue = models.BooleanField(_("plans to continue next year"), null=True, blank=True)
    comments = models.TextField(_("comments"), blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)

    objects = PartnerChildQuerySet.as_manager()
    partner_path = "partner"
    partner_edits = True  # the partner answers its own survey

    class Meta:
        ordering = ["-school_year__start_date", "partner__name"]
        verbose_name = _("partner survey response")
        constraints = [models.UniqueConstraint(fields=["partner", "school_year"], name="partnersurvey_unique")]

    def __str__(self) -> str:
        return f"{self.partner} survey {self.school_year}"


class MeasureKind(models.TextChoices):
    """Results-Based Accountability: every performance measure answers one of three questions."""

    HOW_MUCH = "how_much", _("How much did we do?")
    HOW_WELL = "how_well", _("How well did we do it?")
    BETTER_OFF = "better_off", _("Is anyone better off?")


class Measure(DomainModel):
    """A performance measure of one agreement in one school year, with a target and an actual."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="measures")
    school_year = models.ForeignKey(SchoolYear, on_delete=models.PROTECT, related_name="partner_measures")
    kind = models.CharField(_("question"), max_length=12, choices=MeasureKind.choices)
    name = models.CharField(_("measure"), max_length=200)
    unit = models.CharField(_("unit"), max_length=40, blank=True, help_text=_("e.g. “students”, “%”, “sessions”."))
    higher_is_better = models.BooleanField(_("higher is better"), default=True)
    target = models.DecimalField(_("target"), max_digits=12, decimal_places=2, null=True, blank=True)
    actual = models.DecimalField(_("actual"), max_digits=12, decimal_places=2, null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)

    objects = PartnerChildQuerySet.as_manager()
    scope_path = "agreement__school"
    partner_path = "agreement__partner"
    partner_edits = True  # the partner keeps its agreements' measures current

    class Meta:
        ordering = ["agreement", "school_year", "kind", "name"]
        verbose_name = _("measure")
        constraints = [models.UniqueConstraint(fields=["agreement", "school_year", "name"], name="measure_unique")]

    def __str__(self) -> str:
        return f"{self.agreement}: {self.name} ({self.school_year})"


EDIT_AREAS = (Area.PARTNERSHIPS,)
for _model in (FocusArea, Partner, PartnerPerson, NeedsAssessment, SchoolNeed, Agreement, ClearanceRequirement,
               ClearanceTier, ClearanceCheck, CampusApproval, Convening, ConveningAttendance, PartnerSurvey, Measure):
    _model.edit_areas = EDIT_AREAS
