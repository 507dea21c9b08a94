"""Restricted records (issue 16 point 6, decision 0027): a restricted child is seen only by the users
named on the restriction (and only within their scope); a refused look is a 404 like a missing child and
an audit row "restricted"; administrators set and lift restrictions in the admin, audited, and may not
name themselves; counts keep the child."""

import datetime as dt

import pytest
from django.test import Client

from accounts.models import Role, Scope
from accounts.tests.factories import UserFactory
from audit.models import Action, AuditEvent
from audits.services import population
from children.models import RecordRestriction
from children.selectors import children_in_scope, refusal_detail
from children.tests.factories import ChildFactory, ReferralFactory
from exploitation.selectors import open_entries, tracker_children, visible_with_rag
from exploitation.tests.factories import CohortEntryFactory
from organisation.models import AgencyKind
from organisation.tests.factories import PartnerAgencyFactory, TeamFactory, WorkerFactory
from web.selectors import team_counts

pytestmark = pytest.mark.django_db


def restrict(child, *users, reason="Child of a member of staff"):
    restriction = RecordRestriction.objects.create(child=child, reason=reason)
    restriction.allowed_users.set(users)
    return restriction


@pytest.fixture
def council():
    team = TeamFactory()
    worker = WorkerFactory(team=team)
    restricted = ChildFactory(team=team, worker=worker, last_name="Restrictedname")
    ordinary = ChildFactory(team=team, worker=worker)
    director = UserFactory(role=Role.DIRECTOR, scope=Scope.COUNCIL)
    named_director = UserFactory(role=Role.DIRECTOR, scope=Scope.COUNCIL)
    social_worker = UserFactory(role=Role.SOCIAL_WORKER, scope=Scope.CASELOAD, worker=worker, team=team)
    named_elsewhere = UserFactory(role=Role.SOCIAL_WORKER, scope=Scope.TEAM, team=TeamFactory())
    restrict(restricted, named_director, named_elsewhere)
    return locals()


def ids(qs):
    return set(qs.values_list("pk", flat=True))


def test_only_named_users_see_a_restricted_child_at_any_scope(council):
    c = council
    assert ids(children_in_scope(c["director"])) == {c["ordinary"].pk}
    assert ids(children_in_scope(c["social_worker"])) == {c["ordinary"].pk}  # even the allocated worker
    assert ids(children_in_scope(c["named_director"])) == {c["restricted"].pk, c["ordinary"].pk}


def test_a_restriction_only_narrows_a_named_user_still_needs_scope(council):
    assert ids(children_in_scope(council["named_elsewhere"])) == set()


def test_lifting_the_restriction_restores_scope(council):
    RecordRestriction.objects.filter(child=council["restricted"]).delete()
    assert council["restricted"].pk in ids(children_in_scope(council["social_worker"]))


def test_a_direct_url_is_a_404_like_a_missing_child_and_is_logged_restricted(council):
    client = Client()
    client.force_login(council["director"])
    restricted = council["restricted"]
    missing = client.get("/children/999999/")
    refused = client.get(f"/children/{restricted.pk}/")
    assert refused.status_code == missing.status_code == 404
    assert refused.templates[0].name == missing.templates[0].name  # the same page (its nonce differs)
    assert b"Restrictedname" not in refused.content
    event = AuditEvent.objects.get(action=Action.FORBIDDEN, child_id=restricted.pk)
    assert (event.detail, event.user) == ("restricted", council["director"])
    assert not AuditEvent.objects.filter(action=Action.VIEW, child_id=restricted.pk).exists()


def test_the_named_user_opens_the_record_and_the_view_is_logged(council):
    client = Client()
    client.force_login(council["named_director"])
    assert b"Restrictedname" in client.get(f"/children/{council['restricted'].pk}/").content
    assert AuditEvent.objects.filter(action=Action.VIEW, child_id=council["restricted"].pk).count() == 1


def test_out_of_scope_refusal_is_not_called_restricted(council):
    other = ChildFactory(team=TeamFactory())
    assert refusal_detail(council["social_worker"], other) == "child outside the user's scope"
    assert refusal_detail(council["social_worker"], council["restricted"]) == "restricted"
    assert refusal_detail(council["named_elsewhere"], council["restricted"]) == "child outside the user's scope"


def test_the_child_list_does_not_show_it(council):
    client = Client()
    client.force_login(council["director"])
    link = f'href="/children/{council["restricted"].pk}/"'.encode()
    assert link not in client.get("/children/?q=Restrictedname").content  # the search box echoes the query
    page = client.get("/children/?state=all").content  # open and closed: neither child has an open case
    assert link not in page and b"Restrictedname" not in page
    assert f'href="/children/{council["ordinary"].pk}/"'.encode() in page


def test_team_counts_still_count_the_restricted_child(council):
    """The team's allocated count is the team's workload: it includes the restricted child (decision 0027)."""
    team = team_counts(type(council["team"]).objects.filter(pk=council["team"].pk)).get()
    assert team.allocated == 2


def test_audit_samples_never_draw_a_restricted_child(council):
    today = dt.date(2026, 11, 1)
    for child in (council["restricted"], council["ordinary"]):
        ReferralFactory(child=child, referral_date=today - dt.timedelta(days=30))
    assert ids(population(today=today)) == {council["ordinary"].pk}


def test_tracker_at_council_scope_and_a_partner_share_leave_it_out(council):
    police = PartnerAgencyFactory(kind=AgencyKind.POLICE)
    CohortEntryFactory(child=council["restricted"], referred_by=police)
    CohortEntryFactory(child=council["ordinary"], referred_by=police)
    officer = UserFactory(role=Role.MASE_MEMBER, scope=Scope.AGENCY_COHORT, agency=police)
    assert ids(tracker_children(officer)) == {council["ordinary"].pk}
    both = {council["restricted"].pk, council["ordinary"].pk}
    assert {e.child_id for e in open_entries(council["director"])} == {council["ordinary"].pk}
    assert {e.child_id for e in open_entries(council["named_director"])} == both
    assert visible_with_rag(council["director"], both)[0] == {council["ordinary"].pk}


def test_the_administrator_sets_changes_and_lifts_a_restriction_in_the_admin_and_each_is_audited(client):
    admin_user = UserFactory(username="admin1", role=Role.ADMINISTRATOR, scope=Scope.NONE, is_staff=True)
    admin_user.is_superuser = True
    admin_user.save()
    child = ChildFactory()
    named = UserFactory(role=Role.DIRECTOR, scope=Scope.COUNCIL)
    client.force_login(admin_user)

    add = "/admin/children/recordrestriction/add/"
    refused = client.post(
        add, {"child": child.pk, "reason": "Child of a member of staff", "allowed_users": [admin_user.pk]}
    )
    assert refused.status_code == 200 and "You may not name yourself" in refused.content.decode()
    assert not RecordRestriction.objects.exists()

    response = client.post(
        add, {"child": child.pk, "reason": "Child of a member of staff", "allowed_users": [named.pk]}
    )
    assert response.status_code == 302
    restriction = RecordRestriction.objects.get(child=child)
    assert restriction.set_by == admin_user and list(restriction.allowed_users.all()) == [named]
    created = AuditEvent.objects.get(action=Action.CREATE, detail__startswith="record restriction")
    assert created.child_id == child.pk and named.username in created.detail and created.username == "admin1"

    response = client.post(f"/admin/children/recordrestriction/{restriction.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302 and not RecordRestriction.objects.exists()
    assert AuditEvent.objects.filter(
        action=Action.DELETE, child_id=child.pk, detail="record restriction lifted"
    ).exists()
