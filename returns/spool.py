"""A reader's records read to the end before the write transaction opens, then replayed.

On SQLite every transaction holds the one write lock that every sign-in and page view needs
(sessions, audit rows, axes rows), so an import must not hold it while it reads, parses and
schema-checks its file: that is most of its time. The records are pickled, a batch at a time,
to an anonymous temporary file beside the upload (unlinked at once, so nothing is left behind
if the process dies), which keeps memory flat for an England-sized file, and read back inside
the transaction. (docs/decisions/0019-import-locking-and-status.md)

A reader that keeps its own rows on disk as it reads (the SSDA903's, which must: a child's rows
are in every table) is asked instead to read to the end and to replay its records from there,
so that they are not pickled a second time (docs/decisions/0053-903-import-cheaper.md).
"""

import contextlib
import gc
import pickle
import sqlite3
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any

BATCH = 1000


@contextlib.contextmanager
def fewer_collections():
    """Reading or importing a return (CIN or 903) allocates millions of short-lived objects and few cycles: collect
    less often, and leave the objects alive before it (Django's) out of the scans. Reading an England-sized
    CIN census with the defaults ran a full collection every ~2,000 children (decision 0067); at 100,000
    children the 903 spent about 15% of its CPU in them (decision 0066)."""
    threshold = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(50_000, 20, 100)
    try:
        yield
    finally:
        gc.set_threshold(*threshold)
        gc.unfreeze()


class Spool:
    """Iterate `records` to the end now; iterate the Spool (once or more) to have them again.
    Any other attribute is the reader's (an importer may read its `collection_year`)."""

    def __init__(self, records: Iterable[Any], directory: Path) -> None:
        self._source = records
        self.spooled = 0
        self._handle: IO[bytes] | None = None
        if hasattr(records, "replay"):  # read_to_end, replay and close: the reader keeps its rows itself
            try:
                self.spooled = records.read_to_end()  # type: ignore[attr-defined]
            except BaseException:
                self.close()
                raise
            return
        self._handle = tempfile.TemporaryFile(dir=directory)  # noqa: SIM115 (closed by close())
        try:
            with fewer_collections():
                batch: list[Any] = []
                for record in records:
                    batch.append(record)
                    if len(batch) >= BATCH:
                        self._dump(batch)
                        batch = []
                if batch:
                    self._dump(batch)
        except BaseException:
            self.close()
            raise

    def _dump(self, batch: list[Any]) -> None:
        assert self._handle is not None
        pickle.dump(batch, self._handle, protocol=pickle.HIGHEST_PROTOCOL)
        self.spooled += len(batch)

    def __iter__(self) -> Iterator[Any]:
        if self._handle is None:
            yield from self._source.replay()  # type: ignore[attr-defined]
            return
        self._handle.seek(0)
        while True:
            try:
                batch = pickle.load(self._handle)  # noqa: S301 (our own file, written just now)
            except EOFError:
                return
            yield from batch

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        return getattr(self._source, name)

    def close(self) -> None:
        if self._handle is None:
            self._source.close()  # type: ignore[attr-defined]
        else:
            self._handle.close()
            # The reader may keep files of its own (the CIN's rules' tables): they go too.
            close = getattr(self._source, "close", None)
            if callable(close):
                close()

    def __enter__(self) -> "Spool":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class ChildIds:
    """A set of children's ids kept in a private temporary SQLite database (deleted when closed; only
    its page cache is in memory), a batch at a time: the children an import let through
    (services._Skipping), which as a set grew with the file (about 12 MB at 100,000 children;
    decision 0075)."""

    BATCH = 5000

    def __init__(self) -> None:
        self._db = sqlite3.connect("", isolation_level=None, check_same_thread=False)
        self._db.executescript(
            """
            PRAGMA journal_mode = OFF;
            PRAGMA synchronous = OFF;
            CREATE TABLE child (la_id TEXT PRIMARY KEY) WITHOUT ROWID;
            """
        )
        self._waiting: set[str] = set()

    def add(self, child: str) -> None:
        self._waiting.add(child)
        if len(self._waiting) >= self.BATCH:
            self._flush()

    def _flush(self) -> None:
        if self._waiting:
            self._db.execute("BEGIN")
            self._db.executemany("INSERT OR IGNORE INTO child VALUES (?)", ((c,) for c in self._waiting))
            self._db.execute("COMMIT")
            self._waiting = set()

    def __contains__(self, child: object) -> bool:
        if child in self._waiting:
            return True
        return self._db.execute("SELECT 1 FROM child WHERE la_id = ?", (child,)).fetchone() is not None

    def count_without(self, others: Iterable[str]) -> int:
        """How many of the children are not among `others`."""
        self._flush()
        (total,) = self._db.execute("SELECT count(*) FROM child").fetchone()
        return total - sum(1 for child in set(others) if child in self)

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> "ChildIds":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
