"""Tables of the agreement, convening and survey lists. Cells that render HTML have a `value_<column>` twin
so exports carry plain values."""

from __future__ import annotations

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from equitable.partners.models import Agreement, Convening, PartnerSurvey
from equitable.web.generic import ChoosableTable

NUM = {"td": {"class": "num"}, "th": {"class": "num"}}


class AgreementTable(ChoosableTable):
    title = tables.Column(verbose_name=_("Agreement"),
                          linkify=lambda record: reverse("partners:agreement_detail", args=[record.pk]))
    partner = tables.Column(verbose_name=_("Partner"), accessor="partner__name")
    school = tables.Column(verbose_name=_("School"), accessor="school__name")
    community = tables.Column(verbose_name=_("Community"), accessor="school__community__name")
    status = tables.Column(verbose_name=_("Status"))
    year_round = tables.BooleanColumn(verbose_name=_("Year-round"))
    start_date = tables.DateColumn(verbose_name=_("Start"), format="Y-m-d")
    end_date = tables.DateColumn(verbose_name=_("End"), format="Y-m-d")
    annual_cost = tables.Column(verbose_name=_("Annual cost"), attrs=NUM)
    paid_by = tables.Column(verbose_name=_("Who pays"))
    students_served = tables.Column(verbose_name=_("Students"), attrs=NUM)
    renews = tables.Column(verbose_name=_("Renews"), accessor="renews_id")
    is_demo = tables.BooleanColumn(verbose_name=_("Demo data"))

    default_columns = ("title", "partner", "school", "status", "year_round", "start_date", "end_date")

    class Meta:
        model = Agreement
        fields = ()
        order_by = ("-start_date",)
        attrs = {"class": "data", "data-testid": "agreement-table"}

    def render_status(self, record):
        return format_html('<span class="badge status-{}" data-testid="status-{}">{}</span>', record.status,
                           record.pk, record.get_status_display())

    def value_status(self, record):
        return str(record.get_status_display())

    def render_paid_by(self, record):
        return record.get_paid_by_display()

    def value_paid_by(self, record):
        return str(record.get_paid_by_display())

    def render_annual_cost(self, value):
        return f"${value:,.0f}"

    def value_annual_cost(self, value):
        return value

    def render_renews(self, value):
        return format_html('<a href="{}">#{}</a>', reverse("partners:agreement_detail", args=[value]), value)

    def value_renews(self, value):
        return value


class ConveningTable(ChoosableTable):
    title = tables.Column(verbose_name=_("Convening"),
                          linkify=lambda record: reverse("partners:convening_detail", args=[record.pk]))
    kind = tables.Column(verbose_name=_("Kind"))
    held_on = tables.DateColumn(verbose_name=_("Date"), format="Y-m-d")
    school_year = tables.Column(verbose_name=_("School year"), accessor="school_year__name",
                                order_by=("school_year__start_date",))
    school = tables.Column(verbose_name=_("School"), accessor="school__name", default="—")
    community = tables.Column(verbose_name=_("Community"), accessor="community__name", default="—")
    location = tables.Column(verbose_name=_("Location"))

    default_columns = ("title", "kind", "held_on", "school_year", "school")

    class Meta:
        model = Convening
        fields = ()
        order_by = ("-held_on",)
        attrs = {"class": "data", "data-testid": "convening-table"}

    def render_kind(self, record):
        return record.get_kind_display()

    def value_kind(self, record):
        return str(record.get_kind_display())

    def value_school(self, record):
        return record.school.name if record.school_id else ""

    def value_community(self, record):
        return record.community.name if record.community_id else ""


class SurveyTable(ChoosableTable):
    partner = tables.Column(verbose_name=_("Partner"), accessor="partner__name")
    school_year = tables.Column(verbose_name=_("School year"), accessor="school_year__name",
                                order_by=("school_year__start_date",))
    submitted_on = tables.DateColumn(verbose_name=_("Submitted"), format="Y-m-d")
    overall = tables.Column(verbose_name=_("Overall"), attrs=NUM)
    communication = tables.Column(verbose_name=_("Communication"), attrs=NUM)
    school_fit = tables.Column(verbose_name=_("Fit with needs"), attrs=NUM)
    clearance_support = tables.Column(verbose_name=_("Clearance help"), attrs=NUM)
    principal_relationship = tables.Column(verbose_name=_("Principals"), attrs=NUM)
    will_continue = tables.BooleanColumn(verbose_name=_("Will continue"))
    comments = tables.Column(verbose_name=_("Comments"))

    default_columns = ("partner", "school_year", "submitted_on", "overall", "communication", "school_fit",
                       "clearance_support", "principal_relationship", "will_continue")

    class Meta:
        model = PartnerSurvey
        fields = ()
        order_by = ("-school_year", "partner")
        attrs = {"class": "data", "data-testid": "survey-table"}
