"""Tables of the clearance pages. Cells that render HTML have a `value_<column>` twin so exports carry plain
values."""

from __future__ import annotations

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from equitable.partners.models import ClearanceRequirement, ClearanceTier
from equitable.web.generic import ChoosableTable

NUM = {"td": {"class": "num"}, "th": {"class": "num"}}


class RequirementTable(ChoosableTable):
    name = tables.Column(verbose_name=_("Requirement"))
    applies_to = tables.Column(verbose_name=_("Applies to"))
    valid_days = tables.Column(verbose_name=_("Valid for (days)"), attrs=NUM, default="—")
    required_for_all_partners = tables.BooleanColumn(verbose_name=_("Required of every partner"))
    tiers = tables.Column(verbose_name=_("Tiers"), accessor="pk", orderable=False)
    description = tables.Column(verbose_name=_("Description"), default="")
    edit = tables.Column(verbose_name="", accessor="pk", orderable=False, exclude_from_export=True)

    default_columns = ("name", "applies_to", "valid_days", "required_for_all_partners", "tiers", "edit")

    class Meta:
        model = ClearanceRequirement
        fields = ()
        order_by = ("applies_to", "name")
        attrs = {"class": "data", "data-testid": "requirement-table"}

    def __init__(self, *args, may_edit: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.may_edit = may_edit

    def render_applies_to(self, record):
        return record.get_applies_to_display()

    def value_applies_to(self, record):
        return str(record.get_applies_to_display())

    def render_tiers(self, record):
        return ", ".join(t.name for t in record.tiers.all()) or "—"

    def value_tiers(self, record):
        return "; ".join(t.name for t in record.tiers.all())

    def render_edit(self, record):
        if not self.may_edit:
            return ""
        return format_html('<a href="{}">{}</a>', reverse("partners:requirement_edit", args=[record.pk]), _("Edit"))


class TierTable(ChoosableTable):
    rank = tables.Column(verbose_name=_("Rank"), attrs=NUM)
    name = tables.Column(verbose_name=_("Tier"))
    requirements = tables.Column(verbose_name=_("Requirements"), accessor="pk", orderable=False)
    allows = tables.Column(verbose_name=_("Allows"), default="")
    description = tables.Column(verbose_name=_("Description"), default="")
    edit = tables.Column(verbose_name="", accessor="pk", orderable=False, exclude_from_export=True)

    default_columns = ("rank", "name", "requirements", "allows", "edit")

    class Meta:
        model = ClearanceTier
        fields = ()
        order_by = ("rank",)
        attrs = {"class": "data", "data-testid": "tier-table"}

    def __init__(self, *args, may_edit: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.may_edit = may_edit

    def render_requirements(self, record):
        return ", ".join(r.name for r in record.requirements.all()) or "—"

    def value_requirements(self, record):
        return "; ".join(r.name for r in record.requirements.all())

    def render_edit(self, record):
        if not self.may_edit:
            return ""
        return format_html('<a href="{}">{}</a>', reverse("partners:tier_edit", args=[record.pk]), _("Edit"))
