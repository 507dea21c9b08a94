"""Each role's home page is the start of its day's work (issue 15 point 1): what it lists, that each row links
straight to the detail, that it shows nothing outside the user's scope, and that the children it names are audited."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role, Scope
from accounts.tests.factories import UserFactory
from audit.models import Action, AuditEvent, ShownChild
from audits.tests.factories import CaseAuditFactory, RoundFactory, complete
from children.tests.factories import AssessmentFactory, ChildFactory, ReferralFactory
from exploitation import models as ex
from exploitation.tests.factories import CohortEntryFactory
from indicators import selectors as indicator_selectors
from indicators.models import Benchmark, Population, Target
from organisation.tests.factories import TeamFactory, WorkerFactory
from partnership.tests.factories import AllegationFactory
from plans.tests.factories import ActionFactory, LeadFactory, MilestoneFactory, RoleFactory
from returns.models import ImportRun, Kind
from timescales.models import CaseloadPromise
from timescales.services import recompute_all
from web.selectors import performance_exceptions

pytestmark = pytest.mark.django_db
D = dt.date


def home(client, user):
    client.force_login(user)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    return response, response.content.decode()


def shown_on_home(user) -> set[int]:
    events = AuditEvent.objects.filter(user=user, action=Action.VIEW, detail="home page")
    return set(ShownChild.objects.filter(event__in=events).values_list("child_id", flat=True))


def late_assessment(team, worker, first_name, last_name="Case"):
    """A child whose assessment, begun on 8 Jan 2024, is overdue on 2 Apr 2024 (45 working days)."""
    child = ChildFactory(team=team, worker=worker, first_name=first_name, last_name=last_name)
    AssessmentFactory(referral=ReferralFactory(child=child, referral_date=D(2024, 1, 8)))
    return child


@pytest.fixture
def team():
    return TeamFactory(name="Safeguarding East")


def test_social_worker_sees_their_children_with_what_is_overdue_and_audited(client, team):
    worker = WorkerFactory(team=team)
    mine = late_assessment(team, worker, "Myown")
    other = late_assessment(team, WorkerFactory(team=team), "Colleagues")
    recompute_all(D(2024, 4, 2))
    user = UserFactory(role=Role.SOCIAL_WORKER, scope=Scope.CASELOAD, team=team, worker=worker)

    response, html = home(client, user)

    rows = response.context["my_children"]
    assert [r["child"] for r in rows] == [mine]
    assert [o.rule.code for o in rows[0]["overdue"]] == ["assessment"]
    assert response.context["my_counts"]["overdue"] == 1
    assert reverse("child_detail", args=[mine.pk]) in html
    assert "Colleagues" not in html
    assert mine.pk in shown_on_home(user) and other.pk not in shown_on_home(user)


def test_team_manager_sees_overdue_work_caseloads_against_the_promise_and_supervision(client, team):
    busy = WorkerFactory(team=team, name="Busy Worker", fte=Decimal("0.5"))
    child = late_assessment(team, busy, "Overdue")
    for _ in range(2):
        ReferralFactory(child=ChildFactory(team=team, worker=busy), referral_date=D(2024, 3, 1))
    elsewhere = late_assessment(TeamFactory(), None, "Otherteam")
    CaseloadPromise.objects.update_or_create(team_type=team.team_type, defaults={"max_cases": 4})
    recompute_all(D(2024, 4, 2))
    user = UserFactory(role=Role.TEAM_MANAGER, scope=Scope.TEAM, team=team)

    response, html = home(client, user)

    assert response.context["team_counts"]["overdue"] >= 1
    assert child in [o.child for o in response.context["team_overdue"]]
    assert f"{reverse('obligation_list')}?team={team.pk}&amp;status=overdue" in html
    assert reverse("child_detail", args=[child.pk]) in html
    load = next(c for c in response.context["caseloads"] if c.worker == busy)
    assert (load.cases, load.weighted, load.over_promise) == (3, Decimal("6.0"), True)  # 3 cases at 0.5 FTE
    assert "Over 4" in html
    assert "team_counts" in response.context and "supervision_overdue" in response.context["team_counts"]
    assert "Otherteam" not in html and elsewhere.pk not in shown_on_home(user)
    assert child.pk in shown_on_home(user)


def test_director_sees_headline_counts_and_the_trend_of_completion_in_timescale(client, team):
    worker = WorkerFactory(team=team)
    late_assessment(team, worker, "Late")
    done = ChildFactory(team=team, worker=worker)
    AssessmentFactory(
        referral=ReferralFactory(child=done, referral_date=D(2024, 1, 8)),
        start_date=D(2024, 1, 8),
        authorisation_date=D(2024, 1, 20),
    )
    recompute_all(D(2024, 4, 2))
    user = UserFactory(role=Role.DIRECTOR, scope=Scope.COUNCIL)

    response, html = home(client, user)

    headline = response.context["headline"]
    assert headline["totals"]["overdue"] >= 1
    assert headline["computed_on"] == D(2024, 4, 2)
    assert any(row["month"] == D(2024, 1, 1) and row["percent"] == 100 for row in headline["trend"])
    assert headline["chart"].x_labels and "<svg" in html[html.index('id="headline"') :]
    assert reverse("oversight") in html and reverse("indicator_board") in html


def test_performance_exceptions_are_red_against_target_or_worse_than_benchmark():
    indicator_selectors.clear_cache()
    a, b = ChildFactory(), ChildFactory()
    ReferralFactory(child=a, referral_date=D(2024, 5, 1))
    ReferralFactory(child=a, referral_date=D(2024, 9, 1))  # a re-referral: 1 of 3 referrals, 33%
    ReferralFactory(child=b, referral_date=D(2024, 9, 2))
    Population.objects.create(year=2024, age_band="all", sex="U", count=10_000)

    assert "RE-REF" not in {r.code for r in performance_exceptions(D(2024, 10, 5))["rows"]}

    Target.objects.create(indicator="RE-REF", year=2024, value=15)  # lower is better: 33% is red
    indicator_selectors.clear_cache()
    from django.core.cache import cache

    cache.clear()
    found = performance_exceptions(D(2024, 10, 5))
    row = next(r for r in found["rows"] if r.code == "RE-REF")
    assert (row.rag, row.benchmark) == ("red", "")
    assert found["quarter"] == 2  # September is in the second quarter

    Target.objects.filter(indicator="RE-REF").update(value=50)  # now green against target ...
    Benchmark.objects.create(indicator="RE-REF", year=2023, comparator="england", value=Decimal("22.0"))
    cache.clear()
    row = next(r for r in performance_exceptions(D(2024, 10, 5))["rows"] if r.code == "RE-REF")
    assert row.rag == "green" and row.benchmark.startswith("England")  # ... but worse than England's 22%


def test_qa_officer_sees_moderation_waiting_but_not_their_own_audits(client):
    user = UserFactory(role=Role.QA_OFFICER, scope=Scope.COUNCIL)
    theirs = complete(CaseAuditFactory(child=ChildFactory(first_name="Tomoderate")), "Good")
    own = complete(CaseAuditFactory(auditor=user, child=ChildFactory(first_name="Ownaudit")), "Good")
    todo = CaseAuditFactory(child=ChildFactory(first_name="Notdone"))

    response, html = home(client, user)

    assert [(r, r.open, r.total) for r in response.context["rounds_open"]] == [(todo.round, 1, 1)]
    assert reverse("audits_round", args=[todo.round.pk]) in html

    assert response.context["moderation"] == [theirs] and response.context["moderation_count"] == 1
    assert reverse("audits_case", args=[theirs.pk]) in html
    assert "Ownaudit" not in html and "Notdone" not in html
    assert theirs.child_id in shown_on_home(user) and own.child_id not in shown_on_home(user)


def test_lado_sees_allegations_to_chase_and_the_way_to_record_one(client):
    today = timezone.localdate()
    late = AllegationFactory(reference="LADO-LATE", referral_date=today - dt.timedelta(days=400))
    AllegationFactory(reference="LADO-NEW", referral_date=today, initial_consideration_date=today)
    AllegationFactory(reference="LADO-SHUT", referral_date=today - dt.timedelta(days=500), closed_date=today)

    response, html = home(client, UserFactory(role=Role.LADO, scope=Scope.COUNCIL))

    assert [c.allegation for c in response.context["to_chase"]] == [late]
    assert response.context["open_allegations"] == 2
    assert reverse("partnership_allegation", args=[late.pk]) in html
    assert reverse("partnership_allegation_add") in html
    assert "LADO-SHUT" not in html


def test_analyst_sees_the_latest_return_of_each_kind_with_its_as_at_date_and_problems(client):
    ImportRun.objects.create(kind=Kind.CIN, file_name="old.xml", collection_year=2024, status="committed")
    latest = ImportRun.objects.create(
        kind=Kind.CIN, file_name="cin-2025.xml", collection_year=2025, status="rejected", errors=3, warnings=1
    )
    annex = ImportRun.objects.create(kind=Kind.ANNEX_A, file_name="annex.xlsx", status="committed")

    response, html = home(client, UserFactory(role=Role.ANALYST, scope=Scope.COUNCIL))

    assert response.context["returns"] == [latest, annex]
    assert "31 Mar 2025" in html and "3 errors, 1 warning" in html and "old.xml" not in html
    assert reverse("returns_run", args=[latest.pk]) in html and reverse("returns_upload") in html


def test_mase_coordinator_sees_the_next_meeting_and_open_actions_overdue_against_today(client):
    today = timezone.localdate()
    child = ChildFactory(first_name="Cohortchild")
    CohortEntryFactory(child=child)
    held = ex.Meeting.objects.create(held_on=today - dt.timedelta(days=28), title="October panel")
    ex.Meeting.objects.create(held_on=today + dt.timedelta(days=7), title="Next panel")
    item = ex.MeetingItem.objects.create(meeting=held, child=child, reasons="new")
    # due after the last meeting but before today: overdue now, though not at the meeting it was set
    late = ex.Action.objects.create(
        item=item, child=child, description="Visit school", owner="PC Lee", due_on=today - dt.timedelta(days=1)
    )
    ex.Action.objects.create(
        item=item, child=child, description="Done already", owner="X", due_on=today, completed_on=today
    )
    user = UserFactory(role=Role.MASE_MEMBER, scope=Scope.COUNCIL)

    response, html = home(client, user)

    assert response.context["meeting"].title == "Next panel" and response.context["meeting_upcoming"]
    assert response.context["mase_actions"] == [late] and response.context["mase_actions"][0].overdue
    assert response.context["mase_overdue_count"] == 1
    assert "Done already" not in html and reverse("exploitation_meeting", args=[response.context["meeting"].pk]) in html
    assert child.pk in shown_on_home(user)


def test_a_partner_sees_only_the_actions_for_the_children_its_agency_may_see(client):
    from exploitation.tests.factories import share_cohort
    from organisation.tests.factories import PartnerAgencyFactory

    today = timezone.localdate()
    police = PartnerAgencyFactory(kind="police")
    shared, other = ChildFactory(first_name="Sharedchild"), ChildFactory(first_name="Otherchild")
    for child in (shared, other):
        CohortEntryFactory(child=child)
    share_cohort(police, shared)
    meeting = ex.Meeting.objects.create(held_on=today - dt.timedelta(days=3), title="Last panel")
    for child in (shared, other):
        item = ex.MeetingItem.objects.create(meeting=meeting, child=child, reasons="new")
        ex.Action.objects.create(item=item, child=child, description=f"For {child.first_name}", owner="X", due_on=today)
    user = UserFactory(role=Role.MASE_MEMBER, scope=Scope.AGENCY_COHORT, agency=police)

    response, html = home(client, user)

    assert [a.child for a in response.context["mase_actions"]] == [shared]
    assert "For Otherchild" not in html and "Otherchild" not in html
    assert shown_on_home(user) == {shared.pk}


def test_board_manager_sees_plan_actions_due_in_their_plans(client):
    user = UserFactory(role=Role.BOARD_MANAGER, scope=Scope.NONE)
    today = timezone.localdate()
    late = ActionFactory(summary="Refresh the threshold document", end_date=today - dt.timedelta(days=3))
    RoleFactory(plan=late.plan, user=user)
    soon = ActionFactory(theme=late.theme, summary="Train the front door", end_date=today + dt.timedelta(days=200))
    MilestoneFactory(action=soon, due_date=today + dt.timedelta(days=2))
    ActionFactory(theme=late.theme, summary="Far off", end_date=today + dt.timedelta(days=200))
    ActionFactory(summary="Someone else's plan", end_date=today - dt.timedelta(days=3))
    mine = ActionFactory(theme=late.theme, summary="Led by me", end_date=today - dt.timedelta(days=3))
    LeadFactory(action=mine, user=user)  # listed once, in the lead's own reminders, not again below

    response, html = home(client, user)

    assert [r.action for r in response.context["plan_overdue"]] == [late]
    assert [r.action for r in response.context["plan_due"]] == [soon]
    assert reverse("plan_action", args=[late.pk]) in html
    assert "Far off" not in html and "Someone else" not in html
    assert html.count("Led by me") == 1


def test_every_role_has_a_home_page_without_a_server_error(client):
    team = TeamFactory()
    for role in Role.values:
        user = UserFactory(role=role, scope=Scope.TEAM, team=team)
        home(client, user)


def test_an_auditor_opens_the_record_of_the_child_they_audit_and_no_other(client):
    """A team manager auditing another team's child (sampling never gives an auditor a child they manage) may open
    that child's record while the audit is open: that child only, audited as the auditor's view."""
    own_team, other_team = TeamFactory(), TeamFactory()
    auditor = UserFactory(role=Role.TEAM_MANAGER, scope=Scope.TEAM, team=own_team)
    child = ChildFactory(team=other_team, first_name="Audited")
    neighbour = ChildFactory(team=other_team, first_name="Neighbour")
    case = CaseAuditFactory(round=RoundFactory(), child=child, auditor=auditor)
    client.force_login(auditor)

    page = client.get(reverse("audits_case", args=[case.pk])).content.decode()
    assert reverse("child_detail", args=[child.pk]) in page
    response = client.get(reverse("child_detail", args=[child.pk]))
    assert response.status_code == 200 and not response.context["can_record"]
    assert AuditEvent.objects.filter(
        action=Action.VIEW, child=child, user=auditor, detail=f"as auditor of audit {case.pk}"
    ).exists()
    assert client.get(reverse("child_detail", args=[neighbour.pk])).status_code == 404

    complete(case, "Good")
    assert client.get(reverse("child_detail", args=[child.pk])).status_code == 404
    assert (
        reverse("child_detail", args=[child.pk])
        not in client.get(reverse("audits_case", args=[case.pk])).content.decode()
    )
    assert AuditEvent.objects.filter(action=Action.FORBIDDEN, child=child, user=auditor).exists()
