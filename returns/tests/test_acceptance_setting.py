"""How a return kind is accepted, set by the council's administrator on the returns pages (issue 13
point 4, decision 0071): all-or-nothing or per child, stored, audited, recorded on each run; the server's
LOS_RETURNS_ALL_OR_NOTHING is the default for a kind no administrator has set."""

import pytest
from django.urls import reverse

from accounts.models import Role, Scope
from accounts.tests.factories import UserFactory
from audit.models import Action, AuditEvent
from children.models import Child
from organisation.tests.factories import WorkerFactory
from returns import services
from returns.models import Acceptance, Status
from returns.tests.test_per_child_acceptance import preview_903
from returns.tests.test_ssda903_helpers import D903, zip_tables

pytestmark = pytest.mark.django_db


@pytest.fixture
def workers():
    return WorkerFactory(staff_id="SW100001"), WorkerFactory(staff_id="SW100002")


@pytest.fixture
def bad_903(tmp_path):
    """A 903 in which one child (L001) has overlapping episodes: the other three are good."""
    return zip_tables(tmp_path / "bad.zip", replace={"episodes.csv": D903 / "bad" / "episodes_overlap.csv"})


@pytest.mark.parametrize("role", [Role.ANALYST, Role.SOCIAL_WORKER, Role.DIRECTOR])
def test_only_an_administrator_can_change_it(client, role):
    client.force_login(UserFactory(role=role, scope=Scope.COUNCIL))
    assert client.post(reverse("returns_acceptance"), {"ssda903": "all"}).status_code == 403
    assert not Acceptance.objects.exists() and not services.all_or_nothing("ssda903")
    assert not AuditEvent.objects.filter(object_type="returns.Acceptance").exists()


def test_an_analyst_sees_it_without_a_form(client):
    client.force_login(UserFactory(role=Role.ANALYST, scope=Scope.COUNCIL))
    page = client.get(reverse("returns_acceptance")).content.decode()
    assert "Only an administrator can change this." in page and 'type="radio"' not in page
    assert "Per child: children with errors are held back" in client.get(reverse("returns_runs")).content.decode()


def test_an_administrator_changes_it_and_the_change_is_audited(client):
    admin = UserFactory(username="admin", role=Role.ADMINISTRATOR, scope=Scope.COUNCIL)
    client.force_login(admin)
    response = client.post(reverse("returns_acceptance"), {"ssda903": "all", "cin": "child"})
    assert response.status_code == 302
    stored = Acceptance.objects.get()
    assert (stored.kind, stored.all_or_nothing, stored.changed_by, stored.changed_by_name) == (
        "ssda903",
        True,
        admin,
        "admin",
    )
    event = AuditEvent.objects.get(object_type="returns.Acceptance")
    assert event.action == Action.CHANGE and event.user == admin and event.at is not None
    assert event.detail == "acceptance of SSDA903 looked-after children return: per child -> all-or-nothing"
    # the same again changes nothing and audits nothing
    client.post(reverse("returns_acceptance"), {"ssda903": "all"})
    assert AuditEvent.objects.filter(object_type="returns.Acceptance").count() == 1
    page = client.get(reverse("returns_acceptance")).content.decode()
    assert 'id="ssda903-all" name="ssda903" type="radio" value="all" checked' in page and "Set by admin" in page


def test_all_or_nothing_commits_nothing_of_a_return_with_errors(bad_903, workers):
    services.set_acceptance("ssda903", True, UserFactory(role=Role.ADMINISTRATOR))
    run = preview_903(bad_903)
    assert run.all_or_nothing is True and run.status == Status.REJECTED and run.children_committed is None
    run = services.check_and_commit(services.create_run_from_path(bad_903, "ssda903"))
    assert run.status == Status.REJECTED and Child.objects.count() == 0


def test_per_child_commits_the_good_children(bad_903, workers):
    admin = UserFactory(role=Role.ADMINISTRATOR)
    services.set_acceptance("ssda903", True, admin)
    services.set_acceptance("ssda903", False, admin)
    run = services.check_and_commit(services.create_run_from_path(bad_903, "ssda903"))
    assert run.all_or_nothing is False and run.status == Status.COMMITTED
    assert (run.children_committed, run.children_held_back) == (3, 1)
    assert sorted(Child.objects.values_list("la_child_id", flat=True)) == ["L002", "L003", "L004"]


def test_the_stored_setting_wins_over_the_servers(settings):
    settings.RETURNS_ALL_OR_NOTHING = frozenset({"ssda903"})
    assert services.all_or_nothing("ssda903")  # nothing stored: the server's setting is the default
    services.set_acceptance("ssda903", False, UserFactory(role=Role.ADMINISTRATOR))
    assert not services.all_or_nothing("ssda903")


def test_a_run_keeps_the_setting_it_was_uploaded_under_and_its_page_says_which(client, bad_903, workers):
    run = services.create_run_from_path(bad_903, "ssda903")
    services.set_acceptance("ssda903", True, UserFactory(role=Role.ADMINISTRATOR))
    run = services.preview(run)
    assert run.all_or_nothing is False and run.status == Status.PREVIEWED and run.children_held_back == 1
    client.force_login(UserFactory(role=Role.ANALYST, scope=Scope.COUNCIL))
    page = client.get(reverse("returns_run", args=[run.pk])).content.decode()
    assert "Per child: children with errors are held back, the others committed" in page
    later = preview_903(bad_903)
    page = client.get(reverse("returns_run", args=[later.pk])).content.decode()
    assert "All-or-nothing: one error rejects the whole file" in page
    assert "this council imports SSDA903 looked-after children return all-or-nothing" in page


def test_a_kind_the_importers_cannot_hold_back_is_refused():
    with pytest.raises(ValueError):
        services.set_acceptance("other", False, None)
