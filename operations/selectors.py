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
