"""Tables of the registry's list pages. Every column can be chosen; `default_columns` show first.

Cells that render HTML have a `value_<column>` twin so exports carry plain values."""

from __future__ import annotations

import django_tables2 as tables
from django.db.models import F
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from equitable.network.models import Person, School
from equitable.web.generic import ChoosableTable


def _school_url(record: School) -> str:
    return reverse("network:school_detail", args=[record.cds_code])


class SchoolTable(ChoosableTable):
    name = tables.Column(verbose_name=_("Name"), linkify=_school_url)
    cds_code = tables.Column(verbose_name=_("CDS code"))
    level = tables.Column(verbose_name=_("Level"))
    grades = tables.Column(verbose_name=_("Grades"), accessor="grades", order_by=("grade_low", "grade_high"))
    community = tables.Column(verbose_name=_("Community"), accessor="community__name")
    membership = tables.Column(verbose_name=_("Membership"))
    enrollment = tables.Column(verbose_name=_("Enrollment"), accessor="enrollment_current",
                               attrs={"td": {"class": "num"}, "th": {"class": "num"}})
    feeder_patterns = tables.Column(verbose_name=_("Feeder patterns"), accessor="pk", orderable=False)
    joined_on = tables.DateColumn(verbose_name=_("Joined"), format="Y-m-d")
    join_route = tables.Column(verbose_name=_("How it joined"))
    left_on = tables.DateColumn(verbose_name=_("Left"), format="Y-m-d")
    mou_start = tables.DateColumn(verbose_name=_("MOU start"), format="Y-m-d")
    mou_end = tables.DateColumn(verbose_name=_("MOU end"), format="Y-m-d")
    street = tables.Column(verbose_name=_("Street address"))
    city = tables.Column(verbose_name=_("City"))
    zip_code = tables.Column(verbose_name=_("ZIP"))
    latitude = tables.Column(verbose_name=_("Latitude"))
    longitude = tables.Column(verbose_name=_("Longitude"))
    school_type = tables.Column(verbose_name=_("School type"))
    charter = tables.BooleanColumn(verbose_name=_("Charter"))
    directory_status = tables.Column(verbose_name=_("Directory status"))

    default_columns = ("name", "level", "grades", "community", "membership", "enrollment")

    class Meta:
        model = School
        fields = ()
        order_by = ("name",)
        attrs = {"class": "data", "data-testid": "school-table"}

    def render_membership(self, record):
        return format_html('<span class="badge {}">{}</span>', record.membership, record.get_membership_display())

    def value_membership(self, record):
        return str(record.get_membership_display())

    def render_enrollment(self, value):
        return f"{value:,}"

    def value_enrollment(self, value):
        return value

    def order_enrollment(self, queryset, is_descending):
        """Schools without enrollment this year sort last either way, on SQLite and PostgreSQL alike."""
        column = F("enrollment_current")
        ordering = column.desc(nulls_last=True) if is_descending else column.asc(nulls_last=True)
        return queryset.order_by(ordering, "name"), True

    def render_feeder_patterns(self, record):
        patterns = list(record.feeder_patterns.all())
        if not patterns:
            return "—"
        return format_html_join(
            ", ", '<a href="{}">{}</a>',
            ((reverse("network:feederpattern_detail", args=[p.pk]), p.name) for p in patterns),
        )

    def value_feeder_patterns(self, record):
        return "; ".join(p.name for p in record.feeder_patterns.all())

    def value_charter(self, value):
        return _("yes") if value else _("no")


class PersonTable(ChoosableTable):
    name = tables.Column(verbose_name=_("Name"), accessor="last_name", order_by=("last_name", "first_name"),
                         linkify=lambda record: reverse("network:person_detail", args=[record.pk]))
    title = tables.Column(verbose_name=_("Title"))
    department = tables.Column(verbose_name=_("Department"), accessor="department__name")
    schools = tables.Column(verbose_name=_("Schools"), accessor="pk", orderable=False)
    roles = tables.Column(verbose_name=_("School roles"), accessor="pk", orderable=False)
    email = tables.EmailColumn(verbose_name=_("Email"))
    phone = tables.Column(verbose_name=_("Phone"))
    demo = tables.BooleanColumn(verbose_name=_("Demo data"), accessor="is_demo")

    default_columns = ("name", "title", "department", "schools", "roles", "email")

    class Meta:
        model = Person
        fields = ()
        order_by = ("name",)
        attrs = {"class": "data", "data-testid": "person-table"}

    def render_name(self, record):
        return record.full_name

    def value_name(self, record):
        return record.full_name

    @staticmethod
    def _assignments(record):
        return getattr(record, "visible_assignments", [])

    def render_schools(self, record):
        assignments = self._assignments(record)
        if not assignments:
            return "—"
        schools = {a.school_id: a.school for a in assignments}.values()
        return format_html_join(", ", '<a href="{}">{}</a>', ((_school_url(s), s.name) for s in schools))

    def value_schools(self, record):
        return "; ".join(dict.fromkeys(a.school.name for a in self._assignments(record)))

    def render_roles(self, record):
        return ", ".join(dict.fromkeys(str(a.get_role_display()) for a in self._assignments(record))) or "—"

    def value_roles(self, record):
        return "; ".join(dict.fromkeys(str(a.get_role_display()) for a in self._assignments(record)))

    def value_demo(self, value):
        return _("yes") if value else _("no")
