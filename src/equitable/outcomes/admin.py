"""Admin for outcomes: network admins look rows up and correct goals; data comes in through the
importers and the network aggregate, so outcome rows and import records are read-mostly here."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from equitable.outcomes import models


@admin.register(models.OutcomeValue)
class OutcomeValueAdmin(admin.ModelAdmin):
    list_display = ("indicator", "year", "entity_type", "entity_name", "student_group", "value", "denominator",
                    "status_level", "change_level", "color", "source", "is_demo")
    list_filter = ("indicator", "year", "entity_type", "student_group", "source", "color", "comparison_only",
                   "is_demo")
    search_fields = ("cds", "entity_name", "school__name")
    list_select_related = ("school",)
    show_full_result_count = False  # the table may hold millions of statewide rows
    list_per_page = 100
    readonly_fields = ("indicator", "year", "entity_type", "cds", "entity_name", "school", "student_group",
                       "value", "denominator", "numerator", "prior_value", "prior_denominator", "change",
                       "status_level", "change_level", "color", "box", "flags", "source", "batch", "updated_at")
    fieldsets = (
        (None, {"fields": ("indicator", "year", "entity_type", "cds", "entity_name", "school", "student_group")}),
        (_("Values"), {"fields": ("value", "denominator", "numerator", "prior_value", "prior_denominator",
                                  "change")}),
        (_("Dashboard"), {"fields": ("status_level", "change_level", "color", "box", "flags")}),
        (_("Provenance"), {"fields": ("source", "batch", "comparison_only", "is_demo", "updated_at")}),
    )

    def has_add_permission(self, request):
        return False  # rows come from imports and the network aggregate, each audited as an OutcomeImport


@admin.register(models.OutcomeImport)
class OutcomeImportAdmin(SimpleHistoryAdmin):
    list_display = ("created_at", "kind", "file_name", "indicator", "year", "rows_read", "rows_written",
                    "rows_skipped", "imported_by")
    list_filter = ("kind", "indicator", "year")
    search_fields = ("file_name",)
    readonly_fields = ("kind", "file_name", "indicator", "year", "rows_read", "rows_written", "rows_skipped",
                       "imported_by", "created_at", "updated_at")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(models.Goal)
class GoalAdmin(SimpleHistoryAdmin):
    list_display = ("name", "indicator", "student_group", "school", "baseline_year", "baseline_value",
                    "target_year", "target_value", "is_demo")
    list_filter = ("indicator", "target_year", "is_demo")
    search_fields = ("name", "school__name")
    autocomplete_fields = ("school",)
