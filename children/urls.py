from django.urls import path

from . import views

urlpatterns = [
    path("proceedings/<int:pk>/extension/", views.proceedings_extension, name="proceedings_extension"),
    path("placements/<int:pk>/regulation/", views.placement_regulation, name="placement_regulation"),
]
