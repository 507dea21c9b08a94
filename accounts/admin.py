from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.http import HttpRequest

from audit.models import Action
from audit.services import record

from .access import ACCESS_FIELDS, DETAIL_PREFIX
from .models import GroupMapping, User

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


def mapping_summary(mapping: GroupMapping) -> str:
    return (
        f"group {mapping.group_id} (priority {mapping.priority}) -> role={mapping.role} scope={mapping.scope} "
        f"team={mapping.team_id} service={mapping.service_id} agency={mapping.agency_id}"
    )


@admin.register(GroupMapping)
class GroupMappingAdmin(admin.ModelAdmin):
    """Which of the identity provider's groups give which access at single sign-on (accounts.sso); every change
    is in the audit log and takes effect at each member's next sign-in."""

    list_display = ("group_id", "description", "priority", "role", "scope", "team", "service", "agency")
    list_filter = ("role", "scope")
    search_fields = ("group_id", "description")

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        verb = "changed" if change else "added"
        record(
            Action.CHANGE if change else Action.CREATE,
            request=request,
            obj=obj,
            detail=f"{DETAIL_PREFIX}mapping {verb}: {mapping_summary(obj)}",
        )

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        summary = mapping_summary(obj)
        pk = obj.pk
        super().delete_model(request, obj)
        obj.pk = pk
        record(Action.DELETE, request=request, obj=obj, detail=f"{DETAIL_PREFIX}mapping removed: {summary}")

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        for mapping in list(queryset):
            self.delete_model(request, mapping)
