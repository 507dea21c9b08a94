"""Single sign-on: the provider's groups decide access at every sign-in (accounts.sso), against a real OpenID
Connect provider started here (accounts.tests.idp) and with the mapping rules on their own."""

import re
from urllib.parse import urljoin

import pytest
import requests
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.middleware import SIGNED_IN_AT
from accounts.models import GroupMapping, Role, Scope, User
from accounts.sso import apply_mapping, groups_in, mapping_for
from accounts.tests.factories import PASSWORD, UserFactory
from accounts.tests.idp import running_provider
from audit.models import Action, AuditEvent
from organisation.tests.factories import TeamFactory

TEAM_GROUP = "3f2a1b9c-0000-4000-8000-000000000001"  # Entra ID sends group object ids
MANAGERS_GROUP = "3f2a1b9c-0000-4000-8000-000000000002"


def mapping(group_id: str, priority: int = 0, **fields) -> GroupMapping:
    fields.setdefault("role", Role.SOCIAL_WORKER)
    fields.setdefault("scope", Scope.CASELOAD)
    return GroupMapping.objects.create(group_id=group_id, priority=priority, **fields)


@pytest.mark.django_db
class TestMapping:
    def test_the_highest_priority_wins_then_the_oldest(self):
        team = TeamFactory()
        worker = mapping(TEAM_GROUP, priority=1)
        manager = mapping(MANAGERS_GROUP, priority=5, role=Role.TEAM_MANAGER, scope=Scope.TEAM, team=team)
        tied = mapping("tied", priority=5, role=Role.DIRECTOR, scope=Scope.COUNCIL)
        assert mapping_for([TEAM_GROUP, MANAGERS_GROUP]) == manager
        assert mapping_for([MANAGERS_GROUP, "tied"]) == manager  # equal priority: the older mapping
        assert mapping_for(["tied", TEAM_GROUP]) == tied
        assert mapping_for([TEAM_GROUP, "unmapped"]) == worker
        assert mapping_for(["unmapped"]) is None
        assert mapping_for([]) is None

    def test_access_comes_from_the_mapping_and_goes_without_one(self):
        team = TeamFactory()
        user = UserFactory(role=Role.SOCIAL_WORKER, scope=Scope.CASELOAD)
        manager = mapping(MANAGERS_GROUP, role=Role.TEAM_MANAGER, scope=Scope.TEAM, team=team)
        assert apply_mapping(user, manager) is True
        assert (user.role, user.scope, user.team_id) == (Role.TEAM_MANAGER, Scope.TEAM, team.pk)
        assert apply_mapping(user, manager) is False
        assert apply_mapping(user, None) is True
        assert (user.scope, user.team_id, user.service_id, user.agency_id) == (Scope.NONE, None, None, None)

    def test_groups_claim_forms(self):
        assert groups_in({"groups": [TEAM_GROUP, 7]}) == [TEAM_GROUP, "7"]
        assert groups_in({"groups": TEAM_GROUP}) == [TEAM_GROUP]
        # Entra ID's overage (more than 200 groups) sends a pointer, not the groups: no groups, so no access.
        assert groups_in({"_claim_names": {"groups": "src1"}, "_claim_sources": {}}) == []

    def test_a_team_scope_needs_a_team(self):
        with pytest.raises(ValidationError, match="team"):
            GroupMapping(group_id="g", role=Role.TEAM_MANAGER, scope=Scope.TEAM).full_clean()


@pytest.mark.django_db
def test_changes_to_mappings_in_the_admin_are_audited(client):
    admin = UserFactory(role=Role.ADMINISTRATOR, is_staff=True, is_superuser=True)
    client.force_login(admin)
    data = {"group_id": TEAM_GROUP, "description": "Children's team A", "priority": "3"}
    response = client.post(
        reverse("admin:accounts_groupmapping_add"), {**data, "role": "social_worker", "scope": "caseload"}
    )
    assert response.status_code == 302
    created = GroupMapping.objects.get(group_id=TEAM_GROUP)
    change = reverse("admin:accounts_groupmapping_change", args=[created.pk])
    client.post(change, {**data, "role": "director", "scope": "council"})
    client.post(reverse("admin:accounts_groupmapping_delete", args=[created.pk]), {"post": "yes"})
    events = AuditEvent.objects.filter(object_type="accounts.GroupMapping").order_by("pk")
    assert [(e.action, e.user_id) for e in events] == [
        (Action.CREATE, admin.pk),
        (Action.CHANGE, admin.pk),
        (Action.DELETE, admin.pk),
    ]
    assert "role=director scope=council" in events[1].detail
    assert not GroupMapping.objects.exists()


@pytest.mark.django_db
def test_password_sign_in_switched_off(client, settings):
    settings.LOS_PASSWORD_SIGN_IN = False
    settings.LOS_SSO_ENABLED = True
    settings.LOS_OIDC_PROVIDER_NAME = "Microsoft"
    user = UserFactory()
    page = client.get(reverse("login")).content.decode()
    assert "Sign in with Microsoft" in page
    assert 'name="password"' not in page
    response = client.post(reverse("login"), {"username": user.username, "password": PASSWORD})
    assert response.status_code == 403
    assert "_auth_user_id" not in client.session
    # Nor through the admin's sign-in form, which uses the same backends.
    client.post("/admin/login/", {"username": user.username, "password": PASSWORD})
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_password_sign_in_on_by_default_without_single_sign_on(client):
    page = client.get(reverse("login")).content.decode()
    assert 'name="password"' in page
    assert "Sign in with" not in page
    assert client.get(reverse("oidc_authentication_init")).status_code == 404


# End to end against the provider, without a browser: requests keeps the provider's cookies (127.0.0.1) apart
# from Line of Sight's (localhost).


def provider_person(username: str, *groups: str, email: str = "") -> User:
    person = UserFactory(username=username, email=email or f"{username}@council.test", first_name="Sam")
    for name in groups:
        person.groups.add(Group.objects.get_or_create(name=name)[0])
    return person


def sign_in_through_provider(site: str, username: str) -> tuple[requests.Session, requests.Response]:
    session = requests.Session()
    response = session.get(f"{site}/accounts/login/sso/", timeout=30)  # ends on the provider's sign-in page
    assert "Test identity provider" in response.text, response.text[:500]
    token = re.search(r"name='csrfmiddlewaretoken' value='([^']+)'", response.text).group(1)
    next_url = re.search(r"name='next' value='([^']+)'", response.text).group(1).replace("&amp;", "&")
    form = {"csrfmiddlewaretoken": token, "next": next_url, "username": username, "password": PASSWORD}
    response = session.post(response.url, data=form, headers={"Referer": response.url}, timeout=30)
    return session, response


def provider_url(site: str) -> str:
    return site.replace("localhost", "127.0.0.1")


@pytest.mark.django_db(transaction=True)
def test_sign_in_sets_access_from_groups_and_a_removed_group_takes_it_away(live_server):
    team = TeamFactory()
    mapping(TEAM_GROUP, priority=1)
    mapping(MANAGERS_GROUP, priority=5, role=Role.TEAM_MANAGER, scope=Scope.TEAM, team=team)
    person = provider_person("sam.jones", TEAM_GROUP, MANAGERS_GROUP)
    with running_provider(live_server.url, provider_url(live_server.url)):
        session, response = sign_in_through_provider(live_server.url, "sam.jones")
        assert response.url == urljoin(live_server.url, "/"), response.text[:500]
        assert "Signed in as sam.jones@idp.test (Team manager, scope: Team)" in response.text
        account = User.objects.get(oidc_subject=str(person.pk))
        assert account.pk != person.pk and not account.has_usable_password()
        assert (account.role, account.scope, account.team_id) == (Role.TEAM_MANAGER, Scope.TEAM, team.pk)
        assert AuditEvent.objects.filter(action=Action.SIGN_IN, user=account).count() == 1

        # The provider drops the managers' group: at the next sign-in only the worker's access is left.
        person.groups.remove(Group.objects.get(name=MANAGERS_GROUP))
        session, response = sign_in_through_provider(live_server.url, "sam.jones")
        account.refresh_from_db()
        assert (account.role, account.scope, account.team_id) == (Role.SOCIAL_WORKER, Scope.CASELOAD, None)
        assert "Signed in as sam.jones@idp.test (Social worker, scope: Own caseload)" in response.text

        # And then the last mapped group: no access, not signed in, told why; the attempt is in the audit log.
        person.groups.remove(Group.objects.get(name=TEAM_GROUP))
        session, response = sign_in_through_provider(live_server.url, "sam.jones")
        assert response.status_code == 403
        assert "You do not have access to Line of Sight" in response.text
        account.refresh_from_db()
        assert account.scope == Scope.NONE
        assert session.get(f"{live_server.url}/", timeout=30).url.startswith(f"{live_server.url}/accounts/login/")
        refused = AuditEvent.objects.get(action=Action.FORBIDDEN, object_id=str(account.pk))
        assert refused.detail == "single sign-on: no mapped group: sam.jones@idp.test"
        changes = AuditEvent.objects.filter(action=Action.CHANGE, object_id=str(account.pk)).order_by("pk")
        assert [event.detail.split(": ", 1)[1] for event in changes] == [
            f"role: team_manager -> social_worker; scope: team -> caseload; team: {team.pk} -> None",
            "scope: caseload -> none",
        ]
        assert AuditEvent.objects.filter(action=Action.SIGN_IN, user=account).count() == 2


@pytest.mark.django_db(transaction=True)
def test_someone_in_no_mapped_group_gets_no_account(live_server):
    mapping(TEAM_GROUP)
    provider_person("new.starter", "some-other-group")
    with running_provider(live_server.url, provider_url(live_server.url)):
        _, response = sign_in_through_provider(live_server.url, "new.starter")
    assert response.status_code == 403
    assert "You do not have access to Line of Sight" in response.text
    assert not User.objects.filter(oidc_subject__isnull=False).exists()


@pytest.mark.django_db(transaction=True)
def test_a_password_account_with_the_same_email_is_not_taken_over(live_server):
    mapping(TEAM_GROUP, role=Role.DIRECTOR, scope=Scope.COUNCIL)
    existing = UserFactory(username="chief", email="chief@council.test", role=Role.SOCIAL_WORKER)
    provider_person("impostor", TEAM_GROUP, email="chief@council.test")
    with running_provider(live_server.url, provider_url(live_server.url)):
        _, response = sign_in_through_provider(live_server.url, "impostor")
    assert "Signed in as impostor@idp.test" in response.text
    existing.refresh_from_db()
    assert (existing.role, existing.scope, existing.oidc_subject) == (Role.SOCIAL_WORKER, Scope.NONE, None)


@pytest.mark.django_db(transaction=True)
def test_an_id_token_from_another_issuer_is_refused(live_server):
    mapping(TEAM_GROUP)
    provider_person("sam", TEAM_GROUP)
    with running_provider(live_server.url, provider_url(live_server.url), LOS_OIDC_ISSUER="https://login.example"):
        session, response = sign_in_through_provider(live_server.url, "sam")
    assert response.url.startswith(f"{live_server.url}/accounts/login/")
    assert "Signing in with Test Entra did not work" in response.text
    assert not User.objects.filter(oidc_subject__isnull=False).exists()


@pytest.mark.django_db(transaction=True)
def test_single_sign_on_keeps_the_session_lifetime_stamp(live_server, client):
    mapping(TEAM_GROUP)
    provider_person("sam", TEAM_GROUP)
    with running_provider(live_server.url, provider_url(live_server.url)):
        session, _ = sign_in_through_provider(live_server.url, "sam")
    from importlib import import_module

    from django.conf import settings

    key = next(c.value for c in session.cookies if c.name == "sessionid" and "localhost" in c.domain)
    store = import_module(settings.SESSION_ENGINE).SessionStore(key)
    assert isinstance(store.get(SIGNED_IN_AT), float)
