"""What the reference data an administrator installs for the SSDA903 rules share: the ONS Postcode
Directory (postcodes.py, decision 0057) and Ofsted's provider register (ofsted.py, decision 0059).
Each module reads its own files and keeps its own columns; here are the steps that are the same for
both: the rows installed before replaced in batches, the install recorded and audited, the rows
looked up in chunks, an upload saved, and a command's --user found.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

BATCH = 5000  # rows held in memory before they are written: the files are read as a stream
CHUNK = 2000  # values in one `IN (...)` lookup, within what SQLite and PostgreSQL take in one query


def replace_rows(model: Any, rows: Iterable[Any], ignore_conflicts: bool = False) -> int:
    """Delete every row of `model`, insert `rows` (its instances) in batches and return how many it
    now holds. `ignore_conflicts` keeps the first of two rows with the same key. Call it inside the
    install's transaction, so that a file refused halfway leaves the rows installed before."""
    model.objects.all().delete()
    batch: list[Any] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= BATCH:
            model.objects.bulk_create(batch, batch_size=1000, ignore_conflicts=ignore_conflicts)
            batch.clear()
    model.objects.bulk_create(batch, batch_size=1000, ignore_conflicts=ignore_conflicts)
    return model.objects.count()


def record_install(model: Any, user: Any, detail: str, **fields: Any) -> Any:
    """Create the install's record (`model` with `fields` and who installed it) and audit it with
    `detail`. A user that is not saved (a command run without --user) is recorded as no one."""
    from audit.models import Action
    from audit.services import record

    by = user if getattr(user, "pk", None) else None
    installed = model.objects.create(**fields, installed_by=by, installed_by_name=getattr(user, "username", "") or "")
    record(Action.CREATE, obj=installed, user=by, detail=detail)
    return installed


def lookup(model: Any, key: str, columns: Iterable[str], make: Callable[..., Any]) -> Callable[[list[str]], list]:
    """A function finding the installed rows of `model` whose `key` is one of a list of values, each
    made into `make(*columns)`; the values are asked for in chunks."""
    columns = list(columns)

    def find(values: list[str]) -> list:
        out = []
        for start in range(0, len(values), CHUNK):
            rows = model.objects.filter(**{f"{key}__in": values[start : start + CHUNK]}).values_list(*columns)
            out += [make(*row) for row in rows]
        return out

    return find


def save_upload(chunks: Iterable[bytes], path: Path) -> Path:
    """Write an upload's chunks to `path`."""
    with open(path, "wb") as handle:
        for chunk in chunks:
            handle.write(chunk)
    return path


def command_user(username: str | None) -> Any:
    """The user an install command's --user names, None without one; CommandError when none has that name."""
    from django.contrib.auth import get_user_model
    from django.core.management.base import CommandError

    if not username:
        return None
    who = get_user_model().objects.filter(username=username).first()
    if who is None:
        raise CommandError(f"--user {username}: no such user.")
    return who
