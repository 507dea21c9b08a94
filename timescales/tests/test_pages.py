"""Line-of-sight pages: counts drill down to the children behind them, within scope."""

import datetime as dt
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from accounts.models import Role, Scope
from accounts.tests.factories import UserFactory
from audit.models import Action, AuditEvent
from children.tests.factories import AssessmentFactory, ChildFactory, ReferralFactory
from organisation.tests.factories import TeamFactory, WorkerFactory
from timescales.models import TimescaleRule
from timescales.services import recompute_all

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def two_teams():
    east, west = TeamFactory(name="East"), TeamFactory(name="West")
    sam = WorkerFactory(team=east, name="Sam")
    late = ReferralFactory(child=ChildFactory(team=east, worker=sam, first_name="Overdue"), referral_date=D(2024, 1, 8))
    AssessmentFactory(referral=late)
    ontime = ReferralFactory(
        child=ChildFactory(team=east, worker=sam, first_name="Ontime"), referral_date=D(2024, 3, 1)
    )
    AssessmentFactory(referral=ontime, authorisation_date=D(2024, 3, 20))
    other = ReferralFactory(child=ChildFactory(team=west, first_name="Westchild"), referral_date=D(2024, 1, 8))
    AssessmentFactory(referral=other)
    recompute_all(D(2024, 4, 2))
    return east, west, sam


def test_team_manager_sees_their_team_counts_and_drills_down(client, two_teams):
    east, west, sam = two_teams
    client.force_login(UserFactory(role=Role.TEAM_MANAGER, scope=Scope.TEAM, team=east))
    body = client.get(reverse("oversight")).content.decode()
    assert "East" in body and "West" not in body
    team_page = client.get(reverse("oversight_team", args=[east.pk])).content.decode()
    assert "Sam" in team_page
    listing = client.get(reverse("obligation_list"), {"worker": sam.pk, "status": "overdue"}).content.decode()
    assert "Overdue Example" in listing and "Ontime" not in listing and "Westchild" not in listing
    assert client.get(reverse("oversight_team", args=[west.pk])).status_code == 404


def test_director_sees_every_team_with_percent_in_timescale(client, two_teams):
    client.force_login(UserFactory(role=Role.DIRECTOR, scope=Scope.COUNCIL))
    response = client.get(reverse("oversight"))
    rows = {team.name: row for team, row, _ in response.context["table"]}
    assert rows["East"].overdue == 1 and rows["West"].overdue == 1
    assert rows["East"].percent_in_time == 100  # the one finished assessment was in time


def test_export_to_excel_holds_the_filtered_list_and_is_audited(client, two_teams):
    east, _, _ = two_teams
    client.force_login(UserFactory(role=Role.DIRECTOR, scope=Scope.COUNCIL))
    response = client.get(reverse("obligation_list"), {"team": east.pk, "rule": "assessment", "format": "xlsx"})
    sheet = load_workbook(BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("Child ID", "Child", "Rule")
    assert sorted(r[6] for r in rows[1:]) == ["Completed in time", "Overdue"]
    assert AuditEvent.objects.filter(action=Action.EXPORT).exists()


def test_child_page_says_what_is_due_and_why(client, two_teams):
    east, _, _ = two_teams
    client.force_login(UserFactory(role=Role.TEAM_MANAGER, scope=Scope.TEAM, team=east))
    child = east.children.get(first_name="Overdue")
    body = client.get(reverse("child_detail", args=[child.pk])).content.decode()
    assert "Child and family assessment" in body and "Overdue" in body and "8 Jan 2024" in body


def test_administrator_changes_a_local_rule_with_a_reason(client):
    admin = UserFactory(role=Role.ADMINISTRATOR)
    client.force_login(admin)
    rule = TimescaleRule.objects.get(code="supervision")
    response = client.post(
        reverse("timescale_rule_edit", args=[rule.pk]),
        {"amount": 6, "due_soon_days": 5, "active": "on", "reason": "Monthly is too often"},
    )
    assert response.status_code == 302
    rule.refresh_from_db()
    assert rule.amount == 6 and rule.changes.get().changed_by == admin
    client.force_login(UserFactory(role=Role.TEAM_MANAGER))
    assert client.get(reverse("timescale_rule_edit", args=[rule.pk])).status_code == 403


def test_a_worker_sees_their_own_open_timescales_and_the_view_is_audited(client, two_teams):
    from audit.models import ShownChild

    east, west, sam = two_teams
    client.force_login(UserFactory(role=Role.SOCIAL_WORKER, scope=Scope.CASELOAD, team=east, worker=sam))
    body = client.get(reverse("oversight_mine")).content.decode()
    assert "Overdue" in body and "Westchild" not in body
    assert ShownChild.objects.filter(child__first_name="Overdue").exists()


@pytest.mark.parametrize("page", ["obligation_list", "drift_list"])
@pytest.mark.parametrize(
    "params", [{"team": "abc"}, {"worker": "1e309"}, {"service": "-1"}, {"team": "nan", "format": "xlsx"}]
)
def test_a_filter_that_is_not_an_id_matches_nothing_instead_of_failing(client, two_teams, page, params):
    client.force_login(UserFactory(role=Role.DIRECTOR, scope=Scope.COUNCIL))
    response = client.get(reverse(page), params)
    assert response.status_code == 200
    if params.get("format") != "xlsx":
        assert "Overdue Example" not in response.content.decode()


def test_administrator_adds_a_closure_day_with_the_govuk_date_input(client):
    from timescales.models import LocalClosureDay

    client.force_login(UserFactory(role=Role.ADMINISTRATOR))
    bad = client.post(reverse("closure_days"), {"day_day": "30", "day_month": "2", "day_year": "2025", "reason": "x"})
    body = bad.content.decode()
    assert bad.status_code == 200 and "There is a problem" in body
    assert "Date the offices are closed must be a real date" in body and "govuk-input--error" in body
    assert not LocalClosureDay.objects.exists()
    response = client.post(
        reverse("closure_days"), {"day_day": "24", "day_month": "12", "day_year": "2025", "reason": "Christmas Eve"}
    )
    assert response.status_code == 302
    assert LocalClosureDay.objects.get().day == dt.date(2025, 12, 24)
    assert "24 December 2025 added" in client.get(reverse("closure_days")).content.decode()


def test_a_rule_change_out_of_range_is_refused_with_the_fields_own_message(client):
    client.force_login(UserFactory(role=Role.ADMINISTRATOR))
    rule = TimescaleRule.objects.get(code="supervision")
    response = client.post(
        reverse("timescale_rule_edit", args=[rule.pk]), {"amount": 0, "due_soon_days": 5, "reason": "x"}
    )
    body = response.content.decode()
    assert response.status_code == 200 and "Timescale must be 1 or more" in body
    assert 'href="#id_amount"' in body
    rule.refresh_from_db()
    assert rule.amount != 0
