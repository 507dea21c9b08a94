"""The background work queue's lifecycle around django-tasks' database backend (docs/decisions/0033-task-queue.md).

django-tasks-db keeps each task as a row (DBTaskResult: ready, running, successful, failed) and its worker claims
ready rows one at a time. It does not notice a worker that died while running a task: the row would say
'running' for ever. So each `manage.py run_worker` registers itself (WorkerProcess) and beats while it lives, and
every worker, when it starts and between tasks, looks for running tasks whose worker is gone: it retries the task
(when its kind is safe to run again) or marks it failed with the reason, and lets the task's kind clean up after
it (an import's run is marked failed at once instead of ten minutes later).
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import socket
import threading
from collections.abc import Callable
from typing import Any

from django.db import DatabaseError, connection, transaction
from django.utils import timezone
from django.utils.crypto import get_random_string
from django.utils.module_loading import import_string
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from .models import WorkerProcess
from .services import beat

log = logging.getLogger(__name__)

WORKER_BEAT = dt.timedelta(seconds=30)
# A worker not heard from for this long is gone. Generous: on SQLite a beat waits for the write lock while an
# import writes (up to the 60 s busy timeout, then it tries again at the next beat).
WORKER_LOST_AFTER = dt.timedelta(minutes=10)
LOST = (
    "The background worker running this task stopped before it finished (it was killed, or its machine "
    "restarted). Whatever the task wrote in its unfinished transaction was rolled back."
)


class WorkerLost(Exception):
    """The class a task's row names when its worker died under it (no exception was raised in the task)."""


# What to do with a task of a given path when its worker died under it: 'retry' (queue it again: the task is
# safe to run twice) or a function of the task's keyword arguments that settles what the task left (an import's
# run). Filled by the task modules (queue.when_lost), which the recovery imports through the task's path.
_ON_LOST: dict[str, str | Callable[..., None]] = {}


def when_lost(task: Any, action: str | Callable[..., None]) -> None:
    _ON_LOST[task.module_path] = action


def new_worker_id() -> str:
    return f"{socket.gethostname()[:40]}-{os.getpid()}-{get_random_string(8)}"[:64]


def register(worker_id: str) -> WorkerProcess:
    now = timezone.now()
    row, _ = WorkerProcess.objects.update_or_create(
        worker_id=worker_id,
        defaults={"host": socket.gethostname()[:255], "pid": os.getpid(), "started_at": now, "last_seen": now},
    )
    beat()
    return row


def heartbeat(worker_id: str) -> None:
    """The worker is alive: its own row, and the health endpoint's 'worker' heartbeat."""
    now = timezone.now()
    WorkerProcess.objects.filter(worker_id=worker_id).update(last_seen=now)
    beat(at=now)


def unregister(worker_id: str) -> None:
    WorkerProcess.objects.filter(worker_id=worker_id).delete()


class Beating:
    """A thread that beats every WORKER_BEAT while the worker lives, whatever its task is doing (one long import
    is one task). A beat that fails (SQLite's lock held longer than the busy timeout) is tried again next time."""

    def __init__(self, worker_id: str, every: dt.timedelta = WORKER_BEAT) -> None:
        self.worker_id, self.seconds = worker_id, every.total_seconds()
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run, name="worker-heartbeat", daemon=True)

    def _run(self) -> None:
        try:
            while not self.stop.wait(self.seconds):
                try:
                    heartbeat(self.worker_id)
                except DatabaseError as exc:
                    log.warning("worker heartbeat failed (%s); trying again", exc.__class__.__name__)
        finally:
            connection.close()

    def __enter__(self) -> Beating:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        self.thread.join(timeout=120)


def _alive(task: DBTaskResult, workers: dict[str, WorkerProcess], now: dt.datetime) -> bool:
    """Whether the worker that claimed the task still lives: it beat within WORKER_LOST_AFTER and, on this host,
    its process exists. A worker with no row (one that ended, or a worker not started by run_worker) is given
    WORKER_LOST_AFTER from the task's start."""
    row = workers.get(task.worker_ids[-1]) if task.worker_ids else None
    if row is None:
        return task.started_at is not None and now - task.started_at <= WORKER_LOST_AFTER
    if now - row.last_seen > WORKER_LOST_AFTER:
        return False
    if row.host == socket.gethostname() and row.pid != os.getpid():
        try:
            os.kill(row.pid, 0)  # no signal: only asks whether the process exists
        except ProcessLookupError:
            return False
        except PermissionError:
            return True
    return True


def recover_lost(now: dt.datetime | None = None) -> list[str]:
    """Running tasks whose worker is gone: each is retried or marked failed with the reason, once (a conditional
    UPDATE: of several workers recovering at once only one acts). Returns the ids of the tasks it settled."""
    now = now or timezone.now()
    running = list(DBTaskResult.objects.running())
    if not running:
        return []
    workers = {w.worker_id: w for w in WorkerProcess.objects.all()}
    settled = []
    for task in running:
        if _alive(task, workers, now):
            continue
        try:
            import_string(task.task_path)  # registers the task's when_lost
        except ImportError:
            pass
        action = _ON_LOST.get(task.task_path)
        retry = action == "retry"
        reason = LOST + (" It was queued again." if retry else " It was not run again.")
        with transaction.atomic():
            if not DBTaskResult.objects.filter(pk=task.pk, status=TaskResultStatus.RUNNING).update(
                status=TaskResultStatus.FAILED,
                finished_at=now,
                exception_class_path=f"{WorkerLost.__module__}.{WorkerLost.__qualname__}",
                traceback=reason,
            ):
                continue
            if retry:
                again = task.task.enqueue(*task.args_kwargs["args"], **task.args_kwargs["kwargs"])
                log.warning("task %s (%s): its worker was lost; queued again as %s", task.pk, task.task_path, again.id)
            else:
                log.warning("task %s (%s): its worker was lost; marked failed", task.pk, task.task_path)
                if callable(action):
                    action(**task.args_kwargs["kwargs"])
        settled.append(str(task.pk))
    WorkerProcess.objects.filter(last_seen__lt=now - WORKER_LOST_AFTER).delete()
    return settled


def queued(task: Any, **kwargs: Any) -> DBTaskResult | None:
    """The latest ready (queued, not started) row of this task with these keyword arguments, if any."""
    rows = DBTaskResult.objects.ready().filter(task_path=task.module_path)
    for name, value in kwargs.items():
        rows = rows.filter(**{f"args_kwargs__kwargs__{name}": value})
    return rows.order_by("-enqueued_at").first()


def reason(row: DBTaskResult) -> str:
    """Why a failed task failed, for the page: the lost worker's reason, or the exception's kind only (its text
    can quote a value from a return: the traceback stays in the database for the administrator)."""
    if row.status != TaskResultStatus.FAILED:
        return ""
    if row.exception_class_path.endswith(".WorkerLost"):
        return row.traceback
    return f"It stopped with an error ({row.exception_class_path.rsplit('.', 1)[-1]}); the server log has the details."
