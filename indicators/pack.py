"""What the board pack reads beyond the indicators (decision 0038): timescales and drift, improvement plans, audits
and the exploitation tracker, each through its own app's selectors and within the requesting user's scope. Counts
only: the pack names no child."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q

from .periods import Period


@dataclass
class Section:
    title: str
    lines: list[str]  # sentences, printed first
    table: list[list[str]] = field(default_factory=list)  # a header row, then rows; empty for none


def sections(user: Any, quarter: Period, upto: dt.date) -> list[Section]:
    """The pack's sections after the indicators, in the order a board reads them."""
    return [
        timescales_section(user),
        plans_section(user),
        audits_section(user, quarter, upto),
        exploitation_section(user, quarter, upto),
    ]


def _percent(part: int, whole: int) -> str:
    return f"{round(100 * part / whole)}%" if whole else "–"


def timescales_section(user: Any) -> Section:
    """Statutory timescales by rule (overdue, due soon, % completed in timescale over the last year) and drift by
    kind, as stored by the last recompute (the line-of-sight page's figures)."""
    from timescales.models import DriftKind, Status
    from timescales.selectors import drift_in_scope, obligations_in_scope, timeliness_window
    from timescales.views import computed_on

    day = computed_on()
    if day is None:
        return Section("Timescales and drift", ["Timescales have not been computed yet."])
    window = timeliness_window(day)
    by_rule = (
        obligations_in_scope(user)
        .values("rule__name")
        .annotate(
            overdue=Count("pk", filter=Q(status=Status.OVERDUE)),
            due_soon=Count("pk", filter=Q(status=Status.DUE_SOON)),
            in_time=Count("pk", filter=window & Q(status=Status.IN_TIME)),
            late=Count("pk", filter=window & Q(status=Status.LATE)),
        )
        .order_by("rule__name")
    )
    table = [["Timescale", "Overdue", "Due soon", "Completed (last 12 months)", "In timescale"]]
    totals = [0, 0, 0, 0]
    for r in by_rule:
        done = r["in_time"] + r["late"]
        if not (r["overdue"] or r["due_soon"] or done):
            continue
        table.append(
            [r["rule__name"], f"{r['overdue']:,}", f"{r['due_soon']:,}", f"{done:,}", _percent(r["in_time"], done)]
        )
        totals = [totals[0] + r["overdue"], totals[1] + r["due_soon"], totals[2] + done, totals[3] + r["in_time"]]
    table.append(
        ["All timescales", f"{totals[0]:,}", f"{totals[1]:,}", f"{totals[2]:,}", _percent(totals[3], totals[2])]
    )
    drift = dict(drift_in_scope(user).values("kind").annotate(n=Count("child", distinct=True)).values_list("kind", "n"))
    children = drift_in_scope(user).values("child").distinct().count()
    kinds = "; ".join(f"{label.lower()}: {drift[k]:,}" for k, label in DriftKind.choices if drift.get(k))
    lines = [
        f"Computed on {day:%-d %B %Y}. {totals[0]:,} overdue and {totals[1]:,} due soon; "
        f"{_percent(totals[3], totals[2])} of the {totals[2]:,} completed in the last 12 months were in timescale.",
        f"{children:,} child{'ren' if children != 1 else ''} drifting" + (f" ({kinds})." if kinds else "."),
    ]
    return Section("Timescales and drift", lines, table if len(table) > 2 else [])


def plans_section(user: Any) -> Section:
    """Each open improvement plan's actions by RAG, and how many are overdue."""
    from plans.selectors import plans_for, summary

    table = [["Plan", "Red", "Amber", "Green", "Complete", "Not rated", "Overdue"]]
    for plan in plans_for(user).filter(closed=False).order_by("title"):
        s = summary(plan)
        t = s.totals
        table.append(
            [plan.title, *(f"{t[k]:,}" for k in ("red", "amber", "green", "blue", "none")), f"{len(s.overdue):,}"]
        )
    if len(table) == 1:
        return Section("Improvement plans", ["No open improvement plan."])
    return Section("Improvement plans", ["Actions of each open plan by their current rating."], table)


def audits_section(user: Any, quarter: Period, upto: dt.date) -> Section:
    """Audit rounds due in the twelve months to the pack's date: how many audits are completed and their agreed
    grades (after moderation), best first."""
    from audits.selectors import distribution, rounds_for, visible_cases

    since = upto - dt.timedelta(days=365)
    rounds = rounds_for(user).filter(due_date__gte=since, due_date__lte=quarter.end).order_by("-due_date", "pk")
    table = [["Round", "Due", "Completed", "Agreed grades"]]
    for r in rounds.select_related("tool__scale")[:12]:
        grades = list(r.tool.scale.grades.all())
        rows = distribution(visible_cases(user).filter(round=r), grades)
        if not rows:
            continue
        d = rows[0]
        graded = ", ".join(f"{g.label} {n:,}" for g, n in zip(grades, d.counts, strict=True) if n)
        table.append([r.title, f"{r.due_date:%-d %b %Y}", f"{d.completed:,} of {d.total:,}", graded or "–"])
    if len(table) == 1:
        return Section("Audits", ["No audit round was due in the last 12 months."])
    return Section("Audits", ["Audit rounds due in the last 12 months, the latest first."], table)


def exploitation_section(user: Any, quarter: Period, upto: dt.date) -> Section:
    """The exploitation cohort by risk rating, missing episodes started in the quarter, MASE meetings held in it and
    MASE actions overdue."""
    from children.models import MissingEpisode
    from exploitation import entitlements as ent
    from exploitation.selectors import cohort_counts, meetings_for, overdue_actions, tracker_children

    seen = ent.sections_for(user)
    if ent.COHORT not in seen:
        return Section("Exploitation tracker", ["Your account does not see the exploitation tracker."])
    rag = cohort_counts(user)
    lines = [
        f"{sum(rag.values()):,} children in the cohort: {rag['red']:,} red, {rag['amber']:,} amber, "
        f"{rag['green']:,} green."
    ]
    if ent.MISSING in seen:
        missing = MissingEpisode.objects.filter(
            child__in=tracker_children(user), started_at__date__gte=quarter.start, started_at__date__lte=upto
        )
        episodes = missing.aggregate(n=Count("pk"), children=Count("child", distinct=True))
        lines.append(
            f"{episodes['n']:,} missing episode{'s' if episodes['n'] != 1 else ''} of "
            f"{episodes['children']:,} child{'ren' if episodes['children'] != 1 else ''} "
            f"from {quarter.start:%-d %B} to {upto:%-d %B %Y}."
        )
    if ent.MEETINGS in seen:
        held = meetings_for(user).filter(held_on__gte=quarter.start, held_on__lte=upto).count()
        overdue = overdue_actions(user, upto).count()
        lines.append(
            f"{held:,} MASE meeting{'s' if held != 1 else ''} held in the quarter; "
            f"{overdue:,} MASE action{'s' if overdue != 1 else ''} overdue at {upto:%-d %B %Y}."
        )
    return Section("Exploitation tracker", lines)
