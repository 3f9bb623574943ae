"""Tables of the funding pages. Cells that render HTML have a `value_<column>` twin so exports carry plain
values."""

from __future__ import annotations

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from equitable.funding.models import FundingSource, Scenario
from equitable.web.generic import ChoosableTable

NUM = {"td": {"class": "num"}, "th": {"class": "num"}}


def money(value) -> str:
    return "—" if value is None else f"${value:,.0f}"


class FundingSourceTable(ChoosableTable):
    name = tables.Column(verbose_name=_("Source"))
    kind = tables.Column(verbose_name=_("Kind"))
    restricted_to = tables.Column(verbose_name=_("Restricted to"))
    amount = tables.Column(verbose_name=_("Amount"), attrs=NUM)
    school_year = tables.Column(verbose_name=_("School year"), accessor="school_year__name",
                                order_by=("school_year__start_date",))
    is_demo = tables.BooleanColumn(verbose_name=_("Demo data"))

    default_columns = ("name", "kind", "restricted_to", "amount", "school_year")

    class Meta:
        model = FundingSource
        fields = ()
        order_by = ("-school_year", "name")
        attrs = {"class": "data", "data-testid": "source-table"}

    def __init__(self, *args, editable: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.editable = editable

    def render_name(self, record, value):
        if not self.editable:
            return value
        return format_html('<a href="{}">{}</a>', reverse("funding:source_edit", args=[record.pk]), value)

    def value_name(self, record, value):
        return value

    def render_kind(self, record):
        return format_html('<span class="badge {}">{}</span>', record.kind, record.get_kind_display())

    def value_kind(self, record):
        return str(record.get_kind_display())

    def render_amount(self, value):
        return money(value)

    def value_amount(self, value):
        return value


class ScenarioTable(ChoosableTable):
    name = tables.Column(verbose_name=_("Scenario"),
                         linkify=lambda record: reverse("funding:scenario_detail", args=[record.pk]))
    school_year = tables.Column(verbose_name=_("School year"), accessor="school_year__name",
                                order_by=("school_year__start_date",))
    method = tables.Column(verbose_name=_("Method"))
    need_model = tables.Column(verbose_name=_("Need model"), accessor="need_model__name")
    pool = tables.Column(verbose_name=_("Pool"), attrs=NUM)
    status = tables.Column(verbose_name=_("Status"))
    gini = tables.Column(verbose_name=_("Gini (per pupil)"), accessor="metrics", orderable=False, attrs=NUM)
    tier_ratio = tables.Column(verbose_name=_("Highest ÷ lowest tier per pupil"), accessor="metrics",
                               orderable=False, attrs=NUM)
    adopted_at = tables.DateTimeColumn(verbose_name=_("Adopted"), format="Y-m-d")
    description = tables.Column(verbose_name=_("Description"))

    default_columns = ("name", "school_year", "method", "pool", "status", "gini", "tier_ratio", "adopted_at")

    class Meta:
        model = Scenario
        fields = ()
        order_by = ("-school_year", "name")
        attrs = {"class": "data", "data-testid": "scenario-table"}

    def render_status(self, record):
        return format_html('<span class="badge status-{}" data-testid="status-{}">{}</span>', record.status,
                           record.pk, record.get_status_display())

    def value_status(self, record):
        return str(record.get_status_display())

    def render_method(self, record):
        return record.get_method_display()

    def render_pool(self, value):
        return money(value)

    def value_pool(self, value):
        return value

    def _metric(self, value, key):
        figure = (value or {}).get(key)
        return "—" if figure is None else f"{figure:.2f}"

    def render_gini(self, value):
        return self._metric(value, "gini_per_pupil")

    def value_gini(self, value):
        return (value or {}).get("gini_per_pupil")

    def render_tier_ratio(self, value):
        return self._metric(value, "tier_ratio")

    def value_tier_ratio(self, value):
        return (value or {}).get("tier_ratio")
