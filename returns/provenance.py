"""Provenance: the SourceRecord rows naming the run and record that created or changed each
register row, collected as an importer goes and written in bulk once per chunk."""

import operator

from django.contrib.contenttypes.models import ContentType

from returns.models import SourceRecord
from timescales.services import insert_rows

_DEFAULTS: dict = {}


def _defaults(model) -> dict:
    return {
        f.attname: f.get_default()
        for f in model._meta.concrete_fields
        if not f.primary_key and not (f.null and not f.has_default())
    }


def insert(model, rows: list[dict]) -> None:
    """INSERT the rows (dicts of attname -> value) in bulk: COPY on PostgreSQL, executemany
    elsewhere (timescales.services.insert_rows); the ORM's bulk_create costs more than the
    database does at this volume. Fields not given take their model default."""
    if not rows:
        return
    if model not in _DEFAULTS:
        _DEFAULTS[model] = _defaults(model)
    defaults = _DEFAULTS[model]
    fields = list(dict.fromkeys([*defaults, *rows[0]]))
    # itemgetter over the row laid on its defaults: the per-value work stays in C.
    pick = operator.itemgetter(*fields)
    params = [pick({**defaults, **row}) for row in rows]
    if len(fields) == 1:  # itemgetter of one field gives the value, not a tuple
        params = [(value,) for value in params]
    insert_rows(model, fields, params)


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
            found.update(model._default_manager.filter(pk__in=named).values_list(path, flat=True))
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
