"""Bring a demonstration plan into the present.

The seeds are real councils' plans from 2013, 2017 and 2020. Loaded as they are,
every action is years overdue and "Not rated", which is not what a board manager
sees on a live plan. So after the import each demonstration plan is moved forward
by whole years until its last date is a few months ahead, the milestones already
past are marked done (one in five is left undone, so that some work is overdue),
and each action gets the RAG its lead would have given a quarter ago and now: the
system's proposal on each day, confirmed (where the seed's own RAG column rated an
action, that rating stands as today's). The plan's description says all this,
so nobody mistakes the dates for the source's."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.db import transaction
from django.utils import timezone

from audit.models import Action as AuditAction
from audit.services import record

from . import rag as rules
from . import selectors
from .models import Action, Evidence, Milestone, Plan, RagChange

AHEAD = dt.timedelta(days=60)  # the plan's last date lands at least this far after today
LAST_QUARTER = dt.timedelta(days=91)
UNDONE_EVERY = 5  # one past milestone in five is left undone


def add_years(day: dt.date | None, years: int) -> dt.date | None:
    if day is None or not years:
        return day
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February into a year that has none
        return day.replace(year=day.year + years, day=28)


def shift_text(text: str, years: int) -> str:
    """Move the years a date wording names ("March 2014", "2013-14", "2020/21")."""
    if not years:
        return text

    def move(m: re.Match[str]) -> str:  # one pass, so that "2013-14" is moved once
        start = int(m.group(1)) + years
        return f"{start}{m.group(2)}{(start + 1) % 100:02d}" if m.group(2) else str(start)

    return re.sub(r"\b(20\d\d)(?:([-/])\d\d)?\b", move, text)


def years_to_bring_forward(plan: Plan, today: dt.date) -> int:
    dates = [d for d in Action.objects.filter(plan=plan).values_list("end_date", flat=True) if d]
    dates += [d for d in Milestone.objects.filter(action__plan=plan).values_list("due_date", flat=True) if d]
    if plan.end_date:
        dates.append(plan.end_date)
    if not dates:  # a plan with no dates at all: make the year its title names this year
        named = [int(y) for y in re.findall(r"\b(20\d\d)\b", plan.title)]
        return max(0, today.year - max(named)) if named else 0
    latest, years = max(dates), 0
    while add_years(latest, years) < today + AHEAD:  # type: ignore[operator]
        years += 1
    return years


@transaction.atomic
def bring_forward(plan: Plan, seed: str, today: dt.date | None = None, user: Any = None) -> int:
    """Move the plan's dates forward, mark past milestones done and rate every action; returns the years moved."""
    today = today or timezone.localdate()
    plan.refresh_from_db()  # the loader sets some fields with update()
    years = years_to_bring_forward(plan, today)
    original = plan.title
    plan.title = shift_text(plan.title, years)
    plan.start_date, plan.end_date = add_years(plan.start_date, years), add_years(plan.end_date, years)
    plan.description = (
        f"Demonstration copy of seed {seed} ({original}). Its dates are moved forward {years} years so that it "
        "runs now; past milestones are marked done except one in five, and the RAG ratings are the system's "
        "proposals, confirmed a quarter ago and today."
    )
    plan.save(update_fields=["title", "start_date", "end_date", "description"])
    actions = list(Action.objects.filter(plan=plan).prefetch_related("milestones", "notes", "leads__user"))
    for action in actions:
        _move(action, years, today)
    for item in Evidence.objects.filter(action__plan=plan).exclude(dated=None):
        Evidence.objects.filter(pk=item.pk).update(dated=add_years(item.dated, years))
    for action in Action.objects.filter(plan=plan).prefetch_related("milestones", "notes", "leads__user"):
        _rate(action, today, user)
    record(
        AuditAction.CHANGE,
        obj=plan,
        user=user,
        detail=f"demonstration plan brought forward {years} years and rated ({len(actions)} actions)",
    )
    return years


def _move(action: Action, years: int, today: dt.date) -> None:
    all_done = True
    for m in action.milestones.all():
        m.due_date = add_years(m.due_date, years)
        m.due_text = shift_text(m.due_text, years)[:100]
        left_undone = (action.order + m.order) % UNDONE_EVERY == UNDONE_EVERY - 1
        if m.due_date and m.due_date < today and not left_undone:
            m.done_on = m.due_date
        all_done = all_done and (m.done_on is not None or not m.due_date or m.due_date >= today)
        m.save(update_fields=["due_date", "due_text", "done_on"])
    action.end_date = add_years(action.end_date, years)
    action.end_text = shift_text(action.end_text, years)[:200]
    if action.end_date and action.end_date < today and all_done:
        action.complete, action.completed_on = True, action.end_date
    action.save(update_fields=["end_date", "end_text", "complete", "completed_on"])


def _proposal_on(action: Action, day: dt.date) -> rules.Proposal:
    """The proposal the system would have made on that day, from what was done by then."""
    milestones = [
        rules.MilestoneDue(m.text, m.due_date, m.done_on is not None and m.done_on <= day)
        for m in action.milestones.all()
    ]
    return rules.propose(
        today=day,
        complete=action.complete and action.completed_on is not None and action.completed_on <= day,
        end_date=action.end_date,
        milestones=milestones,
        last_note=max((n.written_on for n in action.notes.all() if n.written_on <= day), default=None),
        thresholds=selectors.thresholds(),
    )


def _rate(action: Action, today: dt.date, user: Any) -> None:
    """A quarter ago and today, the lead confirmed the system's proposal; where the plan's own RAG
    column rated the action, that rating stands as today's (imported, with its row)."""
    lead = next((lead.user for lead in action.leads.all() if lead.user), None) or user
    imported = action.rag_changes.filter(kind=RagChange.Kind.IMPORTED).first()
    previous = ""
    for day in (today - LAST_QUARTER,) if imported else (today - LAST_QUARTER, today):
        proposal = _proposal_on(action, day)
        at = timezone.make_aware(dt.datetime.combine(day, dt.time(10, 0)))
        RagChange.objects.create(
            action=action,
            rag=proposal.rag,
            previous=previous,
            proposed=proposal.rag,
            proposal_reason=proposal.reason,
            kind=RagChange.Kind.CONFIRMED,
            reason=proposal.reason,
            at=at,
            by=lead,
        )
        previous = proposal.rag
        Action.objects.filter(pk=action.pk).update(rag=proposal.rag, rag_reason=proposal.reason, rag_at=at, rag_by=lead)
    if imported:
        at = timezone.make_aware(dt.datetime.combine(today, dt.time(9, 0)))
        RagChange.objects.filter(pk=imported.pk).update(at=at, previous=previous)
        Action.objects.filter(pk=action.pk).update(rag=imported.rag, rag_reason=imported.reason, rag_at=at)
