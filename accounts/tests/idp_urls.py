"""The application's URLs plus the test OpenID Connect provider (accounts.tests.idp); tests only."""

from django.urls import include, path
from oauth2_provider import views as provider_views

from config.urls import handler403, handler404, handler500  # noqa: F401
from config.urls import urlpatterns as site_urlpatterns

from .idp import ProviderAuthorization, provider_login

provider_urlpatterns = [
    path("login/", provider_login, name="test_idp_login"),
    path("authorize/", ProviderAuthorization.as_view(), name="authorize"),
    path("token/", provider_views.TokenView.as_view(), name="token"),
    path("userinfo/", provider_views.UserInfoView.as_view(), name="user-info"),
    path(".well-known/jwks.json", provider_views.JwksInfoView.as_view(), name="jwks-info"),
    path(
        ".well-known/openid-configuration",
        provider_views.ConnectDiscoveryInfoView.as_view(),
        name="oidc-connect-discovery-info",
    ),
]

urlpatterns = [
    path("accounts/login/test-idp/", include((provider_urlpatterns, "oauth2_provider"))),
    *site_urlpatterns,
]
