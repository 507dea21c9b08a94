"""A real OpenID Connect provider for the single sign-on tests: django-oauth-toolkit with an RS256 key made here,
served by pytest-django's live_server in the test process. Its people are User rows signing in at 127.0.0.1
(Line of Sight is reached at localhost, so the two keep separate cookies); their provider groups are their Django
auth groups, sent in the `groups` claim as Entra ID does. Mounted only by the test URLconf (accounts.tests.idp_urls);
oauth2_provider is installed only when LOS_TEST_IDP is set (conftest.py)."""

from contextlib import contextmanager
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from csp.decorators import csp_exempt
from django.contrib.auth import login
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.middleware.csrf import get_token
from django.test import override_settings
from django.utils.html import escape
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.csrf import csrf_protect
from oauth2_provider.models import get_application_model
from oauth2_provider.oauth2_validators import OAuth2Validator
from oauth2_provider.views import AuthorizationView

from accounts.models import User

PREFIX = "/accounts/login/test-idp"  # under the open /accounts/login/ prefix: the token endpoint has no session
CLIENT_ID = "line-of-sight-test"
CLIENT_SECRET = "test-client-secret-not-for-use"


class GroupsClaimValidator(OAuth2Validator):
    oidc_claim_scope = {**OAuth2Validator.oidc_claim_scope, "groups": "openid", "email": "email"}

    def get_additional_claims(self, request: Any) -> dict[str, Any]:
        user = request.user
        return {
            "email": user.email,
            "preferred_username": f"{user.username}@idp.test",
            "given_name": user.first_name,
            "family_name": user.last_name,
            "groups": sorted(user.groups.values_list("name", flat=True)),
        }


class ProviderAuthorization(AuthorizationView):
    login_url = f"{PREFIX}/login/"


@csp_exempt()  # a real provider sends its own policy; Line of Sight's form-action 'self' would stop the way back
@csrf_protect
def provider_login(request: HttpRequest) -> HttpResponse:
    """The provider's own sign-in page (plain HTML, its own password check: Line of Sight's may be switched off)."""
    error = ""
    next_url = request.POST.get("next") or request.GET.get("next") or "/"
    if request.method == "POST":
        user = User.objects.filter(username=request.POST.get("username", "")).first()
        if user is not None and user.check_password(request.POST.get("password", "")):
            login(request, user, backend="accounts.sso.PasswordBackend")
            safe = url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()})
            return HttpResponseRedirect(next_url if safe else "/")
        error = "<p id='error'>Wrong username or password</p>"
    return HttpResponse(
        f"<!doctype html><html lang='en'><title>Test provider</title><h1>Test identity provider</h1>{error}"
        f"<form method='post'><input type='hidden' name='csrfmiddlewaretoken' value='{get_token(request)}'>"
        f"<input type='hidden' name='next' value='{escape(next_url)}'>"
        "<label>Email or username <input name='username' id='idp-username'></label>"
        "<label>Password <input name='password' type='password' id='idp-password'></label>"
        "<button type='submit'>Sign in to provider</button></form>"
    )


def private_key_pem() -> str:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    return pem.decode()


@contextmanager
def running_provider(site_url: str, provider_url: str, **extra: Any):
    """Line of Sight (at site_url) configured to sign in with the provider (at provider_url), and the provider
    knowing Line of Sight as a confidential client allowed back only to its callback."""
    issuer = f"{provider_url}{PREFIX}"
    get_application_model().objects.create(
        name="Line of Sight",
        client_id=CLIENT_ID,
        client_secret=CLIENT_SECRET,
        client_type="confidential",
        authorization_grant_type="authorization-code",
        redirect_uris=f"{site_url}/accounts/login/sso/callback/",
        algorithm="RS256",
        skip_authorization=True,
    )
    provider = {
        "OIDC_ENABLED": True,
        "OIDC_RSA_PRIVATE_KEY": private_key_pem(),
        "OIDC_ISS_ENDPOINT": issuer,
        "OAUTH2_VALIDATOR_CLASS": "accounts.tests.idp.GroupsClaimValidator",
        "SCOPES": {"openid": "OpenID Connect", "email": "E-mail", "profile": "Profile"},
        "ALLOWED_REDIRECT_URI_SCHEMES": ["http", "https"],
        "PKCE_REQUIRED": True,
    }
    configured = {
        "ROOT_URLCONF": "accounts.tests.idp_urls",
        "OAUTH2_PROVIDER": provider,
        "LOS_SSO_ENABLED": True,
        "LOS_OIDC_PROVIDER_NAME": "Test Entra",
        "LOS_OIDC_ISSUER": issuer,
        "OIDC_RP_CLIENT_ID": CLIENT_ID,
        "OIDC_RP_CLIENT_SECRET": CLIENT_SECRET,
        "OIDC_OP_AUTHORIZATION_ENDPOINT": f"{issuer}/authorize/",
        "OIDC_OP_TOKEN_ENDPOINT": f"{issuer}/token/",
        "OIDC_OP_USER_ENDPOINT": f"{issuer}/userinfo/",
        "OIDC_OP_JWKS_ENDPOINT": f"{issuer}/.well-known/jwks.json",
        **extra,
    }
    with override_settings(**configured):
        yield issuer
