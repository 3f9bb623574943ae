"""`equitable need-index`: need scores, ranks, tiers and per-indicator contributions, on the command line.

Analyst mode (no database):

    equitable need-index --input schools.csv [--weights code=w,code=w] [--lower-is-more-need code,code]
        [--normalization percentile|zscore|minmax] [--missing reweight|median|exclude]
        [--cut-points a,b,c,d] [--format csv|json]

The file (CSV or XLSX) has an `id` column (or `school_id`, `cds_code`) and one column per indicator (every
other column, except `name`, the allocation inputs `enrollment`, `tier`, `floor`, `cap`, `prior`, `base`,
`grade_weight`, `need` and their other spellings such as `need_score` or `prior_amount` (see
`core.tabular.SCHOOL_FILE_ALIASES`) — so the file `equitable allocate` reads works here too — and those named in `--ignore`; an
allocation-input column named in `--weights` or `--lower-is-more-need` counts as an indicator after all). An empty cell (or NA, N/A, *, --) is a missing value; each indicator weighs
1 unless `--weights` says otherwise. Prints one row per school, in file order: id, score, rank, tier,
tier_name, then one `contribution_<code>` column per indicator (they sum to the score). Schools excluded
by the missing-data rule get empty score, rank and tier, and a note on stderr says why.

From the database: `equitable need-index --model NAME --year 2025-26` computes a stored need model over
the network's schools that year (ids are CDS codes) and prints the same table; it stores nothing.

Bad input (no `id` column, no indicator columns, a value that is not a number, a negative weight, an
unknown option) gets a message on stderr and exit code 2.
"""

from __future__ import annotations

import csv
import io
import json
import math
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from equitable.equity.need_index import (
    MISSING_RULES,
    NORMALIZATIONS,
    IndicatorSpec,
    NeedIndexError,
    NeedInput,
    NeedResult,
    compute_need,
)

ERROR_EXIT = 2
ID_COLUMN = "id"
SKIPPED_COLUMNS = ("name",)
# Columns of the `equitable allocate` file that describe a school's allocation, not its need.
ALLOCATION_COLUMNS = ("enrollment", "tier", "floor", "cap", "prior", "base", "grade_weight", "need", "need_score")
NULLS = {"", "na", "n/a", "*", "--"}
FIXED_COLUMNS = ("id", "score", "rank", "tier", "tier_name")


def _fail(message: str) -> CommandError:
    return CommandError(message, returncode=ERROR_EXIT)


def parse_weights(text: str | None) -> dict[str, float]:
    """"a=2,b=0.5" → {"a": 2.0, "b": 0.5}."""
    weights: dict[str, float] = {}
    for item in (text or "").split(","):
        item = item.strip()
        if not item:
            continue
        code, sep, number = item.partition("=")
        code = code.strip()
        if not sep or not code:
            raise _fail(f"--weights: {item!r} is not code=weight (e.g. --weights ela=2,asthma=0.5).")
        try:
            weight = float(number)
        except ValueError:
            raise _fail(f"--weights: the weight of {code!r} is not a number: {number.strip()!r}.") from None
        if not math.isfinite(weight):
            raise _fail(f"--weights: the weight of {code!r} must be a finite number.")
        if weight < 0:
            raise _fail(f"--weights: the weight of {code!r} is negative ({weight:g}); weights must be ≥ 0.")
        if code in weights:
            raise _fail(f"--weights: {code!r} is given twice.")
        weights[code] = weight
    return weights


def parse_codes(text: str | None) -> list[str]:
    return [code.strip() for code in (text or "").split(",") if code.strip()]


def parse_cut_points(text: str | None) -> list[float] | None:
    if text is None or not text.strip():
        return None
    try:
        cuts = [float(part) for part in text.split(",")]
    except ValueError:
        raise _fail(f"--cut-points: {text!r} is not four numbers separated by commas.") from None
    if len(cuts) != 4 or not all(math.isfinite(c) for c in cuts):
        raise _fail(f"--cut-points: give four numbers (Lowest|Low|Moderate|High|Highest), not {text!r}.")
    if any(b <= a for a, b in zip(cuts, cuts[1:], strict=False)):
        raise _fail(f"--cut-points: the four cut points must be strictly ascending: {text!r}.")
    return cuts


def read_indicator_file(path: Path, ignore: list[str], named: tuple[str, ...] = (), skipped_out: list | None = None
                        ) -> tuple[list[str], list[str], dict[str, list[float | None]]]:
    """Read `id` + indicator columns; every problem at once, with row numbers (header = row 1). Allocation-input
    columns are skipped unless `named` (by --weights or --lower-is-more-need); those skipped are appended to
    `skipped_out`."""
    from equitable.core.tabular import TableFormatError, canonical_header, read_table

    try:
        header, rows = read_table(path)
    except (TableFormatError, OSError) as exc:
        raise _fail(f"{path}: {exc}") from None
    found = canonical_header(header, (ID_COLUMN, *SKIPPED_COLUMNS, *ALLOCATION_COLUMNS))
    id_columns = [column for column, key in found.items() if key == ID_COLUMN]
    if not id_columns:
        raise _fail(f"{path.name}: no `id` column (the header has: {', '.join(header) or 'nothing'}).")
    if len(id_columns) > 1:
        raise _fail(f"{path.name}: more than one id column ({', '.join(id_columns)}).")
    id_column = id_columns[0]
    allocation = [column for column, key in found.items() if key in ALLOCATION_COLUMNS and column not in named]
    if skipped_out is not None:
        skipped_out.extend(allocation)
    skipped = ({id_column} | {column for column, key in found.items() if key in SKIPPED_COLUMNS} | set(ignore)
               | set(allocation))
    unknown = [c for c in ignore if c not in header]
    if unknown:
        raise _fail(f"--ignore: no column named {', '.join(unknown)} in {path.name}.")
    codes = [column for column in header if column not in skipped and column]
    if not codes:
        raise _fail(f"{path.name}: no indicator columns: give `id` and at least one indicator column.")
    duplicates = sorted({c for c in codes if codes.count(c) > 1})
    if duplicates:
        raise _fail(f"{path.name}: column {', '.join(duplicates)} appears more than once.")
    ids: list[str] = []
    values: dict[str, list[float | None]] = {code: [] for code in codes}
    errors: list[str] = []
    seen: dict[str, int] = {}
    try:
        for number, row in rows:
            if "__extra__" in row:
                errors.append(f"row {number}: {row['__extra__']} more cell(s) than the header has columns")
            school_id = row.get(id_column, "").strip()
            if not school_id:
                errors.append(f"row {number}: the `id` is empty")
            elif school_id in seen:
                errors.append(f"row {number}: id {school_id!r} already on row {seen[school_id]}")
            seen.setdefault(school_id, number)
            ids.append(school_id)
            for code in codes:
                cell = (row.get(code) or "").strip()
                if cell.lower() in NULLS:
                    values[code].append(None)
                    continue
                try:
                    value = float(cell)
                except ValueError:
                    value = math.nan
                if not math.isfinite(value):
                    errors.append(f"row {number}, column {code}: {cell!r} is not a number")
                    value = None
                values[code].append(value)
    except TableFormatError as exc:
        raise _fail(f"{path}: {exc}") from None
    if errors:
        shown = errors[:50]
        more = f"\n… and {len(errors) - 50} more" if len(errors) > 50 else ""
        raise _fail(f"{path.name}: {len(errors)} error(s), nothing computed:\n" + "\n".join(shown) + more)
    if not ids:
        raise _fail(f"{path.name}: no school rows under the header.")
    return ids, codes, values


def _number(value: float | None) -> str:
    if value is None:
        return ""
    rounded = round(value, 9)
    return repr(rounded + 0.0)  # + 0.0 turns -0.0 into 0.0


#: Other spellings people type for the normalizations and missing-data rules.
SPELLINGS = {"percentile_rank": "percentile", "percentiles": "percentile", "rank": "percentile",
             "z": "zscore", "z_score": "zscore", "standard_score": "zscore", "min_max": "minmax",
             "range": "minmax", "re_weight": "reweight", "renormalize": "reweight", "impute": "median",
             "impute_median": "median", "drop": "exclude"}


def _spelled(value: str) -> str:
    key = value.strip().lower().replace("-", "_").replace(" ", "_")
    return SPELLINGS.get(key, key)


class Command(BaseCommand):
    help = "Need scores, ranks, tiers and per-indicator contributions from a CSV of indicator values."
    requires_system_checks = []

    def create_parser(self, prog_name, subcommand, **kwargs):
        return super().create_parser(prog_name, subcommand.replace("_", "-"), **kwargs)

    def add_arguments(self, parser):
        parser.add_argument("--input", metavar="FILE",
                            help="CSV or XLSX: an `id` column and one column per indicator (empty = missing)")
        parser.add_argument("--weights", default=None, metavar="code=w,…",
                            help="indicator weights (≥ 0; default 1 each; normalized over present indicators)")
        parser.add_argument("--lower-is-more-need", dest="lower", default=None, metavar="code,…",
                            help="indicators where a lower value means more need (e.g. test scores)")
        parser.add_argument("--normalization", type=_spelled, choices=NORMALIZATIONS, default=None,
                            help="percentile rank with ties averaged (default), z-score or min-max")
        parser.add_argument("--missing", type=_spelled, choices=MISSING_RULES, default=None,
                            help="missing values: re-weight over present indicators (default), impute the "
                                 "median, or exclude the school")
        parser.add_argument("--cut-points", dest="cut_points", default=None, metavar="a,b,c,d",
                            help="four ascending score cut points for the tiers (default: quintiles)")
        parser.add_argument("--ignore", default=None, metavar="column,…",
                            help="columns that are not indicators (a `name` column is always skipped)")
        parser.add_argument("--format", choices=("csv", "json"), default="csv")
        parser.add_argument("--model", default=None, metavar="NAME",
                            help="compute a need model stored in the database instead of a file")
        parser.add_argument("--year", default=None, metavar="2025-26", help="the need model's school year")

    def handle(self, *args, **options):
        if options.get("model"):
            if options.get("input"):
                raise _fail("Give either --input FILE or --model NAME, not both.")
            codes, result = self._from_database(options)
        else:
            if not options.get("input"):
                raise _fail("Give --input FILE (a CSV of id + indicator columns) or --model NAME --year YEAR.")
            codes, result = self._from_file(options)
        for school in result.schools:
            if school.excluded:
                self.stderr.write(f"note: {school.school_id} excluded: {school.reason}")
        if options["format"] == "json":
            self._write_json(result, codes)
        else:
            self._write_csv(result, codes)

    # -- inputs -------------------------------------------------------------------------------------------

    def _from_file(self, options) -> tuple[list[str], NeedResult]:
        """(indicator codes, result) for an --input file."""
        path = Path(options["input"])
        if not path.is_file():
            raise _fail(f"No such file: {path}")
        weights = parse_weights(options.get("weights"))
        lower = parse_codes(options.get("lower"))
        skipped: list[str] = []
        ids, codes, values = read_indicator_file(path, parse_codes(options.get("ignore")),
                                                 named=(*weights, *lower), skipped_out=skipped)
        if skipped:
            self.stderr.write(f"note: {', '.join(skipped)} describe(s) the allocation, not need: not indicators "
                              "(name one in --weights to count it).")
        for flag, named in (("--weights", list(weights)), ("--lower-is-more-need", lower)):
            unknown = [code for code in named if code not in codes]
            if unknown:
                raise _fail(f"{flag}: no indicator column named {', '.join(unknown)} "
                            f"(the indicators are: {', '.join(codes)}).")
        specs = [IndicatorSpec(code, weights.get(code, 1.0), code not in lower) for code in codes]
        need_input = NeedInput(
            school_ids=ids, values=values, indicators=specs,
            normalization=options.get("normalization") or "percentile",
            missing=options.get("missing") or "reweight",
            cut_points=parse_cut_points(options.get("cut_points")),
        )
        return codes, self._compute(need_input)

    def _from_database(self, options) -> tuple[list[str], NeedResult]:
        from dataclasses import replace

        from equitable.equity.models import NeedModel
        from equitable.equity.selectors import need_model_input, school_year_named

        for flag in ("weights", "lower", "ignore"):
            if options.get(flag):
                raise _fail("--weights, --lower-is-more-need and --ignore apply to --input files; "
                            "a stored need model has its own weights and directions.")
        if not options.get("year"):
            raise _fail("--model needs --year (e.g. --year 2025-26).")
        try:
            year = school_year_named(options["year"])
        except LookupError as exc:
            raise _fail(str(exc)) from None
        need_model = NeedModel.objects.filter(name=options["model"], school_year=year).first()
        if need_model is None:
            known = ", ".join(NeedModel.objects.filter(school_year=year).values_list("name", flat=True)) or "none"
            raise _fail(f"No need model {options['model']!r} in {year.name}; models that year: {known}.")
        gathered = need_model_input(need_model)
        need_input = gathered.need_input
        changes = {key: options[key] for key in ("normalization", "missing") if options.get(key)}
        cuts = parse_cut_points(options.get("cut_points"))
        if cuts is not None:
            changes["cut_points"] = cuts
        by_pk = {str(school.pk): school.cds_code for school in gathered.schools}
        changes["school_ids"] = [by_pk[pk] for pk in need_input.school_ids]
        need_input = replace(need_input, **changes)
        if not need_input.school_ids:
            raise _fail(f"No network schools in {year.name} to score.")
        return [spec.code for spec in need_input.indicators], self._compute(need_input)

    def _compute(self, need_input: NeedInput) -> NeedResult:
        try:
            return compute_need(need_input)
        except NeedIndexError as exc:
            raise _fail(str(exc)) from None

    # -- outputs ------------------------------------------------------------------------------------------

    def _write_csv(self, result: NeedResult, codes: list[str]) -> None:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow([*FIXED_COLUMNS, *(f"contribution_{code}" for code in codes)])
        for school in result.schools:
            writer.writerow([
                school.school_id, _number(school.score), school.rank or "", school.tier or "",
                school.tier_name or "", *(_number(school.contributions.get(code)) for code in codes),
            ])
        self.stdout.write(buffer.getvalue(), ending="")

    def _write_json(self, result: NeedResult, codes: list[str]) -> None:
        payload = {
            "normalization": result.normalization,
            "missing": result.missing,
            "indicators": codes,
            "schools": [
                {
                    "id": school.school_id,
                    "score": school.score,
                    "rank": school.rank,
                    "tier": school.tier,
                    "tier_name": school.tier_name,
                    "contributions": dict(school.contributions),
                    "normalized": dict(school.normalized),
                    "missing": list(school.missing),
                    "imputed": list(school.imputed),
                    "excluded": school.excluded,
                    "reason": school.reason,
                }
                for school in result.schools
            ],
        }
        self.stdout.write(json.dumps(payload, indent=2, ensure_ascii=False))
