"""The pure allocation engine: split a pool among schools by one of seven methods (no Django).

See engine.py for the rules every method follows, waterfill.py and lp.py for how they are solved and
metrics.py for how an allocation is measured.
"""

from equitable.funding.allocation.engine import DEFAULT_TIER_RATES, allocate
from equitable.funding.allocation.metrics import weighted_gini
from equitable.funding.allocation.types import (
    DEFAULT_WEIGHTS,
    METHODS,
    AllocationError,
    AllocationMetrics,
    AllocationOptions,
    AllocationResult,
    InfeasibleAllocation,
    Method,
    SchoolAllocation,
    SchoolInput,
    method_named,
)

__all__ = [
    "DEFAULT_TIER_RATES",
    "DEFAULT_WEIGHTS",
    "METHODS",
    "AllocationError",
    "AllocationMetrics",
    "AllocationOptions",
    "AllocationResult",
    "InfeasibleAllocation",
    "Method",
    "SchoolAllocation",
    "SchoolInput",
    "allocate",
    "method_named",
    "weighted_gini",
]
