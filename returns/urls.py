from django.urls import path

from returns import views

urlpatterns = [
    path("", views.runs, name="returns_runs"),
    path("upload/", views.upload, name="returns_upload"),
    path("export/", views.export, name="returns_export"),
    path("schemas/", views.schemas, name="returns_schemas"),
    path("acceptance/", views.acceptance, name="returns_acceptance"),
    path("postcodes/", views.postcodes, name="returns_postcodes"),
    path("ofsted-providers/", views.ofsted_providers, name="returns_ofsted_providers"),
    path("<int:pk>/", views.run_detail, name="returns_run"),
    path("<int:pk>/commit/", views.commit, name="returns_commit"),
    path("<int:pk>/problems.xlsx", views.problems_xlsx, name="returns_problems_xlsx"),
]
