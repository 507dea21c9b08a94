"""Nobody can widen their own access; every access change by anyone is audited and shown to administrators."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse

from accounts.access import recent_access_changes
from accounts.models import Role, Scope, User
from accounts.tests.factories import PASSWORD, UserFactory
from audit.context import current_request
from audit.models import Action, AuditEvent
from organisation.tests.factories import TeamFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_user(client):
    user = UserFactory(username="admin1", role=Role.ADMINISTRATOR, scope=Scope.NONE, is_staff=True, is_superuser=True)
    client.force_login(user)
    return user


def admin_change_form(user: User, **changes) -> dict:
    """The Django admin's change form for a user, as posted, with some fields changed."""
    data = {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "is_active": "on" if user.is_active else "",
        "is_staff": "on" if user.is_staff else "",
        "is_superuser": "on" if user.is_superuser else "",
        "role": user.role,
        "scope": user.scope,
        "worker": user.worker_id or "",
        "team": user.team_id or "",
        "service": user.service_id or "",
        "agency": user.agency_id or "",
        "last_login_0": "",
        "last_login_1": "",
        "date_joined_0": user.date_joined.strftime("%Y-%m-%d"),
        "date_joined_1": user.date_joined.strftime("%H:%M:%S"),
        "_save": "Save",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value != ""}


def test_an_administrator_cannot_widen_its_own_scope_in_the_admin(client, admin_user):
    url = reverse("admin:accounts_user_change", args=[admin_user.pk])
    form = client.get(url).content.decode()
    assert 'name="scope"' not in form and 'name="role"' not in form  # shown read-only on one's own account
    client.post(url, admin_change_form(admin_user, scope=Scope.COUNCIL, role=Role.DIRECTOR, first_name="Al"))
    admin_user.refresh_from_db()
    assert (admin_user.scope, admin_user.role) == (Scope.NONE, Role.ADMINISTRATOR)
    assert not recent_access_changes().exists()


def test_an_administrator_can_change_another_users_scope_and_it_is_audited(client, admin_user):
    team = TeamFactory()
    other = UserFactory(username="worker7", role=Role.SOCIAL_WORKER, scope=Scope.CASELOAD)
    url = reverse("admin:accounts_user_change", args=[other.pk])
    response = client.post(url, admin_change_form(other, scope=Scope.COUNCIL, team=team.pk))
    assert response.status_code == 302
    other.refresh_from_db()
    assert (other.scope, other.team) == (Scope.COUNCIL, team)
    event = recent_access_changes().get()
    assert (event.action, event.user, event.object_id) == (Action.CHANGE, admin_user, str(other.pk))
    assert event.detail == f"access changed for worker7: scope: caseload -> council; team: None -> {team.pk}"
    assert PASSWORD not in event.detail and "pbkdf2" not in event.detail


def test_a_change_of_anything_but_access_is_not_an_access_change(client, admin_user):
    other = UserFactory(username="worker8")
    url = reverse("admin:accounts_user_change", args=[other.pk])
    assert client.post(url, admin_change_form(other, first_name="Renamed")).status_code == 302
    assert not recent_access_changes().exists()


def test_own_access_is_refused_anywhere_a_user_is_saved_during_a_request(rf, admin_user):
    request = rf.get("/")
    request.user = admin_user
    token = current_request.set(request)
    try:
        admin_user.scope = Scope.COUNCIL
        with pytest.raises(PermissionDenied), transaction.atomic():
            admin_user.save()
        with pytest.raises(PermissionDenied), transaction.atomic():
            admin_user.groups.add(Group.objects.create(name="Everyone"))
        with pytest.raises(PermissionDenied), transaction.atomic():
            admin_user.user_permissions.add(Permission.objects.get(codename="change_user"))
        admin_user.first_name = "Ada"
        admin_user.scope = Scope.NONE
        admin_user.save()  # one's own name is not access
    finally:
        current_request.reset(token)
    admin_user.refresh_from_db()
    assert (admin_user.scope, admin_user.first_name) == (Scope.NONE, "Ada")
    assert not admin_user.groups.exists() and not admin_user.user_permissions.exists()


def test_joining_a_group_or_widening_ones_group_is_refused(rf, admin_user):
    group = Group.objects.create(name="Admins")
    other = UserFactory(username="member")
    request = rf.get("/")
    request.user = admin_user
    token = current_request.set(request)
    try:
        with pytest.raises(PermissionDenied), transaction.atomic():
            group.user_set.add(admin_user)
        group.user_set.add(other)  # someone else may be added, and it is recorded
    finally:
        current_request.reset(token)
    group.user_set.add(admin_user)  # outside a request (a management command): allowed, recorded
    token = current_request.set(request)
    try:
        with pytest.raises(PermissionDenied), transaction.atomic():
            group.permissions.add(Permission.objects.get(codename="change_user"))
    finally:
        current_request.reset(token)
    details = list(recent_access_changes().order_by("pk").values_list("detail", flat=True))
    assert details == [
        "access changed for group Admins: members +member",
        "access changed for group Admins: members +admin1",
    ]


def test_flags_groups_and_permissions_changed_by_another_are_recorded():
    user = UserFactory(username="analyst1")
    user.is_staff = True
    user.is_superuser = True
    user.save()
    group = Group.objects.create(name="Editors")
    user.groups.add(group)
    user.user_permissions.add(Permission.objects.get(codename="change_user"))
    user.groups.remove(group)
    details = list(recent_access_changes().order_by("pk").values_list("detail", flat=True))
    assert details == [
        "access changed for analyst1: is_staff: False -> True; is_superuser: False -> True",
        "access changed for analyst1: groups +Editors",
        "access changed for analyst1: user_permissions +accounts.change_user",
        "access changed for analyst1: groups -Editors",
    ]


def test_a_new_account_made_in_the_admin_is_recorded_with_what_it_was_given(client, admin_user):
    response = client.post(
        reverse("admin:accounts_user_add"),
        {"username": "newbie", "password1": "A-long-enough-pass-99", "password2": "A-long-enough-pass-99"},
    )
    assert response.status_code == 302
    event = recent_access_changes().get()
    assert (event.action, event.user) == (Action.CREATE, admin_user)
    assert event.detail == "access granted to new account newbie: role=social_worker; scope=none; is_active=True"
    assert "A-long-enough" not in event.detail


def test_other_administrators_see_the_change_on_their_home_page_and_the_list(client, admin_user):
    other = UserFactory(username="worker9", scope=Scope.CASELOAD)
    client.post(reverse("admin:accounts_user_change", args=[other.pk]), admin_change_form(other, scope=Scope.COUNCIL))
    second = UserFactory(username="admin2", role=Role.ADMINISTRATOR, is_staff=True)
    client.force_login(second)
    for url in (reverse("home"), reverse("access_changes"), reverse("admin:index")):
        body = client.get(url).content.decode()
        assert "access changed for worker9: scope: caseload -&gt; council" in body, url
        assert "admin1" in body


def test_the_list_of_access_changes_is_for_administrators_only(client):
    client.force_login(UserFactory(role=Role.DIRECTOR, scope=Scope.COUNCIL))
    assert client.get(reverse("access_changes")).status_code == 403
    assert AuditEvent.objects.filter(action=Action.CHANGE).count() == 0
