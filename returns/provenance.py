"""Provenance: the SourceRecord rows naming the run and record that created or changed each
register row, collected as an importer goes and written in bulk once per chunk."""

import operator

from django.contrib.contenttypes.models import ContentType
from django.db import connection

from returns.models import SourceRecord
from timescales.services import insert_rows

_DEFAULTS: dict = {}


def _defaults(model) -> dict:
    return {
        f.attname: f.get_default()
        for f in model._meta.concrete_fields
        if not f.primary_key and not (f.null and not f.has_default())
    }


def insert(model, rows: list[dict], pks: bool = False) -> list[int] | None:
    """INSERT the rows (dicts of attname -> value) in bulk: COPY on PostgreSQL, INSERTs of many
    rows elsewhere (timescales.services.insert_rows); the ORM's bulk_create costs more than the
    database does at this volume. Fields not given take their model default. With `pks`, the new
    rows' primary keys in the rows' order, when the database can say them without a lookup
    (None when not: the caller finds them by natural key)."""
    if not rows:
        return [] if pks else None
    if model not in _DEFAULTS:
        _DEFAULTS[model] = _defaults(model)
    defaults = _DEFAULTS[model]
    fields = list(dict.fromkeys([*defaults, *rows[0]]))
    # itemgetter over the row laid on its defaults: the per-value work stays in C.
    pick = operator.itemgetter(*fields)
    params = [pick({**defaults, **row}) for row in rows]
    if len(fields) == 1:  # itemgetter of one field gives the value, not a tuple
        params = [(value,) for value in params]
    key = model._meta.pk.attname
    if not pks or key in fields:  # keys given (a one-to-one's): they are the rows' own
        insert_rows(model, fields, params)
        return [row[key] for row in rows] if pks else None
    if connection.vendor == "postgresql":
        ids = _taken(model, len(params))
        insert_rows(model, [key, *fields], [(pk, *row) for pk, row in zip(ids, params, strict=True)])
        return ids
    insert_rows(model, fields, params)
    return _last_inserted(model, len(params))


_SEQUENCES: dict = {}


def _taken(model, n: int) -> list[int]:
    """n primary keys taken from the table's sequence, for rows written with them (COPY): no query per
    chunk to read the keys back by natural key afterwards (decision 0067). A sequence never gives a
    value twice, whatever other sessions do. The sequence is named as a constant: looked up for each
    row (pg_get_serial_sequence in the query) it cost ten times as much."""
    meta = model._meta
    with connection.cursor() as cursor:
        if model not in _SEQUENCES:
            cursor.execute("SELECT pg_get_serial_sequence(%s, %s)", [meta.db_table, meta.pk.column])
            _SEQUENCES[model] = cursor.fetchone()[0]
        cursor.execute("SELECT nextval(%s::regclass) FROM generate_series(1, %s)", [_SEQUENCES[model], n])
        return [row[0] for row in cursor.fetchall()]


def _last_inserted(model, n: int) -> list[int] | None:
    """The keys of the n rows just inserted, in their order, on SQLite: Django makes its keys
    AUTOINCREMENT, so each new row's key is larger than any the table has held, and the import holds
    the write lock, so no one else inserts meanwhile. If the n keys up to the largest are all present,
    the new rows are exactly those, in the order inserted; if not (never seen), None (decision 0067)."""
    meta = model._meta
    table, pk = connection.ops.quote_name(meta.db_table), connection.ops.quote_name(meta.pk.column)
    with connection.cursor() as cursor:
        newest = f"(SELECT max({pk}) AS m FROM {table}) AS t"
        cursor.execute(f"SELECT m, (SELECT count(*) FROM {table} WHERE {pk} > m - %s) FROM {newest}", [n])
        last, count = cursor.fetchone()
    if last is None or count != n:
        return None
    return list(range(last - n + 1, last + 1))


def children_touched(run) -> set[int]:
    """The children whose register rows the run created or changed, as its SourceRecord rows name them: for
    each table the timescales read, its rows named by the run, taken to their child (one query per table that
    the run wrote). Rows an import deletes are not named: the importers delete only code sets the timescales
    do not read, and the made-up referrals' settling says its children itself (placeholders.Settled)."""
    from timescales.facts import child_paths  # the tables the timescales read, and each one's way to its child

    records = SourceRecord.objects.filter(run=run)
    written = set(records.values_list("content_type_id", flat=True).distinct())
    found: set[int] = set()
    for model, path in child_paths().items():
        ct = ContentType.objects.get_for_model(model).pk
        if ct in written:
            named = records.filter(content_type_id=ct).values("object_id")
            # each child once, by the database: a register row each would be 3 million at England size
            found.update(model._default_manager.filter(pk__in=named).values_list(path, flat=True).order_by().distinct())
    found.discard(None)
    return found


# A SourceRecord row as the Provenance keeps it: a tuple in these columns' order, written as it is
# (COPY on PostgreSQL, executemany elsewhere). A dict per row laid on the model's defaults cost about
# a tenth of an England-sized CIN import, which writes some three million of them.
COLUMNS = ("run_id", "content_type_id", "object_id", "record_path", "created")


class Provenance:
    """A run's SourceRecord rows waiting to be written; none are kept in a preview (dry_run)
    or without a run."""

    def __init__(self, run, dry_run: bool) -> None:
        self.run = None if dry_run else run
        self.rows: list[tuple] = []
        self._ct: dict = {}

    def content_type(self, model) -> int:
        if model not in self._ct:
            self._ct[model] = ContentType.objects.get_for_model(model).pk
        return self._ct[model]

    def add(self, obj, path: str, created: bool) -> None:
        if self.run is not None:
            self.rows.append((self.run.pk, self.content_type(type(obj)), obj.pk, path[:200], created))

    def add_created(self, model, pks: list[int], paths: list[str]) -> None:
        """Rows of one model the run created, by primary key, with their records' paths."""
        if self.run is not None:
            run, ct = self.run.pk, self.content_type(model)
            self.rows.extend((run, ct, pk, path[:200], True) for pk, path in zip(pks, paths, strict=True))

    def flush(self) -> None:
        if self.rows:
            insert_rows(SourceRecord, COLUMNS, self.rows)
            self.rows = []
