"""Recomputing timescales and drift, for every case or one child, and changing rules."""

from __future__ import annotations

import contextlib
import datetime as dt
import sqlite3
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from functools import partial
from itertools import chain
from typing import Any

from django.db import connection, models, transaction
from django.db.models import Count, Exists, Min, OuterRef, Q, QuerySet
from django.db.models.expressions import RawSQL

from children import models as m
from children.selectors import held_work_open

from . import drift, rules, snapshots
from .calendar import WorkingCalendar
from .facts import NEVER_HELD, ChildFacts, coverage, load, load_one
from .models import DriftFlag, LocalClosureDay, Obligation, RecomputeRun, RuleChange, TimescaleRule

Coverage = dict[str, tuple[dt.date | None, dt.date | None]]
RECENT_CLOSURE_DAYS = 366  # closed cases stay in the timeliness figures for a year


def context(today: dt.date, held: Coverage | None = None) -> rules.Context:
    """The rules, calendars and what the data holds. `held` is facts.coverage(); computed
    here when not given (the bulk recompute stores it; one child's recompute reuses it)."""
    calendar = WorkingCalendar(closures=frozenset(LocalClosureDay.objects.values_list("day", flat=True)))
    if held is None:
        held = stored_coverage() or coverage()
    return rules.Context(ensure_rules(), calendar, today, recorded=tracked(held, *sources_begin()))


def tracked(held: Coverage, imported: bool, begins: dt.date | None) -> Coverage:
    """The rules whose clocks depend on what the data holds, with the first day each is held.
    Where nothing was imported the register is kept in Line of Sight itself: an event never
    recorded there is missing (overdue), not unrecorded. Where the data comes from returns, an
    event the register has never held is "not recorded in the source", and one it holds is
    held from the start of the earliest collection year imported (or its first day held,
    if earlier). Rules whose stop event nothing carries (care and placement plans) are
    unrecorded either way."""
    out: Coverage = {}
    for code, (first, last) in held.items():
        if code in NEVER_HELD or (imported and first is None):
            out[code] = (None, None)
        elif imported and first is not None:
            out[code] = (min(first, begins) if begins else first, last)
    return out


def sources_begin(until: dt.datetime | None = None) -> tuple[bool, dt.date | None]:
    """Whether any return was imported, and the first day of the earliest collection year
    imported (1 April of the year before the one the collection ends in). With `until`: as
    it stood then (the runs committed by that time)."""
    from returns.models import ImportRun, Status

    runs = ImportRun.objects.filter(status=Status.COMMITTED)
    if until is not None:
        runs = runs.filter(committed_at__lte=until)
    span = runs.aggregate(n=Count("pk"), year=Min("collection_year"))
    return bool(span["n"]), dt.date(span["year"] - 1, 4, 1) if span["year"] else None


def stored_coverage() -> Coverage | None:
    run = RecomputeRun.objects.exclude(coverage={}).order_by("-pk").only("coverage").first()
    if run is None:
        return None
    return {code: (_date(first), _date(last)) for code, (first, last) in run.coverage.items()}


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def ensure_rules() -> dict[str, TimescaleRule]:
    """Every rule the engine knows, creating any that are missing with their
    defaults (a council may switch a rule off, but the engine needs its row)."""
    from .defaults import RULES

    existing = {r.code: r for r in TimescaleRule.objects.all()}
    missing = [TimescaleRule(**r, sort_order=n) for n, r in enumerate(RULES) if r["code"] not in existing]
    if missing:
        TimescaleRule.objects.bulk_create(missing)
        existing = {r.code: r for r in TimescaleRule.objects.all()}
    return existing


def children_to_compute(today: dt.date) -> QuerySet[m.Child]:
    """Open cases, and cases closed in the last year (their timeliness still counts). A
    referral the Annex A import made up never closes: the work it holds counts instead."""
    since = today - dt.timedelta(days=RECENT_CLOSURE_DAYS)
    referral = m.Referral.objects.filter(
        Q(closure_date__isnull=True) | Q(closure_date__gte=since), child=OuterRef("pk"), placeholder=False
    )
    episode = m.LookedAfterEpisode.objects.filter(
        Q(end_date__isnull=True) | Q(end_date__gte=since), child=OuterRef("pk")
    )
    return m.Child.objects.filter(Q(Exists(referral)) | Q(Exists(episode)) | held_work_open(today, since))


# The stored results are written as plain rows in these columns: building 150,000
# model instances cost more than computing them (Model.__init__ was 40% of a recompute).
OBLIGATION_COLUMNS = (
    "child_id", "rule_id", "clock_start", "due_date", "due_at", "completed_on",
    "status", "team_id", "worker_id", "computed_on", "ended_on",
)  # fmt: skip
DRIFT_COLUMNS = ("child_id", "kind", "since", "detail", "team_id", "worker_id", "computed_on")


def evaluate(facts: ChildFacts, ctx: rules.Context) -> tuple[list[tuple], list[tuple]]:
    """One child's obligations and drift flags, as rows in OBLIGATION_COLUMNS and DRIFT_COLUMNS order."""
    owner = (facts.team_id, facts.worker_id, ctx.today)
    obligations = [
        (facts.child_id, ctx.rules[c.rule].pk, c.start, c.due, c.due_at, c.completed, str(c.status), *owner, c.ended)
        for c in rules.evaluate(facts, ctx)
    ]
    flags = [(facts.child_id, str(d.kind), d.since, d.detail, *owner) for d in drift.evaluate(facts, ctx.today)]
    return obligations, flags


def recompute_all(today: dt.date, progress: Callable[[Iterable[Any]], Iterable[Any]] = iter) -> dict[str, int]:
    """Every case at once: each table read once, results written in one transaction."""
    return recompute(today, None, progress)


def recompute(
    today: dt.date,
    child_ids: Collection[int] | None = None,
    progress: Callable[[Iterable[Any]], Iterable[Any]] = iter,
    held: Coverage | None = None,
) -> dict[str, int]:
    """The stored obligations and drift flags of `child_ids` (None: every child) replaced by what the rules give
    today, in one transaction. One code path for the nightly recompute and the recompute of the children an
    import or an edit touched (decision 0037), so the two cannot disagree: the same open-case query (limited to
    the touched ids), the same loading, rules and writing. A touched child that is no longer open, or was
    deleted or erased, has its rows removed and none written, as the full recompute would. The coverage (what
    the register holds, council-wide) is computed afresh either way and stored with the run: the rules page
    reads it (`held`: that coverage, when the caller has it). Whether a subset is enough is why_full's question."""
    held = coverage() if held is None else held
    ctx = context(today, held)
    with transaction.atomic(), touched(child_ids) as scope:
        children = children_to_compute(today)
        if scope is not None:
            children = children.filter(pk__in=scope)
        facts = load(children)
        obligations: list[tuple] = []
        flags: list[tuple] = []
        for f in progress(facts.values()):
            o, d = evaluate(f, ctx)
            obligations += o
            flags += d
        # Settled once the delete has begun the write (on SQLite it takes the database's write lock).
        if scope is None:
            with indexes_rebuilt(Obligation):
                Obligation.objects.all().delete()
                obligations = settled(obligations)
                insert_rows(Obligation, OBLIGATION_COLUMNS, obligations)
            DriftFlag.objects.all().delete()
        else:  # a few rows out of many: their indexes are kept (rebuilding them would cost the whole table)
            Obligation.objects.filter(child_id__in=scope).delete()
            obligations = settled(obligations)
            insert_rows(Obligation, OBLIGATION_COLUMNS, obligations)
            DriftFlag.objects.filter(child_id__in=scope).delete()
        insert_rows(DriftFlag, DRIFT_COLUMNS, flags)
        # The month's trend point for every team, from the rows just written (one query; decision 0043).
        snapshots.record_month(today)
        # A new run row is the pages' cache version (RecomputeRun): cached pages are rebuilt after either kind.
        RecomputeRun.objects.create(
            as_of=today,
            children=len(facts),
            obligations=len(obligations),
            coverage={code: [_iso(first), _iso(last)] for code, (first, last) in held.items()},
        )
    if child_ids is None:
        tidy()
    return {"children": len(facts), "obligations": len(obligations), "drift_flags": len(flags)}


# The tables a full recompute rewrites: every row deleted and inserted again.
REWRITTEN = (Obligation, DriftFlag)


def tidy() -> None:
    """Once a full recompute has committed, on PostgreSQL: VACUUM (ANALYZE) the tables it rewrote. It leaves
    every old row of them dead (some 160,000 obligations), and PostgreSQL reuses the space of dead rows, in the
    table and in each of its indexes, only once they are vacuumed. Back to back, before autovacuum came (up to
    a minute later, then competing with the next run for the two cores), each full recompute added another
    copy to the table and its indexes, past what shared memory holds, and ran 30-45% slower (decision 0044).
    Vacuumed each time, the table stays at about twice its rows. ANALYZE gives the pages' queries the new rows'
    statistics. VACUUM cannot run inside a transaction: there (the task's advisory lock, a test) nothing is
    done, and the caller calls this once it has committed."""
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        return
    tables = ", ".join(connection.ops.quote_name(model._meta.db_table) for model in REWRITTEN)
    with connection.cursor() as cursor:
        cursor.execute(f"VACUUM (ANALYZE) {tables}")


# The temporary table holding the ids of the children an import or an edit touched (one connection's own).
TOUCHED = "timescales_touched"


@contextlib.contextmanager
def touched(child_ids: Collection[int] | None) -> Iterator[RawSQL | None]:
    """The ids in a temporary table, and the subquery that reads them (None for every child). A table, not a
    parameter list: a thousand ids would be a thousand parameters in each of some twenty queries."""
    if child_ids is None:
        yield None
        return
    table = connection.ops.quote_name(TOUCHED)
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {'pg_temp' if connection.vendor == 'postgresql' else 'temp'}.{table}")
        cursor.execute(f"CREATE TEMPORARY TABLE {table} (id bigint PRIMARY KEY)")
        ids = sorted(set(child_ids))
        if connection.vendor == "postgresql":  # one statement, not a round trip per id (0.15-0.2 s for 1,000)
            cursor.execute(f"INSERT INTO {table} (id) SELECT unnest(%s::bigint[])", [ids])
            cursor.execute(f"ANALYZE {table}")  # no autovacuum for temporary tables: give the planner its size
        else:
            cursor.executemany(f"INSERT INTO {table} (id) VALUES (%s)", [(pk,) for pk in ids])
        yield RawSQL(f"SELECT id FROM {table}", ())
        cursor.execute(f"DROP TABLE {table}")


# Above this share of the council's children a recompute of the touched children costs about what the full
# one does (the loading and writing are per child; the fixed part is the open-case query and the coverage):
# the full recompute runs instead, which also settles anything the subset would not see.
FULL_ABOVE = 0.25


def recompute_children(today: dt.date, child_ids: Collection[int] | None) -> dict[str, Any]:
    """Recompute the children an import or an edit touched, or every child when a subset would not be enough
    (why_full says when). The counts, and "full": the reason for a full recompute, or "" for a subset."""
    held = coverage()
    reason = why_full(child_ids, held)
    counts: dict[str, Any] = recompute(today, None if reason else child_ids, held=held)
    return {**counts, "full": reason}


def why_full(child_ids: Collection[int] | None, held: Coverage) -> str:
    """Why the touched children alone are not enough, or "" when they are. A child's obligations depend on
    its own records and on three council-wide things, which an import or an edit elsewhere can change: the
    rules (change_rule), the local closure days (the calendar), and what the register holds (coverage: the
    first day each stop event is held, and the first collection year imported, decide which clocks are "not
    recorded in the source"). A change to any of them changes other children's rows too. Every recompute
    stores the coverage it used (`held` is today's). A change of rule is found here too (RuleChange), though
    change_rule and add_closure_day queue a recompute of every child themselves: a closure day has no time
    of change to compare, and the pages should show a rule's new timescale within minutes either way."""
    if child_ids is None:
        return "the children touched are not known"
    if len(child_ids) > FULL_ABOVE * max(m.Child.objects.count(), 1):
        return f"more than {FULL_ABOVE:.0%} of the children were touched"
    last = RecomputeRun.objects.exclude(coverage={}).order_by("-pk").only("at", "coverage").first()
    if last is None:
        return "nothing was computed before"
    if RuleChange.objects.filter(changed_at__gte=last.at).exists():
        return "a rule changed"
    before = {code: (_date(first), _date(last_day)) for code, (first, last_day) in last.coverage.items()}
    if _firsts(tracked(held, *sources_begin())) != _firsts(tracked(before, *sources_begin(until=last.at))):
        return "what the register holds changed the days from which clocks are known"
    return ""


def _firsts(recorded: Coverage) -> dict[str, dt.date | None]:
    """Only the first day held decides a status (rules.Context.unrecorded); the last day is for the rules page."""
    return {code: first for code, (first, _) in recorded.items()}


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


@contextlib.contextmanager
def indexes_rebuilt(model: type[models.Model]) -> Iterator[None]:
    """On SQLite, the table's indexes dropped while every row is replaced and made again
    after, inside the caller's transaction (readers keep seeing the old rows and indexes
    until it commits; an error undoes the drop). Building an index once from 170,000 rows
    costs less than 170,000 deletes and inserts into each of four. Not on PostgreSQL:
    DROP INDEX would lock the table against every reader until the commit."""
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = %s AND sql IS NOT NULL",
            [model._meta.db_table],
        )
        indexes = cursor.fetchall()
        for name, _ in indexes:
            cursor.execute(f"DROP INDEX {connection.ops.quote_name(name)}")
        yield
        for _, sql in indexes:
            cursor.execute(sql)


def settled(rows: list[tuple]) -> list[tuple]:
    """`rows` (in OBLIGATION_COLUMNS order) as the foreign-key checks the database no longer makes on
    Obligation's rule, team and worker (models.Obligation) would leave them: lock the rows they may point to
    (on PostgreSQL, FOR KEY SHARE, as the checks would: none can be deleted until the recompute commits;
    SQLite's writer holds the whole database already), then apply on_delete to any that went after the rows
    were computed: a deleted rule's obligations go (CASCADE), a deleted team or worker becomes none
    (SET_NULL). One query per table and a pass in memory, against some 170,000 checks one by one; before
    the write, not as statements over the stored table after it (each scanned it: 0.05-0.08 s; decision
    0044)."""
    present: dict[str, set[int]] = {}
    lock = " FOR KEY SHARE" if connection.vendor == "postgresql" else ""
    with connection.cursor() as cursor:
        for field in ("rule", "team", "worker"):
            target = connection.ops.quote_name(Obligation._meta.get_field(field).related_model._meta.db_table)  # type: ignore[union-attr]
            cursor.execute(f"SELECT id FROM {target}{lock}")
            present[field] = {pk for (pk,) in cursor.fetchall()}
    rule, team, worker = (OBLIGATION_COLUMNS.index(f"{field}_id") for field in ("rule", "team", "worker"))
    rules, teams, workers = present["rule"], present["team"] | {None}, present["worker"] | {None}
    if all(row[rule] in rules and row[team] in teams and row[worker] in workers for row in rows):
        return rows  # nothing went: every night
    out = []
    for row in rows:
        if row[rule] not in rules:
            continue
        if row[team] not in teams or row[worker] not in workers:
            changed = list(row)
            changed[team] = row[team] if row[team] in teams else None
            changed[worker] = row[worker] if row[worker] in workers else None
            row = tuple(changed)
        out.append(row)
    return out


def insert_rows(model: type[models.Model], columns: Sequence[str], rows: list[tuple]) -> None:
    """Insert many new rows given as tuples in `columns` order. On PostgreSQL through
    COPY, which skips the per-statement parsing and parameter binding of INSERT (150,000
    obligations: 6-7.7 s with bulk_create, about 1.5 s, most of it the deferred
    foreign-key checks at commit); elsewhere INSERTs of many rows each, in the rows' order."""
    if not rows:
        return
    ops = connection.ops
    fields: list[Any] = [model._meta.get_field(name) for name in columns]
    table = ops.quote_name(model._meta.db_table)
    names = ", ".join(ops.quote_name(f.column or f.name) for f in fields)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor, cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        return
    # Other databases take times in the form Django's adapter gives them (SQLite: naive, in
    # UTC). Dates need none: the sqlite3 module's adapter Django registers writes the same
    # ISO text, and adapting every value in Python cost 2 s for 170,000 obligations.
    stamps = [n for n, f in enumerate(fields) if f.get_internal_type() == "DateTimeField"]
    prepared = [_adapt_times(row, stamps) for row in rows] if stamps else rows
    # Many rows a statement, as many as the database's parameter limit allows: on SQLite half the
    # CPU of one executemany row at a time (a statement, and its AUTOINCREMENT bookkeeping, per row).
    per = max(1, (connection.features.max_query_params or 999) // len(fields))
    sqlite = connection.vendor == "sqlite"
    marks = f"({', '.join(['?' if sqlite else '%s'] * len(fields))})"
    insert = f"INSERT INTO {table} ({names}) VALUES "
    full = insert + ", ".join([marks] * per)
    # Django's errors as Django's cursor gives them (the import tells a refused value by its kind).
    with connection.cursor() as cursor, connection.wrap_database_errors:
        # On SQLite the driver's own cursor, given its own ? marks: Django's rewrites every %s of
        # every statement with a regular expression (a second of CPU per 300,000 rows).
        execute = partial(sqlite3.Cursor.execute, cursor.cursor) if sqlite else cursor.execute
        for start in range(0, len(prepared), per):
            part = prepared[start : start + per]
            sql = full if len(part) == per else insert + ", ".join([marks] * len(part))
            execute(sql, list(chain.from_iterable(part)))


def _adapt_times(row: tuple, stamps: list[int]) -> tuple:
    if all(row[n] is None for n in stamps):
        return row
    adapted = list(row)
    for n in stamps:
        if adapted[n] is not None:
            adapted[n] = connection.ops.adapt_datetimefield_value(adapted[n])
    return tuple(adapted)


def compute_one_by_one(today: dt.date) -> dict[str, int]:
    """The naive way, for the benchmark only: a query per table per child, nothing written."""
    ctx = context(today)
    counts = {"children": 0, "obligations": 0, "drift_flags": 0}
    for pk in children_to_compute(today).values_list("pk", flat=True):
        o, d = evaluate(load_one(pk), ctx)
        counts["children"] += 1
        counts["obligations"] += len(o)
        counts["drift_flags"] += len(d)
    return counts


def recompute_child(child_id: int, today: dt.date) -> None:
    """One child, by the same path as every child (recompute)."""
    recompute(today, [child_id])


EDITABLE = ("amount", "due_soon_days", "active")


@transaction.atomic
def change_rule(rule: TimescaleRule, user: Any, reason: str, **changes: Any) -> list[RuleChange]:
    """Change a local rule's numbers, keeping who, when, what and why."""
    if not reason.strip():
        raise ValueError("Give a reason for the change")
    if not rule.local and "amount" in changes and changes["amount"] != rule.amount:
        raise ValueError(f"{rule.name} is set by statute ({rule.source}); its timescale cannot be changed")
    made = []
    for field, new in changes.items():
        if field not in EDITABLE:
            raise ValueError(f"{field} cannot be changed")
        old = getattr(rule, field)
        if old != new:
            setattr(rule, field, new)
            made.append(
                RuleChange(
                    rule=rule,
                    changed_by=user,
                    field=field,
                    old_value=str(old),
                    new_value=str(new),
                    reason=reason.strip(),
                )
            )
    rule.save()
    RuleChange.objects.bulk_create(made)
    if made:
        _recompute_everything_soon(f"{rule.code} changed")
    return made


@transaction.atomic
def add_closure_day(day: dt.date, reason: str, user: Any) -> bool:
    """A local closure day (the council's calendar): every local rule's due dates may move, so every child is
    recomputed on the queue. False when the day was a closure day already."""
    _, created = LocalClosureDay.objects.get_or_create(day=day, defaults={"reason": reason, "added_by": user})
    if created:
        _recompute_everything_soon("a local closure day was added")
    return created


def _recompute_everything_soon(reason: str) -> None:
    """Once the change commits: a council-wide change is never left to a recompute of some children."""
    from .tasks import recompute_soon  # the tasks module imports this one

    transaction.on_commit(lambda: recompute_soon(reason))
