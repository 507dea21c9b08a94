"""The conflict rule, sampling, re-audit, grading, moderation and actions arising."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from accounts.models import Role, Scope
from accounts.tests.factories import UserFactory
from audit.models import Action, AuditEvent
from audits import services
from audits.models import CaseAudit
from children.tests.factories import ChildFactory, ReferralFactory
from organisation.tests.factories import TeamFactory, WorkerFactory

from .factories import CaseAuditFactory, QAOfficerFactory, RoundFactory, complete, grade, tool

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 3, 1)


@pytest.fixture
def team():
    """A team with its manager (a worker and a user) and one social worker."""
    t = TeamFactory(name="Safeguarding Team 1")
    manager = WorkerFactory(team=t, name="Mona Manager", is_manager=True)
    worker = WorkerFactory(team=t, name="Sam Worker")
    return t, manager, worker


def open_child(team, worker=None, **kw):
    child = ChildFactory(team=team, worker=worker, **kw)
    ReferralFactory(child=child, referral_date=dt.date(2025, 6, 1))
    return child


# -- the rule: never a child the auditor manages or supervises --------------------


def test_the_childs_own_worker_may_not_audit_them(team):
    t, _, worker = team
    child = open_child(t, worker)
    user = UserFactory(role=Role.SOCIAL_WORKER, worker=worker, team=t)
    assert services.conflict(user, child) == "is the child's allocated worker"


def test_the_team_manager_of_the_childs_worker_may_not_audit_them(team):
    t, manager, worker = team
    child = open_child(t, worker)
    by_worker = UserFactory(role=Role.QA_OFFICER, worker=manager)  # a manager worker, whatever the role
    by_role = UserFactory(role=Role.TEAM_MANAGER, team=t)  # a team manager without a worker link
    assert services.conflict(by_worker, child) == "manages the child's worker or team"
    assert services.conflict(by_role, child) == "manages the child's worker or team"


def test_the_manager_of_the_workers_team_is_conflicted_even_when_the_child_is_recorded_in_another_team(team):
    t, manager, worker = team
    child = open_child(TeamFactory(), worker)  # child.team lags behind the worker's move
    assert services.conflict(UserFactory(role=Role.TEAM_MANAGER, worker=manager, team=t), child)


def test_an_unallocated_child_is_supervised_by_the_manager_of_their_team(team):
    t, manager, _ = team
    child = open_child(t, None)
    assert services.conflict(UserFactory(role=Role.TEAM_MANAGER, worker=manager, team=t), child)


def test_another_teams_manager_a_colleague_and_a_qa_officer_may_audit(team):
    t, _, worker = team
    child = open_child(t, worker)
    other = TeamFactory()
    other_manager = UserFactory(role=Role.TEAM_MANAGER, team=other, worker=WorkerFactory(team=other, is_manager=True))
    colleague = UserFactory(role=Role.SOCIAL_WORKER, team=t, worker=WorkerFactory(team=t))
    assert services.conflict(other_manager, child) == ""
    assert services.conflict(colleague, child) == ""
    assert services.conflict(QAOfficerFactory(), child) == ""


def test_sampling_never_gives_an_auditor_a_child_they_manage(team):
    t, manager, worker = team
    children = [open_child(t, worker) for _ in range(6)]
    tm = UserFactory(role=Role.TEAM_MANAGER, scope=Scope.TEAM, team=t, worker=manager)
    qa = QAOfficerFactory()
    audit_round = RoundFactory()
    result = services.sample(audit_round, size=6, auditors=[tm, qa], today=TODAY, team=t)
    assert len(result.assigned) == 6
    assert {c.auditor for c in audit_round.case_audits.all()} == {qa}
    assert {c.child for c in audit_round.case_audits.all()} == set(children)


def test_a_child_every_auditor_manages_is_passed_over_and_the_sample_filled_from_others(team):
    t, manager, worker = team
    mine = [open_child(t, worker) for _ in range(3)]
    other_team = TeamFactory()
    theirs = [open_child(other_team, WorkerFactory(team=other_team)) for _ in range(2)]
    tm = UserFactory(role=Role.TEAM_MANAGER, team=t, worker=manager)
    audit_round = RoundFactory()
    result = services.sample(audit_round, size=2, auditors=[tm], today=TODAY)
    assert {c.child for c in result.assigned} == set(theirs)
    assert set(result.unassigned) <= set(mine)
    assert not audit_round.case_audits.filter(child__in=mine).exists()


def test_sampling_takes_open_cases_of_the_team_only_and_balances_auditors(team):
    t, _, worker = team
    inside = [open_child(t, worker) for _ in range(4)]
    closed = ChildFactory(team=t, worker=worker)
    ReferralFactory(child=closed, referral_date=dt.date(2025, 1, 1), closure_date=dt.date(2025, 2, 1))
    open_child(TeamFactory(), None)  # another team's open case
    a, b = QAOfficerFactory(), QAOfficerFactory()
    audit_round = RoundFactory()
    result = services.sample(audit_round, size=10, auditors=[a, b], today=TODAY, team=t)
    assert {c.child for c in result.assigned} == set(inside)
    assert sorted(audit_round.case_audits.filter(auditor=x).count() for x in (a, b)) == [2, 2]
    again = services.sample(audit_round, size=10, auditors=[a, b], today=TODAY, team=t)
    assert again.assigned == [] and audit_round.case_audits.count() == 4  # no child twice


def test_sampling_takes_the_practitioner_and_manager_from_the_register_and_logs_each_child(team):
    t, manager, worker = team
    child = open_child(t, worker)
    audit_round = RoundFactory()
    services.sample(audit_round, size=1, auditors=[QAOfficerFactory()], today=TODAY)
    case = audit_round.case_audits.get()
    assert (case.practitioner, case.practitioner_name, case.manager_name) == (worker, "Sam Worker", "Mona Manager")
    assert case.team == t
    assert AuditEvent.objects.filter(action=Action.CREATE, child_id=child.pk, object_id=str(case.pk)).exists()


def test_reaudit_has_the_same_children_and_auditors_unless_the_auditor_now_manages_the_child(team):
    t, manager, worker = team
    other = TeamFactory()
    c1, c2 = open_child(other, WorkerFactory(team=other)), open_child(other, WorkerFactory(team=other))
    tm = UserFactory(role=Role.TEAM_MANAGER, team=t, worker=manager)
    qa = QAOfficerFactory()
    baseline = RoundFactory()
    CaseAuditFactory(round=baseline, child=c1, auditor=tm)
    CaseAuditFactory(round=baseline, child=c2, auditor=tm)
    CaseAuditFactory(round=baseline, child=open_child(other, None), auditor=qa)
    c2.worker = worker  # c2 moved to the team manager's team since the baseline
    c2.team = t
    c2.save()
    reaudit = services.create_reaudit(baseline, title="Re-audit", due_date=dt.date(2026, 6, 30), by=qa)
    got = {c.child_id: c.auditor for c in reaudit.case_audits.all()}
    assert set(got) == set(baseline.case_audits.values_list("child_id", flat=True))
    assert got[c1.pk] == tm and got[c2.pk] == qa
    assert reaudit.baseline == baseline and reaudit.tool == baseline.tool


def test_reassigning_to_a_conflicted_auditor_is_refused(team):
    t, manager, worker = team
    case = CaseAuditFactory(child=open_child(t, worker))
    with pytest.raises(ValidationError):
        services.reassign(case, UserFactory(role=Role.TEAM_MANAGER, team=t, worker=manager), by=case.auditor)


# -- completing, moderating, actions ------------------------------------------------


def test_an_audit_is_saved_in_progress_and_completed_only_when_every_question_is_graded():
    tool(questions=2)
    case = CaseAuditFactory()
    q1, q2 = case.round.tool.sections.first().questions.all()
    good = grade("Good")
    services.save_grading(
        case,
        answers={q1.pk: (good, "Plan is clear")},
        overall=None,
        summary="",
        themes="",
        complete=False,
        by=case.auditor,
    )
    assert case.status == CaseAudit.Status.IN_PROGRESS
    assert case.answers.get(question=q1).comment == "Plan is clear"
    with pytest.raises(ValidationError):
        services.save_grading(
            case, answers={q1.pk: (good, "")}, overall=good, summary="", themes="", complete=True, by=case.auditor
        )
    services.save_grading(
        case,
        answers={q1.pk: (good, "Plan is clear"), q2.pk: (grade("Inadequate"), "No plan B")},
        overall=grade("Requires improvement"),
        summary="Needs a contingency plan",
        themes="contingency planning, Contingency planning , drift",
        complete=True,
        by=case.auditor,
    )
    case.refresh_from_db()
    assert case.status == CaseAudit.Status.COMPLETED and case.completed_at
    assert case.auditor_grade == case.agreed_grade == grade("Requires improvement")
    assert case.themes == "contingency planning, drift"
    with pytest.raises(ValidationError):  # changes after completion only through moderation
        services.save_grading(case, answers={}, overall=good, summary="", themes="", complete=False, by=case.auditor)
    details = list(AuditEvent.objects.filter(child_id=case.child_id).values_list("detail", flat=True))
    assert "audit completed" in details and "audit grading saved" in details


def test_a_grade_from_another_scale_is_refused():
    from audits.services import create_scale

    tool()
    case = CaseAuditFactory()
    other = create_scale("Three-point", ["Good", "Adequate", "Poor"]).grades.first()
    with pytest.raises(ValidationError):
        services.save_grading(case, answers={}, overall=other, summary="", themes="", complete=False, by=case.auditor)


def test_moderation_is_by_a_second_person_with_a_reason_and_kept_in_history():
    tool()
    case = complete(CaseAuditFactory(), "Good")
    moderator = QAOfficerFactory()
    with pytest.raises(ValidationError):
        services.moderate(case, grade=grade("Good"), reason="I agree", by=case.auditor)
    with pytest.raises(ValidationError):
        services.moderate(case, grade=grade("Good"), reason="  ", by=moderator)
    first = services.moderate(case, grade=grade("Requires improvement"), reason="No contingency plan", by=moderator)
    second = services.moderate(
        case, grade=grade("Requires improvement"), reason="Agreed at panel", by=QAOfficerFactory()
    )
    case.refresh_from_db()
    assert case.auditor_grade == grade("Good") and case.agreed_grade == grade("Requires improvement")
    assert (first.grade_before, first.grade, first.agreed) == (grade("Good"), grade("Requires improvement"), False)
    assert second.agreed and list(case.moderations.all()) == [first, second]
    assert AuditEvent.objects.filter(child_id=case.child_id, detail="moderation: changed Good to Requires improvement")


def test_an_audit_not_completed_cannot_be_moderated():
    tool()
    with pytest.raises(ValidationError):
        services.moderate(CaseAuditFactory(), grade=grade("Good"), reason="x", by=QAOfficerFactory())


def test_actions_arising_are_tracked_to_completion_and_logged():
    tool()
    case = CaseAuditFactory()
    action = services.add_action(
        case, text="Update the risk assessment", owner="Sam Worker", due_date=dt.date(2026, 4, 1), by=case.auditor
    )
    assert action.done_date is None
    services.mark_done(action, on=dt.date(2026, 3, 20), by=case.auditor)
    action.refresh_from_db()
    assert action.done_date == dt.date(2026, 3, 20)
    assert AuditEvent.objects.filter(child_id=case.child_id, detail="audit action done").count() == 1


def test_a_scale_needs_two_distinct_grades():
    from audits.services import create_scale

    with pytest.raises(ValidationError):
        create_scale("One", ["Good"])
    with pytest.raises(ValidationError):
        create_scale("Dup", ["Good", "good"])
    assert [g.rank for g in create_scale("Two", ["Met", "Not met"]).grades.all()] == [1, 2]


def test_the_population_by_kind_of_case_child_protection_looked_after_child_in_need(team):
    from children.tests.factories import ChildProtectionPlanFactory, LookedAfterEpisodeFactory

    t, _, worker = team
    cin = open_child(t, worker)
    cp = open_child(t, worker)
    ChildProtectionPlanFactory(child=cp, referral=cp.referrals.get(), start_date=dt.date(2025, 7, 1))
    ended_cp = open_child(t, worker)  # plan ended: child in need again
    ChildProtectionPlanFactory(
        child=ended_cp, referral=ended_cp.referrals.get(), start_date=dt.date(2025, 7, 1), end_date=dt.date(2026, 1, 1)
    )
    cla = ChildFactory(team=t, worker=worker)
    LookedAfterEpisodeFactory(child=cla, start_date=dt.date(2025, 9, 1))

    def kind(case_type):
        return set(services.population(today=TODAY, team=t, case_type=case_type))

    assert kind("") == {cin, cp, ended_cp, cla}
    assert kind(services.CaseType.CHILD_PROTECTION) == {cp}
    assert kind(services.CaseType.LOOKED_AFTER) == {cla}
    assert kind(services.CaseType.CHILD_IN_NEED) == {cin, ended_cp}
    audit_round = RoundFactory()
    services.sample(audit_round, size=5, auditors=[QAOfficerFactory()], today=TODAY, case_type="cla")
    assert [c.child for c in audit_round.case_audits.all()] == [cla]
