"""The recompute of statutory timescales as tasks on the background queue (docs/decisions/0033-task-queue.md):
every child, queued by the worker's scheduler each night; the children an import or an edit touched, queued
after it (decision 0037), which falls back to every child when a subset would not be enough."""

import datetime as dt
import logging
import time
from collections.abc import Callable, Iterable

from django.db import connection, transaction
from django.utils import timezone
from django_tasks import task

from operations import queue
from operations.services import beat

from . import snapshots
from .services import recompute_all, recompute_children, tidy

log = logging.getLogger(__name__)

# Recomputes never overlap: on PostgreSQL two at once could each delete the stored rows before the other's insert
# is committed and so keep both; a transaction-level advisory lock makes the second wait. (On SQLite the write
# transaction is exclusive already.)
_LOCK = 0x105_7A5C


@task()
def recompute_timescales(reason: str = "nightly") -> dict:
    """Recompute every open case's timescales and drift flags as of today, in one transaction (a failure
    part-way writes nothing), and beat the worker's heartbeat."""
    return _locked(reason, _every_child_and_the_months_missing)


def _every_child_and_the_months_missing(today: dt.date) -> dict:
    """The recompute (which records the month running), then any of the trend's past months never recorded,
    reconstructed once (the first night, or after a gap; decision 0043)."""
    counts = recompute_all(today)
    with transaction.atomic():
        counts["reconstructed_months"] = len(snapshots.backfill(today))
    return counts


@task()
def recompute_touched(child_ids: list[int], reason: str) -> dict:
    """Recompute the children an import or an edit touched (their ids; a child since deleted has its rows
    removed), or every child when services.why_full says a subset is not enough."""
    return _locked(reason, lambda today: recompute_children(today, child_ids))


def _locked(reason: str, work: Callable[[dt.date], dict]) -> dict:
    today = timezone.localdate()
    started = time.perf_counter()
    if connection.vendor == "postgresql":
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_LOCK])
            counts = work(today)
    else:
        counts = work(today)
    if counts.get("full", "every child"):  # after every child: vacuum the rewritten tables, now committed
        tidy()
    beat()
    seconds = time.perf_counter() - started
    how = f"every child: {counts['full']}" if counts.get("full") else "touched children" if "full" in counts else ""
    log.info("recompute (%s%s): %s children, %s obligations in %.1f s", reason, f"; {how}" if how else "",
             counts["children"], counts["obligations"], seconds)  # fmt: skip
    return {**counts, "as_of": today.isoformat(), "seconds": round(seconds, 1)}


# A recompute interrupted by its worker's death wrote nothing (one transaction) and is safe to run again.
queue.when_lost(recompute_timescales, "retry")
queue.when_lost(recompute_touched, "retry")


def recompute_soon(reason: str, children: Iterable[int] | None = None) -> None:
    """Queue a recompute of `children` (None: every child), unless a recompute of every child is queued already
    and not started: that one will read this change too. The children's ids are the task's argument (a
    thousand ids is a few kilobytes in its row); too many of them is the task's own fallback to every child."""
    if queue.queued(recompute_timescales) is not None:
        return
    if children is None:
        recompute_timescales.enqueue(reason=reason)
    else:
        recompute_touched.enqueue(child_ids=sorted(set(children)), reason=reason)


def recompute_after_commit(reason: str, children: Iterable[int]) -> None:
    """For an edit through a form: queue the recompute of its children once the edit's transaction has
    committed (a worker must read the edit; a rolled-back edit queues nothing)."""
    ids = sorted(set(children))
    transaction.on_commit(lambda: recompute_soon(reason, ids))
