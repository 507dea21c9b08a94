"""Recomputing timescales and drift, for every case or one child, and changing rules."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import Any

from django.db import connection, models, transaction
from django.db.models import Exists, OuterRef, Q, QuerySet

from children import models as m

from . import drift, rules
from .calendar import WorkingCalendar
from .facts import ChildFacts, load, load_one
from .models import DriftFlag, LocalClosureDay, Obligation, RecomputeRun, RuleChange, TimescaleRule

BATCH = 5000
RECENT_CLOSURE_DAYS = 366  # closed cases stay in the timeliness figures for a year


def context(today: dt.date) -> rules.Context:
    calendar = WorkingCalendar(closures=frozenset(LocalClosureDay.objects.values_list("day", flat=True)))
    return rules.Context(ensure_rules(), calendar, today)


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
    """Open cases, and cases closed in the last year (their timeliness still counts)."""
    since = today - dt.timedelta(days=RECENT_CLOSURE_DAYS)
    referral = m.Referral.objects.filter(
        Q(closure_date__isnull=True) | Q(closure_date__gte=since), child=OuterRef("pk")
    )
    episode = m.LookedAfterEpisode.objects.filter(
        Q(end_date__isnull=True) | Q(end_date__gte=since), child=OuterRef("pk")
    )
    return m.Child.objects.filter(Exists(referral) | Exists(episode))


def evaluate(facts: ChildFacts, ctx: rules.Context) -> tuple[list[Obligation], list[DriftFlag]]:
    today = ctx.today
    obligations = [
        Obligation(
            child_id=facts.child_id,
            rule=ctx.rules[c.rule],
            clock_start=c.start,
            due_date=c.due,
            due_at=c.due_at,
            completed_on=c.completed,
            status=c.status,
            team_id=facts.team_id,
            worker_id=facts.worker_id,
            computed_on=today,
        )
        for c in rules.evaluate(facts, ctx)
    ]
    flags = [
        DriftFlag(
            child_id=facts.child_id,
            kind=d.kind,
            since=d.since,
            detail=d.detail,
            team_id=facts.team_id,
            worker_id=facts.worker_id,
            computed_on=today,
        )
        for d in drift.evaluate(facts, today)
    ]
    return obligations, flags


def recompute_all(today: dt.date, progress: Callable[[Iterable[Any]], Iterable[Any]] = iter) -> dict[str, int]:
    """Every case at once: each table read once, results written in one transaction."""
    ctx = context(today)
    facts = load(children_to_compute(today))
    obligations: list[Obligation] = []
    flags: list[DriftFlag] = []
    for f in progress(facts.values()):
        o, d = evaluate(f, ctx)
        obligations += o
        flags += d
    with transaction.atomic():
        Obligation.objects.all().delete()
        DriftFlag.objects.all().delete()
        bulk_insert(Obligation, obligations)
        bulk_insert(DriftFlag, flags)
        RecomputeRun.objects.create(as_of=today, children=len(facts), obligations=len(obligations))
    return {"children": len(facts), "obligations": len(obligations), "drift_flags": len(flags)}


PLAIN_TYPES = {
    "ForeignKey",
    "AutoField",
    "BigAutoField",
    "IntegerField",
    "PositiveIntegerField",
    "PositiveSmallIntegerField",
    "SmallIntegerField",
    "BigIntegerField",
    "CharField",
    "TextField",
    "SlugField",
    "DateField",
    "BooleanField",
}


def bulk_insert(model: type[models.Model], rows: list) -> None:
    """Insert many new rows. On PostgreSQL through COPY, which skips the per-statement
    parsing and parameter binding of INSERT (writing 150,000 obligations fell from
    6-7.7 s to about 3 s on the large council, most of what is left being the deferred
    foreign-key checks at commit); elsewhere bulk_create. Primary keys are not read back."""
    if connection.vendor != "postgresql":
        model._default_manager.bulk_create(rows, batch_size=BATCH)
        return
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    columns = ", ".join(connection.ops.quote_name(f.column or f.name) for f in fields)
    table = connection.ops.quote_name(model._meta.db_table)
    # Plain values (ids, dates, text) go to psycopg as they are; Django's per-value
    # preparation costs more than the COPY itself, so only other types get it.
    plain = [f.get_internal_type() in PLAIN_TYPES for f in fields]
    with connection.cursor() as cursor:
        with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
            for row in rows:
                values = [getattr(row, f.attname) for f in fields]
                copy.write_row(
                    [
                        v if is_plain else f.get_db_prep_save(v, connection)
                        for f, v, is_plain in zip(fields, values, plain, strict=True)
                    ]
                )


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
    Obligation.objects.bulk_create(obligations)
    DriftFlag.objects.bulk_create(flags)
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
