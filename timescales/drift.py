"""Drift: cases that are not moving, by the seeds' measures (000 themes 1-5,
002 point 12, 004 recs 1 and 5). Each rule's line is written here once."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

from django.utils import timezone

from .calendar import add_months
from .facts import ChildFacts
from .models import DriftKind

REPEAT_MISSING_EPISODES = 3
REPEAT_MISSING_WINDOW_DAYS = 90
QUICK_RE_REFERRAL_MONTHS = 3


@dataclass(frozen=True)
class Drift:
    kind: DriftKind
    since: dt.date
    detail: str


def _open(end: dt.date | None, today: dt.date) -> bool:
    return end is None or end > today


def child_protection(f: ChildFacts, today: dt.date) -> Iterator[Drift]:
    plans = sorted(f.cp_plans, key=lambda p: p.start_date)
    for n, plan in enumerate(plans):
        if not _open(plan.end_date, today) or plan.start_date > today:
            continue
        year = add_months(plan.start_date, 12)
        if year <= today:
            yield Drift(DriftKind.CP_12_MONTHS, year, f"plan started {plan.start_date:%d/%m/%Y}")
        if n > 0 or (plan.number_of_previous_plans or 0) > 0:
            yield Drift(DriftKind.SECOND_PLAN, plan.start_date, "child has had a plan before")


def child_in_need(f: ChildFacts, today: dt.date) -> Iterator[Drift]:
    """Open 12 months or more, not on a CP plan or looked after, and no formal
    review of the CIN plan in the last 12 months (Southwark rec. 1)."""
    if any(_open(p.end_date, today) for p in f.cp_plans) or any(_open(e.end_date, today) for e in f.episodes):
        return
    for r in f.referrals:
        if not _open(r.closure_date, today) or r.nfa or r.placeholder:
            continue  # a made-up referral (placeholder) was never opened, and is never closed
        year = add_months(r.referral_date, 12)
        if year > today:
            continue
        reviews = [p.last_review_date for p in f.cin_plans if p.referral_id == r.id and p.last_review_date]
        if not reviews or add_months(max(reviews), 12) <= today:
            yield Drift(DriftKind.CIN_12_MONTHS, year, f"open since {r.referral_date:%d/%m/%Y}")


def proceedings(f: ChildFacts, today: dt.date) -> Iterator[Drift]:
    """Past the 26 weeks beginning with the day of issue (the last day is issue + 181 days),
    whatever the court extended: the national measure of duration counts every week."""
    for p in f.proceedings:
        last_day = p.issued_date + dt.timedelta(weeks=26) - dt.timedelta(days=1)
        if _open(p.concluded_date, today) and last_day < today:
            weeks = sum(x.weeks for x in f.extensions if x.proceedings_id == p.id)
            extended = f", extended by the court {weeks} weeks (s. 32(5))" if weeks else ""
            yield Drift(
                DriftKind.PROCEEDINGS_26_WEEKS,
                last_day + dt.timedelta(days=1),
                f"issued {p.issued_date:%d/%m/%Y}{extended}",
            )


def permanence(f: ChildFacts, today: dt.date) -> Iterator[Drift]:
    if not any(_open(e.end_date, today) for e in f.episodes):
        return
    for p in f.permanence_plans:
        if p.achieved_date is None and not p.contingency.strip():
            yield Drift(DriftKind.NO_PLAN_B, p.decided_date, "no contingency recorded")


def repeat_missing(f: ChildFacts, today: dt.date) -> Iterator[Drift]:
    window_start = today - dt.timedelta(days=REPEAT_MISSING_WINDOW_DAYS - 1)
    recent = sorted(
        d for d in (timezone.localtime(e.started_at).date() for e in f.missing) if window_start <= d <= today
    )
    if len(recent) >= REPEAT_MISSING_EPISODES:
        yield Drift(DriftKind.REPEAT_MISSING, recent[REPEAT_MISSING_EPISODES - 1], f"{len(recent)} episodes in 90 days")


def quick_re_referral(f: ChildFacts, today: dt.date) -> Iterator[Drift]:
    """An open referral that came within 3 months of the last closure or CP step-down."""
    endings = [r.closure_date for r in f.referrals if r.closure_date] + [p.end_date for p in f.cp_plans if p.end_date]
    for r in f.referrals:
        if not _open(r.closure_date, today) or r.placeholder:
            continue
        before = [d for d in endings if d <= r.referral_date]
        if before and r.referral_date <= add_months(max(before), QUICK_RE_REFERRAL_MONTHS):
            yield Drift(DriftKind.QUICK_RE_REFERRAL, r.referral_date, f"last closed {max(before):%d/%m/%Y}")


def held_work_open(f: ChildFacts, today: dt.date) -> list[dt.date]:
    """The starts of the open work hanging from referrals the Annex A import made up, which
    have no closure of their own (children.selectors.held_work_open says the same in SQL):
    assessments not authorised, section 47s awaiting their conference, plans not ended."""
    held = {r.id for r in f.referrals if r.placeholder}
    if not held:
        return []
    starts = [a.start_date for a in f.assessments if a.referral_id in held and _open(a.authorisation_date, today)]
    starts += [
        s.start_date
        for s in f.section47s
        if s.referral_id in held and not s.icpc_not_required and _open(s.icpc_date, today)
    ]
    starts += [p.start_date for p in f.cp_plans if p.referral_id in held and _open(p.end_date, today)]
    return [d for d in starts if d <= today]


def unallocated(f: ChildFacts, today: dt.date) -> Iterator[Drift]:
    if f.worker_id is not None:
        return
    opened = [r.referral_date for r in f.referrals if _open(r.closure_date, today) and not r.placeholder]
    opened += [e.start_date for e in f.episodes if _open(e.end_date, today)]
    opened += held_work_open(f, today)
    if opened:
        ended = [i.end_date for i in f.involvements if i.end_date]
        yield Drift(DriftKind.UNALLOCATED, max(ended + [min(opened)]), "no allocated worker")


def evaluate(f: ChildFacts, today: dt.date) -> list[Drift]:
    found: list[Drift] = []
    for rule in (
        child_protection,
        child_in_need,
        proceedings,
        permanence,
        repeat_missing,
        quick_re_referral,
        unallocated,
    ):
        found.extend(rule(f, today))
    return found
