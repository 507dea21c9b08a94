"""Recomputing timescales and drift, for every case or one child, and changing rules."""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

from django.db import connection, models, transaction
from django.db.models import Count, Exists, Min, OuterRef, Q, QuerySet

from children import models as m
from children.selectors import held_work_open

from . import drift, rules
from .calendar import WorkingCalendar
from .facts import NEVER_HELD, ChildFacts, coverage, load, load_one
from .models import DriftFlag, LocalClosureDay, Obligation, RecomputeRun, RuleChange, TimescaleRule

BATCH = 5000
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


def sources_begin() -> tuple[bool, dt.date | None]:
    """Whether any return was imported, and the first day of the earliest collection year
    imported (1 April of the year before the one the collection ends in)."""
    from returns.models import ImportRun, Status

    span = ImportRun.objects.filter(status=Status.COMMITTED).aggregate(n=Count("pk"), year=Min("collection_year"))
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
    "status", "team_id", "worker_id", "computed_on",
)  # fmt: skip
DRIFT_COLUMNS = ("child_id", "kind", "since", "detail", "team_id", "worker_id", "computed_on")


def evaluate(facts: ChildFacts, ctx: rules.Context) -> tuple[list[tuple], list[tuple]]:
    """One child's obligations and drift flags, as rows in OBLIGATION_COLUMNS and DRIFT_COLUMNS order."""
    owner = (facts.team_id, facts.worker_id, ctx.today)
    obligations = [
        (facts.child_id, ctx.rules[c.rule].pk, c.start, c.due, c.due_at, c.completed, str(c.status), *owner)
        for c in rules.evaluate(facts, ctx)
    ]
    flags = [(facts.child_id, str(d.kind), d.since, d.detail, *owner) for d in drift.evaluate(facts, ctx.today)]
    return obligations, flags


def recompute_all(today: dt.date, progress: Callable[[Iterable[Any]], Iterable[Any]] = iter) -> dict[str, int]:
    """Every case at once: each table read once, results written in one transaction."""
    held = coverage()
    ctx = context(today, held)
    facts = load(children_to_compute(today))
    obligations: list[tuple] = []
    flags: list[tuple] = []
    for f in progress(facts.values()):
        o, d = evaluate(f, ctx)
        obligations += o
        flags += d
    with transaction.atomic():
        with indexes_rebuilt(Obligation):
            Obligation.objects.all().delete()
            insert_rows(Obligation, OBLIGATION_COLUMNS, obligations)
        DriftFlag.objects.all().delete()
        insert_rows(DriftFlag, DRIFT_COLUMNS, flags)
        settle_references()
        RecomputeRun.objects.create(
            as_of=today,
            children=len(facts),
            obligations=len(obligations),
            coverage={code: [_iso(first), _iso(last)] for code, (first, last) in held.items()},
        )
    return {"children": len(facts), "obligations": len(obligations), "drift_flags": len(flags)}


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


def settle_references(child_id: int | None = None) -> None:
    """What the foreign-key checks the database no longer makes on Obligation's rule, team
    and worker (models.Obligation) did, set-based, inside the writing transaction: lock
    the rows they point to (on PostgreSQL, FOR KEY SHARE, as the checks would: none can be
    deleted until this commits), then apply on_delete to any that went after the rows were
    computed: a deleted rule's obligations go (CASCADE), a deleted team or worker becomes
    none (SET_NULL). One statement each, against some 170,000 checks one by one. With
    child_id, that child's rows only (recompute_child)."""
    ops = connection.ops
    table = ops.quote_name(Obligation._meta.db_table)
    scope = "" if child_id is None else f" AND {table}.child_id = %s"
    params = [] if child_id is None else [child_id]
    with connection.cursor() as cursor:
        for field in ("rule", "team", "worker"):
            target = ops.quote_name(Obligation._meta.get_field(field).related_model._meta.db_table)  # type: ignore[union-attr]
            column = ops.quote_name(f"{field}_id")
            if connection.vendor == "postgresql":  # SQLite's writer holds the whole database already
                cursor.execute(f"SELECT 1 FROM {target} FOR KEY SHARE")
            gone = f"{column} IS NOT NULL AND NOT EXISTS (SELECT 1 FROM {target} t WHERE t.id = {table}.{column})"
            if field == "rule":
                cursor.execute(f"DELETE FROM {table} WHERE {gone}{scope}", params)
            else:
                cursor.execute(f"UPDATE {table} SET {column} = NULL WHERE {gone}{scope}", params)


def insert_rows(model: type[models.Model], columns: Sequence[str], rows: list[tuple]) -> None:
    """Insert many new rows given as tuples in `columns` order. On PostgreSQL through
    COPY, which skips the per-statement parsing and parameter binding of INSERT (150,000
    obligations: 6-7.7 s with bulk_create, about 1.5 s, most of it the deferred
    foreign-key checks at commit); elsewhere one executemany per batch."""
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
    insert = f"INSERT INTO {table} ({names}) VALUES ({', '.join(['%s'] * len(fields))})"
    with connection.cursor() as cursor:
        for start in range(0, len(prepared), BATCH):
            cursor.executemany(insert, prepared[start : start + BATCH])


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


@transaction.atomic
def recompute_child(child_id: int, today: dt.date) -> None:
    obligations, flags = evaluate(load_one(child_id), context(today))
    Obligation.objects.filter(child_id=child_id).delete()
    DriftFlag.objects.filter(child_id=child_id).delete()
    insert_rows(Obligation, OBLIGATION_COLUMNS, obligations)
    insert_rows(DriftFlag, DRIFT_COLUMNS, flags)
    settle_references(child_id)
    RecomputeRun.objects.create(as_of=today, children=1, obligations=len(obligations))


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
    return made
