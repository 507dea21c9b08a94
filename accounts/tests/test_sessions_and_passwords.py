"""A sign-in lasts at most 12 hours however active; users change their own password (audited, throttled)."""

import time

import pytest
from django.conf import settings
from django.urls import reverse

from accounts.middleware import SIGNED_IN_AT
from accounts.models import Role, Scope
from accounts.tests.factories import PASSWORD, UserFactory
from audit.models import Action, AuditEvent

pytestmark = pytest.mark.django_db
NEW_PASSWORD = "a-new-longer-secret-42"


@pytest.fixture
def signed_in(client):
    user = UserFactory(role=Role.TEAM_MANAGER, scope=Scope.TEAM)
    assert client.post(reverse("login"), {"username": user.username, "password": PASSWORD}).status_code == 302
    return user


def started(client, seconds_ago: float) -> None:
    session = client.session
    session[SIGNED_IN_AT] = time.time() - seconds_ago
    session.save()


def test_the_limit_is_twelve_hours():
    assert settings.LOS_SESSION_ABSOLUTE_SECONDS == 12 * 60 * 60


def test_an_active_session_within_twelve_hours_carries_on(client, signed_in):
    started(client, 12 * 60 * 60 - 60)
    assert client.get(reverse("home")).status_code == 200


def test_a_session_older_than_twelve_hours_is_signed_out_however_active(client, signed_in):
    started(client, 12 * 60 * 60 + 1)
    response = client.get(reverse("child_list"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert AuditEvent.objects.filter(action=Action.SIGN_OUT, user=signed_in).exists()
    login_page = client.get(response["Location"]).content.decode()
    assert "signed in more than 12 hours ago" in login_page
    assert client.get(reverse("home")).status_code == 302  # and stays signed out


def test_a_session_without_a_sign_in_time_is_signed_out(client, signed_in):
    session = client.session
    del session[SIGNED_IN_AT]
    session.save()
    assert client.get(reverse("home")).status_code == 302


def test_a_user_changes_their_own_password_and_it_is_audited(client, signed_in):
    assert "Change password" in client.get(reverse("home")).content.decode()  # linked from the header
    assert client.get(reverse("password_change")).status_code == 200
    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    signed_in.refresh_from_db()
    assert signed_in.check_password(NEW_PASSWORD)
    assert client.get(reverse("home")).status_code == 200  # still signed in
    event = AuditEvent.objects.get(action=Action.CHANGE, detail="password changed by its owner")
    assert (event.user, event.object_id) == (signed_in, str(signed_in.pk))
    assert not AuditEvent.objects.filter(detail__contains=NEW_PASSWORD).exists()


@pytest.mark.parametrize(
    ("new1", "new2", "message"),
    [
        ("short", "short", "at least 12 characters"),
        ("password1234", "password1234", "too common"),
        (NEW_PASSWORD, NEW_PASSWORD + "x", "didn’t match"),
        ("8472039184756", "8472039184756", "entirely numeric"),
    ],
)
def test_a_bad_new_password_is_refused_and_changes_nothing(client, signed_in, new1, new2, message):
    data = {"old_password": PASSWORD, "new_password1": new1, "new_password2": new2}
    response = client.post(reverse("password_change"), data)
    signed_in.refresh_from_db()
    assert response.status_code == 200 and "There is a problem" in response.content.decode()
    assert message in response.content.decode()
    assert signed_in.check_password(PASSWORD)


def test_wrong_current_passwords_are_throttled_like_sign_in(client, signed_in):
    wrong = {"old_password": "not-my-password", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    for _ in range(settings.AXES_FAILURE_LIMIT):
        assert client.post(reverse("password_change"), wrong).status_code == 200
    right = {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    response = client.post(reverse("password_change"), right)
    assert response.status_code == 429 and "Too many attempts" in response.content.decode()
    signed_in.refresh_from_db()
    assert signed_in.check_password(PASSWORD)
    assert AuditEvent.objects.filter(action=Action.FORBIDDEN, detail__startswith="password change").count() == 6


def test_a_single_sign_on_account_has_no_password_to_change(client):
    # Its password is unusable: it signs in at the provider (decision 0025), so the link and page are not offered.
    user = UserFactory(role=Role.TEAM_MANAGER, scope=Scope.TEAM, oidc_subject="provider-subject-1")
    user.set_unusable_password()
    user.save()
    client.force_login(user)
    assert reverse("password_change") not in client.get(reverse("home")).content.decode()
    assert client.get(reverse("password_change")).status_code == 404


def test_a_password_account_is_offered_the_change(client, signed_in):
    assert reverse("password_change") in client.get(reverse("home")).content.decode()
