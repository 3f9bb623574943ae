"""`equitable allocate --input schools.csv --method proportional --pool 2500000 [options]`: split a pool among the
schools of a CSV/XLSX file, without the database. `--scenario NAME` reads the schools and options from a scenario
in the database instead (through `equitable.funding.services.scenario_allocation_rows`).

Columns: `id`, `enrollment`, and `need` (or `need_score`) — or indicator columns, from which the need score is
computed with the need index (percentile ranks, equal weights unless `--indicators` says otherwise) — and,
optionally, `tier` (without it, tiers are the quintiles of the need score: 1 = the highest-need fifth), `floor`, `cap`, `prior`, `base`, `grade_weight`, `poverty`, `english_learners`,
`disabilities` (a `name` column is ignored). Headers are read in their common spellings too (`school_id`,
`need_score`, `prior_amount`, … : `core.tabular.SCHOOL_FILE_ALIASES`). Need is a 0–100 score, or a 0–1 share
when every value lies within 0–1 (`--need-scale` fixes it). Prints `id,amount,per_pupil` (or JSON), and a
summary on stderr.
Bad input exits with status 2 and says what and where (row numbers count the header as row 1).
"""

from __future__ import annotations

import json
import math

from django.core.management.base import BaseCommand, CommandError

from equitable.funding.allocation import (
    DEFAULT_WEIGHTS,
    METHODS,
    AllocationError,
    AllocationOptions,
    AllocationResult,
    SchoolInput,
    allocate,
    method_named,
)
from equitable.funding.allocation.cents import round_to_cents

NUMERIC = ("enrollment", "tier", "floor", "cap", "prior", "base", "grade_weight", "poverty", "english_learners",
           "disabilities")
KNOWN = {"id", "name", "need", *NUMERIC}
WEIGHT_ALIASES = {"el": "english_learners", "ell": "english_learners", "swd": "disabilities",
                  "sped": "disabilities", "frpm": "poverty"}


def fail(message: str) -> CommandError:
    return CommandError(message, returncode=2)


def _number(text: str, what: str) -> float:
    try:
        value = float(text.replace(",", "").replace("$", "")) if isinstance(text, str) else float(text)
    except ValueError:
        raise fail(f"{what}: {text!r} is not a number.") from None
    if not math.isfinite(value):
        raise fail(f"{what}: {text!r} is not a finite number.")
    return value


def _pairs(text: str, what: str) -> dict[str, float]:
    out = {}
    for part in filter(None, (p.strip() for p in text.split(","))):
        key, sep, value = part.partition("=")
        if not sep:
            raise fail(f"{what}: expected name=value, got {part!r}.")
        out[key.strip()] = _number(value.strip(), f"{what} {key.strip()}")
    return out


class Command(BaseCommand):
    help = "Split a funding pool among schools (CSV/XLSX in, CSV/JSON out); works without the database."

    def add_arguments(self, parser):
        parser.add_argument("--input", "-i", help="CSV or XLSX with one row per school")
        parser.add_argument("--scenario", help="allocate a scenario from the database instead of a file")
        parser.add_argument("--method", default="proportional", help=f"one of {', '.join(METHODS)}")
        parser.add_argument("--pool", help="dollars to allocate")
        parser.add_argument("--floor", help="least any school gets (a floor column overrides it)")
        parser.add_argument("--cap", help="most any school gets (a cap column overrides it)")
        parser.add_argument("--hold-harmless", help="share of the prior amount kept, e.g. 0.9")
        parser.add_argument("--minimum-grant", help="a school gets nothing or at least this")
        parser.add_argument("--monotone", action="store_true", help="needier schools never get less per pupil")
        parser.add_argument("--tier-rates", help="per-pupil rates for tiers 1..5, e.g. 3,2.5,2,1.5,1")
        parser.add_argument("--weights", help="weighted formula extras, e.g. poverty=.12,english_learners=.4")
        parser.add_argument("--need-multiplier", help="proportional: x ∝ e·(1 + β·s), s the need share; default 1")
        parser.add_argument("--need-scale", help="need share s = need/scale: 100 for 0–100 scores, 1 for 0–1 "
                                                 "shares; default 100, or 1 when every need is within 0–1")
        parser.add_argument("--indicators", help="need from indicators: code=weight,… (negative weight: lower "
                                                 "values mean more need); default every extra column, weight 1")
        parser.add_argument("--no-spend-exactly", action="store_true",
                            help="report money the caps cannot place as a remainder instead of failing")
        parser.add_argument("--format", dest="fmt", choices=("csv", "json"), default="csv")

    def handle(self, *args, **o):
        method = method_named(o["method"])
        if method is None:
            raise fail(f"Unknown method {o['method']!r}; choose one of {', '.join(METHODS)}.")
        o["method"] = method
        if o["scenario"]:
            result = self._scenario(o)
        else:
            if not o["input"]:
                raise fail("Give --input FILE (or --scenario NAME).")
            if o["pool"] is None:
                raise fail("Give --pool, the dollars to allocate.")
            schools = self._read(o)
            try:
                result = allocate(schools, self._options(o))
            except AllocationError as exc:
                raise fail(str(exc)) from None
        self._write(result, o["fmt"])

    # -- input -------------------------------------------------------------------------------------------------
    def _options(self, o) -> AllocationOptions:
        weights = None
        if o["weights"]:
            weights = {WEIGHT_ALIASES.get(k, k): v for k, v in _pairs(o["weights"], "--weights").items()}
            unknown = set(weights) - set(DEFAULT_WEIGHTS)
            if unknown:
                raise fail(f"--weights: unknown {', '.join(sorted(unknown))}; use {', '.join(DEFAULT_WEIGHTS)}.")
        rates = None
        if o["tier_rates"]:
            rates = [_number(r.strip(), "--tier-rates") for r in o["tier_rates"].split(",") if r.strip()]
        return AllocationOptions(
            method=o["method"],
            pool=_number(o["pool"], "--pool"),
            tier_rates=rates,
            weights=weights,
            need_multiplier=_number(o["need_multiplier"], "--need-multiplier") if o["need_multiplier"] else 1.0,
            spend_exactly=not o["no_spend_exactly"],
            minimum_grant=_number(o["minimum_grant"], "--minimum-grant") if o["minimum_grant"] else 0.0,
            monotone_per_pupil=o["monotone"],
            hold_harmless=_number(o["hold_harmless"], "--hold-harmless") if o["hold_harmless"] else None,
            need_scale=_number(o["need_scale"], "--need-scale") if o.get("need_scale") else None,
        )

    def _read(self, o) -> list[SchoolInput]:
        from equitable.core.tabular import TableFormatError, canonical_header, read_table, repeated_columns

        try:
            header, rows = read_table(o["input"], null_values=("NA", "N/A", "*", "--"))
            rows = list(rows)
        except FileNotFoundError:
            raise fail(f"{o['input']}: no such file.") from None
        except (TableFormatError, OSError) as exc:
            raise fail(f"{o['input']}: {exc}") from None
        known = canonical_header(header, KNOWN)
        twice = repeated_columns(known)
        if twice:
            raise fail(f"{o['input']}: more than one column for {', '.join(twice)} "
                       f"({', '.join(c for c in header if known.get(c) in twice)}).")
        rows = [(number, {known.get(k, k): v for k, v in row.items()}) for number, row in rows]
        columns = set(known.values())
        id_column = "id" if "id" in columns else None
        need_column = "need" if "need" in columns else None
        missing = [c for c, ok in (("id", id_column), ("enrollment", "enrollment" in columns)) if not ok]
        indicator_columns = [c for c in header if c and c not in known]
        needs_need = o["method"] in ("proportional", "maxmin") or o["monotone"]
        if needs_need and need_column is None and not indicator_columns:
            missing.append("need (or need_score, or indicator columns)")
        if missing:
            raise fail(f"{o['input']}: missing column(s) {', '.join(missing)}.")
        if not rows:
            raise fail(f"{o['input']}: no schools (only a header).")
        fixed_floor = _number(o["floor"], "--floor") if o["floor"] else 0.0
        fixed_cap = _number(o["cap"], "--cap") if o["cap"] else None
        records = []
        for number, row in rows:
            if "__extra__" in row:
                raise fail(f"Row {number}: more cells than columns.")
            record: dict = {"school_id": row[id_column]}
            if not record["school_id"]:
                raise fail(f"Row {number}: the id is empty.")
            for column in NUMERIC:
                text = row.get(column, "")
                if text == "":
                    if column == "enrollment":
                        raise fail(f"Row {number}: enrollment is empty.")
                    continue
                value = _number(text, f"Row {number}, column {column}")
                if column in ("enrollment", "tier", "poverty", "english_learners", "disabilities"):
                    if value != int(value):
                        raise fail(f"Row {number}, column {column}: {text!r} is not a whole number.")
                    value = int(value)
                if value < 0:
                    raise fail(f"Row {number}, column {column}: must not be negative ({text}).")
                record[column] = value
            if record["enrollment"] <= 0:
                raise fail(f"Row {number}: enrollment must be positive ({row['enrollment']}).")
            record.setdefault("floor", fixed_floor)
            if fixed_cap is not None:
                record.setdefault("cap", fixed_cap)
            if need_column and row.get(need_column, "") != "":
                record["need"] = _number(row[need_column], f"Row {number}, column {need_column}")
            records.append((number, record, row))
        if need_column is None and indicator_columns:
            self._compute_need(records, indicator_columns, o)
        self._tiers_from_need(records)
        return [SchoolInput(**record) for _, record, _ in records]

    def _tiers_from_need(self, records) -> None:
        """Without a tier column, schools get need tiers by quintile of their need score, as SENI does (tier 1 =
        the highest-need fifth), so the tiered method and the tier metrics work from a need column alone."""
        if any("tier" in record for _, record, _ in records):
            return
        if not records or any(record.get("need") is None for _, record, _ in records):
            return
        import numpy as np

        from equitable.equity.need_index import rank_and_tier

        _ranks, tiers = rank_and_tier(np.array([float(r["need"]) for _, r, _ in records]), None)
        for (_number, record, _row), tier in zip(records, tiers, strict=True):
            record["tier"] = int(tier)

    def _compute_need(self, records, columns: list[str], o) -> None:
        from equitable.equity.need_index import IndicatorSpec, NeedIndexError, NeedInput, compute_need

        specs = []
        chosen = _pairs(o["indicators"], "--indicators") if o["indicators"] else {c: 1.0 for c in columns}
        for code, weight in chosen.items():
            if code not in columns:
                raise fail(f"--indicators: no column {code!r} in the file (indicator columns: {', '.join(columns)}).")
            specs.append(IndicatorSpec(code=code, weight=abs(weight), higher_is_more_need=weight >= 0))
        values: dict[str, list[float | None]] = {spec.code: [] for spec in specs}
        for number, _record, row in records:
            for spec in specs:
                text = row.get(spec.code, "")
                values[spec.code].append(None if text == "" else
                                         _number(text, f"Row {number}, column {spec.code}"))
        try:
            result = compute_need(NeedInput(school_ids=[r["school_id"] for _, r, _ in records], values=values,
                                            indicators=specs))
        except NeedIndexError as exc:
            raise fail(f"Need index: {exc}") from None
        for (number, record, _row), school in zip(records, result.schools, strict=True):
            if school.score is None:
                raise fail(f"Row {number}: school {record['school_id']} has no need score "
                           f"({school.reason or 'excluded'}).")
            record["need"] = school.score
            record.setdefault("tier", school.tier)

    def _scenario(self, o) -> AllocationResult | list[dict]:
        """Database mode: `equitable.funding.services.scenario_allocation_rows(name)` (the funding app) returns the
        scenario's stored allocation as dicts with id, amount, per_pupil (or an AllocationResult)."""
        try:
            from equitable.funding import services
        except ImportError:
            services = None
        hook = getattr(services, "scenario_allocation_rows", None)
        if hook is None:
            raise fail("--scenario is not available yet: this installation cannot read scenarios from the "
                       "database; use --input FILE.")
        from equitable.core.exceptions import DomainError

        try:
            return hook(o["scenario"])
        except (DomainError, LookupError) as exc:
            raise fail(str(getattr(exc, "message", None) or exc)) from None

    # -- output ------------------------------------------------------------------------------------------------
    def _write(self, result: AllocationResult | list[dict], fmt: str) -> None:
        if not isinstance(result, AllocationResult):
            self._write_rows(result, fmt)
            return
        m = result.metrics
        # Whole cents that add up to what was placed (largest remainder), per pupil from those cents.
        amounts = round_to_cents([s.amount for s in result.schools], round(result.total, 2))
        evens = round_to_cents([s.even_amount for s in result.schools], round(result.total + result.remainder, 2))
        if fmt == "json":
            payload = {
                "method": result.method, "total": round(result.total, 2), "remainder": round(result.remainder, 2),
                "metrics": {k: getattr(m, k) for k in ("gini_per_pupil", "tier_ratio", "share_to_highest_quintile",
                                                       "need_correlation", "min_per_pupil", "max_per_pupil",
                                                       "optimum")} | {"dropped": list(m.dropped)},
                "schools": [{"id": s.school_id, "amount": float(a), "per_pupil": round(float(a) / s.enrollment, 2),
                             "even_amount": float(even), "difference_from_even": float(a - even)}
                            for s, a, even in zip(result.schools, amounts, evens, strict=True)],
            }
            self.stdout.write(json.dumps(payload, indent=2))
        else:
            lines = ["id,amount,per_pupil"]
            lines += [f"{_csv_cell(s.school_id)},{a:.2f},{float(a) / s.enrollment:.2f}"
                      for s, a in zip(result.schools, amounts, strict=True)]
            self.stdout.write("\n".join(lines))
        self.stderr.write(summary(result))


    def _write_rows(self, rows: list[dict], fmt: str) -> None:
        if fmt == "json":
            self.stdout.write(json.dumps({"schools": rows}, indent=2))
        else:
            lines = ["id,amount,per_pupil"]
            lines += [f"{_csv_cell(str(r['id']))},{float(r['amount']):.2f},{float(r['per_pupil']):.2f}" for r in rows]
            self.stdout.write("\n".join(lines))
        total = sum(float(r["amount"]) for r in rows)
        self.stderr.write(f"scenario: {len(rows)} schools, allocated ${total:,.2f}")


def _fmt(value: float | None, digits: int = 3) -> str:
    return "n/a" if value is None else f"{value:.{digits}f}"


def summary(result: AllocationResult) -> str:
    m = result.metrics
    parts = [f"{result.method}: {len(result.schools)} schools, allocated ${result.total:,.2f}, "
             f"remainder ${result.remainder:,.2f}",
             f"Gini per pupil {_fmt(m.gini_per_pupil)}",
             f"tier 1/tier 5 per pupil {_fmt(m.tier_ratio, 2)}",
             f"share to tier 1 {_fmt(m.share_to_highest_quintile)}",
             f"need correlation {_fmt(m.need_correlation)}"]
    if m.dropped:
        parts.append(f"dropped by the minimum grant: {', '.join(m.dropped)}")
    if result.method in ("proportional", "maxmin") and result.need_scale != 100.0:
        parts.append(f"need read as shares (need/{result.need_scale:g})")
    return "; ".join(parts)


def _csv_cell(text: str) -> str:
    if any(ch in text for ch in ',"\n'):
        return '"' + text.replace('"', '""') + '"'
    return text
