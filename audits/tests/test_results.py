"""The results pages' numbers on hand-worked cases: grade distribution per round, team
and service; baseline against re-audit; compliance per auditor; themes."""

import datetime as dt

import pytest

from audits import selectors, services
from audits.models import CaseAudit
from children.tests.factories import ChildFactory
from organisation.tests.factories import ServiceFactory, TeamFactory

from .factories import CaseAuditFactory, QAOfficerFactory, RoundFactory, complete, grade, tool

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def casework_tool():
    return tool()


def test_grade_distribution_per_round_team_and_service_counts_agreed_grades():
    north = ServiceFactory(name="North")
    a, b = TeamFactory(name="Team A", service=north), TeamFactory(name="Team B", service=north)
    c = TeamFactory(name="Team C", service=ServiceFactory(name="South"))
    r = RoundFactory()
    complete(CaseAuditFactory(round=r, child=ChildFactory(team=a)), "Good")
    complete(CaseAuditFactory(round=r, child=ChildFactory(team=a)), "Good")
    moderated = complete(CaseAuditFactory(round=r, child=ChildFactory(team=a)), "Requires improvement")
    services.moderate(moderated, grade=grade("Inadequate"), reason="Child not seen alone", by=QAOfficerFactory())
    complete(CaseAuditFactory(round=r, child=ChildFactory(team=b)), "Outstanding")
    CaseAuditFactory(round=r, child=ChildFactory(team=b))  # not started
    in_progress = CaseAuditFactory(round=r, child=ChildFactory(team=c), status=CaseAudit.Status.IN_PROGRESS)
    in_progress.agreed_grade = grade("Good")  # a draft grade is not a result
    in_progress.save()
    CaseAuditFactory(child=ChildFactory(team=a))  # another round
    grades = list(r.tool.scale.grades.all())
    cases = r.case_audits.all()

    [overall] = selectors.distribution(cases, grades)
    # Outstanding, Good, Requires improvement, Inadequate
    assert (overall.counts, overall.not_completed, overall.total) == ([1, 2, 0, 1], 2, 6)
    assert overall.percent() == [25, 50, 0, 25]
    by_team = {d.label: (d.counts, d.not_completed) for d in selectors.distribution(cases, grades, by="team")}
    assert by_team == {"Team A": ([0, 2, 0, 1], 0), "Team B": ([1, 0, 0, 0], 1), "Team C": ([0, 0, 0, 0], 1)}
    by_service = {d.label: (d.counts, d.not_completed) for d in selectors.distribution(cases, grades, by="service")}
    assert by_service == {"North": ([1, 2, 0, 1], 1), "South": ([0, 0, 0, 0], 1)}


def test_baseline_against_reaudit_same_children_better_same_worse():
    baseline = RoundFactory(title="Baseline December")
    children = [ChildFactory() for _ in range(5)]
    before = ["Requires improvement", "Good", "Good", "Good", "Inadequate"]
    for child, label in zip(children, before, strict=True):
        complete(CaseAuditFactory(round=baseline, child=child), label)
    reaudit = services.create_reaudit(baseline, title="Re-audit March", due_date=dt.date(2026, 6, 30), by=None)
    after = {children[0]: "Good", children[1]: "Good", children[2]: "Inadequate", children[4]: "Requires improvement"}
    for case in reaudit.case_audits.all():
        if case.child in after:
            complete(case, after[case.child])
    # the baseline's Inadequate was moderated from the auditor's grade: the agreed grade counts
    fourth = reaudit.case_audits.get(child=children[4])
    services.moderate(fourth, grade=grade("Inadequate"), reason="No change in risk", by=QAOfficerFactory())

    result = selectors.comparison(reaudit)
    changes = {p.child_id: p.change for p in result.pairs}
    assert changes == {
        children[0].pk: "better",
        children[1].pk: "same",
        children[2].pk: "worse",
        children[3].pk: "not comparable",  # re-audit not completed
        children[4].pk: "same",  # Inadequate -> RI by the auditor, moderated back to Inadequate
    }
    assert (result.better, result.same, result.worse, result.not_comparable) == (1, 2, 1, 1)


def test_compliance_per_auditor_due_completed_overdue():
    today = dt.date(2026, 3, 15)
    past, future = RoundFactory(due_date=dt.date(2026, 3, 14)), RoundFactory(due_date=dt.date(2026, 3, 31))
    on_the_day = RoundFactory(due_date=today)
    ann, ben = QAOfficerFactory(first_name="Ann"), QAOfficerFactory(first_name="Ben")
    complete(CaseAuditFactory(round=past, auditor=ann), "Good")
    CaseAuditFactory(round=past, auditor=ann)  # overdue
    CaseAuditFactory(round=past, auditor=ann, status=CaseAudit.Status.IN_PROGRESS)  # overdue
    CaseAuditFactory(round=future, auditor=ann)  # not due yet
    CaseAuditFactory(round=on_the_day, auditor=ann)  # due today, not overdue
    complete(CaseAuditFactory(round=past, auditor=ben), "Good")
    complete(CaseAuditFactory(round=future, auditor=ben), "Good")  # done early

    rows = {r.auditor: (r.assigned, r.due, r.completed, r.overdue) for r in selectors.compliance(today)}
    assert rows == {ann: (5, 4, 1, 2), ben: (2, 1, 2, 0)}
    assert [r.auditor for r in selectors.compliance(today)] == [ann, ben]  # most overdue first


def test_themes_are_counted_once_per_completed_audit_ignoring_case():
    r = RoundFactory()
    complete(CaseAuditFactory(round=r), "Good", themes="Voice of the child, drift")
    complete(CaseAuditFactory(round=r), "Good", themes="voice of the child")
    complete(CaseAuditFactory(round=r), "Good", themes="Drift, drift, management oversight")
    draft = CaseAuditFactory(round=r)
    services.save_grading(
        draft, answers={}, overall=None, summary="", themes="drift", complete=False, by=draft.auditor
    )  # in progress: not counted
    counted = {k.lower(): n for k, n in selectors.themes(r.case_audits.all())}
    assert counted == {"drift": 2, "voice of the child": 2, "management oversight": 1}
    assert [n for _, n in selectors.themes(r.case_audits.all())] == [2, 2, 1]


def test_action_counts_open_overdue_done():
    case = CaseAuditFactory()
    today = dt.date(2026, 3, 15)
    services.add_action(case, text="a", owner="x", due_date=dt.date(2026, 3, 1), by=None)  # overdue
    services.add_action(case, text="b", owner="x", due_date=dt.date(2026, 3, 15), by=None)  # due today
    done = services.add_action(case, text="c", owner="x", due_date=dt.date(2026, 3, 1), by=None)
    services.mark_done(done, on=dt.date(2026, 3, 2), by=None)
    counts = selectors.action_counts(case.actions.all(), today)
    assert (counts.open, counts.overdue, counts.done) == (2, 1, 1)


def test_grades_by_question_count_completed_audits_only():
    r = RoundFactory()
    q1, q2 = r.tool.sections.first().questions.all()
    good, inadequate = grade("Good"), grade("Inadequate")
    for q2_grade in (good, inadequate, inadequate):
        case = CaseAuditFactory(round=r)
        services.save_grading(
            case,
            answers={q1.pk: (good, ""), q2.pk: (q2_grade, "")},
            overall=good,
            summary="",
            themes="",
            complete=True,
            by=case.auditor,
        )
    draft = CaseAuditFactory(round=r)
    services.save_grading(
        draft, answers={q1.pk: (inadequate, "")}, overall=None, summary="", themes="", complete=False, by=draft.auditor
    )
    grades = list(r.tool.scale.grades.all())
    rows = [(q.text, counts) for q, counts in selectors.question_distribution(r.case_audits.all(), grades)]
    assert rows == [("Question 1", [0, 3, 0, 0]), ("Question 2", [0, 1, 0, 2])]
