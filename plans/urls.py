from django.urls import path

from . import views

urlpatterns = [
    path("", views.plan_list, name="plan_list"),
    path("new/", views.plan_create, name="plan_create"),
    path("import/", views.import_upload, name="plan_import"),
    path("import/<int:pk>/mapping/", views.import_mapping, name="plan_import_mapping"),
    path("import/<int:pk>/preview/", views.import_preview, name="plan_import_preview"),
    path("thresholds/", views.thresholds, name="plan_thresholds"),
    path("<int:pk>/", views.plan_detail, name="plan_detail"),
    path("<int:pk>/summary/", views.plan_summary, name="plan_summary"),
    path("<int:pk>/history/", views.plan_history, name="plan_history"),
    path("<int:pk>/report.<str:fmt>", views.plan_report, name="plan_report"),
    path("<int:pk>/roles/", views.plan_roles, name="plan_roles"),
    path("<int:pk>/measures/", views.plan_measures, name="plan_measures"),
    path("<int:pk>/themes/add/", views.theme_add, name="plan_theme_add"),
    path("themes/<int:pk>/", views.theme_edit, name="plan_theme_edit"),
    path("themes/<int:pk>/actions/add/", views.action_add, name="plan_action_add"),
    path("actions/<int:pk>/edit/", views.action_edit, name="plan_action_edit"),
    path("actions/<int:pk>/", views.action_detail, name="plan_action"),
    path("actions/<int:pk>/update/", views.action_update, name="plan_action_update"),
    path("actions/<int:pk>/leads/", views.action_leads, name="plan_action_leads"),
    path("actions/<int:pk>/evidence/", views.evidence_add, name="plan_evidence_add"),
    path("evidence/<int:pk>/file", views.evidence_file, name="plan_evidence_file"),
    path("evidence/<int:pk>/remove", views.evidence_remove, name="plan_evidence_remove"),
]
