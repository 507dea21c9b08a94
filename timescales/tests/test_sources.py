"""Issue 14, point 3: clocks only run on what the data holds.

A clock whose stop event the council's returns never carried is "not recorded in the source",
not overdue; where the register is kept in Line of Sight itself (nothing imported), a missing
event is overdue. Closure days never move the stored statutory deadline."""

import datetime as dt

import pytest

from children.models import CareProceedings, CareProceedingsExtension, CoreGroupMeeting, Visit
from children.tests.factories import AssessmentFactory, ChildProtectionPlanFactory, ReferralFactory
from returns.models import ImportRun
from timescales.models import LocalClosureDay, Obligation, RecomputeRun, Status
from timescales.services import recompute_all, recompute_child

pytestmark = pytest.mark.django_db
D = dt.date


def imported(kind="cin", year=2024):
    return ImportRun.objects.create(
        kind=kind, file_name="return", stored_path="x", sha256="0" * 64, status="committed", collection_year=year
    )


def status(child, code):
    return sorted(Obligation.objects.filter(child=child, rule__code=code).values_list("status", flat=True))


def test_core_groups_and_visits_no_return_carried_are_not_recorded_not_overdue():
    imported()
    plan = ChildProtectionPlanFactory(start_date=D(2024, 6, 3), referral__referral_date=D(2024, 5, 20))
    recompute_all(D(2024, 9, 2))
    assert status(plan.child, "core_group_first") == [Status.UNRECORDED]
    assert status(plan.child, "cp_visit") == [Status.UNRECORDED]
    # the coverage the pages show is stored with the run
    run = RecomputeRun.objects.get()
    assert run.coverage["core_group_first"] == [None, None]


def test_kept_in_line_of_sight_a_missing_core_group_is_overdue():
    plan = ChildProtectionPlanFactory(start_date=D(2024, 6, 3), referral__referral_date=D(2024, 5, 20))
    recompute_all(D(2024, 9, 2))
    assert status(plan.child, "core_group_first") == [Status.OVERDUE]


def test_once_a_core_group_is_held_somewhere_the_rule_is_tracked_from_the_collection_year():
    imported(year=2024)  # the 2023-24 census: its year begins on 1 April 2023
    plan = ChildProtectionPlanFactory(start_date=D(2024, 6, 3), referral__referral_date=D(2024, 5, 20))
    other = ChildProtectionPlanFactory(start_date=D(2024, 1, 8))
    CoreGroupMeeting.objects.create(plan=other, meeting_date=D(2024, 1, 15))
    recompute_all(D(2024, 9, 2))
    assert status(plan.child, "core_group_first") == [Status.OVERDUE]
    assert status(other.child, "core_group_first") == [Status.IN_TIME]


def test_an_assessment_due_before_the_first_collection_year_is_not_recorded():
    imported(year=2024)  # tracked from 1 April 2023
    AssessmentFactory(referral=ReferralFactory(referral_date=D(2024, 1, 8)), authorisation_date=D(2024, 2, 1))
    # referred 2 January 2023: due 45 working days later, in March 2023, before the census year
    old = ReferralFactory(referral_date=D(2023, 1, 2), decision_date=D(2023, 1, 3))
    AssessmentFactory(referral=old, start_date=D(2023, 1, 4))
    new = ReferralFactory(referral_date=D(2024, 3, 4), decision_date=D(2024, 3, 5))
    AssessmentFactory(referral=new, start_date=D(2024, 3, 5))
    recompute_all(D(2024, 9, 2))
    assert status(old.child, "assessment") == [Status.UNRECORDED]
    assert status(new.child, "assessment") == [Status.OVERDUE]
    # one child's recompute reuses the stored coverage and agrees
    recompute_child(old.child.pk, D(2024, 9, 2))
    assert status(old.child, "assessment") == [Status.UNRECORDED]


def test_closure_days_do_not_move_the_stored_assessment_deadline():
    for day in (D(2024, 12, 27), D(2024, 12, 30), D(2024, 12, 31)):
        LocalClosureDay.objects.create(day=day, reason="Christmas closure")
    referral = ReferralFactory(referral_date=D(2024, 12, 2), decision_date=D(2024, 12, 3))
    AssessmentFactory(referral=referral, start_date=D(2024, 12, 3), authorisation_date=D(2025, 2, 7))
    recompute_all(D(2025, 3, 1))
    ob = Obligation.objects.get(child=referral.child, rule__code="assessment")
    # 45 working days from 2 December 2024 on weekends and bank holidays alone: 6 February.
    assert (ob.due_date, ob.status) == (D(2025, 2, 6), Status.LATE)


def test_proceedings_extension_is_stored_and_moves_the_deadline():
    referral = ReferralFactory(referral_date=D(2024, 1, 8))
    proceedings = CareProceedings.objects.create(child=referral.child, issued_date=D(2024, 4, 1))
    CareProceedingsExtension.objects.create(proceedings=proceedings, granted_on=D(2024, 9, 20), weeks=8)
    recompute_child(referral.child.pk, D(2024, 10, 1))
    ob = Obligation.objects.get(child=referral.child, rule__code="proceedings")
    assert (ob.due_date, ob.status) == (D(2024, 11, 24), Status.DUE)


def test_a_visit_recorded_in_line_of_sight_is_a_visit():
    plan = ChildProtectionPlanFactory(start_date=D(2024, 6, 3), referral__referral_date=D(2024, 5, 20))
    Visit.objects.create(child=plan.child, kind="cp", visit_date=D(2024, 6, 10))
    recompute_all(D(2024, 6, 12))
    assert Status.IN_TIME in status(plan.child, "cp_visit")


def test_the_rules_page_says_what_is_tracked_from_which_return_and_for_which_period(client):
    from accounts.models import Role, Scope
    from accounts.tests.factories import UserFactory

    run = imported(year=2024)
    run.summary = {"assessments": {"new": 2}, "conferences": {"new": 1}}
    run.save()
    AssessmentFactory(referral=ReferralFactory(referral_date=D(2024, 1, 8)), authorisation_date=D(2024, 2, 1))
    recompute_all(D(2024, 9, 2))
    client.force_login(UserFactory(role=Role.DIRECTOR, scope=Scope.COUNCIL))
    page = client.get("/oversight/rules/").content.decode()
    rows = {row.split("</td>")[0]: row for row in page.split('<tr class="govuk-table__row">')[1:]}
    assessment = next(r for k, r in rows.items() if "Child and family assessment" in k)
    core_group = next(r for k, r in rows.items() if "First core group" in k)
    assert "From 1 Apr 2023" in assessment  # the first collection year imported begins then
    assert "CIN census (XML) 2023-24" in assessment
    assert "Not recorded in the source" in core_group


def test_the_childs_page_shows_the_extension_and_the_moved_deadline(client):
    from django.urls import reverse

    from accounts.models import Role, Scope
    from accounts.tests.factories import UserFactory
    from children.tests.factories import ChildFactory
    from organisation.tests.factories import TeamFactory

    team = TeamFactory()
    child = ChildFactory(team=team)
    ReferralFactory(child=child, referral_date=D(2024, 1, 8), decision_date=D(2024, 1, 9))
    proceedings = CareProceedings.objects.create(child=child, issued_date=D(2024, 4, 1))
    CareProceedingsExtension.objects.create(proceedings=proceedings, granted_on=D(2024, 9, 20), weeks=8)
    recompute_child(child.pk, D(2024, 10, 1))
    client.force_login(UserFactory(role=Role.TEAM_MANAGER, scope=Scope.TEAM, team=team))
    body = client.get(reverse("child_detail", args=[child.pk])).content.decode()
    assert "Court extended the 26 weeks by 8 weeks (s. 32(5))" in body
    assert "24 Nov 2024" in body  # the proceedings clock's due date, 8 weeks after 29 September
