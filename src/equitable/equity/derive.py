"""Derived indicator values: from enrollment, from outcomes, and from community data joined by census tract or ZIP.

Each source has a reading function that returns plain values (indicator code → school id → value) and a
service that writes them (`indicators_from_enrollment`, `indicators_from_outcomes`,
`community_indicators_from_calenviroscreen`). A school without the underlying figure gets no value —
never a zero: the need model's missing-data rule decides what a missing value means.

Derivations write through `equity.services.indicator_value_upsert`, so permissions (finance staff, admins)
and the audit trail apply; `acting_user=None` is the system (command line without --user). Every run is
all or nothing; a dry run counts what would change and writes nothing. Running again changes nothing.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from pathlib import Path
from typing import IO, Any

from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from equitable.core.imports import CREATED, UPDATED, RowError
from equitable.core.tabular import TableFormatError, read_table
from equitable.equity.models import Derivation, Family
from equitable.equity.selectors import network_schools, school_year_named
from equitable.network.models import Enrollment, School, SchoolYear

PERCENT = Decimal("0.01")


@dataclass(frozen=True)
class IndicatorDef:
    code: str
    name: str
    family: str
    higher_is_more_need: bool
    unit: str
    source: str
    derivation: str

    def data(self, *, is_demo: bool = False) -> dict[str, Any]:
        return {"code": self.code, "name": self.name, "family": self.family,
                "higher_is_more_need": self.higher_is_more_need, "unit": self.unit, "source": self.source,
                "derivation": self.derivation, "is_demo": is_demo}


# --- from enrollment ---------------------------------------------------------------------------------

_E = Derivation.ENROLLMENT
ENROLLMENT_INDICATORS: tuple[IndicatorDef, ...] = (
    IndicatorDef("unduplicated-pct", "Unduplicated pupils (low-income, English learner or foster youth)",
                 Family.STUDENT_NEED, True, "%", "Enrollment: unduplicated count (LCFF) ÷ total", _E),
    IndicatorDef("el-pct", "English learners", Family.STUDENT_NEED, True, "%", "Enrollment: group EL ÷ total", _E),
    IndicatorDef("foster-pct", "Foster youth", Family.STUDENT_NEED, True, "%", "Enrollment: group FOS ÷ total", _E),
    IndicatorDef("homeless-pct", "Students experiencing homelessness", Family.STUDENT_NEED, True, "%",
                 "Enrollment: group HOM ÷ total", _E),
    IndicatorDef("swd-pct", "Students with disabilities", Family.STUDENT_NEED, True, "%",
                 "Enrollment: group SWD ÷ total", _E),
)
ENROLLMENT_GROUPS = {"el-pct": "EL", "foster-pct": "FOS", "homeless-pct": "HOM", "swd-pct": "SWD"}


def _percent(part: int, whole: int) -> Decimal:
    return (Decimal(100) * Decimal(part) / Decimal(whole)).quantize(PERCENT, rounding=ROUND_HALF_UP)


def enrollment_values(school_year: SchoolYear, schools: list[School] | None = None
                      ) -> dict[str, dict[int, Decimal]]:
    """Shares (%) of each school's enrollment in the year: unduplicated pupils and the program groups.
    A school without enrollment, or without a group's count, gets no value for it."""
    schools = list(network_schools(school_year)) if schools is None else schools
    values: dict[str, dict[int, Decimal]] = {d.code: {} for d in ENROLLMENT_INDICATORS}
    rows = Enrollment.objects.filter(school_year=school_year, school__in=schools).values_list(
        "school_id", "total", "unduplicated", "by_group")
    for school_id, total, unduplicated, by_group in rows:
        if not total:
            continue
        if unduplicated is not None:
            values["unduplicated-pct"][school_id] = _percent(unduplicated, total)
        for code, group in ENROLLMENT_GROUPS.items():
            count = (by_group or {}).get(group)
            if count is not None:
                values[code][school_id] = _percent(count, total)
    return values


# --- from outcomes -----------------------------------------------------------------------------------

_O = Derivation.OUTCOMES
OUTCOME_INDICATORS: tuple[IndicatorDef, ...] = (
    IndicatorDef("ela-dfs", "ELA distance from standard", Family.ACADEMIC, False, "points",
                 "Outcomes: Dashboard ELA, all students (further below standard = more need)", _O),
    IndicatorDef("math-dfs", "Math distance from standard", Family.ACADEMIC, False, "points",
                 "Outcomes: Dashboard math, all students (further below standard = more need)", _O),
    IndicatorDef("chronic-pct", "Chronic absenteeism", Family.ACADEMIC, True, "%",
                 "Outcomes: Dashboard chronic absenteeism (else DataQuest), all students", _O),
    IndicatorDef("suspension-pct", "Suspension rate", Family.CLIMATE, True, "%",
                 "Outcomes: Dashboard suspension rate, all students", _O),
    IndicatorDef("graduation-pct", "Graduation rate", Family.ACADEMIC, False, "%",
                 "Outcomes: Dashboard graduation rate (else DataQuest ACGR), all students (lower = more need)", _O),
)
# indicator code → outcome indicators in order of preference
OUTCOME_SOURCES: dict[str, tuple[str, ...]] = {
    "ela-dfs": ("ELA", "ELA_DFS"),
    "math-dfs": ("MATH", "MATH_DFS"),
    "chronic-pct": ("CHRO", "CHRO_K12"),
    "suspension-pct": ("SUSP",),
    "graduation-pct": ("GRAD", "ACGR"),
}


def default_outcome_year(school_year: SchoolYear) -> int:
    """The results a year's need is measured with: those of the school year before it (published before
    it starts), i.e. the spring year equal to its start year: 2025-26 reads 2024-25 (spring year 2025)."""
    return school_year.start_year


def outcome_values(school_year: SchoolYear, schools: list[School] | None = None, *,
                   outcome_year: int | None = None) -> dict[str, dict[int, Decimal]]:
    """All-students outcome values of each school (published rows only; small groups have no value)."""
    from equitable.outcomes.codes import EntityType
    from equitable.outcomes.models import OutcomeValue

    schools = list(network_schools(school_year)) if schools is None else schools
    year = default_outcome_year(school_year) if outcome_year is None else outcome_year
    wanted = {source for sources in OUTCOME_SOURCES.values() for source in sources}
    found: dict[tuple[str, int], Decimal] = {}
    rows = OutcomeValue.objects.filter(entity_type=EntityType.SCHOOL, school__in=schools, student_group="ALL",
                                       year=year, indicator__in=wanted, value__isnull=False).values_list(
        "indicator", "school_id", "value")
    for indicator, school_id, value in rows:
        found[(indicator, school_id)] = value
    values: dict[str, dict[int, Decimal]] = {code: {} for code in OUTCOME_SOURCES}
    for code, sources in OUTCOME_SOURCES.items():
        for school in schools:
            for source in sources:
                if (source, school.pk) in found:
                    values[code][school.pk] = found[(source, school.pk)]
                    break
    return values


# --- from community data (CalEnviroScreen, joined by census tract or ZIP) ----------------------------

_C = Derivation.COMMUNITY
CES_SOURCE = ("CalEnviroScreen 4.0 (OEHHA): the school's census tract, else the population-weighted mean of its "
              "ZIP's tracts")
CES_INDICATORS: dict[str, IndicatorDef] = {
    "Asthma": IndicatorDef("asthma-ed-per-10k", "Asthma emergency department visits", Family.COMMUNITY, True,
                           "per 10,000", CES_SOURCE, _C),
    "Low Birth Weight": IndicatorDef("low-birth-weight-pct", "Low birth weight", Family.COMMUNITY, True, "%",
                                     CES_SOURCE, _C),
    "Cardiovascular Disease": IndicatorDef("cardiovascular-ed-per-10k", "Heart attack emergency visits",
                                           Family.COMMUNITY, True, "per 10,000", CES_SOURCE, _C),
    "Poverty": IndicatorDef("poverty-pct", "People below twice the federal poverty level", Family.COMMUNITY, True,
                            "%", CES_SOURCE, _C),
    "Unemployment": IndicatorDef("unemployment-pct", "Unemployment", Family.COMMUNITY, True, "%", CES_SOURCE, _C),
    "Housing Burden": IndicatorDef("housing-burden-pct", "Housing-burdened low-income households",
                                   Family.COMMUNITY, True, "%", CES_SOURCE, _C),
    "Linguistic Isolation": IndicatorDef("linguistic-isolation-pct", "Linguistically isolated households",
                                         Family.COMMUNITY, True, "%", CES_SOURCE, _C),
    "Education": IndicatorDef("adult-education-pct", "Adults without a high school diploma", Family.COMMUNITY,
                              True, "%", CES_SOURCE, _C),
    "PM2.5": IndicatorDef("pm25", "Fine particulate matter (PM2.5)", Family.COMMUNITY, True, "µg/m³",
                          CES_SOURCE, _C),
}
CES_TRACT, CES_ZIP, CES_POPULATION = "Census Tract", "ZIP", "Total Population"
DEFAULT_CES_INDICATORS = ("Asthma",)
CES_NULLS = ("NA", "N/A")  # cells the file leaves without a value (missing, never zero)


def ces_indicator(column: str) -> IndicatorDef:
    """The indicator a CalEnviroScreen column feeds (known columns have names; others `ces-<column>`)."""
    if column in CES_INDICATORS:
        return CES_INDICATORS[column]
    return IndicatorDef(f"ces-{slugify(column)}"[:40], f"{column} (CalEnviroScreen)", Family.COMMUNITY, True, "",
                        CES_SOURCE, _C)


_ZIP = re.compile(r"^\d{5}$")


def zip5(text: str) -> str:
    """The 5-digit ZIP of "90002" or "90002-1234"; "" when there is none."""
    head = (text or "").strip()[:5]
    return head if _ZIP.match(head) else ""


def tract11(text: str) -> str:
    """An 11-digit census tract; CalEnviroScreen writes California's state code without its zero (6037… is
    06037…). "" when the text is not a tract."""
    digits = (text or "").strip()
    if len(digits) == 10 and digits.isdigit():
        digits = f"0{digits}"
    return digits if len(digits) == 11 and digits.isdigit() else ""


def read_calenviroscreen(source: str | Path | bytes | IO[bytes], columns: tuple[str, ...], *, filename: str = "",
                         tracts: dict[str, dict[str, Decimal]] | None = None
                         ) -> tuple[dict[str, dict[str, Decimal]], list[RowError], int]:
    """Population-weighted mean of each column per ZIP: column → ZIP → value. Tracts with an empty cell
    or no population do not count towards that column. Returns (values, errors, tract rows read). When
    `tracts` is given it is filled with each tract's own value: column → 11-digit tract → value."""
    errors: list[RowError] = []
    try:
        header, rows = read_table(source, filename=filename, null_values=CES_NULLS)
    except TableFormatError as exc:
        return {}, [RowError(1, "", str(exc))], 0
    missing = [c for c in (CES_TRACT, CES_ZIP, CES_POPULATION, *columns) if c not in header]
    if missing:
        return {}, [RowError(1, "", _("missing column(s) %(missing)s; this is not a CalEnviroScreen 4.0 file "
                                      "with those indicators.") % {"missing": ", ".join(missing)})], 0
    sums: dict[str, dict[str, list[Decimal]]] = {c: defaultdict(lambda: [Decimal(0), Decimal(0)]) for c in columns}
    read = 0
    for number, row in rows:
        read += 1
        zip_code = row.get(CES_ZIP, "")
        if not _ZIP.match(zip_code):
            errors.append(RowError(number, CES_ZIP, _("%(value)r is not a 5-digit ZIP code.") % {"value": zip_code}))
            continue
        try:
            population = Decimal(row.get(CES_POPULATION) or "0")
            if not population.is_finite() or population < 0:
                raise InvalidOperation
        except InvalidOperation:
            errors.append(RowError(number, CES_POPULATION, _("%(value)r is not a population count.")
                                   % {"value": row.get(CES_POPULATION)}))
            continue
        for column in columns:
            cell = row.get(column, "")
            if cell == "":
                continue  # no value for this tract: it does not count (never a zero)
            try:
                value = Decimal(cell)
                if not value.is_finite():
                    raise InvalidOperation
            except InvalidOperation:
                errors.append(RowError(number, column, _("%(value)r is not a number.") % {"value": cell}))
                continue
            if tracts is not None and (tract := tract11(row.get(CES_TRACT, ""))):
                tracts.setdefault(column, {})[tract] = value
            if population > 0:
                total = sums[column][zip_code]
                total[0] += population * value
                total[1] += population
    if errors:
        return {}, errors, read
    means = {column: {z: (s / p).quantize(PERCENT, rounding=ROUND_HALF_UP) for z, (s, p) in by_zip.items() if p}
             for column, by_zip in sums.items()}
    return means, [], read


def community_values_by_zip(zip_values: dict[str, Decimal], schools: list[School],
                             tract_values: dict[str, Decimal] | None = None) -> dict[int, Decimal]:
    """Each school's value by its census tract when it has one with a value, else by its ZIP; schools with
    neither get none (never zero)."""
    values = {}
    tract_values = tract_values or {}
    for school in schools:
        value = tract_values.get(getattr(school, "census_tract", "") or "")
        if value is None:
            value = zip_values.get(zip5(school.zip_code))
        if value is not None:
            values[school.pk] = value
    return values


# --- writing derived values --------------------------------------------------------------------------

@dataclass
class DeriveResult:
    """What a derivation did (or, in a dry run, would do)."""

    dry_run: bool = False
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rows_read: int = 0
    errors: list[RowError] = field(default_factory=list)
    by_indicator: dict[str, int] = field(default_factory=dict)
    without_value: dict[str, list[str]] = field(default_factory=dict)  # indicator code → school names

    @property
    def ok(self) -> bool:
        return not self.errors

    def count(self, outcome: str) -> None:
        if outcome == CREATED:
            self.created += 1
        elif outcome == UPDATED:
            self.updated += 1
        else:
            self.unchanged += 1

    def summary(self) -> str:
        if self.errors:
            return _("%(errors)d error(s); nothing was written.") % {"errors": len(self.errors)}
        values = {"created": self.created, "updated": self.updated, "unchanged": self.unchanged}
        if self.dry_run:
            text = _("%(created)d value(s) would be created, %(updated)d would be updated, %(unchanged)d unchanged")
        else:
            text = _("%(created)d value(s) created, %(updated)d updated, %(unchanged)d unchanged")
        text = text % values
        gaps = sum(len(names) for names in self.without_value.values())
        if gaps:
            text += ", " + _("%(n)d school value(s) left missing (no data)") % {"n": gaps}
        return text + "."


class _Rollback(Exception):
    pass


def write_values(*, definitions: list[IndicatorDef], values: dict[str, dict[int, Decimal]],
                 school_year: SchoolYear, schools: list[School], acting_user, dry_run: bool = False,
                 result: DeriveResult | None = None, note: str = "") -> DeriveResult:
    """Upsert the values (creating missing indicator definitions) in one transaction; a dry run rolls back."""
    from equitable.equity.services import indicator_ensure, indicator_value_upsert

    result = result or DeriveResult(dry_run=dry_run)
    result.dry_run = dry_run
    names = {s.pk: s.name for s in schools}
    try:
        with transaction.atomic():
            for definition in definitions:
                indicator = indicator_ensure(data=definition.data(), acting_user=acting_user)
                by_school = values.get(definition.code, {})
                result.by_indicator[definition.code] = len(by_school)
                result.without_value[definition.code] = sorted(n for pk, n in names.items() if pk not in by_school)
                for school in schools:
                    if school.pk not in by_school:
                        continue
                    _row, outcome = indicator_value_upsert(indicator=indicator, school=school, school_year=school_year,
                                                           value=by_school[school.pk], note=note or None,
                                                           acting_user=acting_user)
                    result.count(outcome)
            if dry_run:
                raise _Rollback
    except _Rollback:
        pass
    return result


def indicators_from_enrollment(*, school_year: SchoolYear | str, acting_user, dry_run: bool = False
                               ) -> DeriveResult:
    """Unduplicated, English learner, foster, homeless and disability shares (%) of every network school."""
    year = school_year_named(school_year)
    schools = list(network_schools(year))
    return write_values(definitions=list(ENROLLMENT_INDICATORS), values=enrollment_values(year, schools),
                        school_year=year, schools=schools, acting_user=acting_user, dry_run=dry_run)


def indicators_from_outcomes(*, school_year: SchoolYear | str, acting_user, outcome_year: int | None = None,
                             dry_run: bool = False) -> DeriveResult:
    """ELA and math distance from standard, chronic absenteeism, suspension and graduation of every network
    school, from the results of `outcome_year` (default: the school year before, see default_outcome_year)."""
    year = school_year_named(school_year)
    schools = list(network_schools(year))
    values = outcome_values(year, schools, outcome_year=outcome_year)
    return write_values(definitions=list(OUTCOME_INDICATORS), values=values, school_year=year, schools=schools,
                        acting_user=acting_user, dry_run=dry_run)


def community_indicators_from_calenviroscreen(path: str | Path | bytes | IO[bytes], year: SchoolYear | str,
                                              indicators: tuple[str, ...] | list[str] = DEFAULT_CES_INDICATORS, *,
                                              acting_user=None, dry_run: bool = False, filename: str = ""
                                              ) -> DeriveResult:
    """Community indicators from a CalEnviroScreen 4.0 file (one row per census tract): a network school with a
    census tract in the file gets that tract's value; any other school gets its ZIP's value, the mean over the
    ZIP's tracts weighted by population. Schools whose ZIP has no tract get no value (never zero). A file with any
    bad row writes nothing; every error is reported with its row number and column."""
    school_year = school_year_named(year)
    columns = tuple(dict.fromkeys(c.strip() for c in indicators if c.strip()))
    result = DeriveResult(dry_run=dry_run)
    if not columns:
        result.errors.append(RowError(1, "", _("name at least one CalEnviroScreen indicator column, e.g. Asthma.")))
        return result
    tracts: dict[str, dict[str, Decimal]] = {}
    means, errors, read = read_calenviroscreen(path, columns, filename=filename, tracts=tracts)
    result.rows_read = read
    if errors:
        result.errors = errors
        return result
    schools = list(network_schools(school_year))
    definitions = [ces_indicator(c) for c in columns]
    values = {d.code: community_values_by_zip(means[c], schools, tracts.get(c))
              for c, d in zip(columns, definitions, strict=True)}
    return write_values(definitions=definitions, values=values, school_year=school_year, schools=schools,
                        acting_user=acting_user, dry_run=dry_run, result=result)
