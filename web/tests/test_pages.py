"""Pages: sign-in required, scope enforced, every child view audited."""

import datetime as dt
import re

import pytest
from django.urls import reverse

from accounts.models import Role, Scope
from accounts.tests.factories import UserFactory
from audit.models import Action, AuditEvent
from children.tests.factories import (
    ChildFactory,
    ChildProtectionPlanFactory,
    DeprivationOfLibertyFactory,
    LookedAfterEpisodeFactory,
    ReferralFactory,
)
from organisation.tests.factories import TeamFactory, WorkerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def team():
    return TeamFactory()


@pytest.fixture
def manager(client, team):
    user = UserFactory(role=Role.TEAM_MANAGER, scope=Scope.TEAM, team=team)
    client.force_login(user)
    return user


def test_every_page_needs_sign_in(client):
    child = ChildFactory()
    for url in [reverse("home"), reverse("child_list"), reverse("child_detail", args=[child.pk]), reverse("team_list")]:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_manager_sees_child_chronology_and_the_view_is_audited(client, manager, team):
    referral = ReferralFactory(child=ChildFactory(team=team, first_name="Ava"))
    ChildProtectionPlanFactory(referral=referral)
    response = client.get(reverse("child_detail", args=[referral.child.pk]), REMOTE_ADDR="10.1.2.3")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Referral received" in body and "Plan started: Neglect" in body
    event = AuditEvent.objects.get(action=Action.VIEW)
    assert (event.user, event.child_id, event.ip_address) == (manager, referral.child.pk, "10.1.2.3")
    assert event.path == reverse("child_detail", args=[referral.child.pk])


def test_child_page_shows_a_deprivation_of_liberty_in_force_and_the_chronology_filters_to_it(client, manager, team):
    child = ChildFactory(team=team)
    LookedAfterEpisodeFactory(child=child, start_date=dt.date(2025, 5, 1), placement_type="K2")
    DeprivationOfLibertyFactory(child=child, start_date=dt.date(2025, 6, 1))  # no end: in force
    DeprivationOfLibertyFactory(child=child, start_date=dt.date(2025, 1, 2), end_date=dt.date(2025, 2, 3))
    url = reverse("child_detail", args=[child.pk])
    body = client.get(url).content.decode()
    placement = body.split('id="court-and-placement"')[1].split("</dl>")[0]
    assert "Deprivation of liberty" in placement and "Order in force since 1 June 2025" in placement
    assert "2 January 2025" not in placement  # ended: in the chronology only
    assert '<option value="Deprivation of liberty">' in body
    only = client.get(url, {"kind": "Deprivation of liberty"}).content.decode().split('id="chronology"')[1]
    assert only.count("Deprivation of liberty order began") == 2 and "Deprivation of liberty order ended" in only
    assert "Legal status" not in only


def test_child_outside_scope_is_not_found_like_a_missing_one_and_the_attempt_audited(client, team):
    worker = WorkerFactory(team=team)
    user = UserFactory(scope=Scope.CASELOAD, worker=worker, team=team)
    client.force_login(user)
    other = ChildFactory(team=team, first_name="Secretname")
    response = client.get(reverse("child_detail", args=[other.pk]))
    missing = client.get(reverse("child_detail", args=[other.pk + 1000]))
    # The same answer for a child out of scope and one that does not exist, so that ids cannot be probed.
    assert response.status_code == missing.status_code == 404
    unmasked = [re.sub(r'csrfmiddlewaretoken" value="[^"]*"', "", r.content.decode()) for r in (response, missing)]
    assert unmasked[0] == unmasked[1] and "Page not found" in unmasked[0]
    assert "Secretname" not in response.content.decode()
    event = AuditEvent.objects.get(action=Action.FORBIDDEN)
    assert (event.user, event.child_id) == (user, other.pk)
    assert not AuditEvent.objects.filter(action=Action.VIEW).exists()


def test_child_list_shows_only_children_in_scope(client, manager, team):
    ChildFactory(team=team, first_name="Inscope")
    ChildFactory(first_name="Outofscope")
    body = client.get(reverse("child_list") + "?state=all").content.decode()  # no case open: closed
    assert "Inscope" in body and "Outofscope" not in body


def test_home_page_for_every_role(client, team):
    worker = WorkerFactory(team=team)
    for role in Role.values:
        user = UserFactory(
            role=role, scope=Scope.TEAM, team=team, worker=worker if role == Role.SOCIAL_WORKER else None
        )
        client.force_login(user)
        assert client.get(reverse("home")).status_code == 200, role


def test_team_page_lists_workers_and_caseloads(client, manager, team):
    worker = WorkerFactory(team=team, name="Sam Carter")
    ChildFactory(team=team, worker=worker)
    ChildFactory(team=team, worker=worker)
    body = client.get(reverse("team_detail", args=[team.pk])).content.decode()
    assert "Sam Carter" in body
    assert client.get(reverse("team_detail", args=[TeamFactory().pk])).status_code == 404


def test_audit_log_is_for_administrators_only(client, manager):
    assert client.get(reverse("audit_log")).status_code == 403
    admin = UserFactory(role=Role.ADMINISTRATOR)
    client.force_login(admin)
    assert client.get(reverse("audit_log")).status_code == 200


def test_audit_log_search_by_child_and_action(client, team):
    child = ChildFactory(team=team, la_child_id="FIND-ME")
    viewer = UserFactory(role=Role.TEAM_MANAGER, scope=Scope.TEAM, team=team)
    client.force_login(viewer)
    client.get(reverse("child_detail", args=[child.pk]))
    client.get(reverse("child_detail", args=[ChildFactory(team=team).pk]))
    client.force_login(UserFactory(role=Role.ADMINISTRATOR))
    page = client.get(reverse("audit_log"), {"child": "FIND-ME", "action": "view"}).context["page"]
    assert [e.child_id for e in page.object_list] == [child.pk]


def test_security_headers(client, manager):
    response = client.get(reverse("home"))
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
