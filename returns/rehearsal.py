"""Where the Annex A preview rehearses its writes without holding the service's write lock.

The Annex A importer counts what a commit would change by doing the work in a transaction and
rolling it back (decision 0010). On SQLite any transaction that writes holds the database's one
write lock, which every sign-in and page view needs (sessions, audit rows), so a long rehearsal
in the service's database would make them wait. On SQLite the rehearsal therefore runs in a
snapshot: a copy made with SQLite's online backup API (a read, which blocks nobody under WAL),
beside the uploads, removed afterwards. While `snapshot()` is open, RehearsalRouter sends this
thread's queries there. Progress and heartbeats are files (returns.progress), so none of them
goes astray. On PostgreSQL a rolled-back transaction blocks no reader (MVCC) and no writer but
one changing the very rows being matched, so the rehearsal stays in place
(docs/decisions/0019-import-locking-and-status.md).
"""

import contextlib
import contextvars
import os
import sqlite3
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connection, connections

_ALIAS: contextvars.ContextVar[str | None] = contextvars.ContextVar("rehearsal_alias", default=None)


def alias() -> str:
    """The database this thread's rehearsal writes to: its snapshot, or the service's own."""
    return _ALIAS.get() or DEFAULT_DB_ALIAS


class RehearsalRouter:
    """Sends every query of a thread inside `snapshot()` to its copy; otherwise has no opinion."""

    def db_for_read(self, model: Any, **hints: Any) -> str | None:
        return _ALIAS.get()

    def db_for_write(self, model: Any, **hints: Any) -> str | None:
        return _ALIAS.get()


@contextlib.contextmanager
def snapshot(directory: Path) -> Iterator[str]:
    """Rehearse in a copy of the SQLite database for the duration of the block; yields its alias.
    In place when the database is not SQLite, or when this connection is already inside a
    transaction (a copy made from another connection would not see its uncommitted rows)."""
    if connection.vendor != "sqlite" or connection.in_atomic_block:
        yield DEFAULT_DB_ALIAS
        return
    handle, name = tempfile.mkstemp(dir=directory, prefix="rehearsal-", suffix=".sqlite3")
    os.close(handle)
    name_alias = f"rehearsal-{uuid.uuid4().hex}"
    try:
        _copy_into(name)
        # A connection of this thread only, not a configured database: nothing else can reach it.
        service = connections[DEFAULT_DB_ALIAS]
        wrapper = type(service)({**service.settings_dict, "NAME": name, "OPTIONS": {}}, alias=name_alias)
        local = connections._connections  # type: ignore[attr-defined]  # Django's per-thread connections
        setattr(local, name_alias, wrapper)
        token = _ALIAS.set(name_alias)
        try:
            yield name_alias
        finally:
            _ALIAS.reset(token)
            wrapper.close()
            delattr(local, name_alias)
    finally:
        for leftover in (name, f"{name}-journal", f"{name}-wal", f"{name}-shm"):
            Path(leftover).unlink(missing_ok=True)


def _copy_into(name: str) -> None:
    connection.ensure_connection()
    source = connection.connection  # the raw sqlite3 connection: works for in-memory test databases too
    target = sqlite3.connect(name)
    try:
        source.backup(target)
    finally:
        target.close()
