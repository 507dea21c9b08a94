"""The rows of an SSDA903 return kept on disk while its tables are read, then handed back child by child.

A 903's tables are separate files and a child's rows are spread over all of them, so the reader
cannot give the importer a child until every table is read. Holding every child in memory made
the import's memory grow with the file (about 3.5 MB per 1,000 children: 782 MB for England's
100,000). Instead each checked row is written, as it is read, to a private temporary SQLite
database (deleted when closed; only its page cache is in memory), and the children are read
back one at a time, each with its rows in the order they were read, the children in the order
they were first seen: what the reader did in memory, in the same order (decision 0042).
"""

import pickle
import sqlite3
from collections.abc import Iterator

BATCH = 5000
BAD = ""  # the table name of an event that only marks the child bad (an element the XML does not have)


class ChildStore:
    """Events (la_id, table, location, file, values, dob, sex) in the order they are added; values is
    None for a row that was rejected. `children()` replays them per child."""

    def __init__(self) -> None:
        # "": a private on-disk database that SQLite deletes when the connection closes. One reader uses it
        # at a time, but a reader abandoned part-way may be closed by the garbage collector in another thread.
        self._db = sqlite3.connect("", isolation_level=None, check_same_thread=False)
        self._db.executescript(
            """
            PRAGMA journal_mode = OFF;
            PRAGMA synchronous = OFF;
            PRAGMA temp_store = FILE;
            CREATE TABLE child (la_id TEXT PRIMARY KEY);
            CREATE TABLE event (la_id TEXT NOT NULL, data BLOB NOT NULL);
            CREATE TABLE head (la_id TEXT PRIMARY KEY, location TEXT NOT NULL) WITHOUT ROWID;
            """
        )
        self._events: list[tuple[str, bytes]] = []
        self.count = 0  # children seen so far (after flush)

    def add(self, la_id: str, table: str, location: str, file: str, rec) -> None:
        """A row of `table` for the child; rec None when the row was rejected."""
        row = None if rec is None else (rec.values, rec.dob, rec.sex)
        self._events.append((la_id, pickle.dumps((table, location, file, row), pickle.HIGHEST_PROTOCOL)))
        if len(self._events) >= BATCH:
            self.flush()

    def mark_bad(self, la_id: str) -> None:
        self.add(la_id, BAD, "", "", None)

    def first_header(self, la_id: str, location: str) -> str | None:
        """Where the child's Header row was first read, or None (and this one recorded) if this is the first."""
        cursor = self._db.execute("INSERT OR IGNORE INTO head VALUES (?, ?)", (la_id, location))
        if cursor.rowcount:
            return None
        return self._db.execute("SELECT location FROM head WHERE la_id = ?", (la_id,)).fetchone()[0]

    def has(self, la_id: str) -> bool:
        """Whether the child has a row in the store (after flush)."""
        return self._db.execute("SELECT 1 FROM child WHERE la_id = ?", (la_id,)).fetchone() is not None

    def flush(self) -> None:
        if not self._events:
            return
        self._db.execute("BEGIN")
        self.count += self._db.executemany(
            "INSERT OR IGNORE INTO child VALUES (?)", ((la_id,) for la_id, _d in self._events)
        ).rowcount
        self._db.executemany("INSERT INTO event VALUES (?, ?)", self._events)
        self._db.execute("COMMIT")
        self._events = []

    def children(self) -> Iterator[tuple[str, list[tuple]]]:
        """(la_id, [(table, location, file, (values, dob, sex) or None), ...]) for each child, in the order
        first seen, its events in the order added."""
        self.flush()
        self._db.execute("CREATE INDEX IF NOT EXISTS event_child ON event (la_id)")
        rows = self._db.execute(
            "SELECT c.la_id, e.data FROM child c JOIN event e ON e.la_id = c.la_id ORDER BY c.rowid, e.rowid"
        )
        current: str | None = None
        events: list[tuple] = []
        for la_id, data in rows:
            if la_id != current:
                if current is not None:
                    yield current, events
                current, events = la_id, []
            events.append(pickle.loads(data))  # noqa: S301 (our own rows, written just now)
        if current is not None:
            yield current, events

    def close(self) -> None:
        self._db.close()


class FirstSeen:
    """A mapping that only remembers the first value given for each key (`setdefault`), kept in a private
    temporary SQLite database rather than in memory: the UPNs given to a 903's children so far, for the
    check across chunks, would otherwise grow with the file (decision 0061)."""

    def __init__(self) -> None:
        self._db = sqlite3.connect("", isolation_level=None, check_same_thread=False)
        self._db.executescript(
            """
            PRAGMA journal_mode = OFF;
            PRAGMA synchronous = OFF;
            CREATE TABLE seen (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
            """
        )

    def setdefault(self, key: str, value: str) -> str:
        """The value first given for `key`: `value` if there was none (and it is kept)."""
        if self._db.execute("INSERT OR IGNORE INTO seen VALUES (?, ?)", (key, value)).rowcount:
            return value
        return self._db.execute("SELECT value FROM seen WHERE key = ?", (key,)).fetchone()[0]

    def close(self) -> None:
        self._db.close()
