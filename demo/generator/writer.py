"""Writing the generated rows: bulk inserts in batches, parents first, inside the
caller's transaction; then PostgreSQL's sequences are moved past the keys the
generator assigned."""

import hashlib
import time
from typing import Any

from django.core.management.color import no_style
from django.db import connection
from tqdm import tqdm

from .store import ORDER, Store


def tqdm_disable(progress: bool | None) -> bool | None:
    """progress None: bars only on a terminal; True: always; False: never."""
    return None if progress is None else not progress


def write(store: Store, progress: bool | None = None) -> dict[str, tuple[int, float]]:
    written: dict[str, tuple[int, float]] = {}
    for model in ORDER:
        rows = store.rows[model]
        started = time.perf_counter()
        # PostgreSQL takes at most 65,535 parameters in a statement; SQLite's limit
        # (999) is applied by Django itself.
        batch = max(1, min(5000, 60000 // len(model._meta.concrete_fields)))
        with tqdm(
            total=len(rows), desc=f"writing {model._meta.db_table}", unit=" rows", disable=tqdm_disable(progress)
        ) as bar:
            for i in range(0, len(rows), batch):
                chunk = rows[i : i + batch]
                model._default_manager.bulk_create(chunk, batch_size=batch)
                bar.update(len(chunk))
        written[model._meta.label] = (len(rows), time.perf_counter() - started)
    statements = connection.ops.sequence_reset_sql(no_style(), ORDER)
    if statements:
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)
    return written


def digest() -> str:
    """A fingerprint of every generated table, to show that a seed reproduces its council."""
    h = hashlib.sha256()
    for model in ORDER:
        columns = [f.attname for f in model._meta.concrete_fields]
        h.update(model._meta.label.encode())
        for row in model._default_manager.order_by("pk").values_list(*columns):
            h.update(repr(row).encode())
    return h.hexdigest()


def table_counts() -> dict[str, Any]:
    return {model._meta.label: model._default_manager.count() for model in ORDER}
