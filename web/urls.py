from django.urls import path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("children/", views.child_list, name="child_list"),
    path("children/<int:pk>/", views.child_detail, name="child_detail"),
    path("teams/", views.team_list, name="team_list"),
    path("teams/<int:pk>/", views.team_detail, name="team_detail"),
    path("workers/<int:pk>/", views.worker_detail, name="worker_detail"),
]
