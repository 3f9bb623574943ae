"""Tables of the need pages. Cells that render HTML have a `value_<column>` twin so exports carry plain
values."""

from __future__ import annotations

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from equitable.equity.models import Indicator, IndicatorValue, NeedModel
from equitable.web.generic import ChoosableTable

NUM = {"td": {"class": "num"}, "th": {"class": "num"}}


class IndicatorTable(ChoosableTable):
    name = tables.Column(verbose_name=_("Indicator"))
    code = tables.Column(verbose_name=_("Code"))
    family = tables.Column(verbose_name=_("Family"))
    higher_is_more_need = tables.Column(verbose_name=_("Direction"))
    unit = tables.Column(verbose_name=_("Unit"))
    source = tables.Column(verbose_name=_("Source"))
    derivation = tables.Column(verbose_name=_("How values arrive"))
    is_demo = tables.BooleanColumn(verbose_name=_("Demo data"))

    default_columns = ("name", "code", "family", "higher_is_more_need", "unit", "source")

    class Meta:
        model = Indicator
        fields = ()
        order_by = ("family", "name")
        attrs = {"class": "data", "data-testid": "indicator-table"}

    def __init__(self, *args, link_values: bool = False, **kwargs):
        self.link_values = link_values
        super().__init__(*args, **kwargs)

    def render_name(self, record):
        if not self.link_values:  # board viewers read the registry but no school's values
            return record.name
        return format_html('<a href="{}?indicator={}">{}</a>', reverse("equity:value_list"), record.code, record.name)

    def value_name(self, record):
        return record.name

    def render_higher_is_more_need(self, value):
        return _("higher = more need") if value else _("lower = more need")

    def value_higher_is_more_need(self, value):
        return str(self.render_higher_is_more_need(value))


class IndicatorValueTable(ChoosableTable):
    indicator = tables.Column(verbose_name=_("Indicator"), accessor="indicator__name")
    code = tables.Column(verbose_name=_("Code"), accessor="indicator__code")
    school = tables.Column(verbose_name=_("School"), accessor="school__name")
    cds_code = tables.Column(verbose_name=_("CDS code"), accessor="school__cds_code")
    school_year = tables.Column(verbose_name=_("School year"), accessor="school_year__name",
                                order_by=("school_year__start_date",))
    value = tables.Column(verbose_name=_("Value"), attrs=NUM)
    unit = tables.Column(verbose_name=_("Unit"), accessor="indicator__unit")
    note = tables.Column(verbose_name=_("Note"))

    default_columns = ("indicator", "school", "school_year", "value", "unit")

    class Meta:
        model = IndicatorValue
        fields = ()
        order_by = ("indicator", "school")
        attrs = {"class": "data", "data-testid": "value-table"}

    def render_value(self, value):
        return f"{value.normalize():f}" if value is not None else "—"

    def value_value(self, value):
        return value


class NeedModelTable(ChoosableTable):
    name = tables.Column(verbose_name=_("Need model"),
                         linkify=lambda record: reverse("equity:model_detail", args=[record.pk]))
    school_year = tables.Column(verbose_name=_("School year"), accessor="school_year__name",
                                order_by=("school_year__start_date",))
    normalization = tables.Column(verbose_name=_("Normalization"))
    missing_rule = tables.Column(verbose_name=_("Missing data"))
    indicator_count = tables.Column(verbose_name=_("Indicators"), attrs=NUM)
    cut_points = tables.Column(verbose_name=_("Tiers"), orderable=False)
    computed_at = tables.Column(verbose_name=_("Computed"), empty_values=())
    description = tables.Column(verbose_name=_("Description"))

    default_columns = ("name", "school_year", "normalization", "missing_rule", "indicator_count", "cut_points",
                       "computed_at")

    class Meta:
        model = NeedModel
        fields = ()
        order_by = ("-school_year", "name")
        attrs = {"class": "data", "data-testid": "need-model-table"}

    def render_cut_points(self, value):
        return ", ".join(str(v) for v in value) if value else _("quintiles")

    def value_cut_points(self, value):
        return str(self.render_cut_points(value))

    def render_computed_at(self, value):
        return value.strftime("%Y-%m-%d %H:%M") if value else format_html('<span class="badge">{}</span>',
                                                                         _("not computed"))

    def value_computed_at(self, value):
        return value.isoformat() if value else ""
