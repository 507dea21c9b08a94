"""The 12-month trend of each line-of-sight measure (issue 15 point 4, decision 0043): the month running recorded
each night, the months before it reconstructed from the register where it can say, "not recorded" where not."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.urls import reverse

from accounts.models import Role, Scope
from accounts.tests.factories import UserFactory
from children.services import allocate
from children.tests.factories import AssessmentFactory, ChildFactory, ChildProtectionPlanFactory, ReferralFactory
from organisation.tests.factories import TeamFactory, WorkerFactory
from timescales import snapshots
from timescales.models import LineOfSightSnapshot as Snap
from timescales.models import Obligation, Status, TimescaleRule
from timescales.services import recompute_all

pytestmark = pytest.mark.django_db
D = dt.date
TODAY = D(2024, 4, 2)
MEASURES = ("overdue", "due_soon", "drift", "in_time", "completed", "cases")


def figures(team, month):
    s = Snap.objects.get(team=team, month=month)
    return {f: getattr(s, f) for f in MEASURES}


@pytest.fixture
def east_and_empty_west():
    """East: one child, allocated to Sam (half-time) and referred on 4 December 2023, decided the same day (in time);
    the assessment (45 working days: due 8 February 2024, 10 days' warning) was authorised late, on 12 March.
    West: a team with no work and no workers. Supervision is switched off so the assessment is the only open clock."""
    TimescaleRule.objects.filter(code="supervision").update(active=False)
    east, west = TeamFactory(name="East", team_type="assessment"), TeamFactory(name="West")
    sam = WorkerFactory(team=east, name="Sam", fte=Decimal("0.5"))
    child = ChildFactory(team=east, first_name="Late")
    allocate(child, east, sam, D(2023, 12, 4))
    referral = ReferralFactory(child=child, referral_date=D(2023, 12, 4), decision_date=D(2023, 12, 4))
    AssessmentFactory(referral=referral, authorisation_date=D(2024, 3, 12))
    recompute_all(TODAY)
    snapshots.backfill(TODAY)
    return east, west, child


def test_the_month_running_is_recorded_by_the_recompute(east_and_empty_west):
    east, west, child = east_and_empty_west
    assert set(Obligation.objects.filter(child=child).values_list("rule__code", "due_date", "completed_on")) == {
        ("referral_decision", D(2023, 12, 5), D(2023, 12, 4)),
        ("assessment", D(2024, 2, 8), D(2024, 3, 12)),
    }
    april = Snap.objects.get(team=east, month=D(2024, 4, 1))
    assert (april.as_of, april.reconstructed) == (TODAY, False)
    # Nothing open, nothing completed in April so far; one open case on 0.5 FTE against the promise of 18.
    assert figures(east, D(2024, 4, 1)) == dict(overdue=0, due_soon=0, drift=0, in_time=0, completed=0, cases=1)
    assert (april.fte, april.promise) == (Decimal("0.5"), 18)
    # The team with no work has its row, of noughts, and no FTE.
    assert figures(west, D(2024, 4, 1)) == dict(overdue=0, due_soon=0, drift=0, in_time=0, completed=0, cases=0)
    assert Snap.objects.get(team=west, month=D(2024, 4, 1)).fte is None


def test_a_clock_overdue_at_a_month_end_and_done_the_next_month(east_and_empty_west):
    """31 Dec: due in 39 days (neither). 31 Jan: due in 8 days, within 10 (due soon). 29 Feb: past due and not done
    (overdue). 31 Mar: done on 12 March, late (completed 1, in time 0). The decision was completed in December."""
    east, west, _ = east_and_empty_west
    assert figures(east, D(2023, 12, 1)) == dict(overdue=0, due_soon=0, drift=None, in_time=1, completed=1, cases=None)
    assert figures(east, D(2024, 1, 1)) == dict(overdue=0, due_soon=1, drift=None, in_time=0, completed=0, cases=None)
    assert figures(east, D(2024, 2, 1)) == dict(overdue=1, due_soon=0, drift=None, in_time=0, completed=0, cases=None)
    assert figures(east, D(2024, 3, 1)) == dict(overdue=0, due_soon=0, drift=None, in_time=0, completed=1, cases=None)
    assert figures(east, D(2023, 5, 1)) == dict(overdue=0, due_soon=0, drift=None, in_time=0, completed=0, cases=None)
    february = Snap.objects.get(team=east, month=D(2024, 2, 1))
    assert (february.as_of, february.reconstructed, february.fte) == (D(2024, 2, 29), True, None)
    assert figures(west, D(2024, 2, 1))["overdue"] == 0
    assert Snap.objects.filter(month__lt=D(2023, 5, 1)).count() == 0  # twelve months, the running one included
    assert snapshots.backfill(TODAY) == []  # a month written is never written again by the backfill


def test_a_clock_missed_when_the_plan_ended_is_overdue_only_until_it_ended():
    """A clock never done that ran out before its plan ended is "late" and keeps the day the plan ended (ended_on):
    overdue at the month ends before that day, not after it."""
    team = TeamFactory()
    plan = ChildProtectionPlanFactory(
        referral=ReferralFactory(child=ChildFactory(team=team), referral_date=D(2024, 1, 8)),
        start_date=D(2024, 1, 10),
        end_date=D(2024, 4, 15),
    )
    recompute_all(D(2024, 5, 20))
    missed = Obligation.objects.filter(child=plan.child, status=Status.LATE, completed_on__isnull=True)
    assert missed.exists() and set(missed.values_list("ended_on", flat=True)) == {D(2024, 4, 15)}
    first = missed.order_by("due_date").first()
    assert first.due_date < D(2024, 3, 31)
    snapshots.reconstruct_month(D(2024, 3, 1))
    snapshots.reconstruct_month(D(2024, 4, 1))
    march_overdue = missed.filter(due_date__lt=D(2024, 3, 31)).count()
    assert Snap.objects.get(team=team, month=D(2024, 3, 1)).overdue >= march_overdue > 0
    assert Snap.objects.get(team=team, month=D(2024, 4, 1)).overdue == 0  # the plan had ended by 30 April


def test_a_month_that_has_ended_is_frozen(east_and_empty_west):
    east, _, _ = east_and_empty_west
    snapshots.record_month(D(2024, 4, 3))  # the next night overwrites the month running
    assert Snap.objects.get(team=east, month=D(2024, 4, 1)).as_of == D(2024, 4, 3)
    snapshots.record_month(D(2024, 5, 1))  # May begins: April is over
    assert snapshots.record_month(D(2024, 4, 30)) == 0  # a late run for April writes nothing
    assert Snap.objects.get(team=east, month=D(2024, 4, 1)).as_of == D(2024, 4, 3)
    assert Snap.objects.filter(month=D(2024, 4, 1)).count() == 2


def test_the_page_shows_each_measure_for_the_council_and_each_team(client, east_and_empty_west):
    east, west, _ = east_and_empty_west
    client.force_login(UserFactory(role=Role.DIRECTOR, scope=Scope.COUNCIL))
    response = client.get(reverse("oversight"))
    months = {m.month: m for m in response.context["trend"]["months"]}
    assert len(months) == 12 and min(months) == D(2023, 5, 1) and max(months) == D(2024, 4, 1)
    assert (months[D(2024, 2, 1)].overdue, months[D(2024, 1, 1)].due_soon) == (1, 1)  # East and West added up
    assert months[D(2024, 4, 1)].per_fte == Decimal("2.0") and months[D(2024, 4, 1)].promise == 18  # both teams: 18
    assert months[D(2024, 3, 1)].percent_in_time == 0 and months[D(2023, 12, 1)].percent_in_time == 100
    assert months[D(2024, 2, 1)].drift is None and months[D(2024, 4, 1)].drift == 0
    html = response.content.decode()
    assert 'id="trend-table"' in html and "Not recorded" in html and "Worked out afterwards" in html
    assert html.count('<svg width="100%"') == 5  # a chart for each measure, its figures in the table
    assert "council total" in html
    one = client.get(reverse("oversight"), {"team": west.pk}).context["trend"]
    assert one["team"] == west and one["months"][-1].cases == 0 and one["months"][-1].per_fte is None


def test_a_team_manager_sees_only_their_teams_trend(client, east_and_empty_west):
    east, west, _ = east_and_empty_west
    client.force_login(UserFactory(role=Role.TEAM_MANAGER, scope=Scope.TEAM, team=west))
    trend = client.get(reverse("oversight")).context["trend"]
    assert trend["months"][-1].cases == 0 and trend["months"][-4].overdue == 0  # West's, not East's
    for asked in (east.pk, "abc", "99999999999999999999"):  # another team's, or no team: ignored
        cache.clear()  # built, not served from the page cache (timescales.pagecache), so that its context is there
        response = client.get(reverse("oversight"), {"team": asked})
        assert response.status_code == 200 and response.context["trend"]["team"] is None
        assert response.context["trend"]["months"][-4].overdue == 0


def test_the_director_and_team_manager_homes_link_to_the_trend(client, east_and_empty_west):
    east, _, _ = east_and_empty_west
    client.force_login(UserFactory(role=Role.DIRECTOR, scope=Scope.COUNCIL))
    assert f'href="{reverse("oversight")}#trend"' in client.get(reverse("home")).content.decode()
    client.force_login(UserFactory(role=Role.TEAM_MANAGER, scope=Scope.TEAM, team=east))
    assert f'href="{reverse("oversight")}?team={east.pk}#trend"' in client.get(reverse("home")).content.decode()
