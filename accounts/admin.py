from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from .models import User


@admin.register(User)
class LineOfSightUserAdmin(UserAdmin):
    fieldsets = (
        *(UserAdmin.fieldsets or ()),
        ("Role and scope", {"fields": ("role", "scope", "worker", "team", "service", "agency")}),
    )
    list_display = ("username", "first_name", "last_name", "role", "scope", "team", "is_active")
    list_filter = ("role", "scope", "is_active")
