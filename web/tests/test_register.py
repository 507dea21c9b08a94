"""The register reads like a caseload (issue 15 point 3): open by default, current status, filters, sorting;
the chronology newest first with a filter by kind."""

import datetime as dt

import pytest
from django.utils import timezone

from accounts.models import Role, Scope
from accounts.tests.factories import UserFactory
from children.models import Child, PathwayPlan
from children.selectors import caseload
from children.tests.factories import (
    AssessmentFactory,
    ChildFactory,
    ChildProtectionPlanFactory,
    LookedAfterEpisodeFactory,
    ReferralFactory,
)
from organisation.tests.factories import TeamFactory, WorkerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def register(client):
    today = timezone.localdate()
    east, west = TeamFactory(name="East"), TeamFactory(name="West")
    ann, bob = WorkerFactory(team=east, name="Ann Worker"), WorkerFactory(team=east, name="Bob Worker")
    kids = {}
    kids["cin"] = ReferralFactory(child=ChildFactory(last_name="Adams", team=east, worker=ann)).child
    lac = ChildFactory(last_name="Brown", team=east, worker=bob)
    LookedAfterEpisodeFactory(child=lac, start_date=dt.date(2024, 3, 1))
    ChildProtectionPlanFactory(referral=ReferralFactory(child=lac), end_date=None)  # looked after wins
    kids["lac"] = lac
    kids["cpp"] = ChildProtectionPlanFactory(
        referral=ReferralFactory(child=ChildFactory(last_name="Clark", team=west))
    ).child
    kids["closed"] = ReferralFactory(
        child=ChildFactory(last_name="Davis", team=west), closure_date=dt.date(2024, 6, 30)
    ).child
    leaver = ChildFactory(last_name="Evans", team=west, birth_date=today.replace(year=today.year - 19))
    PathwayPlan.objects.create(child=leaver, plan_date=today - dt.timedelta(days=30))
    kids["care_leaver"] = leaver
    UserFactory(username="hos", role=Role.HEAD_OF_SERVICE, scope=Scope.COUNCIL)
    client.force_login(UserFactory(role=Role.HEAD_OF_SERVICE, scope=Scope.COUNCIL))
    return kids, east, ann


def names(client, query=""):
    page = client.get("/children/" + query)
    assert page.status_code == 200
    return [str(c.last_name) for c in page.context["page"].object_list]


def test_an_episode_that_ended_today_is_no_longer_looked_after():
    today = timezone.localdate()
    child = LookedAfterEpisodeFactory(start_date=today - dt.timedelta(days=10), end_date=today).child
    assert caseload(Child.objects.filter(pk=child.pk), today, state="all").get().status == ""  # ended today: closed


def test_open_cases_by_default_with_their_status(client, register):
    kids, _, _ = register
    page = client.get("/children/")
    rows = {c.last_name: c.status for c in page.context["page"].object_list}
    assert rows == {"Adams": "cin", "Brown": "lac", "Clark": "cpp", "Evans": "care_leaver"}
    text = page.content.decode()
    assert "Looked after" in text and "Child protection plan" in text and "Care leaver" in text
    assert "4 children: open cases." in " ".join(text.split())


def test_closed_cases_are_separate(client, register):
    assert names(client, "?state=closed") == ["Davis"]
    assert names(client, "?state=all") == ["Adams", "Brown", "Clark", "Davis", "Evans"]


@pytest.mark.parametrize(
    ("status", "expected"), [("cin", ["Adams"]), ("lac", ["Brown"]), ("cpp", ["Clark"]), ("care_leaver", ["Evans"])]
)
def test_filter_by_status(client, register, status, expected):
    assert names(client, f"?status={status}") == expected


def test_filter_by_team_and_worker_and_sort(client, register):
    _, east, ann = register
    assert names(client, f"?team={east.pk}") == ["Adams", "Brown"]
    assert names(client, f"?team={east.pk}&worker={ann.pk}") == ["Adams"]
    assert names(client, "?sort=-name") == ["Evans", "Clark", "Brown", "Adams"]
    assert names(client, "?sort=status") == ["Evans", "Adams", "Clark", "Brown"]  # care_leaver, cin, cpp, lac
    page = client.get("/children/?sort=name&status=cin").content.decode()
    assert 'aria-sort="ascending"' in page and "sort=-name" in page and "status=cin" in page


def test_unknown_filter_values_are_ignored(client, register):
    assert names(client, "?state=zzz&status=<b>&team=abc&worker=9999&sort=password") == [
        "Adams",
        "Brown",
        "Clark",
        "Evans",
    ]


def test_a_worker_filter_needs_a_team_the_user_may_see(client, register):
    _, east, ann = register
    team_manager = UserFactory(role=Role.TEAM_MANAGER, scope=Scope.TEAM, team=TeamFactory(name="North"))
    client.force_login(team_manager)
    assert names(client, f"?team={east.pk}&worker={ann.pk}") == []  # East is not theirs: ignored, and North is empty


def test_chronology_newest_first_with_a_filter_by_kind(client, register):
    kids, _, _ = register
    child = kids["cin"]
    AssessmentFactory(referral=child.referrals.get(), start_date=dt.date(2024, 1, 10))
    page = client.get(f"/children/{child.pk}/")
    entries = page.context["entries"]
    assert [e.when for e in entries] == sorted((e.when for e in entries), reverse=True)
    assert "Assessment" in page.context["kinds"] and "Referral" in page.context["kinds"]
    only = client.get(f"/children/{child.pk}/?kind=Referral").context["entries"]
    assert only and {e.kind for e in only} == {"Referral"}
    assert client.get(f"/children/{child.pk}/?kind=nonsense").context["entries"] == entries  # ignored
