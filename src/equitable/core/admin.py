from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from equitable.core.models import User


@admin.register(User)
class UserAdmin(BaseUserAdmin, SimpleHistoryAdmin):
    list_display = ("username", "get_full_name", "email", "role", "area", "is_active", "is_demo", "last_login")
    list_filter = ("role", "area", "is_active", "is_demo")
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        (_("Equitable"), {"fields": ("role", "area", "is_demo")}),
    )
    add_fieldsets = (
        *BaseUserAdmin.add_fieldsets,
        (_("Equitable"), {"fields": ("role", "area")}),
    )
