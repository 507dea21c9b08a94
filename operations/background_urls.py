from django.urls import path

from . import views

urlpatterns = [path("", views.background_work, name="background_work")]
