"""Writes to outcomes: goals (audited, permission-checked), outcome rows in bulk, and the computed
network aggregates."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from equitable.core.audit import attribute_to
from equitable.core.exceptions import DomainError, NotPermitted
from equitable.core.services import (
    NOT_PERMITTED,
    create_record,
    delete_record,
    update_record,
    validation_to_domain,
)
from equitable.network.codes import Membership
from equitable.network.models import Network, School
from equitable.outcomes.aggregate import SchoolFigure, aggregate_schools
from equitable.outcomes.codes import DASHBOARD_INDICATORS, EntityType, IndicatorCode, Source
from equitable.outcomes.dashboard import DashboardInput, RecordType, SuspensionType, evaluate
from equitable.outcomes.models import Goal, OutcomeImport, OutcomeValue


def goal_create(*, data: dict[str, Any], acting_user) -> Goal:
    return create_record(Goal, data=data, acting_user=acting_user)


def goal_update(*, goal: Goal, data: dict[str, Any], acting_user) -> Goal:
    return update_record(goal, data=data, acting_user=acting_user)


def goal_delete(*, goal: Goal, acting_user) -> None:
    delete_record(goal, acting_user=acting_user)


# --- Dashboard levels of one stored row -------------------------------------------------------------

CENT = Decimal("0.01")

#: The network is treated as an LEA (record type D) for the n-size rules: foster youth, homeless and
#: long-term English learners get a colour from 15 students, as a district's do.
NETWORK_RECORD_TYPE = RecordType.LEA
#: Suspension status and change of the network use the unified-district table ("UD"): a network of
#: elementary, middle and high schools is K-12 like a unified district.
NETWORK_SUSPENSION_TYPE = SuspensionType.UNIFIED_DISTRICT

RECORD_TYPES = {EntityType.SCHOOL: RecordType.SCHOOL, EntityType.DISTRICT: RecordType.LEA,
                EntityType.COUNTY: RecordType.LEA, EntityType.STATE: RecordType.STATE,
                EntityType.NETWORK: NETWORK_RECORD_TYPE}


def cents(value: Decimal | None) -> Decimal | None:
    """A value as stored (two decimal places, halves away from zero)."""
    return None if value is None else Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def uses_high_school_cut_points(flags: dict | None) -> bool:
    """Rows store the file's `hscutpoints` flag in `flags` ("Y" when the grade-11 cut points applied)."""
    return str((flags or {}).get("hscutpoints", "")).strip().upper() in ("Y", "TRUE", "1")


def dashboard_levels(*, indicator: str, entity_type: str, student_group: str, value: Decimal | None,
                     denominator: int | None, prior_value: Decimal | None, prior_denominator: int | None,
                     change: Decimal | None, flags: dict | None = None) -> dict[str, Any]:
    """status_level, change_level, color and box of a row, computed with the Dashboard engine.

    Only the eight Dashboard indicators have levels; other measures get zeros. `flags` supplies the
    file's `hscutpoints` (ELA/math) and `type` (suspension: ES, MS, HS, ED, HD or UD).
    """
    none = {"status_level": 0, "change_level": 0, "color": 0, "box": 0}
    if indicator not in DASHBOARD_INDICATORS:
        return none
    flags = flags or {}
    suspension_type = None
    if indicator == IndicatorCode.SUSPENSION:
        suspension_type = flags.get("type") or (NETWORK_SUSPENSION_TYPE if entity_type == EntityType.NETWORK else None)
        if not suspension_type:
            return none  # no table to place the row in
    result = evaluate(DashboardInput(
        indicator=indicator, curr_denom=denominator, curr_status=value, prior_denom=prior_denominator,
        prior_status=prior_value, change=change, student_group=student_group,
        record_type=RECORD_TYPES[EntityType(entity_type)],
        high_school_cut_points=indicator in ("ELA", "MATH") and uses_high_school_cut_points(flags),
        suspension_type=suspension_type,
    ))
    return {"status_level": result.status_level, "change_level": result.change_level, "color": int(result.color),
            "box": result.box}


# --- bulk upsert of outcome rows -----------------------------------------------------------------------

ROW_KEY = ("indicator", "year", "entity_type", "cds", "student_group")
COMPARED_FIELDS = ("entity_name", "school_id", "value", "denominator", "numerator", "prior_value",
                   "prior_denominator", "change", "status_level", "change_level", "color", "box", "flags", "source",
                   "comparison_only", "is_demo")


@dataclass
class UpsertCounts:
    created: int = 0
    updated: int = 0
    deleted: int = 0

    @property
    def written(self) -> int:
        return self.created + self.updated + self.deleted


def _differs(obj: OutcomeValue, row: dict[str, Any]) -> bool:
    for name in COMPARED_FIELDS:
        if name not in row:
            continue
        new, old = row[name], getattr(obj, name)
        if isinstance(new, Decimal) or isinstance(old, Decimal):
            if (new is None) != (old is None) or (new is not None and Decimal(new) != Decimal(old)):
                return True
        elif new != old:
            return True
    return False


def outcome_values_upsert(*, rows: Iterable[dict[str, Any]], existing: Iterable[OutcomeValue] | None = None,
                          batch: OutcomeImport | None = None, batch_size: int = 1000) -> UpsertCounts:
    """Make outcome rows exist with exactly these values; write only the rows that are new or differ.

    `rows` are dicts of attnames (`school_id`); they are matched on (indicator, year, entity_type, cds,
    student_group). `existing` may pass the candidate rows already loaded (else they are looked up).
    No permission check: callers (the demo, the network aggregate, importers) decide who may write.
    New and changed rows are validated (fields and `clean()`) before anything is written.
    """
    rows = list(rows)
    counts = UpsertCounts()
    if not rows:
        return counts
    if existing is None:
        query = OutcomeValue.objects.filter(indicator__in={r["indicator"] for r in rows},
                                            year__in={r["year"] for r in rows},
                                            entity_type__in={r["entity_type"] for r in rows},
                                            cds__in={r["cds"] for r in rows})
        found = {tuple(getattr(o, k) for k in ROW_KEY): o for o in query}
    else:
        found = {tuple(getattr(o, k) for k in ROW_KEY): o for o in existing}
    school_ids = {r.get("school_id") for r in rows} - {None}
    schools = School.objects.in_bulk(school_ids) if school_ids else {}
    now = timezone.now()
    to_create, to_update = [], []
    for row in rows:
        obj = found.get(tuple(row[k] for k in ROW_KEY))
        if obj is None:
            obj = OutcomeValue(**row)
        elif _differs(obj, row):
            for name, value in row.items():
                setattr(obj, name, value)
            obj.updated_at = now
        else:
            continue
        if obj.school_id:
            obj.school = schools[obj.school_id]  # clean() reads the school's CDS code: no query per row
        try:
            obj.clean_fields(exclude=["school", "batch"])
            obj.clean()
        except ValidationError as exc:
            raise validation_to_domain(exc) from None
        if batch is not None:
            obj.batch = batch
        (to_create if obj.pk is None else to_update).append(obj)
    with transaction.atomic():
        if to_create:
            OutcomeValue.objects.bulk_create(to_create, batch_size=batch_size)
        if to_update:
            fields = [*COMPARED_FIELDS, "updated_at", *(["batch_id"] if batch is not None else [])]
            fields = [f.removesuffix("_id") for f in fields]
            OutcomeValue.objects.bulk_update(to_update, fields, batch_size=batch_size)
    counts.created, counts.updated = len(to_create), len(to_update)
    return counts


# --- network aggregates --------------------------------------------------------------------------------

NO_NETWORK = "There is no network with member schools to aggregate."
SEVERAL_NETWORKS = "Several networks have member schools; name the network to aggregate."
UNKNOWN_INDICATOR = "Unknown indicator code {code!r}."
AGGREGATE_KIND = "network aggregate"


def _network_for(network: Network | None) -> Network | None:
    if network is not None:
        return network
    networks = list(Network.objects.filter(schools__membership=Membership.MEMBER).distinct()[:2])
    if len(networks) > 1:
        raise DomainError(SEVERAL_NETWORKS)
    return networks[0] if networks else None


def network_aggregate_rows(*, network: Network, year: int, indicator: str | None = None) -> list[dict[str, Any]]:
    """The network rows (as dicts of attnames) computed from the member schools' rows of one year.

    Inputs: school rows (`entity_type="school"`) of the network's current member schools, not kept
    for comparison only. Each (indicator, student group) with at least one school value gives one row;
    its levels, colour and box come from the Dashboard engine with the network as an LEA (n-size 15 for
    FOS/HOM/LTEL), the high-school ELA/math cut points only when every contributing row used them, and
    the unified-district suspension table.
    """
    inputs = OutcomeValue.objects.filter(
        year=year, entity_type=EntityType.SCHOOL, school__network=network, school__membership=Membership.MEMBER,
        comparison_only=False,
    )
    if indicator:
        inputs = inputs.filter(indicator=indicator)
    groups: dict[tuple[str, str], list[SchoolFigure]] = defaultdict(list)
    demo_only: dict[tuple[str, str], bool] = defaultdict(lambda: True)
    for row in inputs.values("indicator", "student_group", "value", "denominator", "numerator", "prior_value",
                             "prior_denominator", "flags", "is_demo"):
        key = (row["indicator"], row["student_group"])
        groups[key].append(SchoolFigure(
            value=row["value"], denominator=row["denominator"], prior_value=row["prior_value"],
            prior_denominator=row["prior_denominator"], numerator=row["numerator"],
            high_school_cut_points=uses_high_school_cut_points(row["flags"]),
        ))
        demo_only[key] = demo_only[key] and row["is_demo"]
    rows = []
    for (code, group), figures in sorted(groups.items()):
        figure = aggregate_schools(figures)
        if figure.value is None:
            continue  # every school's value is suppressed: nothing to publish
        value, prior_value, change = cents(figure.value), cents(figure.prior_value), cents(figure.change)
        flags: dict[str, Any] = {"schools": figure.schools}
        if code in ("ELA", "MATH"):
            flags["hscutpoints"] = "Y" if figure.high_school_cut_points else "N"
        if code == IndicatorCode.SUSPENSION:
            flags["type"] = str(NETWORK_SUSPENSION_TYPE)
        if code in ("CHRO", "GRAD", "SUSP", "CCI"):
            flags["smalldenom"] = "Y" if figure.denominator < 150 else "N"
        row = {
            "indicator": code, "year": year, "entity_type": EntityType.NETWORK, "cds": "",
            "entity_name": network.name, "school_id": None, "student_group": group, "value": value,
            "denominator": figure.denominator, "numerator": figure.numerator, "prior_value": prior_value,
            "prior_denominator": figure.prior_denominator, "change": change, "flags": flags,
            "source": Source.COMPUTED, "comparison_only": False, "is_demo": demo_only[(code, group)],
        }
        row.update(dashboard_levels(indicator=code, entity_type=EntityType.NETWORK, student_group=group,
                                    value=value, denominator=figure.denominator, prior_value=prior_value,
                                    prior_denominator=figure.prior_denominator, change=change, flags=flags))
        rows.append(row)
    return rows


def network_aggregates_compute(*, year: int, indicator: str | None = None, acting_user=None,
                               network: Network | None = None) -> int:
    """Compute (or bring up to date) the network's rows of one year from its member schools' rows.

    Returns how many network rows were created, changed or removed (0 when everything was already
    up to date: the computation is idempotent). Computed rows whose inputs have gone are removed.
    `acting_user=None` is the system (the demo loader, the CLI); a user must be one who may write
    outcomes (academic staff, network admins). When anything changes, one OutcomeImport of kind
    "network aggregate" records who computed what, and the written rows point to it.
    """
    if indicator and indicator not in IndicatorCode.values:
        raise DomainError(UNKNOWN_INDICATOR.format(code=indicator), field="indicator")
    if acting_user is not None and not OutcomeValue.objects.all().permits_add(
            acting_user, OutcomeValue(entity_type=EntityType.NETWORK)):
        raise NotPermitted(NOT_PERMITTED.format(action="add", model=OutcomeValue._meta.verbose_name))
    network = _network_for(network)
    if network is None:
        raise DomainError(NO_NETWORK)
    rows = network_aggregate_rows(network=network, year=year, indicator=indicator)
    current = OutcomeValue.objects.filter(year=year, entity_type=EntityType.NETWORK)
    if indicator:
        current = current.filter(indicator=indicator)
    current = list(current)
    by_key = {tuple(getattr(o, k) for k in ROW_KEY): o for o in current}
    wanted = {tuple(r[k] for k in ROW_KEY) for r in rows}
    stale = [o.pk for key, o in by_key.items() if key not in wanted and o.source == Source.COMPUTED]
    changing = [r for r in rows if (o := by_key.get(tuple(r[k] for k in ROW_KEY))) is None or _differs(o, r)]
    if not changing and not stale:
        return 0
    with transaction.atomic():
        batch = OutcomeImport(kind=AGGREGATE_KIND, file_name=f"{network.name} (computed)",
                              indicator=indicator or "", year=year, rows_read=len(rows),
                              rows_written=len(changing), rows_skipped=len(rows) - len(changing),
                              imported_by=acting_user if getattr(acting_user, "pk", None) else None)
        attribute_to(batch, acting_user, "Network aggregates computed from member schools' rows")
        batch.save()
        counts = outcome_values_upsert(rows=changing, existing=current, batch=batch)
        if stale:
            counts.deleted = OutcomeValue.objects.filter(pk__in=stale).delete()[0]
    return counts.written
