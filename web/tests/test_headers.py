"""Pages and exports with children's data are never cached; browser features the service does not use are off."""

import pytest
from django.urls import reverse

from accounts.models import Role, Scope
from accounts.tests.factories import UserFactory
from children.tests.factories import ChildFactory
from organisation.tests.factories import TeamFactory

pytestmark = pytest.mark.django_db


def cache_directives(response) -> set[str]:
    return {part.strip() for part in response["Cache-Control"].split(",")}


def test_every_signed_in_page_and_error_is_no_store_private_with_a_permissions_policy(client):
    team = TeamFactory()
    child = ChildFactory(team=team)
    client.force_login(UserFactory(role=Role.TEAM_MANAGER, scope=Scope.TEAM, team=team))
    for url in (
        reverse("home"),
        reverse("child_list"),
        reverse("child_detail", args=[child.pk]),
        reverse("child_detail", args=[child.pk + 1000]),  # not found
        reverse("audit_log"),  # refused
        reverse("drift_list") + "?format=xlsx",
    ):
        response = client.get(url)
        assert {"no-store", "private"} <= cache_directives(response), url
        policy = response["Permissions-Policy"]
        assert all(f"{feature}=()" in policy for feature in ("camera", "microphone", "geolocation", "usb")), url


def test_the_sign_in_page_is_not_stored_either(client):
    response = client.get(reverse("login"))
    assert "no-store" in cache_directives(response) and "Permissions-Policy" in response
