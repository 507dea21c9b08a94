"""The worker's heartbeat: when background work last finished, for the health endpoint."""

from django.db import models


class Heartbeat(models.Model):
    """One row per kind of background worker, updated each time it finishes a piece of work.

    Today the only worker is the nightly `recompute_timescales` (cron); the database-backed task queue
    (issue 16 point 1) will beat the same row after each task it finishes (decision 0024)."""

    name = models.CharField(max_length=40, unique=True)
    at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.name} at {self.at:%Y-%m-%d %H:%M}"
