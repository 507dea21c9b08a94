from django.contrib import admin

from .models import PartnerAgency, Service, Team, Worker

admin.site.register(Service)
admin.site.register(PartnerAgency)


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ("name", "service", "team_type")
    list_filter = ("team_type", "service")


@admin.register(Worker)
class WorkerAdmin(admin.ModelAdmin):
    list_display = ("name", "staff_id", "team", "fte", "qualified", "employment", "active")
    list_filter = ("team", "qualified", "employment", "active")
    search_fields = ("name", "staff_id")
