from django.contrib.auth import views as auth_views
from django.urls import path

from . import sso, views

urlpatterns = [
    path("login/", sso.SignIn.as_view(), name="login"),
    # Single sign-on, under login/ so that LoginRequiredMiddleware lets it through (accounts.sso).
    path("login/sso/", sso.SignOnStart.as_view(), name="oidc_authentication_init"),
    path("login/sso/callback/", sso.SignOnCallback.as_view(), name="oidc_authentication_callback"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/", views.PasswordChange.as_view(), name="password_change"),
    path("access-changes/", views.access_changes, name="access_changes"),
]
