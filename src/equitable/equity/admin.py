"""Admin for need data: network admins look rows up and correct them; everyday work (values, models,
computing) happens in the pages through the services."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from equitable.equity import models


class NeedWeightInline(admin.TabularInline):
    model = models.NeedWeight
    extra = 0
    autocomplete_fields = ("indicator",)


@admin.register(models.Indicator)
class IndicatorAdmin(SimpleHistoryAdmin):
    list_display = ("code", "name", "family", "higher_is_more_need", "unit", "derivation", "is_demo")
    list_filter = ("family", "derivation", "higher_is_more_need", "is_demo")
    search_fields = ("code", "name", "source")


@admin.register(models.IndicatorValue)
class IndicatorValueAdmin(SimpleHistoryAdmin):
    list_display = ("indicator", "school", "school_year", "value", "note", "is_demo")
    list_filter = ("school_year", "indicator__family", "indicator")
    search_fields = ("school__name", "school__cds_code", "indicator__code")
    autocomplete_fields = ("indicator", "school")
    list_select_related = ("indicator", "school", "school_year")


@admin.register(models.NeedModel)
class NeedModelAdmin(SimpleHistoryAdmin):
    list_display = ("name", "school_year", "normalization", "missing_rule", "computed_at", "is_demo")
    list_filter = ("school_year", "normalization", "missing_rule")
    search_fields = ("name",)
    readonly_fields = ("computed_at",)
    inlines = [NeedWeightInline]


@admin.register(models.NeedWeight)
class NeedWeightAdmin(SimpleHistoryAdmin):
    list_display = ("need_model", "indicator", "weight")
    list_filter = ("need_model",)
    autocomplete_fields = ("indicator",)


@admin.register(models.NeedScore)
class NeedScoreAdmin(SimpleHistoryAdmin):
    """Scores are written by computing a need model; here they are read only."""

    list_display = ("need_model", "school", "score", "rank", "tier_name", "excluded")
    list_filter = ("need_model", "tier", "excluded")
    search_fields = ("school__name", "school__cds_code")
    list_select_related = ("need_model", "school")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
