"""DOMAIN.md 3.3-3.5 transcribed as text, independently of the engine's own tables.

The tests parse these strings and check the engine against them, so a slip in the engine's tables
shows up as a failure rather than being copied into the expectations.
"""

from __future__ import annotations

from decimal import Decimal

from equitable.outcomes.dashboard import Indicator, SuspensionType

# Status bands, level 5 → 1 (DOMAIN.md 3.3). Key: (indicator, high-school cut points).
STATUS_BANDS: dict[tuple[Indicator, bool], str] = {
    (Indicator.ELA, False): "≥45.0 · 10.0..44.9 · -5.0..9.9 · -70.0..-5.1 · ≤-70.1",
    (Indicator.ELA, True): "≥75.0 · 30.0..74.9 · 0.0..29.9 · -45.0..-0.1 · ≤-45.1",
    (Indicator.MATH, False): "≥35.0 · 0.0..34.9 · -25.0..-0.1 · -95.0..-25.1 · ≤-95.1",
    (Indicator.MATH, True): "≥25.0 · 0.0..24.9 · -60.0..-0.1 · -115.0..-60.1 · ≤-115.1",
    (Indicator.CHRONIC, False): "≤2.5 · 2.6..5.0 · 5.1..10.0 · 10.1..20.0 · ≥20.1",
    (Indicator.GRADUATION, False): "≥95.0 · 90.5..94.9 · 80.0..90.4 · 68.0..79.9 · ≤67.9",
    (Indicator.ELPI, False): "≥65.0 · 55.0..64.9 · 45.0..54.9 · 35.0..44.9 · ≤34.9",
    (Indicator.CCI, False): "≥70.0 · 55.0..69.9 · 35.0..54.9 · 10.0..34.9 · ≤9.9",
    (Indicator.SCIENCE, False): "≥65.0 · 55.0..64.9 · 45.0..54.9 · 35.0..44.9 · ≤34.9",
}
ACADEMIC_CHANGE = "≥15.0 · 3.0..14.9 · -2.9..2.9 · -15.0..-3.0 · ≤-15.1"
CHANGE_BANDS: dict[Indicator, str] = {
    Indicator.ELA: ACADEMIC_CHANGE,
    Indicator.MATH: ACADEMIC_CHANGE,
    Indicator.CHRONIC: "≤-3.0 · -2.9..-0.5 · -0.4..0.4 · 0.5..3.0 · ≥3.1",
    Indicator.GRADUATION: "≥5.0 · 1.0..4.9 · -0.9..0.9 · -5.0..-1.0 · ≤-5.1",
    Indicator.ELPI: "≥10.0 · 2.0..9.9 · -1.9..1.9 · -10.0..-2.0 · ≤-10.1",
    Indicator.CCI: "≥9.0 · 2.0..8.9 · -1.9..1.9 · -9.0..-2.0 · ≤-9.1",
    Indicator.SCIENCE: "≥5.0 · 2.0..4.9 · -1.9..1.9 · -5.0..-2.0 · ≤-5.1",
}
# Suspension (DOMAIN.md 3.4): status Very Low → Very High (levels 5 → 1), change DS → IS (5 → 1).
SUSPENSION_BANDS: dict[SuspensionType, tuple[str, str]] = {
    SuspensionType("ED"): ("≤0.5 · 0.6..1.5 · 1.6..3.0 · 3.1..6.0 · ≥6.1", "≤-2.0 · -1.9..-0.3 · ±0.2 · 0.3..2.0 · ≥2.1"),
    SuspensionType("HD"): ("≤1.5 · 1.6..3.5 · 3.6..6.0 · 6.1..9.0 · ≥9.1", "≤-3.0 · -2.9..-0.5 · ±0.4 · 0.5..3.0 · ≥3.1"),
    SuspensionType("UD"): ("≤1.0 · 1.1..2.5 · 2.6..4.5 · 4.6..8.0 · ≥8.1", "≤-2.0 · -1.9..-0.3 · ±0.2 · 0.3..2.0 · ≥2.1"),
    SuspensionType("ES"): ("≤0.5 · 0.6..1.0 · 1.1..3.0 · 3.1..6.0 · ≥6.1", "≤-1.0 · -0.9..-0.3 · ±0.2 · 0.3..2.0 · ≥2.1"),
    SuspensionType("MS"): ("≤0.5 · 0.6..2.0 · 2.1..8.0 · 8.1..12.0 · ≥12.1", "≤-3.0 · -2.9..-0.3 · ±0.2 · 0.3..4.0 · ≥4.1"),
    SuspensionType("HS"): ("≤0.5 · 0.6..1.5 · 1.6..6.0 · 6.1..10.0 · ≥10.1", "≤-2.0 · -1.9..-0.3 · ±0.2 · 0.3..3.0 · ≥3.1"),
}  # fmt: skip

# Colour grids (DOMAIN.md 3.5): status level → colours for change levels 1 → 5; "-" is no colour.
ACADEMIC_GRID = """
5: 4 4 5 5 5
4: 4 4 4 4 5
3: 3 3 3 4 4
2: 2 2 2 3 3
1: 1 1 1 2 2
"""
STANDARD_GRID = """
5: 3 4 5 5 5
4: 2 3 4 4 5
3: 2 2 3 4 4
2: 1 2 2 3 3
1: 1 1 1 2 3
"""
GRADUATION_GRID = """
5: - 5 5 5 5
4: 2 3 4 4 5
3: 2 2 3 4 4
2: 1 2 2 3 3
1: 1 1 1 1 1
"""
GRADUATION_SMALL_GRID = """
5: 5 5 5 5 5
4: 3 3 4 4 4
3: 2 2 3 4 4
2: 2 2 2 3 3
1: 1 1 1 1 1
"""
# Chronic, suspension, CCI with fewer than 150 students: the standard grid read with the outer change
# bands folded inward (IS→I, DS→D), i.e. only the change columns 2-4 remain (a 5 × 3 grid).
STANDARD_SMALL_GRID = """
5: 4 4 5 5 5
4: 3 3 4 4 4
3: 2 2 3 4 4
2: 2 2 2 3 3
1: 1 1 1 2 2
"""

Band = tuple[Decimal | None, Decimal | None]


def parse_bands(text: str) -> list[Band]:
    """'≥45.0 · 10.0..44.9 · …' → [(45.0, None), (10.0, 44.9), …] in level order 5 → 1."""
    bands: list[Band] = []
    for token in (part.strip() for part in text.split("·")):
        if token.startswith("≥"):
            bands.append((Decimal(token[1:]), None))
        elif token.startswith("≤"):
            bands.append((None, Decimal(token[1:])))
        elif token.startswith("±"):
            bands.append((-Decimal(token[1:]), Decimal(token[1:])))
        else:
            low, high = token.split("..")
            bands.append((Decimal(low), Decimal(high)))
    assert len(bands) == 5, text
    return bands


def band_edges(text: str) -> list[tuple[Decimal, int]]:
    """Every band's end points (and a value well beyond each open end) with the level expected."""
    edges = []
    for level, (low, high) in zip((5, 4, 3, 2, 1), parse_bands(text), strict=True):
        if low is not None:
            edges.append((low, level))
        if high is not None:
            edges.append((high, level))
        if low is None:
            edges.append((high - 50, level))
        if high is None:
            edges.append((low + 50, level))
    return edges


def representative(text: str) -> dict[int, Decimal]:
    """One value inside each level's band."""
    return {
        level: low if low is not None else high
        for level, (low, high) in zip((5, 4, 3, 2, 1), parse_bands(text), strict=True)
    }


def parse_grid(text: str) -> dict[tuple[int, int], int]:
    """(status level, change level) → colour, 0 for no colour."""
    cells = {}
    for line in text.strip().splitlines():
        status, colours = line.split(":")
        for change, colour in enumerate(colours.split(), start=1):
            cells[int(status), change] = 0 if colour == "-" else int(colour)
    assert len(cells) == 25
    return cells
