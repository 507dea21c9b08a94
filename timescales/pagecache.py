"""The rendered bodies of the line-of-sight pages (the director's page and a team's page), built once per
data version and audience instead of on every request (issue 17 point 4; docs/decisions/0045).

What is cached is the page's body (its <main> content), not the layout around it, which carries the user's
menu, messages and sign-out form. A body is keyed on

- the page and its parameters (the team, the team whose trend is asked for),
- the data version: the last recompute's number (RecomputeRun; an import and an edit of a child's record each
  queue a recompute, and a recompute writes the counts, the drift and the month's trend these pages show),
  the last committed import (the "data last imported" line) and today's date (caseloads are counted as they
  stand today),
- the audience: the user's scope with the service, team, worker and agency that bound it, and the restricted
  records hidden from them (children.selectors.hidden_restrictions). Two users share a body only when they
  see exactly the same children, so a team manager never gets the director's rows, nor a user a
  restriction leaves out the counts of a user it names.

A body is kept at most MAX_SECONDS: what no version counts (a worker's FTE, a worker joining or leaving a
team, a team's name, the caseload promise, all changed in the admin) shows within that time, as the cached
table did before. The view still checks the user's scope on every request; these pages list no child, so
there is nothing to audit per request (the pages behind their numbers audit what they list).
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.utils.safestring import SafeString, mark_safe

from children.selectors import hidden_restrictions

# Change when the bodies' templates change shape, so that a cache that outlives a release serves no old markup.
PREFIX = "timescales:page:1"
MAX_SECONDS = 300


def enabled() -> bool:
    """On unless settings.LINE_OF_SIGHT_PAGE_CACHE is False or the environment sets
    LOS_LINE_OF_SIGHT_PAGE_CACHE=0 (the benchmark's baseline: every request builds its page)."""
    configured = getattr(settings, "LINE_OF_SIGHT_PAGE_CACHE", None)
    if configured is not None:
        return bool(configured)
    return os.environ.get("LOS_LINE_OF_SIGHT_PAGE_CACHE", "1") != "0"


def audience(user: Any) -> str:
    """What decides which children's figures this user sees: scope, the unit that bounds it, the agency (a
    partner sees none of the register) and the restricted records hidden from them."""
    unit = f"{user.service_id or '-'}:{user.team_id or '-'}:{user.worker_id or '-'}:{user.agency_id or '-'}"
    return f"{user.scope}:{unit}:{hidden_restrictions(user)}"


def key(page: str, user: Any, version: Iterable[Any], parts: Iterable[Any]) -> str:
    joined = ":".join(str(p) for p in (*version, *parts))
    return f"{PREFIX}:{page}:{audience(user)}:{joined}"


@dataclass(frozen=True)
class State:
    """What the pages' data was last made from: the last recompute (its number and the day it computed for)
    and the last committed import."""

    recompute: int
    as_of: dt.date | None
    imported: int | None

    def version(self) -> tuple[Any, ...]:
        """The key's data part: the last recompute, the last import, and today (caseloads are today's)."""
        return (self.recompute, self.imported or 0, dt.date.today().isoformat())


def state() -> State:
    """One plain query, read on every request before the data (see body): the ORM's compiling of the two
    queries it replaces cost more than a cached page's rendering."""
    from returns.models import ImportRun, Status
    from timescales.models import RecomputeRun

    runs, imports = RecomputeRun._meta.db_table, ImportRun._meta.db_table
    sql = (
        f"SELECT (SELECT id FROM {runs} ORDER BY id DESC LIMIT 1), "
        f"(SELECT as_of FROM {runs} ORDER BY id DESC LIMIT 1), "
        f"(SELECT id FROM {imports} WHERE status = %s AND committed_at IS NOT NULL "
        "ORDER BY committed_at DESC, id DESC LIMIT 1)"
    )  # the last import as indicators.selectors.last_import finds it
    with connection.cursor() as cursor:
        cursor.execute(sql, [Status.COMMITTED.value])
        recompute, as_of, imported = cursor.fetchone()
    if isinstance(as_of, str):  # SQLite gives a raw query's date as text
        as_of = dt.date.fromisoformat(as_of)
    return State(recompute or 0, as_of, imported)


def body(page: str, user: Any, data: tuple[Any, ...], parts: Iterable[Any], build: Callable[[], str]) -> SafeString:
    """The page's body: from the cache when one was built from the same data for the same audience, else
    built (and cached). The version is read by the caller before the data is, so a body is never stored
    under a version newer than the data it was built from."""
    if not enabled():
        return mark_safe(build())  # noqa: S308 - rendered by our own templates with autoescaping
    k = key(page, user, data, parts)
    hit = cache.get(k)
    if isinstance(hit, str):
        return mark_safe(hit)  # noqa: S308 - as above
    made = build()
    cache.set(k, made, MAX_SECONDS)
    return mark_safe(made)  # noqa: S308 - as above
