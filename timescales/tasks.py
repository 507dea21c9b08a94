"""The recompute of statutory timescales as a task on the background queue (docs/decisions/0033-task-queue.md):
queued by the worker's scheduler each night and after every committed import."""

import logging
import time

from django.db import connection, transaction
from django.utils import timezone
from django_tasks import task

from operations import queue
from operations.services import beat

from .services import recompute_all

log = logging.getLogger(__name__)

# Recomputes never overlap: on PostgreSQL two at once could each delete the stored rows before the other's insert
# is committed and so keep both; a transaction-level advisory lock makes the second wait. (On SQLite the write
# transaction is exclusive already.)
_LOCK = 0x105_7A5C


@task()
def recompute_timescales(reason: str = "nightly") -> dict:
    """Recompute every open case's timescales and drift flags as of today, in one transaction (a failure
    part-way writes nothing), and beat the worker's heartbeat."""
    today = timezone.localdate()
    started = time.perf_counter()
    if connection.vendor == "postgresql":
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_LOCK])
            counts = recompute_all(today)
    else:
        counts = recompute_all(today)
    beat()
    seconds = time.perf_counter() - started
    log.info("recompute (%s): %s children, %s obligations in %.1f s", reason, counts["children"],
             counts["obligations"], seconds)  # fmt: skip
    return {**counts, "as_of": today.isoformat(), "seconds": round(seconds, 1)}


# A recompute interrupted by its worker's death wrote nothing (one transaction) and is safe to run again.
queue.when_lost(recompute_timescales, "retry")


def recompute_soon(reason: str) -> None:
    """Queue a recompute, unless one is queued already and not started: that one will read this change too."""
    if queue.queued(recompute_timescales) is None:
        recompute_timescales.enqueue(reason=reason)
