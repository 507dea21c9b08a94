"""How far a run has got, as a small file beside its stored upload, and runs whose process died.

The run's own row cannot carry this while it commits: the commit is one transaction, so the
progress it writes to the row is invisible to the page until the end, and on SQLite no other
connection may write while it holds the lock. A file beside the upload can be read by any
process (the page may be served by another worker than the one importing), whatever the
database. Its modification time is the run's heartbeat: a busy run whose heartbeat stopped
long ago belongs to a process that was killed or a server that restarted. Its transaction
died with it, so nothing was written, and the run is marked failed, saying so.
"""

import contextlib
import datetime as dt
import json
import os
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.utils import timezone

from returns.models import ImportRun, Status

# While a run works, a thread beside it touches the file every HEARTBEAT (beating()), whatever
# the work is doing: reading one large file or sheet, checking one child against the schema,
# writing. So a heartbeat older than STALE_AFTER means the process is gone, not that it is slow.
HEARTBEAT = dt.timedelta(seconds=30)
STALE_AFTER = dt.timedelta(minutes=10)
INTERRUPTED = (
    "The import stopped before it finished: the process was stopped or the server restarted. "
    "Nothing was written to the register. Upload the file again to import it."
)


def _path(run: ImportRun) -> Path | None:
    return Path(f"{run.stored_path}.progress") if run.stored_path else None


def write(run: ImportRun, processed: int, records: int) -> None:
    path = _path(run)
    if path is None or not path.parent.is_dir():
        return
    temp = path.with_name(path.name + ".tmp")
    temp.write_text(json.dumps({"processed": processed, "records": records}))
    os.replace(temp, path)  # readers see the old figures or the new, never half a file


def touch(run: ImportRun) -> None:
    """Renew the heartbeat without changing the figures (only once the run has a progress file)."""
    path = _path(run)
    if path is not None:
        with contextlib.suppress(FileNotFoundError):
            os.utime(path)


@contextlib.contextmanager
def beating(run: ImportRun, every: dt.timedelta | None = None) -> Iterator[None]:
    """Keep the run's heartbeat fresh while the block runs. A thread, not a callback from the
    readers: a callback cannot beat while one large file, sheet or child is being read or
    checked (lxml and openpyxl call back only between records), and it stops with the process,
    which is what the stale check must see. The file, not the run's row, carries it: a commit's
    row changes are invisible to other connections until it ends."""
    stop = threading.Event()
    seconds = (every or HEARTBEAT).total_seconds()

    def beat() -> None:
        while not stop.wait(seconds):
            touch(run)

    thread = threading.Thread(target=beat, name=f"returns-heartbeat-{run.pk}", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()


def read(run: ImportRun) -> dict[str, Any] | None:
    """{'processed', 'records', 'at'} of the latest progress, or None if none was written."""
    path = _path(run)
    try:
        data = json.loads(path.read_text()) if path else None
        at = dt.datetime.fromtimestamp(path.stat().st_mtime, tz=dt.UTC) if path else None
    except (OSError, ValueError):
        return None
    return None if data is None else {**data, "at": at}


def clear(run: ImportRun) -> None:
    path = _path(run)
    if path is not None:
        path.unlink(missing_ok=True)


def current(run: ImportRun, now: dt.datetime | None = None) -> ImportRun:
    """The run as its page should show it: a run whose preview or commit is queued and not started
    is shown queued (`run.queued`); a busy run takes its latest progress from the file, and one
    whose heartbeat stopped more than STALE_AFTER ago is marked failed."""
    if not run.busy:
        return run
    from returns.tasks import waiting  # the tasks run the services, which use this module

    run.queued = waiting(run)
    if run.queued:
        return run  # waiting for a worker: no heartbeat is expected yet, however long the queue
    now = now or timezone.now()
    seen = read(run)
    if seen is not None:
        run.processed, run.records = max(run.processed, seen["processed"]), max(run.records, seen["records"])
    last = seen["at"] if seen is not None else run.created_at
    if now - last > STALE_AFTER:
        updated = ImportRun.objects.filter(pk=run.pk, status=run.status).update(
            status=Status.FAILED, message=INTERRUPTED, finished_at=now
        )
        if updated:
            run.status, run.message, run.finished_at = Status.FAILED, INTERRUPTED, now
            clear(run)
    return run
