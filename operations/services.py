"""Changes the operations app makes: the worker's heartbeat."""

import datetime as dt

from django.utils import timezone

from .models import Heartbeat

WORKER = "worker"


def beat(name: str = WORKER, at: dt.datetime | None = None) -> Heartbeat:
    """Record that background work of this kind has just finished."""
    row, _ = Heartbeat.objects.update_or_create(name=name, defaults={"at": at or timezone.now()})
    return row
