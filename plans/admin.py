from django.contrib import admin

from .models import Plan, PlanRole, RagThresholds


class RoleInline(admin.TabularInline):
    model = PlanRole
    extra = 0


@admin.register(Plan)
class PlanAdmin(admin.ModelAdmin):
    list_display = ("title", "theme_label", "closed", "created_at")
    inlines = [RoleInline]


@admin.register(RagThresholds)
class RagThresholdsAdmin(admin.ModelAdmin):
    list_display = ("amber_due_days", "stale_note_days", "changed_at")
