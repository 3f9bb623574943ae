"""Tables of the outcomes pages. Cells that render HTML have a `value_<column>` twin so exports carry plain
values. Goal progress comes from `selectors.progress_of` on rows annotated by `selectors.goal_list`."""

from __future__ import annotations

from decimal import Decimal

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from equitable.outcomes.codes import school_year_label
from equitable.outcomes.models import Goal
from equitable.outcomes.selectors import group_label, progress_of
from equitable.web.generic import ChoosableTable

NUM = {"td": {"class": "num"}, "th": {"class": "num"}}


def _progress(record):
    cached = getattr(record, "_progress", None)
    if cached is None:
        cached = progress_of(record)
        record._progress = cached
    return cached


def _point(year, value) -> str:
    if year is None or value is None:
        return "—"
    return f"{Decimal(value):.2f} ({school_year_label(year)})"


class GoalTable(ChoosableTable):
    name = tables.Column(verbose_name=_("Goal"))
    indicator = tables.Column(verbose_name=_("Indicator"))
    student_group = tables.Column(verbose_name=_("Student group"))
    school = tables.Column(verbose_name=_("Scope"), accessor="pk",
                           order_by=("school__name",))
    baseline = tables.Column(verbose_name=_("Baseline"), accessor="baseline_value", order_by=("baseline_year",))
    actual = tables.Column(verbose_name=_("Latest actual"), accessor="pk", orderable=False)
    target = tables.Column(verbose_name=_("Target"), accessor="target_value", order_by=("target_year",))
    percent = tables.Column(verbose_name=_("Percent of the way"), accessor="pk", orderable=False, attrs=NUM)
    on_track = tables.Column(verbose_name=_("On track"), accessor="pk", orderable=False)
    expected = tables.Column(verbose_name=_("Expected by now"), accessor="pk", orderable=False, attrs=NUM)
    description = tables.Column(verbose_name=_("Description"))
    edit = tables.Column(verbose_name="", accessor="pk", orderable=False, exclude_from_export=True)

    default_columns = ("name", "indicator", "student_group", "school", "baseline", "actual", "target", "percent",
                       "on_track", "edit")

    class Meta:
        model = Goal
        fields = ()
        order_by = ("target_year", "name")
        attrs = {"class": "data", "data-testid": "goal-table"}

    def __init__(self, *args, editable: frozenset[int] = frozenset(), **kwargs):
        self.editable = editable
        super().__init__(*args, **kwargs)

    def render_indicator(self, record):
        return record.get_indicator_display()

    def render_student_group(self, value):
        return group_label(value)

    def render_school(self, record):
        return record.school.name if record.school_id else _("Network")

    def value_school(self, record):
        return record.school.name if record.school_id else str(_("Network"))

    def render_baseline(self, record):
        return _point(record.baseline_year, record.baseline_value)

    def render_target(self, record):
        return _point(record.target_year, record.target_value)

    def render_actual(self, record):
        progress = _progress(record)
        return _point(progress.actual_year, progress.actual_value)

    def render_percent(self, record):
        percent = _progress(record).percent
        return "—" if percent is None else f"{percent}%"

    def value_percent(self, record):
        percent = _progress(record).percent
        return "" if percent is None else percent

    def render_expected(self, record):
        expected = _progress(record).expected
        return "—" if expected is None else expected

    def render_on_track(self, record):
        on_track = _progress(record).on_track
        if on_track is None:
            return format_html('<span class="badge">{}</span>', _("no data yet"))
        if on_track:
            return format_html('<span class="badge member" data-testid="on-track">{}</span>', _("on track"))
        return format_html('<span class="badge former" data-testid="off-track">{}</span>', _("behind"))

    def value_on_track(self, record):
        on_track = _progress(record).on_track
        if on_track is None:
            return ""
        return str(_("yes") if on_track else _("no"))

    def render_edit(self, record):
        if record.pk not in self.editable:
            return ""
        return format_html('<a href="{}">{}</a>', reverse("outcomes:goal_edit", args=[record.pk]), _("edit"))
