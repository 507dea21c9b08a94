"""Least privilege: each scope sees its own children and no others."""

import datetime as dt

import pytest

from accounts.models import Role, Scope
from accounts.tests.factories import UserFactory
from children.selectors import can_see_child, children_in_scope
from children.services import allocate
from children.tests.factories import ChildFactory
from exploitation.models import CohortEntry
from organisation.tests.factories import PartnerAgencyFactory, TeamFactory, WorkerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def council():
    team_a = TeamFactory()
    team_b = TeamFactory(service=team_a.service)
    team_c = TeamFactory()  # another service
    worker_a = WorkerFactory(team=team_a)
    worker_a2 = WorkerFactory(team=team_a)
    mine = ChildFactory(team=team_a, worker=worker_a)
    colleagues = ChildFactory(team=team_a, worker=worker_a2)
    same_service = ChildFactory(team=team_b)
    elsewhere = ChildFactory(team=team_c)
    return locals()


def ids(qs):
    return set(qs.values_list("pk", flat=True))


def test_caseload_scope_sees_only_own_children(council):
    user = UserFactory(scope=Scope.CASELOAD, worker=council["worker_a"], team=council["team_a"])
    assert ids(children_in_scope(user)) == {council["mine"].pk}


def test_team_scope_sees_the_team(council):
    user = UserFactory(role=Role.TEAM_MANAGER, scope=Scope.TEAM, team=council["team_a"])
    assert ids(children_in_scope(user)) == {council["mine"].pk, council["colleagues"].pk}


def test_service_scope_sees_every_team_in_the_service(council):
    user = UserFactory(role=Role.HEAD_OF_SERVICE, scope=Scope.SERVICE, service=council["team_a"].service)
    assert ids(children_in_scope(user)) == {council["mine"].pk, council["colleagues"].pk, council["same_service"].pk}


def test_council_scope_sees_everyone(council):
    user = UserFactory(role=Role.DIRECTOR, scope=Scope.COUNCIL)
    assert len(ids(children_in_scope(user))) == 4


@pytest.mark.parametrize("scope", [Scope.AGENCY_COHORT, Scope.COUNCIL, Scope.SERVICE, Scope.TEAM])
def test_partner_sees_no_register_whatever_its_scope(council, scope):
    # The register is for council staff: a partner account sees none of it, even with a
    # council-wide scope set by mistake. Its share of the cohort is exploitation's
    # tracker_children (exploitation/tests/test_partner_share.py).
    agency = PartnerAgencyFactory()
    CohortEntry.objects.create(
        child=council["elsewhere"], identified_date=dt.date(2025, 1, 1), concerns="cse", referred_by=agency
    )
    user = UserFactory(
        role=Role.MASE_MEMBER, scope=scope, agency=agency, team=council["team_a"], service=council["team_a"].service
    )
    assert not children_in_scope(user).exists()
    assert not can_see_child(user, council["elsewhere"])


@pytest.mark.parametrize("scope", [Scope.NONE, Scope.CASELOAD, Scope.TEAM, Scope.SERVICE, Scope.AGENCY_COHORT])
def test_scope_without_its_anchor_sees_nothing(council, scope):
    # A caseload user with no worker, a team user with no team...: nothing, not everything.
    user = UserFactory(scope=scope)
    assert not children_in_scope(user).exists()


def test_reallocation_moves_the_child_between_caseloads(council):
    worker_b = WorkerFactory(team=council["team_b"])
    old = UserFactory(scope=Scope.CASELOAD, worker=council["worker_a"])
    new = UserFactory(scope=Scope.CASELOAD, worker=worker_b)
    child = council["mine"]
    allocate(child, council["team_a"], council["worker_a"], dt.date(2024, 1, 1))
    allocate(child, council["team_b"], worker_b, dt.date(2024, 5, 1))
    assert not can_see_child(old, child)
    assert can_see_child(new, child)
    history = list(child.involvements.values_list("worker_id", "start_date", "end_date"))
    assert history == [
        (council["worker_a"].pk, dt.date(2024, 1, 1), dt.date(2024, 5, 1)),
        (worker_b.pk, dt.date(2024, 5, 1), None),
    ]
