"""Recomputing only the children an import or an edit touched (issue 16 point 7, decision 0037): the same rows as
the full recompute for them, nothing else rewritten, and a full recompute whenever a subset would not do."""

import datetime as dt
import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from accounts.tests.factories import UserFactory
from children.models import Child, Visit
from children.tests.factories import AssessmentFactory, ChildProtectionPlanFactory, ReferralFactory
from timescales.models import DriftFlag, Obligation, RecomputeRun, TimescaleRule
from timescales.services import FULL_ABOVE, change_rule, recompute, recompute_all, recompute_children

pytestmark = pytest.mark.django_db
D = dt.date
TODAY = D(2025, 2, 7)
DATA = Path(__file__).resolve().parents[2] / "returns" / "tests" / "data"


def rows(child_ids=None) -> list[tuple]:
    """The stored obligations and drift flags (without their ids), optionally of some children only."""
    obligations = Obligation.objects.all()
    flags = DriftFlag.objects.all()
    if child_ids is not None:
        obligations, flags = obligations.filter(child__in=child_ids), flags.filter(child__in=child_ids)
    fields = ("child_id", "rule__code", "clock_start", "due_date", "due_at", "completed_on", "status", "team_id")
    return sorted(map(repr, obligations.values_list(*fields, "worker_id", "computed_on"))) + sorted(
        map(repr, flags.values_list("child_id", "kind", "since", "detail", "team_id", "worker_id", "computed_on"))
    )


def ids_of(child) -> set[int]:
    return set(Obligation.objects.filter(child=child).values_list("pk", flat=True)) | {
        -pk for pk in DriftFlag.objects.filter(child=child).values_list("pk", flat=True)
    }


def a_council():
    """Four children with open work: an assessment not yet authorised, a protection plan with a visit,
    a second referral, and one more child whose rows must be left alone."""
    first = ReferralFactory(referral_date=D(2024, 12, 2), decision_date=D(2024, 12, 3))
    AssessmentFactory(referral=first, start_date=D(2024, 12, 3))
    plan = ChildProtectionPlanFactory(start_date=D(2024, 12, 16))
    Visit.objects.create(child=plan.child, kind="cp", visit_date=D(2024, 12, 30))
    second = ReferralFactory(referral_date=D(2025, 1, 6))
    other = ReferralFactory(referral_date=D(2024, 11, 4), decision_date=D(2024, 11, 5))
    AssessmentFactory(referral=other, start_date=D(2024, 11, 5))
    return first, plan, second, other


def test_the_touched_children_get_the_full_recomputes_rows_and_the_others_are_not_rewritten():
    first, plan, second, other = a_council()
    for _ in range(10):  # more children, so that three touched stay under the share that forces a full recompute
        ReferralFactory(referral_date=D(2025, 1, 20))
    recompute_all(TODAY)
    untouched = ids_of(other.child)
    assert untouched

    # Edits: the assessment authorised late, the protection plan's child visited again, the second case closed.
    first.assessments.update(authorisation_date=D(2025, 2, 6))
    Visit.objects.create(child=plan.child, kind="cp", visit_date=D(2025, 1, 9))
    second.closure_date = D(2025, 1, 20)
    second.save()
    touched = [first.child_id, plan.child_id, second.child_id]

    counts = recompute_children(TODAY, touched)

    assert counts["full"] == "" and counts["children"] == 3
    assert ids_of(other.child) == untouched  # the same rows, not deleted and written again
    subset = rows()
    assert RecomputeRun.objects.order_by("-pk").first().children == 3  # a new cache version for the pages
    recompute_all(TODAY)
    assert rows() == subset  # every row, the touched children's and the others', as the full recompute has them
    assert Obligation.objects.get(child=first.child, rule__code="assessment").status == "in_time"


def test_a_child_deleted_or_no_longer_open_loses_its_rows_and_nothing_else_changes():
    first, plan, second, other = a_council()
    for _ in range(6):
        ReferralFactory(referral_date=D(2025, 1, 20))
    old = ReferralFactory(referral_date=D(2023, 1, 9), decision_date=D(2023, 1, 10), closure_date=D(2023, 3, 1))
    recompute_all(TODAY)
    kept = rows()
    # A row of the old case, stale since it closed more than a year ago (a full recompute leaves it none).
    rule = TimescaleRule.objects.get(code="assessment")
    Obligation.objects.create(
        child=old.child, rule=rule, clock_start=D(2023, 1, 10), due_date=D(2023, 3, 14), status="due",
        computed_on=D(2023, 2, 1),
    )  # fmt: skip
    gone = second.child_id
    Child.objects.filter(pk=gone).delete()  # erased (its rows go with it: the recompute must not mind)

    counts = recompute_children(TODAY, [gone, old.child_id])

    assert counts == {"children": 0, "obligations": 0, "drift_flags": 0, "full": ""}
    assert not Obligation.objects.filter(child_id__in=[gone, old.child_id]).exists()
    assert rows() == [r for r in kept if not r.startswith(f"({gone}, ")]


def test_a_subset_is_not_enough_when_a_rule_changed_too_many_children_were_touched_or_none_were_computed():
    first, plan, second, other = a_council()
    assert recompute_children(TODAY, [first.child_id])["full"] == "nothing was computed before"
    assert recompute_children(TODAY, None)["full"] == "the children touched are not known"
    everyone = list(Child.objects.values_list("pk", flat=True))
    assert len(everyone) * FULL_ABOVE < 2
    assert recompute_children(TODAY, everyone[:2])["full"] == "more than 25% of the children were touched"
    for _ in range(6):
        ReferralFactory(referral_date=D(2025, 1, 20))
    recompute_all(TODAY)
    assert recompute_children(TODAY, [first.child_id])["full"] == ""

    change_rule(TimescaleRule.objects.get(code="cp_visit"), UserFactory(), "fortnightly", amount=15)
    counts = recompute_children(TODAY, [first.child_id])
    assert counts["full"] == "a rule changed" and counts["children"] == Child.objects.count()
    assert recompute_children(TODAY, [first.child_id])["full"] == ""  # the full recompute took the change in


def test_the_recompute_after_an_import_reads_only_the_children_it_touched_and_agrees_with_the_full_one(
    settings, tmp_path
):
    settings.RETURNS_UPLOAD_DIR = tmp_path
    from returns import services as imports

    def commit(name: str):
        run = imports.check_and_commit(imports.create_run_from_path(DATA / name, "cin"))
        assert run.status == "committed"
        return run

    def worker() -> None:
        call_command("run_worker", once=True, stdout=io.StringIO(), stderr=io.StringIO())

    others = [ReferralFactory(referral_date=D(2025, 1, 20)) for _ in range(12)]  # not in the return
    commit("cin_full_2025.xml")  # the first import: what the register holds changes, so every child
    worker()
    first = DBTaskResult.objects.get(task_path="timescales.tasks.recompute_touched")
    assert first.return_value["full"] and first.return_value["children"] >= len(others)
    untouched = set().union(*(ids_of(r.child) for r in others))

    run = commit("cin_full_2025_resubmitted.xml")  # a later return: dates added, a review added, a code changed
    worker()

    task = DBTaskResult.objects.exclude(pk=first.pk).get(task_path="timescales.tasks.recompute_touched")
    imported = set(Child.objects.filter(la_child_id__startswith="DfEX").values_list("pk", flat=True))
    touched = set(task.args_kwargs["kwargs"]["child_ids"])
    assert touched and touched <= imported and touched == run.touched_children
    assert task.return_value["full"] == ""
    assert set().union(*(ids_of(r.child) for r in others)) == untouched
    after = rows()
    recompute_all(timezone.localdate())
    assert rows() == after


def test_an_empty_set_of_touched_children_writes_nothing_but_a_new_run():
    a_council()
    recompute_all(TODAY)
    before = rows()
    assert recompute(TODAY, []) == {"children": 0, "obligations": 0, "drift_flags": 0}
    assert rows() == before and RecomputeRun.objects.count() == 2


def _vacuums(table: str) -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute("SELECT vacuum_count FROM pg_stat_user_tables WHERE relname = %s", [table])
        return cursor.fetchone()[0]


@pytest.mark.django_db(transaction=True)
def test_a_full_recompute_vacuums_the_tables_it_rewrote_once_committed_and_not_inside_a_transaction():
    """Decision 0044: on PostgreSQL a full recompute leaves every old obligation dead, and their space is reused
    only once vacuumed. VACUUM cannot run in a transaction: inside one (the task's lock, a caller's atomic block)
    the recompute leaves it to its caller, and works the same. On SQLite nothing is to do."""
    from django.db import connection, transaction

    a_council()
    recompute(TODAY, None)
    with transaction.atomic():
        recompute(TODAY, None)  # no "VACUUM cannot run inside a transaction block"
    assert Obligation.objects.exists()
    if connection.vendor == "postgresql":
        before = {t: _vacuums(t) for t in ("timescales_obligation", "timescales_driftflag")}
        recompute(TODAY, None)
        assert {t: _vacuums(t) for t in before} == {t: n + 1 for t, n in before.items()}
