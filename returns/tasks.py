"""Imports as tasks on the background queue (docs/decisions/0033-task-queue.md): the page queues the preview or
the commit of a run and shows its progress; a worker (`manage.py run_worker`) runs it. Arguments are the run's id
only. A commit is claimed by the page before it is queued, so that a second click finds it taken."""

from django.utils import timezone
from django_tasks import task

from operations import queue
from returns import progress as run_progress
from returns import services
from returns.models import ImportRun, Status


class ImportTaskFailed(Exception):
    """The run ended failed; the run's page says why (its message names no child)."""


def _outcome(run: ImportRun) -> str:
    run.refresh_from_db()
    if run.status == Status.FAILED:
        raise ImportTaskFailed(f"run {run.pk} failed: {run.message}")
    return str(run.status)


def _taken(run_id: int) -> ImportRun:
    """The run, its heartbeat started as the worker takes it: it may have waited in the queue longer than the
    stale check allows, and the first steps (the commit's checksum of the stored file) do not beat."""
    run = ImportRun.objects.get(pk=run_id)
    run_progress.write(run, 0, 0)
    return run


@task()
def preview_run(run_id: int) -> str:
    run = _taken(run_id)
    services.preview(run)
    return _outcome(run)


@task()
def commit_run(run_id: int) -> str:
    run = _taken(run_id)
    services.commit(run, claimed=True)
    return _outcome(run)


def interrupted(run_id: int) -> None:
    """The worker died under the run's task: its transaction died with it, so nothing was written. The run is
    marked failed now, saying so, instead of when its heartbeat is seen stopped ten minutes later."""
    run = ImportRun.objects.filter(pk=run_id).first()
    if run is None:
        return
    if services.advance(run, Status.FAILED, message=run_progress.INTERRUPTED, finished_at=timezone.now()):
        run_progress.clear(run)


queue.when_lost(preview_run, interrupted)
queue.when_lost(commit_run, interrupted)


def waiting(run: ImportRun) -> bool:
    """True while the run's preview or commit is queued and no worker has started it."""
    if run.status == Status.UPLOADED:
        return queue.queued(preview_run, run_id=run.pk) is not None
    if run.status == Status.COMMITTING:
        return queue.queued(commit_run, run_id=run.pk) is not None
    return False
