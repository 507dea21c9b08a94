"""Sign-in: audited, throttled, sessions that time out."""

import pytest
from django.conf import settings
from django.urls import reverse

from accounts.tests.factories import PASSWORD, UserFactory
from audit.models import Action, AuditEvent

pytestmark = pytest.mark.django_db


def test_sign_in_and_out_are_audited(client):
    user = UserFactory()
    response = client.post(reverse("login"), {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302
    client.post(reverse("logout"))
    assert list(AuditEvent.objects.order_by("pk").values_list("action", flat=True)) == [Action.SIGN_IN, Action.SIGN_OUT]


def test_wrong_password_is_refused_and_logged_without_the_password(client):
    user = UserFactory()
    response = client.post(reverse("login"), {"username": user.username, "password": "wrong-password-1"})
    assert response.status_code == 200
    assert "Enter a correct username and password" in response.content.decode()
    event = AuditEvent.objects.get(action=Action.SIGN_IN_FAILED)
    assert "wrong-password-1" not in event.detail


def test_five_failures_lock_the_account_even_with_the_right_password(client):
    user = UserFactory()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": user.username, "password": "nope-nope-nope"})
    response = client.post(reverse("login"), {"username": user.username, "password": PASSWORD})
    assert response.status_code == 429
    assert "Too many attempts" in response.content.decode()


def test_session_times_out_after_thirty_minutes_idle():
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST and settings.SESSION_EXPIRE_AT_BROWSER_CLOSE
