from django.urls import path

from . import views

urlpatterns = [
    path("subject-access/", views.subject_access, name="subject_access"),
    path("subject-access/<int:pk>/download/", views.subject_access_download, name="subject_access_download"),
    path("retention/", views.retention, name="retention"),
    path("erase/<int:pk>/", views.erase, name="erase"),
]
