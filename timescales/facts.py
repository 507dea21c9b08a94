"""Loading what the rules need, for many children at once.

Each table is read once with one query (filtered by a subquery of the
children being computed, so no parameter lists), then grouped by child in
memory. load_one() is the same for a single child: the one-by-one way the
benchmark compares against."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet

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
    visits: list[Any] = field(default_factory=list)
    episodes: list[Any] = field(default_factory=list)
    cla_reviews: list[dt.date] = field(default_factory=list)
    health_assessments: list[dt.date] = field(default_factory=list)
    peps: list[dt.date] = field(default_factory=list)
    missing: list[Any] = field(default_factory=list)
    pathway_plans: list[dt.date] = field(default_factory=list)
    proceedings: list[Any] = field(default_factory=list)
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
        ("visits", m.Visit.objects.filter(seen=True), ("kind", "visit_date"), "child_id"),
        (
            "episodes",
            m.LookedAfterEpisode.objects.all(),
            ("start_date", "end_date", "reason_new_episode", "long_term", "reason_ceased"),
            "child_id",
        ),
        ("cla_reviews", m.LookedAfterReview.objects.all(), ("review_date",), "child_id"),
        ("health_assessments", m.HealthAssessment.objects.all(), ("assessment_date",), "child_id"),
        ("peps", m.PersonalEducationPlan.objects.all(), ("pep_date",), "child_id"),
        ("missing", m.MissingEpisode.objects.all(), ("started_at", "returned_at", "rhi_offered_at"), "child_id"),
        ("pathway_plans", m.PathwayPlan.objects.all(), ("plan_date",), "child_id"),
        (
            "proceedings",
            m.CareProceedings.objects.exclude(issued_date=None),
            ("issued_date", "concluded_date"),
            "child_id",
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


SINGLE_COLUMN = {"cla_reviews", "health_assessments", "peps", "pathway_plans", "supervisions"}


def _row_type(name: str, fields: tuple[str, ...]) -> Any:
    from collections import namedtuple

    return namedtuple(name, fields)  # type: ignore[misc]


def load(children: QuerySet[m.Child]) -> dict[int, ChildFacts]:
    facts: dict[int, ChildFacts] = {}
    for pk, birth, team, worker in children.values_list("pk", "birth_date", "team_id", "worker_id"):
        facts[pk] = ChildFacts(pk, birth, team, worker)
    ids = children.values("pk")
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
    dated = [f for f in fields if f.endswith(("_date", "_at"))]
    return [dated[0]] if dated else []


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
