"""The line-of-sight page's council total, definitions and trend, and days overdue in the lists (issue 15 point 4)."""

import pytest
from django.urls import reverse

from accounts.models import Role, Scope
from accounts.tests.factories import UserFactory
from timescales.models import Obligation, Status
from timescales.tests.test_pages import D, two_teams  # noqa: F401 (the fixture)

pytestmark = pytest.mark.django_db


def test_the_council_total_adds_up_the_teams(client, two_teams):  # noqa: F811
    """East: one assessment overdue, one in time; West: one overdue. Total: 2 overdue, 1 of 1 finished in time."""
    client.force_login(UserFactory(role=Role.DIRECTOR, scope=Scope.COUNCIL))
    response = client.get(reverse("oversight"))
    total = response.context["total"]
    assert (total.overdue, total.in_time, total.late, total.percent_in_time) == (2, 1, 0, 100)
    assert total.overdue == sum(row.overdue for _, row, _ in response.context["table"])
    html = response.content.decode()
    assert "Council total" in html and 'id="line-of-sight-total"' in html
    assert "No return has been imported" in html and "as computed on 2 April 2024" in html
    assert "What these figures mean" in html and "Cases per FTE (promise)</dt>" in html  # the definitions
    east, _, _ = two_teams
    client.force_login(UserFactory(role=Role.TEAM_MANAGER, scope=Scope.TEAM, team=east))
    mine = client.get(reverse("oversight"))
    assert mine.context["total"].overdue == 1 and "Total of these teams" in mine.content.decode()


def test_overdue_work_says_how_many_days_overdue(client, two_teams):  # noqa: F811
    overdue = Obligation.objects.filter(status=Status.OVERDUE).order_by("due_date", "pk").first()
    days = (D(2024, 4, 2) - overdue.due_date).days
    assert overdue.days_overdue == days > 0
    assert Obligation.objects.filter(status=Status.IN_TIME).first().days_overdue is None
    client.force_login(UserFactory(role=Role.DIRECTOR, scope=Scope.COUNCIL))
    listing = client.get(reverse("obligation_list"), {"status": "overdue"}).content.decode()
    assert f"{days} days overdue" in listing
