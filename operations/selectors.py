"""The health of the service as the council's monitoring sees it: nothing personal, only states and times."""

import datetime as dt
import logging
from typing import Any

from django.conf import settings
from django.db import DatabaseError, connection
from django.utils import timezone

from .models import Heartbeat
from .services import WORKER

logger = logging.getLogger(__name__)


def database_ok() -> bool:
    """A trivial query answers: the database is reachable and accepts queries."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except DatabaseError as exc:
        # The kind only: a driver's message can quote a host name or, for some errors, a row.
        logger.warning("health check: the database did not answer (" + exc.__class__.__name__ + ")")
        return False


def worker_state(now: dt.datetime | None = None) -> tuple[str, dt.datetime | None]:
    """'ok' when the worker beat within LOS_WORKER_STALE_HOURS, 'stale' when longer ago, 'unknown' when it never has."""
    at = Heartbeat.objects.filter(name=WORKER).values_list("at", flat=True).first()
    if at is None:
        return "unknown", None
    limit = dt.timedelta(hours=settings.LOS_WORKER_STALE_HOURS)
    return ("ok" if (now or timezone.now()) - at <= limit else "stale"), at


def health(now: dt.datetime | None = None) -> dict[str, Any]:
    """The health report. Unhealthy when the database fails or the worker is stale; a worker that has never run
    (a new installation before its first night) is reported as 'unknown' without failing the check."""
    db = database_ok()
    worker, last = worker_state(now) if db else ("unknown", None)
    healthy = db and worker != "stale"
    return {
        "status": "ok" if healthy else "unhealthy",
        "database": "ok" if db else "error",
        "worker": worker,
        "worker_last_ran": last.isoformat() if last else None,
        "worker_stale_after_hours": settings.LOS_WORKER_STALE_HOURS,
    }


# --- background work ---------------------------------------------------------------------------------------

_TASK_NAMES = {
    "returns.tasks.preview_run": "Check of an imported return",
    "returns.tasks.commit_run": "Commit of an imported return",
    "timescales.tasks.recompute_timescales": "Recompute of statutory timescales",
    "timescales.tasks.recompute_touched": "Recompute of statutory timescales for the children changed",
    "plans.tasks.send_plan_digest": "Improvement plan digest (leads' reminders by e-mail)",
}
_STATES = {"READY": "Queued", "RUNNING": "Running", "SUCCESSFUL": "Finished", "FAILED": "Failed"}


def background_work(limit: int = 100) -> dict[str, Any]:
    """The queue as the background work page shows it: the latest tasks (queued first), the workers alive and the
    periodic work. Only ids and reasons, never a task's other arguments."""
    from django_tasks_db.models import DBTaskResult

    from .models import Schedule, WorkerProcess
    from .queue import WORKER_LOST_AFTER, reason
    from .scheduler import periodic

    now = timezone.now()
    rows = list(DBTaskResult.objects.order_by("-enqueued_at")[:limit])
    order = {"RUNNING": 0, "READY": 1}
    rows.sort(key=lambda r: order.get(r.status, 2))
    tasks = []
    for row in rows:
        kwargs = row.args_kwargs.get("kwargs", {}) if isinstance(row.args_kwargs, dict) else {}
        tasks.append(
            {
                "id": str(row.pk),
                "name": _TASK_NAMES.get(row.task_path, row.task_path.rsplit(".", 1)[-1]),
                "run_id": kwargs.get("run_id") if isinstance(kwargs.get("run_id"), int) else None,
                "why": kwargs.get("reason", "") if isinstance(kwargs.get("reason"), str) else "",
                "state": _STATES.get(row.status, row.status),
                "status": row.status.lower(),
                "enqueued_at": row.enqueued_at,
                "started_at": row.started_at,
                "finished_at": row.finished_at,
                "reason": reason(row),
            }
        )
    counts = {state: sum(1 for t in tasks if t["state"] == state) for state in _STATES.values()}
    queued = {s.name: s for s in Schedule.objects.all()}
    schedule = []
    for job in periodic():
        due = job.last_due(now)
        step = dt.timedelta(days=1 if job.weekday is None else 7)
        schedule.append(
            {
                "name": _TASK_NAMES.get(job.task, job.name),
                "when": f"every {'day' if job.weekday is None else _DAYS[job.weekday]} at {job.at:%H:%M}",
                "last_queued": queued[job.name].queued_at if job.name in queued else None,
                "next": timezone.localtime(due + step),
            }
        )
    workers = [w for w in WorkerProcess.objects.order_by("started_at") if now - w.last_seen <= WORKER_LOST_AFTER]
    state, last = worker_state(now)
    return {"tasks": tasks, "counts": counts, "schedule": schedule, "workers": workers, "worker": state, "last": last}


_DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
