from django.urls import path

from . import views

urlpatterns = [
    path("", views.line_of_sight, name="oversight"),
    path("mine/", views.my_caseload, name="oversight_mine"),
    path("team/<int:pk>/", views.team_oversight, name="oversight_team"),
    path("due/", views.obligation_list, name="obligation_list"),
    path("drift/", views.drift_list, name="drift_list"),
    path("rules/", views.rule_list, name="timescale_rules"),
    path("rules/<int:pk>/", views.rule_edit, name="timescale_rule_edit"),
    path("closures/", views.closure_days, name="closure_days"),
]
