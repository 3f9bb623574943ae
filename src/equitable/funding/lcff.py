"""An estimate of the LCFF supplemental and concentration grants a school's students generate (DOMAIN.md 2.3,
Ed Code 42238.02). Pure; no Django.

    UPP           = Σ unduplicated / Σ enrollment over the (up to) three latest years (Census Day counts)
    AdjBase_g     = Base_g × (1 + GSA_g)        GSA: K-3 10.4 % (class size ≤ 24), 9-12 2.6 %, else 0
    BaseTotal     = Σ_g AdjBase_g × ADA_g       g ∈ {K-3, 4-6, 7-8, 9-12}
    Supplemental  = 20 % × BaseTotal × UPP
    Concentration = 65 % × BaseTotal × max(0, UPP − 55 %)

The LCFF is computed for a district, not a school: this is the share of it that one school's students
generate, the figure equity advocates compare with what the school receives. Charters: the concentration
grant uses the lesser of the school's and the host district's UPP (give `host_upp`). Add-ons are not included.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

SPANS = ("K-3", "4-6", "7-8", "9-12")

#: 2024-25 base grants per ADA (DOMAIN.md 2.3; check CDE's 2024-25 rates page for the final figures).
BASE_2024_25: Mapping[str, float] = {"K-3": 10025.0, "4-6": 10177.0, "7-8": 10478.0, "9-12": 12144.0}
GSA: Mapping[str, float] = {"K-3": 0.104, "9-12": 0.026}


class LcffError(ValueError):
    """Bad input to the LCFF estimate."""


@dataclass(frozen=True)
class LcffInput:
    school_id: str
    ada_by_span: Mapping[str, float]        # "K-3", "4-6", "7-8", "9-12" → average daily attendance
    unduplicated: Sequence[int]             # unduplicated pupils (FRPM ∪ EL ∪ foster), oldest year first, ≤ 3 years
    enrollment: Sequence[int]               # Census Day enrollment for the same years
    host_upp: float | None = None           # charters: the host district's UPP (concentration uses the lesser)


@dataclass(frozen=True)
class LcffRates:
    base: Mapping[str, float] = field(default_factory=lambda: dict(BASE_2024_25))
    gsa: Mapping[str, float] = field(default_factory=lambda: dict(GSA))
    supplemental: float = 0.20
    concentration: float = 0.65
    threshold: float = 0.55


@dataclass(frozen=True)
class LcffEstimate:
    school_id: str
    upp: float
    base_total: float
    supplemental: float
    concentration: float

    @property
    def entitlement(self) -> float:
        return self.base_total + self.supplemental + self.concentration


def unduplicated_pupil_percentage(unduplicated: Sequence[int], enrollment: Sequence[int]) -> float:
    if len(unduplicated) != len(enrollment) or not 1 <= len(enrollment) <= 3:
        raise LcffError("Give one to three years of unduplicated and enrollment counts, the same number of each.")
    for u, e in zip(unduplicated, enrollment, strict=True):
        if e < 0 or u < 0 or u > e:
            raise LcffError(f"Unduplicated count {u} must be between 0 and the enrollment {e}.")
    total = sum(enrollment)
    if total <= 0:
        raise LcffError("Enrollment over the years is zero: no UPP.")
    return sum(unduplicated) / total


def estimate_lcff(inp: LcffInput, rates: LcffRates | None = None) -> LcffEstimate:
    rates = rates or LcffRates()
    unknown = set(inp.ada_by_span) - set(SPANS)
    if unknown:
        raise LcffError(f"Unknown grade span(s) {', '.join(sorted(unknown))}; use {', '.join(SPANS)}.")
    base_total = 0.0
    for span, ada in inp.ada_by_span.items():
        if ada < 0:
            raise LcffError(f"ADA for {span} must not be negative.")
        base_total += rates.base[span] * (1.0 + rates.gsa.get(span, 0.0)) * ada
    upp = unduplicated_pupil_percentage(inp.unduplicated, inp.enrollment)
    concentration_upp = upp if inp.host_upp is None else min(upp, inp.host_upp)
    return LcffEstimate(
        school_id=inp.school_id,
        upp=upp,
        base_total=base_total,
        supplemental=rates.supplemental * base_total * upp,
        concentration=rates.concentration * base_total * max(0.0, concentration_upp - rates.threshold),
    )
