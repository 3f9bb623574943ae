"""The California School Dashboard, computed exactly as the state computes it (pure Python).

No Django here: typed dataclasses in, dataclasses out, deterministic, exact decimals.

- `evaluate(DashboardInput) -> DashboardResult`: status level, change level, colour and `box` of one
  row of any of the eight state indicators (ELA, math, chronic absenteeism, graduation, suspension,
  English learner progress, college/career, science), with the high-school academic cut points, the
  six suspension tables, the small-denominator rule and the n-size rules (see `engine`).
- `read_dashboard_file(path)` and `check_dashboard_file(path)`: read a CDE download file and replay
  every row against its published levels, colour and box (`files`, `check`).
- `approximate_dfs(...)`: Distance from Standard from CAASPP mean scale scores per grade (`dfs`).
- `api_score(...)`, `api_growth_target(...)`: the legacy Academic Performance Index (`legacy_api`).
"""

from equitable.outcomes.dashboard.check import (
    FileCheck,
    RowCheck,
    check_dashboard_file,
    check_row,
    check_rows,
)
from equitable.outcomes.dashboard.cutpoints import (
    CutPoints,
    Direction,
    Indicator,
    SuspensionType,
    change_cut_points,
    indicator_from_code,
    status_cut_points,
)
from equitable.outcomes.dashboard.dfs import (
    LEVEL3_MINIMUM,
    DistanceFromStandard,
    GradeMeanScore,
    Subject,
    approximate_dfs,
)
from equitable.outcomes.dashboard.engine import (
    DashboardInput,
    DashboardResult,
    NoColorReason,
    RecordType,
    change_level_for,
    color_minimum_n,
    evaluate,
    status_level_for,
)
from equitable.outcomes.dashboard.files import (
    DashboardFile,
    DashboardFileError,
    DashboardFileRow,
    detect_indicator,
    parse_dashboard_text,
    read_dashboard_file,
)
from equitable.outcomes.dashboard.grids import Color, box_number, fold_change_level, grid_color, grid_for
from equitable.outcomes.dashboard.legacy_api import (
    ApiBand,
    ApiGrowth,
    ApiResult,
    ContentAreaScores,
    api_growth,
    api_growth_target,
    api_score,
)
from equitable.outcomes.dashboard.numbers import DashboardError, rate, round_tenth

__all__ = [
    "LEVEL3_MINIMUM",
    "ApiBand",
    "ApiGrowth",
    "ApiResult",
    "Color",
    "ContentAreaScores",
    "CutPoints",
    "DashboardError",
    "DashboardFile",
    "DashboardFileError",
    "DashboardFileRow",
    "DashboardInput",
    "DashboardResult",
    "Direction",
    "DistanceFromStandard",
    "FileCheck",
    "GradeMeanScore",
    "Indicator",
    "NoColorReason",
    "RecordType",
    "RowCheck",
    "Subject",
    "SuspensionType",
    "api_growth",
    "api_growth_target",
    "api_score",
    "approximate_dfs",
    "box_number",
    "change_cut_points",
    "change_level_for",
    "check_dashboard_file",
    "check_row",
    "check_rows",
    "color_minimum_n",
    "detect_indicator",
    "evaluate",
    "fold_change_level",
    "grid_color",
    "grid_for",
    "indicator_from_code",
    "parse_dashboard_text",
    "rate",
    "read_dashboard_file",
    "round_tenth",
    "status_cut_points",
    "status_level_for",
]
