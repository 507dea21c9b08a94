"""Imports on the background queue (issue 16 point 1): the page queues the check and the commit and shows them
queued until a worker takes them; a commit queues the recompute of timescales without anyone asking; an import
that fails part-way, or whose worker is killed, writes nothing and says why, on its task and on its run.

These tests use the database queue (the returns tests' conftest runs tasks at once otherwise) and run the worker
in its one-shot mode, in the test's process or, for the killed worker, as separate processes."""

import datetime as dt
import io
import os
import re
import signal
import subprocess
import sys
import time
from unittest import mock

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from accounts.models import Role, Scope
from accounts.tests.factories import UserFactory
from children.models import Child
from operations import queue
from returns import progress, services
from returns.models import ImportRun, Status
from returns.tests.conftest import DATA
from returns.tests.test_interrupted import ROOT, command_database, progress_of, scaled_census  # noqa: F401 (a fixture)
from timescales.models import RecomputeRun

QUEUED = re.compile(r'id="status"[^>]*>Queued<')
DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def on_the_queue(settings):
    settings.TASKS = DATABASE_QUEUE


def run_worker() -> None:
    call_command("run_worker", once=True, stdout=io.StringIO(), stderr=io.StringIO())


@pytest.mark.django_db
def test_the_page_queues_the_check_and_the_commit_and_a_commit_queues_the_recompute(client, on_the_queue):
    client.force_login(UserFactory(role=Role.ANALYST, scope=Scope.COUNCIL))
    with open(DATA / "cin_full_2025.xml", "rb") as handle:
        client.post(reverse("returns_upload"), {"kind": "cin", "file": handle})
    run = ImportRun.objects.get()
    page = client.get(reverse("returns_run", args=[run.pk])).content.decode()
    assert run.status == Status.UPLOADED and QUEUED.search(page) and "The check is queued" in page
    assert 'id="run-progress" data-los-refresh="2"' in page  # the page updates itself
    # However long it waits for a worker, a queued run is not taken for one whose process died.
    later = timezone.now() + progress.STALE_AFTER + dt.timedelta(hours=1)
    assert progress.current(ImportRun.objects.get(pk=run.pk), now=later).status == Status.UPLOADED
    assert "Queued" in client.get(reverse("returns_runs")).content.decode()

    run_worker()

    page = client.get(reverse("returns_run", args=[run.pk])).content.decode()
    assert "Ready to commit" in page and "queued" not in page and Child.objects.count() == 0
    client.post(reverse("returns_commit", args=[run.pk]))
    page = client.get(reverse("returns_run", args=[run.pk])).content.decode()
    assert QUEUED.search(page) and "The commit is queued" in page and Child.objects.count() == 0
    assert RecomputeRun.objects.count() == 0

    run_worker()

    run.refresh_from_db()
    assert run.status == Status.COMMITTED and Child.objects.count() == 3
    tasks = list(DBTaskResult.objects.order_by("enqueued_at").values_list("task_path", "status", "args_kwargs"))
    assert tasks == [
        ("returns.tasks.preview_run", TaskResultStatus.SUCCESSFUL, {"args": [], "kwargs": {"run_id": run.pk}}),
        ("returns.tasks.commit_run", TaskResultStatus.SUCCESSFUL, {"args": [], "kwargs": {"run_id": run.pk}}),
        (
            "timescales.tasks.recompute_touched",  # the children the import touched (decision 0037)
            TaskResultStatus.SUCCESSFUL,
            {
                "args": [],
                "kwargs": {
                    "child_ids": sorted(Child.objects.values_list("pk", flat=True)),
                    "reason": f"import run {run.pk}",
                },
            },
        ),
    ]
    assert RecomputeRun.objects.get().as_of == timezone.localdate()  # recomputed after the import, nobody asked


@pytest.mark.django_db
def test_an_import_failing_part_way_writes_nothing_and_its_task_and_run_say_why(client, on_the_queue):
    run = services.preview(services.create_run_from_path(DATA / "cin_full_2025.xml", "cin"))
    assert run.status == Status.PREVIEWED and services.claim(run)
    services.queue_commit(run)

    def fails_after_the_children_are_written(*args, **kwargs):
        assert Child.objects.count() == 3  # in the transaction
        raise OSError("disk full")

    with mock.patch.object(services, "_keep_held_back", fails_after_the_children_are_written):
        run_worker()

    run.refresh_from_db()
    assert run.status == Status.FAILED and run.message.startswith("Nothing was imported")
    assert Child.objects.count() == 0 and RecomputeRun.objects.count() == 0
    task = DBTaskResult.objects.get()  # no recompute was queued
    assert task.status == TaskResultStatus.FAILED and task.exception_class_path == "returns.tasks.ImportTaskFailed"
    assert queue.reason(task) == "It stopped with an error (ImportTaskFailed); the server log has the details."
    client.force_login(UserFactory(role=Role.ADMINISTRATOR))
    page = client.get(reverse("background_work")).content.decode()
    assert "Commit of an imported return" in page and f"import run {run.pk}</a>" in page and "task-failed" in page


@pytest.mark.django_db
def test_a_run_that_waited_long_in_the_queue_is_not_taken_for_dead_as_a_worker_starts_it(on_the_queue):
    run = services.create_run_from_path(DATA / "cin_full_2025.xml", "cin")
    ImportRun.objects.filter(pk=run.pk).update(created_at=timezone.now() - dt.timedelta(hours=1))
    services.queue_preview(run)
    real, seen = services.preview, []

    def a_page_looks_first(taken, callback=None):  # the task is no longer queued, and nothing has beaten yet
        seen.append(progress.current(ImportRun.objects.get(pk=taken.pk)).status)
        return real(taken, callback)

    with mock.patch.object(services, "preview", a_page_looks_first):
        run_worker()
    assert seen == [Status.UPLOADED] and ImportRun.objects.get().status == Status.PREVIEWED


WEB = """
import os, signal, django
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django.setup()
from pathlib import Path
from returns import services
run = services.create_run_from_path(Path(os.environ["CENSUS"]), "cin")
services.queue_preview(run)  # what the upload page does
print(run.pk, flush=True)
os.kill(os.getpid(), signal.SIGKILL)  # the web server dies before anything else happens
"""


@pytest.mark.django_db(transaction=True)
def test_work_queued_by_a_web_process_that_then_dies_is_done_by_a_worker_started_later(
    tmp_path,
    command_database,  # noqa: F811
):
    env = {
        **os.environ,
        "DATABASE_URL": command_database,
        "LOS_INSECURE_LOCAL": "1",
        "RETURNS_UPLOAD_DIR": str(tmp_path / "uploads"),
        "CENSUS": str(DATA / "cin_full_2025.xml"),
    }
    web = subprocess.run([sys.executable, "-c", WEB], cwd=ROOT, env=env, capture_output=True, text=True)
    assert web.returncode == -signal.SIGKILL, web.stderr
    run_id = int(web.stdout.split()[0])
    subprocess.run([sys.executable, "manage.py", "run_worker", "--once"], cwd=ROOT, env=env, check=True)
    check = f"from returns.models import ImportRun; print(ImportRun.objects.get(pk={run_id}).status)"
    out = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {check}"],
        cwd=ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": "config.settings"},
        capture_output=True,
        text=True,
        check=True,
    )
    assert out.stdout.strip() == Status.PREVIEWED


SETUP = """
import os, django
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django.setup()
from pathlib import Path
from returns import services
from returns.models import ImportRun, Status
run = services.create_run_from_path(Path(os.environ["CENSUS"]), "cin")
ImportRun.objects.filter(pk=run.pk).update(status=Status.PREVIEWED)  # its check is not what this test is about
run.refresh_from_db()
assert services.claim(run)
services.queue_commit(run)
"""

CHECK = """
import os, django
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django.setup()
from django_tasks_db.models import DBTaskResult
from children.models import Child, Referral
from returns.models import ImportRun, SourceRecord
run, task = ImportRun.objects.get(), DBTaskResult.objects.get()
print(Child.objects.count(), Referral.objects.count(), SourceRecord.objects.count(), run.status, task.status,
      task.exception_class_path)
print(run.message)
print(task.traceback)
"""


@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_import_leaves_nothing_written_and_the_next_worker_marks_it_failed(
    tmp_path,
    command_database,  # noqa: F811
):
    census = tmp_path / "census.xml"
    scaled_census(census, 60_000)
    uploads = tmp_path / "uploads"
    env = {
        **os.environ,
        "DATABASE_URL": command_database,
        "LOS_INSECURE_LOCAL": "1",
        "RETURNS_UPLOAD_DIR": str(uploads),
        "CENSUS": str(census),
    }
    subprocess.run([sys.executable, "-c", SETUP], cwd=ROOT, env=env, check=True)
    worker = subprocess.Popen(
        [sys.executable, "manage.py", "run_worker"], cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    try:
        beat = None
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and worker.poll() is None:
            beats = list(uploads.glob("*.progress")) if uploads.exists() else []
            if beats and progress_of(beats[0]) > 2_000:  # well into the file
                beat = beats[0]
                break
            time.sleep(0.05)
        assert beat is not None, f"the import never got going: {worker.stdout.read() if worker.stdout else ''}"
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=10)
    finally:
        if worker.poll() is None:
            worker.kill()

    # The next worker to start (here in its one-shot mode) finds the task its dead predecessor held.
    subprocess.run([sys.executable, "manage.py", "run_worker", "--once"], cwd=ROOT, env=env, check=True)
    out = subprocess.run([sys.executable, "-c", CHECK], cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    counts, message, reason = out.stdout.split("\n", 2)
    children, referrals, provenance, run_status, task_status, exception = counts.split()
    assert (children, referrals, provenance) == ("0", "0", "0")  # nothing half-written
    assert (run_status, task_status) == (Status.FAILED, TaskResultStatus.FAILED)
    assert exception == "operations.queue.WorkerLost" and "stopped before it finished" in reason
    assert message == progress.INTERRUPTED
    assert not beat.exists()
