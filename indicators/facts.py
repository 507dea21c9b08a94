"""The register, read once for the indicator engine.

Each table an indicator needs is read with one `values_list` query (set-based:
the cost does not grow with the number of months, teams or indicators), held as
plain tuples, and every indicator is then computed from these tuples in Python.
Because the database only filters and returns columns, SQLite and PostgreSQL
give the same results."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from django.db import connections
from django.db.models import Q

from children import models as m
from exploitation.models import CohortEntry
from organisation.models import Team


class ChildRow(NamedTuple):
    id: int
    birth_date: dt.date | None
    expected_birth_date: dt.date | None
    sex: str
    ethnicity: str
    sen: bool
    team_id: int | None
    worker_id: int | None
    has_disability: bool | None


class _Span(NamedTuple):
    child_id: int
    start_date: dt.date
    end_date: dt.date | None
    team_id: int | None
    worker_id: int | None


class Holder(NamedTuple):
    start: dt.date
    end: dt.date | None
    team_id: int | None
    worker_id: int | None


# Each table: the query and the columns kept (as a NamedTuple of the same names).
TABLES: dict[str, tuple[Any, tuple[str, ...]]] = {
    "contacts": (m.Contact.objects, ("child_id", "contact_date")),
    # A referral the Annex A import made up to hold an event (Referral.placeholder) is not a
    # referral: it is not read, so no referral indicator counts it; what hangs from it is read.
    "referrals": (
        m.Referral.objects.filter(placeholder=False),
        ("id", "child_id", "referral_date", "cse_concern", "team_id", "worker_id"),
    ),
    "assessments": (
        m.Assessment.objects,
        (
            "id",
            "referral_id",
            "referral__child_id",
            "referral__referral_date",
            "referral__placeholder",
            "start_date",
            "authorisation_date",
        ),
    ),
    "section47s": (m.Section47Enquiry.objects, ("id", "referral__child_id", "start_date", "icpc_date")),
    "cp_plans": (
        m.ChildProtectionPlan.objects,
        ("id", "child_id", "start_date", "end_date", "initial_category", "categories", "number_of_previous_plans"),
    ),
    "cin_plans": (m.ChildInNeedPlan.objects, ("id", "referral__child_id", "start_date", "end_date")),
    "episodes": (
        m.LookedAfterEpisode.objects,
        ("id", "child_id", "start_date", "end_date", "reason_new_episode", "legal_status", "placement_type"),
    ),
    "missing": (m.MissingEpisode.objects, ("id", "child_id", "kind", "started_at", "returned_at")),
    "proceedings": (m.CareProceedings.objects, ("id", "child_id", "issued_date")),
    "mase": (CohortEntry.objects, ("id", "child_id", "identified_date", "concerns", "referred_to_mase")),
    "care_leavers": (
        m.CareLeaverContact.objects,
        ("id", "child_id", "contact_date", "year_ending", "in_touch", "activity", "accommodation"),
    ),
    "adoption": (
        m.AdoptionMilestone.objects,
        (
            "child_id",
            "entered_care_date",
            "placement_order_date",
            "match_date",
            "foster_carer_adoption",
            "adoption_order_date",
        ),
    ),
    "placed_for_adoption": (m.PlacedForAdoption.objects, ("child_id", "date_placed")),
}

_TYPES: dict[str, Any] = {
    name: NamedTuple(name.title().replace("_", ""), [(c.split("__")[-1], Any) for c in cols])  # type: ignore[misc]
    for name, (_, cols) in TABLES.items()
}


@dataclass
class Facts:
    children: dict[int, ChildRow]
    disabled: set[int]
    holders: dict[int, list[Holder]]
    service_of_team: dict[int, int]
    tables: dict[str, list[Any]]
    cache: dict[Any, Any] = field(default_factory=dict)
    held: dict[tuple[int, dt.date], tuple[int | None, int | None]] = field(default_factory=dict)

    def __getattr__(self, name: str) -> list[Any]:
        try:
            return self.__dict__["tables"][name]
        except KeyError:
            raise AttributeError(name) from None

    def holder_at(self, child_id: int, day: dt.date) -> tuple[int | None, int | None]:
        """(team, worker) holding the child's case on day: the Involvement that
        covers day (the latest started, if two overlap); else the child's current
        team and worker (Child.team / worker) when no involvement covers it."""
        hit = self.held.get((child_id, day))
        if hit is not None:
            return hit
        found: tuple[int | None, int | None] | None = None
        for h in reversed(self.holders.get(child_id, ())):  # few per child, sorted by start
            if h.start <= day and (h.end is None or h.end >= day):
                found = (h.team_id, h.worker_id)
                break
        if found is None:
            c = self.children.get(child_id)
            found = (c.team_id, c.worker_id) if c else (None, None)
        self.held[(child_id, day)] = found
        return found


# Tables whose rows only ever count on their own date: with `since`, older rows are not read.
WINDOWED = {"contacts": "contact_date", "missing": "started_at"}


def load(tables: Iterable[str] | None = None, child_filter: Q | None = None, since: dt.date | None = None) -> Facts:
    """Read the register. `tables` limits which event tables are read;
    `child_filter` (a Q on Child) limits whose events (used by the naive
    benchmark and by tests); `since` skips contacts, missing episodes and
    involvements that ended before that day (for computing periods from that day on)."""
    names = list(TABLES) if tables is None else list(tables)
    children_qs = m.Child.objects.all()
    if child_filter is not None:
        children_qs = children_qs.filter(child_filter)
    children = {c.id: c for c in _fetch(children_qs, ChildRow._fields, ChildRow)}
    restrict = child_filter is not None
    ids = children_qs.values("id")
    disabled = {c.id for c in children.values() if c.has_disability}
    dq = m.Disability.objects.exclude(code="NONE")
    if restrict:
        dq = dq.filter(child_id__in=ids)
    disabled |= set(dq.values_list("child_id", flat=True))
    holders: dict[int, list[Holder]] = defaultdict(list)
    iq = m.Involvement.objects.all()
    if restrict:
        iq = iq.filter(child_id__in=ids)
    if since is not None:
        iq = iq.filter(Q(end_date__isnull=True) | Q(end_date__gte=since))
    spans = _fetch(iq, ("child_id", "start_date", "end_date", "team_id", "worker_id"), _Span)
    spans.sort(key=lambda h: (h.child_id, h.start_date))
    for h in spans:
        holders[h.child_id].append(Holder(h.start_date, h.end_date, h.team_id, h.worker_id))
    loaded: dict[str, list[Any]] = {}
    for name in names:
        manager, cols = TABLES[name]
        qs = manager.all()
        if restrict:
            key = "referral__child_id" if "referral__child_id" in cols else "child_id"
            qs = qs.filter(**{f"{key}__in": ids})
        if since is not None and name in WINDOWED:
            start = dt.datetime.combine(since, dt.time(), dt.UTC) - dt.timedelta(days=1)
            qs = qs.filter(**{f"{WINDOWED[name]}__gte": since if name == "contacts" else start})
        loaded[name] = _fetch(qs, cols, _TYPES[name])
    return Facts(
        children=children,
        disabled=disabled,
        holders=dict(holders),
        service_of_team=dict(Team.objects.values_list("id", "service_id")),
        tables=loaded,
    )


def _field(model: Any, path: str) -> Any:
    parts = path.split("__")
    for part in parts[:-1]:
        model = model._meta.get_field(part).related_model
    return model._meta.get_field(parts[-1])


def _converter(field: Any) -> Any:
    """Plain Python values on both databases. Dates arrive as text from SQLite
    (date.fromisoformat is many times faster than Django's converters); times
    are aware (UTC) on both, and library.local_day() gives their Europe/London day."""
    kind = field.get_internal_type()
    if kind == "DateField":
        return lambda v: dt.date.fromisoformat(v) if isinstance(v, str) else v
    if kind == "DateTimeField":

        def aware(v: Any) -> Any:
            if isinstance(v, str):
                v = dt.datetime.fromisoformat(v)
            if v is not None and v.tzinfo is None:
                v = v.replace(tzinfo=dt.UTC)  # SQLite holds UTC without an offset
            return v

        return aware
    if kind == "BooleanField":
        return lambda v: v if v is None else bool(v)
    return None


def _fetch(qs: Any, cols: tuple[str, ...], typ: Any) -> list[Any]:
    """values_list's rows through one cursor, converted once per column. In primary-key
    order: ties (two involvements starting on one day, two episodes in one period) must
    be broken the same way on every database, or SQLite and PostgreSQL disagree."""
    query = qs.values_list(*cols).order_by("pk")
    sql, params = query.query.sql_with_params()
    converters = [_converter(_field(qs.model, c)) for c in cols]
    with connections[query.db].cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    if any(converters):
        pairs = list(enumerate(converters))
        return [typ(*[conv(v) if conv else v for (_, conv), v in zip(pairs, r, strict=True)]) for r in rows]
    return [typ(*r) for r in rows]
