"""Loading what the rules need, for many children at once.

Which children to compute is decided once: their ids go into a temporary table
(one query runs the open-case logic), and each table is then read once with one
query that joins to it (no parameter lists, and no repeating of the open-case
subquery in every query), then grouped by child in memory. load_one() is the same
for a single child: the one-by-one way the benchmark compares against."""

from __future__ import annotations

import contextlib
import datetime as dt
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, transaction
from django.db.models import Q, QuerySet
from django.db.models.expressions import RawSQL

from children import models as m


@dataclass
class ChildFacts:
    child_id: int
    birth_date: dt.date | None = None
    team_id: int | None = None
    worker_id: int | None = None
    referrals: list[Any] = field(default_factory=list)
    assessments: list[Any] = field(default_factory=list)
    section47s: list[Any] = field(default_factory=list)
    cp_plans: list[Any] = field(default_factory=list)
    cp_reviews: list[Any] = field(default_factory=list)
    core_groups: list[Any] = field(default_factory=list)
    cin_plans: list[Any] = field(default_factory=list)
    strategies: list[Any] = field(default_factory=list)
    visits: list[Any] = field(default_factory=list)
    episodes: list[Any] = field(default_factory=list)
    cla_reviews: list[dt.date] = field(default_factory=list)
    health_assessments: list[dt.date] = field(default_factory=list)
    peps: list[dt.date] = field(default_factory=list)
    missing: list[Any] = field(default_factory=list)
    pathway_plans: list[dt.date] = field(default_factory=list)
    proceedings: list[Any] = field(default_factory=list)
    extensions: list[Any] = field(default_factory=list)
    permanence_plans: list[Any] = field(default_factory=list)
    involvements: list[Any] = field(default_factory=list)
    supervisions: list[dt.date] = field(default_factory=list)


# (attribute, queryset, fields, child path) for each table the rules read.
def _tables() -> list[tuple[str, QuerySet[Any], tuple[str, ...], str]]:
    return [
        (
            "referrals",
            m.Referral.objects.all(),
            ("id", "referral_date", "decision_date", "nfa", "closure_date", "placeholder"),
            "child_id",
        ),
        (
            "assessments",
            m.Assessment.objects.all(),
            ("id", "referral_id", "start_date", "authorisation_date"),
            "referral__child_id",
        ),
        (
            "section47s",
            m.Section47Enquiry.objects.all(),
            ("id", "referral_id", "start_date", "icpc_date", "icpc_not_required"),
            "referral__child_id",
        ),
        (
            "cp_plans",
            m.ChildProtectionPlan.objects.all(),
            ("id", "referral_id", "start_date", "end_date", "number_of_previous_plans"),
            "child_id",
        ),
        (
            "cp_reviews",
            m.ChildProtectionConference.objects.filter(kind="review"),
            ("plan_id", "conference_date"),
            "child_id",
        ),
        ("core_groups", m.CoreGroupMeeting.objects.all(), ("plan_id", "meeting_date"), "plan__child_id"),
        (
            "cin_plans",
            m.ChildInNeedPlan.objects.all(),
            ("id", "referral_id", "start_date", "end_date", "last_review_date"),
            "referral__child_id",
        ),
        (
            "strategies",
            m.StrategyDiscussion.objects.all(),
            ("referral_id", "discussion_date"),
            "referral__child_id",
        ),
        ("visits", m.Visit.objects.filter(seen=True), ("kind", "visit_date"), "child_id"),
        (
            "episodes",
            m.LookedAfterEpisode.objects.all(),
            (
                "start_date",
                "end_date",
                "reason_new_episode",
                "long_term",
                "reason_ceased",
                "legal_status",
                "placement_type",
                "placement_regulation",
            ),  # fmt: skip
            "child_id",
        ),
        ("cla_reviews", m.LookedAfterReview.objects.all(), ("review_date",), "child_id"),
        ("health_assessments", m.HealthAssessment.objects.all(), ("assessment_date",), "child_id"),
        ("peps", m.PersonalEducationPlan.objects.all(), ("pep_date",), "child_id"),
        (
            "missing",
            m.MissingEpisode.objects.all(),
            ("started_at", "returned_at", "rhi_offered_at", "rhi_offered", "rhi_accepted", "rhi_completed_at"),
            "child_id",
        ),
        ("pathway_plans", m.PathwayPlan.objects.all(), ("plan_date",), "child_id"),
        (
            "proceedings",
            m.CareProceedings.objects.exclude(issued_date=None),
            ("id", "issued_date", "concluded_date"),
            "child_id",
        ),
        (
            "extensions",
            m.CareProceedingsExtension.objects.all(),
            ("proceedings_id", "granted_on", "weeks"),
            "proceedings__child_id",
        ),
        (
            "permanence_plans",
            m.PermanencePlan.objects.all(),
            ("decided_date", "contingency", "achieved_date"),
            "child_id",
        ),
        ("involvements", m.Involvement.objects.all(), ("start_date", "end_date", "worker_id"), "child_id"),
        ("supervisions", m.CaseSupervision.objects.all(), ("supervision_date",), "child_id"),
    ]


def child_paths() -> dict[type[Any], str]:
    """Each register model the rules read (the child's own row too), with its way to the child's id: what an
    import that wrote rows of it touched (returns.provenance.children_touched)."""
    paths: dict[type[Any], str] = {m.Child: "pk"}
    for _attr, qs, _fields, path in _tables():
        paths[qs.model] = path
    return paths


SINGLE_COLUMN = {"cla_reviews", "health_assessments", "peps", "pathway_plans", "supervisions"}


def _row_type(name: str, fields: tuple[str, ...]) -> Any:
    from collections import namedtuple

    return namedtuple(name, fields)  # type: ignore[misc]


# The temporary table holding the ids of the children being computed (one connection's own).
CHOSEN = "timescales_chosen"


@contextlib.contextmanager
def chosen(children: QuerySet[m.Child]) -> Iterator[RawSQL]:
    """Run `children`'s query once, into a temporary table of their ids, and give the
    subquery that reads it back. Inside a transaction (a savepoint when the caller has
    one): an error undoes the table with everything else. On PostgreSQL the planner's JIT
    is off for the transaction: the open-case query's cost estimate (an OR of EXISTS over
    every child) is far above PostgreSQL's JIT thresholds, and compiling it took 1.5 s
    of a query that runs in 0.05 s without (decision 0034)."""
    ops = connection.ops
    table = ops.quote_name(CHOSEN)
    sql, params = children.order_by().values("pk").query.sql_with_params()
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL jit = off")
            cursor.execute(f"DROP TABLE IF EXISTS pg_temp.{table}")
        else:
            cursor.execute(f"DROP TABLE IF EXISTS temp.{table}")
        cursor.execute(f"CREATE TEMPORARY TABLE {table} (id bigint PRIMARY KEY)")
        cursor.execute(f"INSERT INTO {table} (id) {sql}", params)
        if connection.vendor == "postgresql":
            cursor.execute(f"ANALYZE {table}")  # no autovacuum for temporary tables: give the planner its size
        yield RawSQL(f"SELECT id FROM {table}", ())
        cursor.execute(f"DROP TABLE {table}")


def load(children: QuerySet[m.Child]) -> dict[int, ChildFacts]:
    facts: dict[int, ChildFacts] = {}
    with chosen(children) as ids:
        ordered = m.Child.objects.filter(pk__in=ids).order_by("last_name", "first_name", "pk")  # Child's own, then key
        for pk, birth, team, worker in ordered.values_list("pk", "birth_date", "team_id", "worker_id"):
            facts[pk] = ChildFacts(pk, birth, team, worker)
        for attr, qs, fields, child_path in _tables():
            rows = qs.filter(**{f"{child_path}__in": ids}).order_by(*_order(fields)).values_list(child_path, *fields)
            _group(facts, attr, fields, rows)
    return facts


def load_one(child_id: int) -> ChildFacts:
    """The same facts for one child, a query per table."""
    pk, birth, team, worker = m.Child.objects.values_list("pk", "birth_date", "team_id", "worker_id").get(pk=child_id)
    facts = {pk: ChildFacts(pk, birth, team, worker)}
    for attr, qs, fields, child_path in _tables():
        rows = qs.filter(Q(**{child_path: pk})).order_by(*_order(fields)).values_list(child_path, *fields)
        _group(facts, attr, fields, rows)
    return facts[pk]


def _order(fields: tuple[str, ...]) -> list[str]:
    """By the first date, then by key: rows on one day come in the same order every time,
    whatever plan the database chose."""
    dated = [f for f in fields if f.endswith(("_date", "_at"))]
    return [dated[0], "pk"] if dated else ["pk"]


def _group(facts: dict[int, ChildFacts], attr: str, fields: tuple[str, ...], rows: Any) -> None:
    bucket: dict[int, list[Any]] = defaultdict(list)
    if attr in SINGLE_COLUMN:
        for child_id, value in rows:
            bucket[child_id].append(value)
    else:
        Row = _row_type(attr.title().replace("_", ""), fields)
        for child_id, *values in rows:
            bucket[child_id].append(Row(*values))
    for child_id, items in bucket.items():
        if child_id in facts:
            setattr(facts[child_id], attr, items)


# What stops each rule's clock, as the register holds it: (table, date column). Which rules
# share one stop event is listed once per event, so coverage() reads each table once.
def _stop_events() -> list[tuple[tuple[str, ...], QuerySet[Any], str]]:
    cla_visits = m.Visit.objects.filter(kind="cla", seen=True)
    return [
        (("referral_decision",), m.Referral.objects.filter(placeholder=False), "decision_date"),
        (("assessment",), m.Assessment.objects.all(), "authorisation_date"),
        (("icpc",), m.Section47Enquiry.objects.all(), "icpc_date"),
        (("core_group_first",), m.CoreGroupMeeting.objects.all(), "meeting_date"),
        (
            ("cp_review_first", "cp_review_later"),
            m.ChildProtectionConference.objects.filter(kind="review"),
            "conference_date",
        ),
        (("cp_visit",), m.Visit.objects.filter(kind="cp", seen=True), "visit_date"),
        (("cin_plan_review",), m.ChildInNeedPlan.objects.all(), "last_review_date"),
        (
            (
                "cla_review_first",
                "cla_review_second",
                "cla_review_later",
                "short_break_review_first",
                "short_break_review_later",
            ),
            m.LookedAfterReview.objects.all(),
            "review_date",
        ),  # fmt: skip
        (
            (
                "cla_visit_first",
                "cla_visit",
                "cla_visit_long_term",
                "cla_visit_weekly",
                "cla_visit_4_weeks",
                "short_break_visit_first",
                "short_break_visit",
            ),
            cla_visits,
            "visit_date",
        ),  # fmt: skip
        (("iha", "rha_under_5", "rha"), m.HealthAssessment.objects.all(), "assessment_date"),
        (("pep_initial", "pep_review"), m.PersonalEducationPlan.objects.all(), "pep_date"),
        (("rhi",), m.MissingEpisode.objects.all(), "rhi_completed_at"),
        (("rhi_offered",), m.MissingEpisode.objects.all(), "rhi_offered_at"),
        (("pathway_plan_review",), m.PathwayPlan.objects.all(), "plan_date"),
        (("proceedings",), m.CareProceedings.objects.all(), "concluded_date"),
        (("supervision",), m.CaseSupervision.objects.all(), "supervision_date"),
    ]


# Rules whose stop event no return and no register table carries (the dates of the care plan
# and placement plan: decision 0022). Their clocks are always "not recorded in the source".
NEVER_HELD = ("care_plan", "placement_plan")


def coverage() -> dict[str, tuple[dt.date | None, dt.date | None]]:
    """For each rule, the first and last day on which the register holds its stop event
    (None, None: never). One aggregate query per table, over the whole council."""
    from django.db.models import Max, Min

    held: dict[str, tuple[dt.date | None, dt.date | None]] = dict.fromkeys(NEVER_HELD, (None, None))
    for codes, qs, column in _stop_events():
        span = qs.aggregate(first=Min(column), last=Max(column))
        first, last = (_day(span["first"]), _day(span["last"]))
        held.update(dict.fromkeys(codes, (first, last)))
    return held


def _day(value: Any) -> dt.date | None:
    """A date, or the local date of a time (return home interviews are held at a time)."""
    if isinstance(value, dt.datetime):
        from django.utils import timezone

        return timezone.localtime(value).date()
    return value


def stop_tables() -> list[tuple[tuple[str, ...], str]]:
    """(rule codes, name of the register model holding their stop event), for the pages."""
    return [(codes, qs.model.__name__) for codes, qs, _ in _stop_events()]
