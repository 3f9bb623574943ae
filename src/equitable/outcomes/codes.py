"""Outcome indicators, entity types, sources and California's student group codes (DOMAIN.md 3.8)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class IndicatorCode(models.TextChoices):
    """State Dashboard indicators (their file codes) and other published measures."""

    ELA = "ELA", _("English language arts (distance from standard)")
    MATH = "MATH", _("Mathematics (distance from standard)")
    CHRONIC = "CHRO", _("Chronic absenteeism (%)")
    GRADUATION = "GRAD", _("Graduation rate (%)")
    SUSPENSION = "SUSP", _("Suspension rate (%)")
    ELPI = "ELPI", _("English learner progress (%)")
    CCI = "CCI", _("College/career prepared (%)")
    SCIENCE = "SCIE", _("Science (CAST points)")
    ELA_MET = "ELA_MET", _("ELA: % standard met or exceeded (CAASPP)")
    MATH_MET = "MATH_MET", _("Math: % standard met or exceeded (CAASPP)")
    ELA_DFS_APPROX = "ELA_DFS", _("ELA: distance from standard, approximated from CAASPP mean scale scores")
    MATH_DFS_APPROX = "MATH_DFS", _("Math: distance from standard, approximated from CAASPP mean scale scores")
    API = "API", _("Academic Performance Index (legacy, to 2013)")
    CHRONIC_K12 = "CHRO_K12", _("Chronic absenteeism, all grades (%, DataQuest)")
    ACGR = "ACGR", _("Four-year adjusted cohort graduation rate (%, DataQuest)")


DASHBOARD_INDICATORS = ("ELA", "MATH", "CHRO", "GRAD", "SUSP", "ELPI", "CCI", "SCIE")
LOWER_IS_BETTER = ("CHRO", "SUSP")


class EntityType(models.TextChoices):
    SCHOOL = "school", _("School")
    DISTRICT = "district", _("District")
    COUNTY = "county", _("County")
    STATE = "state", _("State")
    NETWORK = "network", _("Network")


class Source(models.TextChoices):
    DASHBOARD = "dashboard", _("California School Dashboard file")
    CAASPP = "caaspp", _("CAASPP research file")
    DATAQUEST = "dataquest", _("DataQuest file")
    COMPUTED = "computed", _("Computed by Equitable (network aggregate)")
    DEMO = "demo", _("Demo data (fictional)")
    ENTERED = "entered", _("Entered by hand")


STUDENT_GROUPS: dict[str, str] = {
    "ALL": "All students",
    "AA": "Black/African American",
    "AI": "American Indian or Alaska Native",
    "AS": "Asian",
    "FI": "Filipino",
    "HI": "Hispanic",
    "PI": "Pacific Islander",
    "WH": "White",
    "MR": "Two or more races",
    "EL": "English learners",
    "LTEL": "Long-term English learners",
    "ELO": "English learners only",
    "RFP": "Reclassified fluent English proficient",
    "EO": "English only",
    "SED": "Socioeconomically disadvantaged",
    "SWD": "Students with disabilities",
    "FOS": "Foster youth",
    "HOM": "Homeless",
    "SBA": "Smarter Balanced test takers",
    "CAA": "California Alternate Assessment test takers",
}
RACE_GROUPS = ("AA", "AI", "AS", "FI", "HI", "PI", "WH", "MR")
STATE_CDS = "00000000000000"


def school_year_label(year: int) -> str:
    """The spring year of a school year as the state labels it: 2025 → '2024-25'."""
    return f"{year - 1}-{year % 100:02d}"
