"""Recomputing from the register: stored results, worker changes, rule changes."""

import datetime as dt

import pytest

from accounts.tests.factories import UserFactory
from children.models import Visit
from children.services import allocate
from children.tests.factories import AssessmentFactory, ChildProtectionPlanFactory, ReferralFactory
from organisation.tests.factories import WorkerFactory
from timescales.models import DriftFlag, DriftKind, Obligation, RuleChange, Status, TimescaleRule
from timescales.services import change_rule, compute_one_by_one, recompute_all, recompute_child

pytestmark = pytest.mark.django_db
D = dt.date


def test_recompute_all_stores_what_is_due_and_matches_one_by_one():
    referral = ReferralFactory(referral_date=D(2024, 12, 2), decision_date=D(2024, 12, 3))
    AssessmentFactory(referral=referral, start_date=D(2024, 12, 3))
    plan = ChildProtectionPlanFactory(start_date=D(2024, 12, 16))
    Visit.objects.create(child=plan.child, kind="cp", visit_date=D(2024, 12, 30))

    counts = recompute_all(D(2025, 2, 7))
    assessment = Obligation.objects.get(child=referral.child, rule__code="assessment")
    assert (assessment.due_date, assessment.status) == (D(2025, 2, 6), Status.OVERDUE)
    visit = Obligation.objects.filter(child=plan.child, rule__code="cp_visit").order_by("clock_start").last()
    assert (visit.clock_start, visit.status) == (D(2024, 12, 30), Status.OVERDUE)
    assert counts["children"] == 2
    assert compute_one_by_one(D(2025, 2, 7)) == counts


def test_a_change_of_worker_mid_clock_moves_the_obligation_to_the_new_worker():
    referral = ReferralFactory(referral_date=D(2024, 3, 4))
    child = referral.child
    first, second = WorkerFactory(team=child.team), WorkerFactory(team=child.team)
    allocate(child, child.team, first, D(2024, 3, 4))
    recompute_child(child.pk, D(2024, 3, 20))
    assert Obligation.objects.get(child=child, rule__code="assessment").worker == first
    allocate(child, child.team, second, D(2024, 3, 21))
    recompute_child(child.pk, D(2024, 3, 22))
    ob = Obligation.objects.get(child=child, rule__code="assessment")
    # The clock is not restarted by the change: still due 45 working days from the referral.
    assert (ob.worker, ob.clock_start, ob.due_date) == (second, D(2024, 3, 4), D(2024, 5, 9))


def test_closing_the_case_stops_its_clocks_and_drops_it_from_open_work():
    referral = ReferralFactory(referral_date=D(2024, 3, 4))
    AssessmentFactory(referral=referral)
    referral.closure_date = D(2024, 3, 15)
    referral.save()
    recompute_all(D(2024, 6, 1))
    assert Obligation.objects.get(child=referral.child, rule__code="assessment").status == Status.STOPPED
    assert not DriftFlag.objects.filter(child=referral.child, kind=DriftKind.UNALLOCATED).exists()


def test_local_rule_changes_are_recorded_and_statutory_ones_refused():
    user = UserFactory()
    visit = TimescaleRule.objects.get(code="cp_visit")
    change_rule(visit, user, "Board agreed fortnightly visits", amount=15)
    change = RuleChange.objects.get()
    assert (change.field, change.old_value, change.new_value, change.changed_by) == ("amount", "10", "15", user)
    with pytest.raises(ValueError, match="set by statute"):
        change_rule(TimescaleRule.objects.get(code="icpc"), user, "faster", amount=10)
    with pytest.raises(ValueError, match="reason"):
        change_rule(visit, user, " ", amount=20)


def test_the_bulk_recompute_stores_the_same_rows_as_one_child_at_a_time():
    """recompute_all writes with COPY on PostgreSQL and bulk_create elsewhere;
    recompute_child always uses bulk_create. Both must store the same values,
    including the timezone-aware due time of an hours rule (return home interview)."""
    from django.utils import timezone

    from children.models import MissingEpisode

    referral = ReferralFactory(referral_date=D(2024, 12, 2), decision_date=D(2024, 12, 3))
    AssessmentFactory(referral=referral, start_date=D(2024, 12, 3))
    returned = timezone.make_aware(dt.datetime(2025, 1, 10, 22, 30))
    started = returned - dt.timedelta(hours=5)
    MissingEpisode.objects.create(child=referral.child, started_at=started, returned_at=returned)
    fields = ("rule__code", "clock_start", "due_date", "due_at", "completed_on", "status", "team", "worker")

    def stored():
        return sorted(Obligation.objects.values_list(*fields), key=repr)

    recompute_all(D(2025, 1, 14))
    bulk = stored()
    Obligation.objects.all().delete()
    recompute_child(referral.child.pk, D(2025, 1, 14))
    assert stored() == bulk
    rhi = Obligation.objects.get(child=referral.child, rule__code="rhi")
    assert rhi.due_at == returned + dt.timedelta(hours=72)


def test_a_made_up_referral_is_computed_only_for_the_work_it_holds():
    """A made-up referral (Annex A) never closes. Its child is computed while the work it holds
    is open or finished in the last year, and gets that work's clocks, not the referral's."""
    old = ReferralFactory(referral_date=D(2022, 1, 10), placeholder=True)
    AssessmentFactory(referral=old, start_date=D(2022, 1, 10), authorisation_date=D(2022, 2, 1))
    held = ReferralFactory(referral_date=D(2024, 12, 2), placeholder=True)
    AssessmentFactory(referral=held, start_date=D(2024, 12, 2))
    counts = recompute_all(D(2025, 2, 7))
    assert counts["children"] == 1
    assert not Obligation.objects.filter(child=old.child).exists()
    codes = set(Obligation.objects.filter(child=held.child).values_list("rule__code", flat=True))
    assert codes == {"assessment"}  # no referral_decision clock
    ob = Obligation.objects.get(child=held.child)
    # 45 working days from Monday 2 December 2024 is Thursday 6 February 2025: overdue on the 7th.
    assert (ob.clock_start, ob.due_date, ob.status) == (D(2024, 12, 2), D(2025, 2, 6), Status.OVERDUE)
    assert compute_one_by_one(D(2025, 2, 7)) == counts


def test_a_rule_team_or_worker_deleted_while_the_rows_were_computed_is_settled_as_on_delete_says():
    """Obligation's rule, team and worker are not checked by the database (decision 0034):
    the write settles, before it inserts, a rule deleted meanwhile (its rows go) and a team or
    worker deleted meanwhile (it becomes none), as a foreign key's on_delete would."""
    from organisation.models import Team, Worker
    from timescales.services import OBLIGATION_COLUMNS, insert_rows, settled

    referral = ReferralFactory(referral_date=D(2025, 1, 6))
    child = referral.child
    worker = WorkerFactory(team=child.team)
    allocate(child, child.team, worker, D(2025, 1, 6))
    recompute_all(D(2025, 1, 14))
    kept = Obligation.objects.filter(child=child).count()
    assert kept and Obligation.objects.filter(child=child, team=child.team, worker=worker).count() == kept
    ghost_rule, ghost_team, ghost_worker = (
        m.objects.order_by("-pk")[0].pk + 1000 for m in (TimescaleRule, Team, Worker)
    )
    rule = TimescaleRule.objects.get(code="assessment").pk
    day = D(2025, 1, 14)
    rows = [
        (child.pk, ghost_rule, day, day, None, None, "due", child.team_id, worker.pk, day, None),  # rule gone
        (child.pk, rule, day, day, None, None, "due", ghost_team, ghost_worker, day, None),  # team and worker gone
    ]
    insert_rows(Obligation, OBLIGATION_COLUMNS, settled(rows))
    assert not Obligation.objects.filter(rule_id=ghost_rule).exists()
    assert Obligation.objects.filter(child=child).count() == kept + 1
    orphan = Obligation.objects.get(child=child, clock_start=day, due_date=day)
    assert (orphan.team_id, orphan.worker_id) == (None, None)
    assert Obligation.objects.filter(child=child, team=child.team, worker=worker).count() == kept  # untouched


def test_the_open_case_logic_runs_once_per_recompute_not_once_per_table():
    """Issue 17 point 3 (decision 0034): the children to compute are chosen by one query into a
    temporary table, and each table's read joins to it instead of repeating the open-case subquery."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from timescales import facts

    open_referral = ReferralFactory(referral_date=D(2024, 12, 2))
    ReferralFactory(referral_date=D(2020, 1, 6), closure_date=D(2020, 3, 2))  # closed long ago: not computed
    with CaptureQueriesContext(connection) as captured:
        counts = recompute_all(D(2025, 2, 7))
    assert counts["children"] == 1 and Obligation.objects.filter(child=open_referral.child).exists()
    sql = [q["sql"] for q in captured.captured_queries]
    # the load: from the temporary table's creation to its drop (the trend's caseload count after it
    # has an open-case test of its own, for today's caseloads)
    first = next(i for i, s in enumerate(sql) if s.startswith(f'CREATE TEMPORARY TABLE "{facts.CHOSEN}"'))
    last = next(i for i, s in enumerate(sql) if s == f'DROP TABLE "{facts.CHOSEN}"')
    loading = sql[first:last]
    # the open-case logic: an open referral or an open looked-after episode, each an EXISTS
    open_case = [s for s in loading if "EXISTS" in s and 'FROM "children_lookedafterepisode"' in s]
    assert len(open_case) == 1 and open_case[0].startswith(f'INSERT INTO "{facts.CHOSEN}"')
    reads = [s for s in loading if s.startswith("SELECT") and facts.CHOSEN in s]
    assert len(reads) == len(facts._tables()) + 1  # the children themselves, then each table once
