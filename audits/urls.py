from django.urls import path

from . import views

urlpatterns = [
    path("", views.home, name="audits_home"),
    path("tools/", views.tool_list, name="audits_tools"),
    path("tools/new/", views.tool_new, name="audits_tool_new"),
    path("tools/<int:pk>/", views.tool_detail, name="audits_tool"),
    path("scales/new/", views.scale_new, name="audits_scale_new"),
    path("rounds/new/", views.round_new, name="audits_round_new"),
    path("rounds/<int:pk>/", views.round_detail, name="audits_round"),
    path("rounds/<int:pk>/sample/", views.round_sample, name="audits_round_sample"),
    path("rounds/<int:pk>/reaudit/", views.round_reaudit, name="audits_round_reaudit"),
    path("rounds/<int:pk>/results/", views.round_results, name="audits_round_results"),
    path("rounds/<int:pk>/results.xlsx", views.round_export, name="audits_round_export"),
    path("compliance/", views.compliance, name="audits_compliance"),
    path("actions/", views.actions_list, name="audits_actions"),
    path("section11/", views.section11_schedule, name="audits_section11"),
    path("section11/<int:pk>/", views.section11_detail, name="audits_section11_detail"),
    path("case/<int:pk>/", views.case_detail, name="audits_case"),
    path("case/<int:pk>/grade/", views.case_grade, name="audits_case_grade"),
    path("case/<int:pk>/moderate/", views.case_moderate, name="audits_case_moderate"),
    path("case/<int:pk>/auditor/", views.case_reassign, name="audits_case_reassign"),
    path("case/<int:pk>/actions/add/", views.action_add, name="audits_action_add"),
    path("actions/<int:pk>/done/", views.action_done, name="audits_action_done"),
]
