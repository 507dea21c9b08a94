"""The worker's heartbeat: when background work last finished, for the health endpoint."""

from django.db import models


class Heartbeat(models.Model):
    """One row per kind of background worker, updated each time it finishes a piece of work.

    The background worker (`manage.py run_worker`, decision 0033) beats the 'worker' row every 30 s while it
    runs; `recompute_timescales` run by hand beats it too (decision 0024)."""

    name = models.CharField(max_length=40, unique=True)
    at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.name} at {self.at:%Y-%m-%d %H:%M}"


class WorkerProcess(models.Model):
    """A running `manage.py run_worker`: it beats `last_seen` every WORKER_BEAT while it lives, whatever its
    task is doing. A task left running by a worker whose row is gone stale (or whose process is gone, on the
    same host) was interrupted: the next worker retries it or marks it failed, with the reason."""

    worker_id = models.CharField(max_length=64, unique=True)
    host = models.CharField(max_length=255)
    pid = models.PositiveIntegerField()
    started_at = models.DateTimeField()
    last_seen = models.DateTimeField()

    def __str__(self) -> str:
        return f"worker {self.worker_id} on {self.host} (pid {self.pid})"


class Schedule(models.Model):
    """A periodic task the worker's scheduler queues (operations.schedule): the last time it was due and
    queued for. Moved forward by one conditional UPDATE, so that of several workers only one queues it."""

    name = models.CharField(max_length=40, unique=True)
    queued_for = models.DateTimeField(help_text="the due time the task was last queued for")
    queued_at = models.DateTimeField()
    task_id = models.CharField(max_length=64, blank=True)

    def __str__(self) -> str:
        return f"{self.name} queued for {self.queued_for:%Y-%m-%d %H:%M}"
