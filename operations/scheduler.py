"""Periodic work, queued by the worker itself (docs/decisions/0033-task-queue.md): no cron.

Each worker, between tasks, asks which periodic task's latest due time has passed since it was last queued and
queues it: once, however many workers ask (Schedule is moved on by one conditional UPDATE in the transaction that
queues the task). A worker that was stopped over a due time queues the missed task once when it starts again.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from .models import Schedule

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Periodic:
    name: str
    task: str  # the task's dotted path
    at: dt.time  # local time (settings.TIME_ZONE)
    weekday: int | None = None  # None: every day; 0 = Monday

    def last_due(self, now: dt.datetime) -> dt.datetime:
        """The latest due time at or before `now`."""
        local = timezone.localtime(now)
        day = local.date()
        if self.weekday is not None:
            day -= dt.timedelta(days=(day.weekday() - self.weekday) % 7)
        step = dt.timedelta(days=1 if self.weekday is None else 7)
        due = timezone.make_aware(dt.datetime.combine(day, self.at))
        return due if due <= now else timezone.make_aware(dt.datetime.combine(day - step, self.at))


def _time(text: str) -> dt.time:
    return dt.time.fromisoformat(text.strip())


def periodic() -> list[Periodic]:
    weekday, _, at = settings.LOS_PLAN_DIGEST_AT.strip().partition(" ")
    return [
        Periodic("nightly-recompute", "timescales.tasks.recompute_timescales", _time(settings.LOS_RECOMPUTE_AT)),
        Periodic("weekly-plan-digest", "plans.tasks.send_plan_digest", _time(at), weekday=int(weekday)),
    ]


def queue_due(now: dt.datetime | None = None) -> list[str]:
    """Queue each periodic task whose due time has passed since it was last queued; the names of those queued.
    The first time a task is seen it is only recorded (a new installation does not send a digest at once)."""
    now = now or timezone.now()
    done = []
    for job in periodic():
        due = job.last_due(now)
        row, created = Schedule.objects.get_or_create(name=job.name, defaults={"queued_for": due, "queued_at": now})
        if created or row.queued_for >= due:
            continue
        with transaction.atomic():
            if not Schedule.objects.filter(pk=row.pk, queued_for=row.queued_for).update(queued_for=due, queued_at=now):
                continue  # another worker queued it
            kwargs = {"reason": "nightly"} if job.name == "nightly-recompute" else {}
            result = import_string(job.task).enqueue(**kwargs)
            Schedule.objects.filter(pk=row.pk).update(task_id=str(result.id)[:64])
        log.info("scheduler: queued %s (due %s)", job.name, due.isoformat())
        done.append(job.name)
    return done
