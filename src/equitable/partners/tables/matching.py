"""Columns of the matching pages. Both lists are built by `selectors.matching` (ranked suggestions for a
school; the network assignment); the exports carry the same rows as plain values (`suggestion_rows`,
`assignment_rows`), the pages show these columns with a score bar and the reasons."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

SUGGESTION_COLUMNS = (
    ("rank", _("Rank")),
    ("partner", _("Partner")),
    ("score", _("Score")),
    ("reasons", _("Why")),
)

ASSIGNMENT_COLUMNS = (
    ("school", _("School")),
    ("need", _("Need")),
    ("priority", _("Priority")),
    ("partner", _("Partner")),
    ("score", _("Fit")),
    ("reasons", _("Why")),
    ("state", _("State")),
)

COMPONENT_LABELS = (
    ("focus_fit", _("Focus fit")),
    ("community", _("Community")),
    ("language", _("Language")),
    ("capacity", _("Capacity left")),
    ("clearance_score", _("Clearance")),
    ("past_score", _("Past results")),
)


def components(suggestion) -> list[tuple[str, float]]:
    """(label, value in [0, 1]) of each part of a suggestion's score, for the page's detail."""
    return [(str(label), getattr(suggestion, name)) for name, label in COMPONENT_LABELS]
