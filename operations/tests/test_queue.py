"""The background queue (issue 16 point 1): tasks wait in the database until a worker runs them; a task that fails
part-way writes nothing and is marked failed with the reason; a task whose worker died is retried or marked failed;
the worker queues the nightly recompute and the weekly plan digest itself. The worker runs here in its one-shot
mode (`run_worker --once`) in the test's process, so every outcome is decided when the command returns."""

import datetime as dt
import io
import os
import subprocess
import sys
from unittest import mock

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from accounts.models import Role
from accounts.tests.factories import UserFactory
from children.tests.factories import AssessmentFactory, ReferralFactory
from operations import queue, scheduler
from operations.models import Schedule, WorkerProcess
from operations.selectors import worker_state
from plans.tasks import send_plan_digest
from plans.tests.factories import ActionFactory, LeadFactory
from timescales.models import Obligation, RecomputeRun
from timescales.tasks import recompute_soon, recompute_timescales

pytestmark = pytest.mark.django_db
D = dt.date


def run_worker() -> None:
    call_command("run_worker", once=True, stdout=io.StringIO(), stderr=io.StringIO())


def the_register_with_an_overdue_assessment():
    referral = ReferralFactory(referral_date=D(2024, 12, 2), decision_date=D(2024, 12, 3))
    AssessmentFactory(referral=referral, start_date=D(2024, 12, 3))
    return referral.child


def test_a_task_queued_before_any_worker_waits_and_a_worker_started_later_runs_it():
    the_register_with_an_overdue_assessment()
    result = recompute_timescales.enqueue(reason="test")
    row = DBTaskResult.objects.get(pk=result.id)
    assert row.status == TaskResultStatus.READY  # in the database, not in any process: survives a restart
    assert RecomputeRun.objects.count() == 0 and worker_state()[0] == "unknown"

    run_worker()

    row.refresh_from_db()
    assert row.status == TaskResultStatus.SUCCESSFUL and row.return_value["children"] == 1
    assert RecomputeRun.objects.count() == 1 and Obligation.objects.filter(rule__code="assessment").exists()
    assert worker_state()[0] == "ok"  # the worker beat the health endpoint's heartbeat
    assert WorkerProcess.objects.count() == 0  # a worker that ends removes its row


def test_a_task_that_fails_part_way_writes_nothing_and_is_marked_failed_with_its_reason():
    the_register_with_an_overdue_assessment()
    recompute_timescales.enqueue(reason="first")
    run_worker()
    before = sorted(Obligation.objects.values_list("child_id", "rule_id", "due_date", "status"))
    assert before and RecomputeRun.objects.count() == 1

    from timescales import services

    real = services.insert_rows
    calls = []

    def second_table_fails(model, columns, rows):
        calls.append(model.__name__)
        if model.__name__ == "DriftFlag":  # the obligations are deleted and written again by now
            raise RuntimeError("disk full")
        real(model, columns, rows)

    newcomer = the_register_with_an_overdue_assessment()  # the second recompute would write their obligations
    result = recompute_timescales.enqueue(reason="second")
    with mock.patch.object(services, "insert_rows", second_table_fails):
        run_worker()

    assert calls == ["Obligation", "DriftFlag"]
    row = DBTaskResult.objects.get(pk=result.id)
    assert row.status == TaskResultStatus.FAILED and row.exception_class_path == "builtins.RuntimeError"
    assert queue.reason(row) == "It stopped with an error (RuntimeError); the server log has the details."
    assert sorted(Obligation.objects.values_list("child_id", "rule_id", "due_date", "status")) == before
    assert not Obligation.objects.filter(child=newcomer).exists()
    assert RecomputeRun.objects.count() == 1  # the failed recompute left no trace


def dead_pid() -> int:
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def running_row(task, worker_id: str, **kwargs) -> DBTaskResult:
    result = task.enqueue(**kwargs)
    row = DBTaskResult.objects.get(pk=result.id)
    row.claim(worker_id)
    return row


def test_a_task_whose_worker_died_is_retried_when_safe_and_otherwise_marked_failed_with_the_reason():
    now = timezone.now()
    import socket

    WorkerProcess.objects.create(
        worker_id="killed", host=socket.gethostname(), pid=dead_pid(), started_at=now, last_seen=now
    )
    recompute = running_row(recompute_timescales, "killed", reason="nightly")
    digest = running_row(send_plan_digest, "killed")
    alive = running_row(recompute_timescales, queue.new_worker_id(), reason="another worker's")
    WorkerProcess.objects.create(
        worker_id=alive.worker_ids[-1], host=socket.gethostname(), pid=os.getpid(), started_at=now, last_seen=now
    )

    settled = queue.recover_lost()

    assert sorted(settled) == sorted([str(recompute.pk), str(digest.pk)])
    for row in (recompute, digest):
        row.refresh_from_db()
        assert row.status == TaskResultStatus.FAILED and row.exception_class_path == "operations.queue.WorkerLost"
        assert "stopped before it finished" in queue.reason(row)
    assert "queued again" in recompute.traceback and "not run again" in digest.traceback
    again = DBTaskResult.objects.ready().get()  # the recompute, safe to run twice, is queued again
    assert again.task_path == "timescales.tasks.recompute_timescales"
    assert again.args_kwargs["kwargs"] == {"reason": "nightly"}
    assert DBTaskResult.objects.get(pk=alive.pk).status == TaskResultStatus.RUNNING  # its worker lives
    assert queue.recover_lost() == []  # settled once


def test_a_worker_silent_for_too_long_is_lost_even_on_another_host():
    now = timezone.now()
    WorkerProcess.objects.create(
        worker_id="far", host="elsewhere", pid=1, started_at=now, last_seen=now - queue.WORKER_LOST_AFTER
    )
    row = running_row(recompute_timescales, "far", reason="nightly")
    assert queue.recover_lost(now) == []  # exactly at the limit: still alive
    assert queue.recover_lost(now + dt.timedelta(seconds=1)) == [str(row.pk)]


def test_a_recompute_is_queued_once_while_one_waits():
    recompute_soon("import run 1")
    recompute_soon("import run 2")
    assert DBTaskResult.objects.ready().count() == 1
    run_worker()
    recompute_soon("import run 3")
    assert DBTaskResult.objects.ready().count() == 1


LONDON_0215 = dt.datetime(2026, 12, 7, 2, 15, tzinfo=dt.UTC)  # a Monday; London is on GMT in December


def test_the_schedule_knows_when_each_periodic_task_was_last_due(settings):
    settings.LOS_RECOMPUTE_AT, settings.LOS_PLAN_DIGEST_AT = "02:00", "0 07:00"
    nightly, digest = scheduler.periodic()
    assert nightly.last_due(LONDON_0215) == dt.datetime(2026, 12, 7, 2, 0, tzinfo=dt.UTC)
    assert nightly.last_due(LONDON_0215 - dt.timedelta(minutes=20)) == dt.datetime(2026, 12, 6, 2, 0, tzinfo=dt.UTC)
    assert digest.last_due(LONDON_0215) == dt.datetime(2026, 11, 30, 7, 0, tzinfo=dt.UTC)  # the Monday before
    assert digest.last_due(LONDON_0215 + dt.timedelta(hours=5)) == dt.datetime(2026, 12, 7, 7, 0, tzinfo=dt.UTC)
    summer = dt.datetime(2026, 7, 1, 1, 30, tzinfo=dt.UTC)  # 02:30 in London (BST)
    assert nightly.last_due(summer) == dt.datetime(2026, 7, 1, 1, 0, tzinfo=dt.UTC)


def test_the_worker_queues_the_nightly_recompute_and_the_weekly_digest_once_each_when_due(settings):
    settings.LOS_RECOMPUTE_AT, settings.LOS_PLAN_DIGEST_AT = "02:00", "0 07:00"
    start = LONDON_0215 - dt.timedelta(days=1)
    assert scheduler.queue_due(start) == []  # first seen: recorded, nothing queued at once
    assert Schedule.objects.count() == 2 and DBTaskResult.objects.count() == 0
    assert scheduler.queue_due(start + dt.timedelta(hours=1)) == []  # nothing due since
    assert scheduler.queue_due(LONDON_0215) == ["nightly-recompute"]
    assert scheduler.queue_due(LONDON_0215) == []  # a second worker, or the next pass: not queued twice
    assert scheduler.queue_due(LONDON_0215 + dt.timedelta(hours=5)) == ["weekly-plan-digest"]
    # a worker stopped for three nights queues the missed recompute once when it starts again
    assert scheduler.queue_due(LONDON_0215 + dt.timedelta(days=3)) == ["nightly-recompute"]
    paths = sorted(DBTaskResult.objects.values_list("task_path", flat=True))
    assert paths == ["plans.tasks.send_plan_digest"] + ["timescales.tasks.recompute_timescales"] * 2


def test_the_weekly_digest_runs_on_the_queue_and_mails_each_lead(settings):
    lead = UserFactory(email="lead@example.org")
    action = ActionFactory(summary="Review the protocol", end_date=timezone.localdate() - dt.timedelta(days=1))
    LeadFactory(action=action, user=lead)
    now = timezone.now()
    for job in scheduler.periodic():  # last queued a week and a day ago: both are due
        Schedule.objects.create(name=job.name, queued_for=job.last_due(now) - dt.timedelta(days=8), queued_at=now)

    run_worker()

    assert [m.to for m in mail.outbox] == [["lead@example.org"]] and "Review the protocol" in mail.outbox[0].body
    done = dict(DBTaskResult.objects.values_list("task_path", "status"))
    assert done == {
        "plans.tasks.send_plan_digest": TaskResultStatus.SUCCESSFUL,
        "timescales.tasks.recompute_timescales": TaskResultStatus.SUCCESSFUL,
    }


def test_the_background_work_page_shows_queued_running_and_finished_work_to_analysts_only(client):
    the_register_with_an_overdue_assessment()
    recompute_timescales.enqueue(reason="nightly")
    run_worker()
    recompute_timescales.enqueue(reason="import run 7")
    running_row(send_plan_digest, "busy-worker")
    failed = running_row(recompute_timescales, "gone", reason="nightly")
    failed.started_at = timezone.now() - queue.WORKER_LOST_AFTER - dt.timedelta(minutes=1)
    failed.save()
    queue.recover_lost()

    client.force_login(UserFactory(role=Role.SOCIAL_WORKER))
    assert client.get("/background/").status_code == 403
    client.force_login(UserFactory(role=Role.ANALYST))
    page = client.get("/background/").content.decode()
    assert 'id="count-queued">2<' in page  # the import's recompute, and the lost one queued again
    assert 'id="count-running">1<' in page
    assert page.count("task-successful") == 1 and page.count("task-failed") == 1
    assert "stopped before it finished" in page and "(import run 7)" in page
    assert "Recompute of statutory timescales" in page and "every Monday at 07:00" in page
