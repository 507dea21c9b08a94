from django.urls import path

from . import views

urlpatterns = [
    path("", views.home, name="partnership"),
    path("allegations/", views.allegation_list, name="partnership_allegations"),
    path("allegations/new/", views.allegation_add, name="partnership_allegation_add"),
    path("allegations/target/", views.allegation_target, name="partnership_allegation_target"),
    path("allegations/report/", views.allegation_report, name="partnership_allegation_report"),
    path("allegations/<int:pk>/", views.allegation_detail, name="partnership_allegation"),
    path("allegations/<int:pk>/edit/", views.allegation_edit, name="partnership_allegation_edit"),
    path("allegations/<int:pk>/chase/", views.allegation_chase, name="partnership_allegation_chase"),
]
