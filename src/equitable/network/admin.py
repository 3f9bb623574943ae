"""The admin site is for network admins configuring the registry; everyday work happens in the pages."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from equitable.network import models


class FeederLinkInline(admin.TabularInline):
    model = models.FeederLink
    extra = 0
    autocomplete_fields = ("school",)


@admin.register(models.Network)
class NetworkAdmin(SimpleHistoryAdmin):
    list_display = ("name", "district_name", "district_code", "is_demo")


@admin.register(models.Community)
class CommunityAdmin(SimpleHistoryAdmin):
    list_display = ("name", "network", "zip_codes")
    prepopulated_fields = {"slug": ("name",)}


@admin.register(models.School)
class SchoolAdmin(SimpleHistoryAdmin):
    list_display = ("name", "cds_code", "level", "community", "membership", "joined_on", "left_on")
    list_filter = ("membership", "level", "community", "directory_status", "charter")
    search_fields = ("name", "cds_code")


@admin.register(models.FeederPattern)
class FeederPatternAdmin(SimpleHistoryAdmin):
    list_display = ("name", "community")
    inlines = [FeederLinkInline]


@admin.register(models.SchoolYear)
class SchoolYearAdmin(SimpleHistoryAdmin):
    list_display = ("name", "start_date", "end_date", "is_current")


@admin.register(models.Enrollment)
class EnrollmentAdmin(SimpleHistoryAdmin):
    list_display = ("school", "school_year", "total", "unduplicated")
    list_filter = ("school_year",)
    search_fields = ("school__name", "school__cds_code")
    autocomplete_fields = ("school",)


@admin.register(models.Department)
class DepartmentAdmin(SimpleHistoryAdmin):
    list_display = ("name", "area")


@admin.register(models.Person)
class PersonAdmin(SimpleHistoryAdmin):
    list_display = ("last_name", "first_name", "email", "title", "department", "user", "is_demo")
    list_filter = ("department", "is_demo")
    search_fields = ("first_name", "last_name", "email")
    autocomplete_fields = ("user",)


@admin.register(models.StaffAssignment)
class StaffAssignmentAdmin(SimpleHistoryAdmin):
    list_display = ("person", "school", "role", "pathway", "start_date", "end_date")
    list_filter = ("role", "pathway")
    autocomplete_fields = ("person", "school")


@admin.register(models.Caseload)
class CaseloadAdmin(SimpleHistoryAdmin):
    list_display = ("director", "principal", "start_date", "end_date")
    autocomplete_fields = ("director", "principal")
