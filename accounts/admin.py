from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.http import HttpRequest

from .access import ACCESS_FIELDS
from .models import User

# What the admin form shows of one's own access: read-only (accounts.access refuses it anyway).
SELF_READ_ONLY = (*ACCESS_FIELDS, "groups", "user_permissions")


@admin.register(User)
class LineOfSightUserAdmin(UserAdmin):
    fieldsets = (
        *(UserAdmin.fieldsets or ()),
        ("Role and scope", {"fields": ("role", "scope", "worker", "team", "service", "agency")}),
    )
    list_display = ("username", "first_name", "last_name", "role", "scope", "team", "is_active")
    list_filter = ("role", "scope", "is_active")

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        readonly = tuple(super().get_readonly_fields(request, obj))
        if obj is not None and obj.pk == request.user.pk:
            return (*readonly, *SELF_READ_ONLY)
        return readonly
