"""Admin for funding: network admins look sources and scenarios up. Scenarios are computed and adopted in
the pages (services check the lock); here allocations are read only and adopted scenarios cannot be
changed or deleted."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from equitable.funding import models


class ScenarioSourceInline(admin.TabularInline):
    model = models.ScenarioSource
    extra = 0

    def has_change_permission(self, request, obj=None):
        return obj is None or not obj.is_locked

    has_add_permission = has_delete_permission = has_change_permission


@admin.register(models.FundingSource)
class FundingSourceAdmin(SimpleHistoryAdmin):
    list_display = ("name", "kind", "restricted_to", "amount", "school_year", "is_demo")
    list_filter = ("school_year", "kind", "is_demo")
    search_fields = ("name", "restricted_to")


@admin.register(models.Scenario)
class ScenarioAdmin(SimpleHistoryAdmin):
    list_display = ("name", "school_year", "method", "pool", "remainder", "status", "adopted_at", "is_demo")
    list_filter = ("school_year", "method", "status", "is_demo")
    search_fields = ("name", "description")
    readonly_fields = ("pool", "remainder", "metrics", "status", "adopted_at", "adopted_by")
    inlines = [ScenarioSourceInline]

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.is_locked:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.is_locked:
            return False
        return super().has_delete_permission(request, obj)


@admin.register(models.Allocation)
class AllocationAdmin(SimpleHistoryAdmin):
    """Allocations are written by computing a scenario; read only here."""

    list_display = ("scenario", "school", "enrollment", "need_tier", "amount", "per_pupil", "even_amount")
    list_filter = ("scenario", "need_tier")
    search_fields = ("school__name", "school__cds_code", "scenario__name")
    list_select_related = ("scenario", "school")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
