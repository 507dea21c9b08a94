"""What starts and stops each rule's clock, per child.

Every evaluator takes one child's facts and returns Clocks; rule durations come
from the TimescaleRule rows, so a council's changes apply without code. The
written definition of each rule, with its source, is in defaults.py and
docs/timescales.md."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from django.utils import timezone

from .calendar import WorkingCalendar, add_months
from .facts import ChildFacts
from .models import Status, TimescaleRule, Unit

PLACEMENT_STARTS = {"S", "P", "B", "T", "U"}  # 903 RNE codes that begin a new placement


@dataclass(frozen=True)
class Clock:
    rule: str
    start: dt.date
    due: dt.date
    completed: dt.date | None
    status: Status
    due_at: dt.datetime | None = None


@dataclass
class Context:
    rules: dict[str, TimescaleRule]
    calendar: WorkingCalendar
    today: dt.date

    def due(self, code: str, start: dt.date) -> dt.date:
        return self.rules[code].due_from(start, self.calendar)

    def clock(self, code: str, start: dt.date, done: dt.date | None, ended: dt.date | None = None) -> Clock:
        """One run of a clock. `ended` is when the case or plan closed: a clock
        still running then stops, unless it had already run out (then it was missed)."""
        due = self.due(code, start)
        return Clock(code, start, due, done, self.status(code, due, done, ended))

    def status(self, code: str, due: dt.date, done: dt.date | None, ended: dt.date | None) -> Status:
        if done is not None:
            return Status.IN_TIME if done <= due else Status.LATE
        if ended is not None and ended <= self.today:
            return Status.LATE if due < ended else Status.STOPPED
        if self.today > due:
            return Status.OVERDUE
        if (due - self.today).days <= self.rules[code].due_soon_days:
            return Status.DUE_SOON
        return Status.DUE


def chain(
    ctx: Context,
    first: str,
    later: Callable[[int, dt.date], str],
    start: dt.date,
    events: Iterable[dt.date],
    ended: dt.date | None,
    include_start: bool = False,
) -> Iterator[Clock]:
    """A repeating obligation: the first clock runs from start, each later one
    from the event that stopped the one before (reviews, visits). Events after
    the plan ended, or before the clock start, do not count; one on the start
    day counts only where include_start (a visit on the day a placement begins)."""
    code, clock_start = first, start
    pending = sorted(
        e for e in events if (e > start or (include_start and e == start)) and (ended is None or e <= ended)
    )
    for n, event in enumerate(pending):
        yield ctx.clock(code, clock_start, event)
        code, clock_start = later(n + 1, event), event
    yield ctx.clock(code, clock_start, None, ended)


def referral_decision(f: ChildFacts, ctx: Context) -> Iterator[Clock]:
    assessed = {a.referral_id for a in f.assessments}
    for r in f.referrals:
        if r.placeholder:
            continue  # made up by the Annex A import to hold an event: no referral was received that day
        if r.decision_date is None and (r.nfa or r.id in assessed or r.closure_date):
            continue  # a decision evidently made, on a day the record does not give
        yield ctx.clock("referral_decision", r.referral_date, r.decision_date, r.closure_date)


def assessment(f: ChildFacts, ctx: Context) -> Iterator[Clock]:
    by_referral: dict[int, list] = {}
    for a in f.assessments:
        by_referral.setdefault(a.referral_id, []).append(a)
    for r in f.referrals:
        found = sorted(by_referral.get(r.id, []), key=lambda a: a.start_date)
        if not found and not r.nfa and r.closure_date is None and not r.placeholder:
            yield ctx.clock("assessment", r.referral_date, None)  # accepted, not yet started
        for n, a in enumerate(found):
            # The first of an episode runs from the referral; under a referral made up to hold
            # it (whose date is not a referral's) each runs from its own start, as a later one.
            start = r.referral_date if n == 0 and not r.placeholder else a.start_date
            yield ctx.clock("assessment", start, a.authorisation_date, r.closure_date)


def icpc(f: ChildFacts, ctx: Context) -> Iterator[Clock]:
    closed = {r.id: r.closure_date for r in f.referrals}
    for s in f.section47s:
        if s.icpc_not_required:
            continue
        yield ctx.clock("icpc", s.start_date, s.icpc_date, closed.get(s.referral_id))


def child_protection(f: ChildFacts, ctx: Context) -> Iterator[Clock]:
    for plan in f.cp_plans:
        core = [c.meeting_date for c in f.core_groups if c.plan_id == plan.id and c.meeting_date >= plan.start_date]
        yield ctx.clock("core_group_first", plan.start_date, min(core, default=None), plan.end_date)
        reviews = [c.conference_date for c in f.cp_reviews if c.plan_id == plan.id]
        yield from chain(
            ctx, "cp_review_first", lambda n, d: "cp_review_later", plan.start_date, reviews, plan.end_date
        )
        visits = [v.visit_date for v in f.visits if v.kind == "cp"]
        yield from chain(ctx, "cp_visit", lambda n, d: "cp_visit", plan.start_date, visits, plan.end_date)


def cin_plan_review(f: ChildFacts, ctx: Context) -> Iterator[Clock]:
    for plan in f.cin_plans:
        reviews = [plan.last_review_date] if plan.last_review_date else []
        yield from chain(
            ctx, "cin_plan_review", lambda n, d: "cin_plan_review", plan.start_date, reviews, plan.end_date
        )


def periods_of_care(f: ChildFacts) -> list[tuple[dt.date, dt.date | None, list]]:
    """903 episodes joined into periods of care: a period begins with RNE "S"
    (or a gap) and ends when an episode ends with a reason other than X1."""
    periods: list[tuple[dt.date, dt.date | None, list]] = []
    for e in sorted(f.episodes, key=lambda e: e.start_date):
        current = periods[-1] if periods else None
        if current and current[1] == e.start_date and current[2][-1].reason_ceased == "X1":
            periods[-1] = (current[0], e.end_date, current[2] + [e])
        else:
            periods.append((e.start_date, e.end_date, [e]))
    return periods


def looked_after(f: ChildFacts, ctx: Context) -> Iterator[Clock]:
    visits = [v.visit_date for v in f.visits if v.kind == "cla"]
    for start, end, episodes in periods_of_care(f):
        reviews = [d for d in f.cla_reviews if d >= start]
        later = lambda n, d: "cla_review_second" if n == 1 else "cla_review_later"  # noqa: E731
        yield from chain(ctx, "cla_review_first", later, start, reviews, end)
        health = [d for d in f.health_assessments if d >= start and (end is None or d <= end)]
        yield ctx.clock("iha", start, min(health, default=None), end)
        yield from _review_health(f, ctx, sorted(health), end)
        yield from _education(f, ctx, start, end)
        yield from _placement_visits(ctx, episodes, end, visits)


def _placement_visits(ctx: Context, episodes: list, end: dt.date | None, visits: list[dt.date]) -> Iterator[Clock]:
    starts = [e for e in episodes if e.reason_new_episode in PLACEMENT_STARTS]
    for n, e in enumerate(starts):
        until = starts[n + 1].start_date if n + 1 < len(starts) else end
        one_year = add_months(e.start_date, 12)

        def later(k: int, d: dt.date, long_term: bool = e.long_term, one_year: dt.date = one_year) -> str:
            return "cla_visit_long_term" if long_term and d >= one_year else "cla_visit"

        yield from chain(ctx, "cla_visit_first", later, e.start_date, visits, until, include_start=True)


def _review_health(f: ChildFacts, ctx: Context, health: list[dt.date], end: dt.date | None) -> Iterator[Clock]:
    if not health:
        return
    fifth = add_months(f.birth_date, 60) if f.birth_date else None

    def code_after(d: dt.date) -> str:
        # Six months while the review would fall before the fifth birthday, then twelve.
        return "rha_under_5" if fifth and ctx.due("rha_under_5", d) < fifth else "rha"

    yield from chain(ctx, code_after(health[0]), lambda n, d: code_after(d), health[0], health[1:], end)


def _education(f: ChildFacts, ctx: Context, start: dt.date, end: dt.date | None) -> Iterator[Clock]:
    if not f.birth_date or not (5 <= (start - f.birth_date).days // 365.25 < 16):
        return  # compulsory school age at entry (a child who starts school while looked after: not yet)
    peps = sorted(d for d in f.peps if d >= start and (end is None or d <= end))
    yield ctx.clock("pep_initial", start, peps[0] if peps else None, end)
    if peps:
        yield from chain(ctx, "pep_review", lambda n, d: "pep_review", peps[0], peps[1:], end)


def return_home_interview(f: ChildFacts, ctx: Context) -> Iterator[Clock]:
    hours = ctx.rules["rhi"].amount
    now = timezone.make_aware(dt.datetime.combine(ctx.today, dt.time.max))
    for ep in f.missing:
        if ep.returned_at is None:
            continue
        # Elapsed hours, counted in UTC: wall-clock arithmetic would make the
        # night the clocks go forward 71 hours long.
        due_at = ep.returned_at.astimezone(dt.UTC) + dt.timedelta(hours=hours)
        offered = ep.rhi_offered_at
        if offered is not None:
            status = Status.IN_TIME if offered <= due_at else Status.LATE
        elif now > due_at:
            status = Status.OVERDUE
        else:
            status = Status.DUE_SOON
        local = timezone.localtime(due_at).date()
        yield Clock(
            "rhi",
            timezone.localtime(ep.returned_at).date(),
            local,
            timezone.localtime(offered).date() if offered else None,
            status,
            due_at,
        )


def pathway_plan(f: ChildFacts, ctx: Context) -> Iterator[Clock]:
    if not f.pathway_plans:
        return
    plans = sorted(f.pathway_plans)
    leaves = add_months(f.birth_date, 12 * 21) if f.birth_date else None
    yield from chain(ctx, "pathway_plan_review", lambda n, d: "pathway_plan_review", plans[0], plans[1:], leaves)


def proceedings(f: ChildFacts, ctx: Context) -> Iterator[Clock]:
    for p in f.proceedings:
        yield ctx.clock("proceedings", p.issued_date, p.concluded_date)


def supervision(f: ChildFacts, ctx: Context) -> Iterator[Clock]:
    current = [i for i in f.involvements if i.end_date is None and i.worker_id]
    if not current:
        return
    allocated = current[-1].start_date
    yield from chain(
        ctx, "supervision", lambda n, d: "supervision", allocated, [d for d in f.supervisions if d > allocated], None
    )


EVALUATORS: dict[str, Callable[[ChildFacts, Context], Iterator[Clock]]] = {
    "referral_decision": referral_decision,
    "assessment": assessment,
    "icpc": icpc,
    "child_protection": child_protection,
    "cin_plan_review": cin_plan_review,
    "looked_after": looked_after,
    "rhi": return_home_interview,
    "pathway_plan": pathway_plan,
    "proceedings": proceedings,
    "supervision": supervision,
}


def evaluate(f: ChildFacts, ctx: Context) -> list[Clock]:
    clocks = [c for evaluator in EVALUATORS.values() for c in evaluator(f, ctx)]
    return [c for c in clocks if ctx.rules[c.rule].active]


__all__ = ["Clock", "Context", "evaluate", "Unit"]
