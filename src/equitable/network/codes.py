"""Codes of the registry: grades, school levels, student groups (California's codes), staff roles."""

from __future__ import annotations

import re

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

# Grades TK–12 as (code, ordinal). Ordinals make spans comparable: TK=-1, K=0, 1..12.
GRADES: list[tuple[str, int]] = [("TK", -1), ("K", 0)] + [(str(g), g) for g in range(1, 13)]
GRADE_CODES = [code for code, _ in GRADES]
GRADE_ORDINAL = dict(GRADES)
ORDINAL_GRADE = {ordinal: code for code, ordinal in GRADES}
GRADE_CHOICES = [(ordinal, code) for code, ordinal in GRADES]


def grade_span(low: int | None, high: int | None) -> str:
    if low is None or high is None:
        return ""
    return f"{ORDINAL_GRADE[low]}–{ORDINAL_GRADE[high]}"


_SPAN = re.compile(r"^\s*(TK|P|K|\d{1,2})\s*[-–]\s*(TK|K|\d{1,2}|Adult)\s*$", re.IGNORECASE)


def parse_grade_span(text: str) -> tuple[int, int]:
    """Parse a span such as 'K-5', 'TK-8', '9-12' or a single grade '6' into (low, high) ordinals.

    Raises ValueError with a clear message. 'P' (preschool) is read as TK; 'Adult' as 12.
    """
    value = (text or "").strip()
    if not value:
        raise ValueError("grade span is empty")
    single = value.upper()
    if single in GRADE_ORDINAL:
        return GRADE_ORDINAL[single], GRADE_ORDINAL[single]
    match = _SPAN.match(value)
    if not match:
        raise ValueError(f"{text!r} is not a grade span such as K-5, TK-8 or 9-12")
    low_text, high_text = match.group(1).upper(), match.group(2).upper()
    low_text = "TK" if low_text == "P" else low_text
    high_text = "12" if high_text == "ADULT" else high_text
    if low_text not in GRADE_ORDINAL or high_text not in GRADE_ORDINAL:
        raise ValueError(f"{text!r} names a grade outside TK–12")
    low, high = GRADE_ORDINAL[low_text], GRADE_ORDINAL[high_text]
    if low > high:
        raise ValueError(f"{text!r} runs backwards (lowest grade after highest)")
    return low, high


class Level(models.TextChoices):
    ELEMENTARY = "elementary", pgettext_lazy("school level", "Elementary")
    MIDDLE = "middle", pgettext_lazy("school level", "Middle")
    HIGH = "high", pgettext_lazy("school level", "High")
    SPAN = "span", pgettext_lazy("school level", "Span")


def level_for_span(low: int, high: int) -> str:
    if high <= 6:
        return Level.ELEMENTARY
    if low >= 6 and high <= 8:
        return Level.MIDDLE
    if low >= 9:
        return Level.HIGH
    return Level.SPAN


class StudentGroup(models.TextChoices):
    """California's student group codes (Dashboard/CAASPP) used for enrollment counts."""

    SED = "SED", _("Socioeconomically disadvantaged")
    EL = "EL", _("English learners")
    FOS = "FOS", _("Foster youth")
    HOM = "HOM", _("Homeless")
    SWD = "SWD", _("Students with disabilities")
    AA = "AA", _("Black/African American")
    AI = "AI", _("American Indian or Alaska Native")
    AS = "AS", _("Asian")
    FI = "FI", _("Filipino")
    HI = "HI", _("Hispanic")
    PI = "PI", _("Pacific Islander")
    WH = "WH", _("White")
    MR = "MR", _("Two or more races")


PROGRAM_GROUPS = ["SED", "EL", "FOS", "HOM", "SWD"]
RACE_GROUPS = ["AA", "AI", "AS", "FI", "HI", "PI", "WH", "MR"]
GROUP_CODES = PROGRAM_GROUPS + RACE_GROUPS


class Membership(models.TextChoices):
    MEMBER = "member", _("In the network")
    FORMER = "former", _("Left the network")
    NONE = "none", _("Not in the network (directory only)")


class JoinRoute(models.TextChoices):
    VOTE = "vote", _("Stakeholder vote")
    PETITION = "petition", _("Parent petition")
    DISTRICT = "district", _("District request")
    EXPANSION = "expansion", _("Network expansion")
    OTHER = "other", _("Other")


class DirectoryStatus(models.TextChoices):
    ACTIVE = "Active", _("Active")
    CLOSED = "Closed", _("Closed")
    MERGED = "Merged", _("Merged")
    PENDING = "Pending", _("Pending")


class StaffRole(models.TextChoices):
    PRINCIPAL = "principal", _("Principal")
    ASSISTANT_PRINCIPAL = "assistant_principal", _("Assistant principal")
    ILT_MEMBER = "ilt_member", _("Instructional Leadership Team member")
    TEACHER_LEADER = "teacher_leader", _("Teacher leader")
    ARTS_LEAD = "arts_lead", _("Arts Lead")
    FAMILY_ENGAGEMENT_LEAD = "family_engagement_lead", _("Family Engagement Lead")
    OFFICE_MANAGER = "office_manager", _("Office manager")


SCHOOL_LEADER_ROLES = (StaffRole.PRINCIPAL, StaffRole.ASSISTANT_PRINCIPAL)


class Pathway(models.TextChoices):
    INSTRUCTION = "instruction", _("Instruction")
    CULTURE = "culture", _("School culture")
    FAMILY = "family", _("Family engagement")
    ARTS = "arts", _("Arts")
    OTHER = "other", _("Other")
