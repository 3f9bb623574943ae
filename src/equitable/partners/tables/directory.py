"""Tables of the directory and school-needs list pages. Every column can be chosen; `default_columns` show
first. Cells that render HTML have a `value_<column>` twin so exports carry plain values."""

from __future__ import annotations

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from equitable.partners.models import Language, NeedsAssessment, Partner
from equitable.web.generic import ChoosableTable

LANGUAGE_LABELS = dict(Language.choices)
NUM = {"td": {"class": "num"}, "th": {"class": "num"}}


def language_names(codes: list[str]) -> str:
    return ", ".join(str(LANGUAGE_LABELS.get(code, code)) for code in codes)


class PartnerTable(ChoosableTable):
    name = tables.Column(verbose_name=_("Name"), linkify=lambda record: reverse("partners:partner_detail",
                                                                                args=[record.pk]))
    kind = tables.Column(verbose_name=_("Type"))
    status = tables.Column(verbose_name=_("Status"))
    focus_areas = tables.Column(verbose_name=_("Focus areas"), accessor="pk", orderable=False)
    communities = tables.Column(verbose_name=_("Communities served"), accessor="pk", orderable=False)
    languages = tables.Column(verbose_name=_("Languages"))
    capacity_schools = tables.Column(verbose_name=_("Capacity (schools)"), attrs=NUM)
    capacity_students = tables.Column(verbose_name=_("Capacity (students)"), attrs=NUM)
    primary_contact = tables.Column(verbose_name=_("Primary contact"), accessor="pk", orderable=False)
    people = tables.Column(verbose_name=_("People"), accessor="people_count", attrs=NUM)
    email = tables.EmailColumn(verbose_name=_("Email"))
    phone = tables.Column(verbose_name=_("Phone"))
    website = tables.URLColumn(verbose_name=_("Website"))
    address = tables.Column(verbose_name=_("Address"))
    zip_code = tables.Column(verbose_name=_("ZIP code"))

    default_columns = ("name", "kind", "status", "focus_areas", "communities", "languages", "capacity_schools",
                       "primary_contact")

    class Meta:
        model = Partner
        fields = ()
        order_by = ("name",)
        attrs = {"class": "data", "data-testid": "partner-table"}

    def render_kind(self, record):
        return record.get_kind_display()

    def value_kind(self, record):
        return str(record.get_kind_display())

    def render_status(self, record):
        return format_html('<span class="badge {}">{}</span>', record.status, record.get_status_display())

    def value_status(self, record):
        return str(record.get_status_display())

    def render_focus_areas(self, record):
        return ", ".join(a.name for a in record.focus_areas.all()) or "—"

    def value_focus_areas(self, record):
        return "; ".join(a.name for a in record.focus_areas.all())

    def render_communities(self, record):
        return ", ".join(c.name for c in record.communities.all()) or "—"

    def value_communities(self, record):
        return "; ".join(c.name for c in record.communities.all())

    def render_languages(self, record):
        return language_names(record.language_codes) or "—"

    def value_languages(self, record):
        return record.languages

    @staticmethod
    def _primary(record):
        primaries = getattr(record, "primaries", None)
        return primaries[0] if primaries else None

    def render_primary_contact(self, record):
        person = self._primary(record)
        return person.full_name if person else "—"

    def value_primary_contact(self, record):
        person = self._primary(record)
        return person.full_name if person else ""


class AssessmentTable(ChoosableTable):
    school = tables.Column(verbose_name=_("School"), accessor="school__name",
                           linkify=lambda record: reverse("partners:assessment_detail", args=[record.pk]))
    cds_code = tables.Column(verbose_name=_("CDS code"), accessor="school__cds_code")
    community = tables.Column(verbose_name=_("Community"), accessor="school__community__name")
    school_year = tables.Column(verbose_name=_("School year"), accessor="school_year__name",
                                order_by=("school_year__start_date",))
    status = tables.Column(verbose_name=_("Status"))
    conducted_on = tables.DateColumn(verbose_name=_("Conducted on"), format="Y-m-d")
    needs = tables.Column(verbose_name=_("Needs"), accessor="need_count", attrs=NUM)
    high = tables.Column(verbose_name=_("High-priority needs"), accessor="high_count", attrs=NUM)
    languages = tables.Column(verbose_name=_("Family languages"))
    stakeholders = tables.Column(verbose_name=_("Stakeholder input"))

    default_columns = ("school", "community", "school_year", "status", "conducted_on", "needs", "high")

    class Meta:
        model = NeedsAssessment
        fields = ()
        order_by = ("-school_year", "school")
        attrs = {"class": "data", "data-testid": "assessment-table"}

    def render_status(self, record):
        return record.get_status_display()

    def value_status(self, record):
        return str(record.get_status_display())

    def render_languages(self, record):
        return language_names(record.language_codes) or "—"

    def value_languages(self, record):
        return record.languages
