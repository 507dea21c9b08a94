"""Single sign-on by OpenID Connect (mozilla-django-oidc), with access decided by the provider's groups.

At every sign-in the user's role, scope, team, service and agency are set from the GroupMapping of their groups
(the `groups` claim; Entra ID sends group object ids): the mapping with the highest priority wins, then the
oldest. Groups that map to nothing give no access: the account keeps no scope and is not signed in. So a user
removed from a group at the provider loses what it gave at their next sign-in (docs/decisions/0025)."""

import logging
from collections.abc import Iterable
from typing import Any

import requests
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.views import LoginView
from django.core.exceptions import SuspiciousOperation
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseForbidden
from django.shortcuts import redirect, render
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from audit.models import Action
from audit.services import record

from .models import GroupMapping, Scope, User

logger = logging.getLogger(__name__)
NO_ACCESS_FLAG = "los_sso_no_access"
MAPPED_FIELDS = ("role", "scope", "team_id", "service_id", "agency_id")


def groups_in(claims: dict[str, Any]) -> list[str]:
    """The provider's groups as strings. Entra ID sends no list but `_claim_names` when a user is in more than
    200 groups (the "overage"); that counts as no groups, so no access, rather than guessing."""
    groups = claims.get("groups")
    if isinstance(groups, str):
        return [groups]
    if isinstance(groups, list):
        return [str(group) for group in groups]
    return []


def mapping_for(groups: Iterable[str]) -> GroupMapping | None:
    """The mapping with the highest priority among the user's groups (ties: the oldest); None if none maps."""
    return GroupMapping.objects.filter(group_id__in=list(groups)).order_by("-priority", "pk").first()


def apply_mapping(user: User, mapping: GroupMapping | None) -> bool:
    """Set the user's access from the mapping (no mapping: no scope, no team, service or agency).
    Returns whether anything changed; the caller saves (accounts.access audits the change)."""
    if mapping is None:
        wanted: dict[str, Any] = {"scope": Scope.NONE, "team_id": None, "service_id": None, "agency_id": None}
    else:
        wanted = {name: getattr(mapping, name) for name in MAPPED_FIELDS}
    changed = False
    for name, value in wanted.items():
        if getattr(user, name) != value:
            setattr(user, name, value)
            changed = True
    return changed


def username_for(claims: dict[str, Any]) -> str:
    """The provider's sign-in name (Entra ID: preferred_username, the UPN), else e-mail, else sub; made unique."""
    base = str(claims.get("preferred_username") or claims.get("email") or claims["sub"])[:140]
    candidate, n = base, 1
    while User.objects.filter(username=candidate).exists():
        n += 1
        candidate = f"{base}-{n}"
    return candidate


def signed_in_user(user_id: Any) -> User | None:
    """The user of a session, read on every request with their partner agency in the same query: the agency
    decides what a partner user sees on every page (exploitation.entitlements)."""
    return User._default_manager.select_related("agency").filter(pk=user_id).first()


class PasswordBackend(ModelBackend):
    """Django's username-and-password sign-in, unless a deployment switches it off (LOS_PASSWORD_SIGN_IN=0)."""

    def get_user(self, user_id: Any) -> User | None:
        user = signed_in_user(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None

    def authenticate(self, request: Any, username: str | None = None, password: str | None = None, **kwargs: Any):
        if not settings.LOS_PASSWORD_SIGN_IN:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


class SingleSignOnBackend(OIDCAuthenticationBackend):
    def get_user(self, user_id: Any) -> Any:
        return signed_in_user(user_id)

    def authenticate(self, request: Any, **kwargs: Any) -> Any:
        if not settings.LOS_SSO_ENABLED or "nonce" not in kwargs:
            return None  # a password sign-in, or single sign-on not configured
        try:
            return super().authenticate(request, **kwargs)
        except (SuspiciousOperation, requests.RequestException) as error:
            # A token that fails a check, or a provider that cannot be reached: not signed in, and told so.
            logger.warning("single sign-on refused: %s", type(error).__name__)
            return None

    def verify_token(self, token: str, **kwargs: Any) -> Any:
        """The library checks the signature and nonce; the ID token must also be for us and from our provider."""
        payload = super().verify_token(token, **kwargs)
        audience = payload.get("aud")
        audiences = audience if isinstance(audience, list) else [audience]
        if self.OIDC_RP_CLIENT_ID not in audiences:
            raise SuspiciousOperation("ID token for another client")
        if settings.LOS_OIDC_ISSUER and payload.get("iss") != settings.LOS_OIDC_ISSUER:
            raise SuspiciousOperation("ID token from another issuer")
        return payload

    def get_userinfo(self, access_token: str, id_token: str, payload: dict[str, Any]) -> dict[str, Any]:
        """The verified ID token's claims (where Entra ID puts `groups`), and the userinfo endpoint's if set."""
        claims = dict(payload)
        if self.OIDC_OP_USER_ENDPOINT:
            userinfo = super().get_userinfo(access_token, id_token, payload)
            if userinfo.get("sub") != payload.get("sub"):
                raise SuspiciousOperation("userinfo for another subject")
            claims.update({key: value for key, value in userinfo.items() if key != "groups" or "groups" not in claims})
        return claims

    def verify_claims(self, claims: dict[str, Any]) -> bool:
        return bool(claims.get("sub"))

    def filter_users_by_claims(self, claims: dict[str, Any]) -> Any:
        # By the provider's subject, never by e-mail: a password account with the same address is not taken over.
        return User.objects.filter(oidc_subject=str(claims["sub"]))

    def create_user(self, claims: dict[str, Any], mapping: GroupMapping | None = None) -> User:
        user = User(username=username_for(claims), oidc_subject=str(claims["sub"]))
        user.set_unusable_password()
        self._copy_profile(user, claims)
        apply_mapping(user, mapping)
        user.save()
        return user

    def update_user(self, user: User, claims: dict[str, Any], mapping: GroupMapping | None = None) -> User:
        changed = apply_mapping(user, mapping)
        if self._copy_profile(user, claims) or changed:
            user.save()
        return user

    @staticmethod
    def _copy_profile(user: User, claims: dict[str, Any]) -> bool:
        profile = {
            "email": str(claims.get("email") or "")[:254],
            "first_name": str(claims.get("given_name") or "")[:150],
            "last_name": str(claims.get("family_name") or "")[:150],
        }
        changed = any(getattr(user, name) != value for name, value in profile.items())
        for name, value in profile.items():
            setattr(user, name, value)
        return changed

    def get_or_create_user(self, access_token: str, id_token: str, payload: dict[str, Any]) -> User | None:
        """The account of this subject with its access set from their groups now; an account is made only for
        someone whose groups map to something. No mapped group: access removed, not signed in, audited."""
        claims = self.get_userinfo(access_token, id_token, payload)
        if not self.verify_claims(claims):
            raise SuspiciousOperation("ID token without a subject")
        mapping = mapping_for(groups_in(claims))
        with transaction.atomic():
            user = self.filter_users_by_claims(claims).select_for_update().first()
            if user is not None:
                self.update_user(user, claims, mapping)
            elif mapping is not None:
                user = self.create_user(claims, mapping)
        if mapping is None:
            setattr(self.request, NO_ACCESS_FLAG, True)
            name = user.username if user is not None else username_for(claims)
            record(Action.FORBIDDEN, request=self.request, obj=user, detail=f"single sign-on: no mapped group: {name}")
            return None
        return user


class SignOnStart(OIDCAuthenticationRequestView):
    """Sends the browser to the provider (state, nonce and PKCE kept in the session by the library)."""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        if not settings.LOS_SSO_ENABLED:
            raise Http404
        if request.user.is_authenticated:
            return redirect(settings.LOGIN_REDIRECT_URL)
        return super().dispatch(request, *args, **kwargs)


class SignOnCallback(OIDCAuthenticationCallbackView):
    """The provider sends the browser back here; a user whose groups map to nothing sees why they cannot go on."""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        if not settings.LOS_SSO_ENABLED:
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def login_failure(self) -> HttpResponse:
        if getattr(self.request, NO_ACCESS_FLAG, False):
            context = {"provider": settings.LOS_OIDC_PROVIDER_NAME}
            return render(self.request, "accounts/sso_no_access.html", context, status=403)
        messages.error(self.request, f"Signing in with {settings.LOS_OIDC_PROVIDER_NAME} did not work. Try again.")
        return super().login_failure()


class SignIn(LoginView):
    """The sign-in page: "Sign in with <provider>" when single sign-on is on, the password form unless switched
    off (then a password posted anyway is refused without being checked)."""

    redirect_authenticated_user = True

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(
            sso_enabled=settings.LOS_SSO_ENABLED,
            sso_provider=settings.LOS_OIDC_PROVIDER_NAME,
            password_sign_in=settings.LOS_PASSWORD_SIGN_IN,
        )
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not settings.LOS_PASSWORD_SIGN_IN:
            record(Action.SIGN_IN_FAILED, request=request, detail="password sign-in is switched off")
            return HttpResponseForbidden("Password sign-in is switched off.")
        return super().post(request, *args, **kwargs)
