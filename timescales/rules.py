"""What starts and stops each rule's clock, per child.

Every evaluator takes one child's facts and returns Clocks; rule durations come
from the TimescaleRule rows, so a council's changes apply without code. The
written definition of each rule, with its source, is in defaults.py and
docs/timescales.md."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from .calendar import NATIONAL, WorkingCalendar, add_months
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
    # The day the case, plan or period of care ended a clock not done (stopped, or missed: late): when it
    # stopped being open, for the month-by-month reconstruction of what was overdue (services.reconstruct_month).
    ended: dt.date | None = None


@dataclass
class Context:
    """The rules, the calendar and the day. `calendar` holds the council's closure days;
    only local rules count them: a statutory deadline or a national measure is counted on
    weekends and bank holidays alone (DOMAIN.md section 2), so that a child's page and the
    indicator pages agree on whether the same assessment was in time."""

    rules: dict[str, TimescaleRule]
    calendar: WorkingCalendar
    today: dt.date
    national: WorkingCalendar = field(default_factory=lambda: NATIONAL)
    # rule code -> (first, last) day the register holds the rule's stop event (facts.coverage);
    # a rule not listed is taken as fully held (the hand-worked tests build no coverage).
    recorded: dict[str, tuple[dt.date | None, dt.date | None]] = field(default_factory=dict)
    # (rule code, start) -> due date: a recompute asks for the same few thousand pairs some
    # 160,000 times. A context lives for one recompute; a change to a rule makes a new one.
    _due: dict[tuple[str, dt.date], dt.date] = field(default_factory=dict, repr=False)

    def due(self, code: str, start: dt.date) -> dt.date:
        key = (code, start)
        found = self._due.get(key)
        if found is None:
            rule = self.rules[code]
            found = self._due[key] = rule.due_from(start, self.calendar if rule.local else self.national)
        return found

    def clock(
        self, code: str, start: dt.date, done: dt.date | None, ended: dt.date | None = None, due: dt.date | None = None
    ) -> Clock:
        """One run of a clock. `ended` is when the case or plan closed: a clock
        still running then stops, unless it had already run out (then it was missed)."""
        due = due or self.due(code, start)
        stopped = ended if done is None and ended is not None and ended <= self.today else None
        return Clock(code, start, due, done, self.status(code, due, done, ended), ended=stopped)

    def unrecorded(self, code: str, due: dt.date) -> bool:
        """The council's data does not hold this rule's stop event for a clock due then: none
        at all, or none that early (its sources begin later). Not overdue: not known."""
        if code not in self.recorded:
            return False
        first = self.recorded[code][0]
        return first is None or due < first

    def status(self, code: str, due: dt.date, done: dt.date | None, ended: dt.date | None) -> Status:
        if done is not None:
            return Status.IN_TIME if done <= due else Status.LATE
        closed = ended is not None and ended <= self.today
        if closed and due >= ended:  # type: ignore[operator]
            return Status.STOPPED
        if self.unrecorded(code, due):
            return Status.UNRECORDED
        if closed:
            return Status.LATE
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


def _moved_on(f: ChildFacts) -> set[int]:
    """Referrals whose journey the record shows went on past the decision: an assessment,
    strategy discussion, section 47 enquiry or plan under them. Such a later event settles
    the earlier decision clock (the decision was made, on a day the source does not give)."""
    return {
        row.referral_id
        for rows in (f.assessments, f.strategies, f.section47s, f.cp_plans, f.cin_plans)
        for row in rows
        if row.referral_id is not None
    }


def referral_decision(f: ChildFacts, ctx: Context) -> Iterator[Clock]:
    moved_on = _moved_on(f)
    for r in f.referrals:
        if r.placeholder:
            continue  # made up by the Annex A import to hold an event: no referral was received that day
        if r.decision_date is None and (r.nfa or r.id in moved_on or r.closure_date):
            continue  # a decision evidently made, on a day the record does not give
        yield ctx.clock("referral_decision", r.referral_date, r.decision_date, r.closure_date)


def assessment(f: ChildFacts, ctx: Context) -> Iterator[Clock]:
    by_referral: dict[int, list] = {}
    for a in f.assessments:
        by_referral.setdefault(a.referral_id, []).append(a)
    later = {row.referral_id for rows in (f.strategies, f.section47s, f.cp_plans, f.cin_plans) for row in rows}
    for r in f.referrals:
        found = sorted(by_referral.get(r.id, []), key=lambda a: a.start_date)
        if not found and not r.nfa and r.closure_date is None and not r.placeholder:
            if r.id in later:
                # The journey went on (section 47, plan) without the assessment in the source:
                # an earlier return held it, or none did. Not known, so not overdue.
                due = ctx.due("assessment", r.referral_date)
                yield Clock("assessment", r.referral_date, due, None, Status.UNRECORDED)
            else:
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
        held = s.icpc_date
        if held is None:
            # A plan under the same referral starting after the enquiry began was made at the
            # ICPC (a plan starts at the conference), so the plan's start is the ICPC's day.
            plans = [
                p.start_date for p in f.cp_plans if p.referral_id == s.referral_id and p.start_date >= s.start_date
            ]
            held = min(plans, default=None)
        yield ctx.clock("icpc", s.start_date, held, closed.get(s.referral_id))


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


# 903 legal status V3/V4: an agreed series of short-term breaks (CPPCR reg. 48's regime).
SHORT_BREAKS = {"V3", "V4"}
# A series of short breaks is taken as over when no break has begun or ended for this long
# (twice the longest reg. 48 review interval; decision 0022).
SHORT_BREAK_SERIES_GAP = dt.timedelta(days=365)


def periods_of_care(f: ChildFacts) -> list[tuple[dt.date, dt.date | None, list]]:
    """903 episodes joined into periods of care: a period begins with RNE "S"
    (or a gap) and ends when an episode ends with a reason other than X1.
    Short breaks (V3/V4) are left out: they follow reg. 48 (short_breaks)."""
    periods: list[tuple[dt.date, dt.date | None, list]] = []
    for e in sorted(f.episodes, key=lambda e: e.start_date):
        if e.legal_status in SHORT_BREAKS:
            continue
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
        # CPPCR reg. 4(2): the care plan before the first placement or within 10 working days of its start.
        yield ctx.clock("care_plan", start, None, end)
        health = [d for d in f.health_assessments if d >= start and (end is None or d <= end)]
        yield ctx.clock("iha", start, min(health, default=None), end)
        yield from _review_health(f, ctx, sorted(health), end)
        yield from _education(f, ctx, start, end)
        first_review = min((d for d in reviews if end is None or d <= end), default=None)
        yield from _placement_visits(ctx, episodes, end, visits, first_review)


def short_breaks(f: ChildFacts, ctx: Context) -> Iterator[Clock]:
    """CPPCR reg. 48: a child accommodated under an agreed series of short breaks (903 legal
    status V3/V4) has a short-break care plan, no placement plan (reg. 9), health assessments
    (reg. 7) or PEP (part of reg. 5's care plan), and its own visits and reviews: the first of
    each within 3 months of the start of the first short break, then at most every 6 months."""
    for start, end in short_break_series(f, ctx.today):
        yield ctx.clock("care_plan", start, None, end)
        reviews = [d for d in f.cla_reviews if d >= start and (end is None or d <= end)]
        yield from chain(ctx, "short_break_review_first", lambda n, d: "short_break_review_later", start, reviews, end)
        visits = [v.visit_date for v in f.visits if v.kind == "cla"]
        yield from chain(
            ctx, "short_break_visit_first", lambda n, d: "short_break_visit", start, visits, end, include_start=True
        )


def short_break_series(f: ChildFacts, today: dt.date) -> list[tuple[dt.date, dt.date | None]]:
    """The child's V3/V4 episodes joined into series of short breaks: each break ends with the
    child home again, so a series runs on across the gaps between breaks, and is over once a
    year has passed with no break (SHORT_BREAK_SERIES_GAP)."""
    series: list[tuple[dt.date, dt.date]] = []
    for e in sorted(f.episodes, key=lambda e: e.start_date):
        if e.legal_status not in SHORT_BREAKS:
            continue
        last = e.end_date or today
        if series and e.start_date - series[-1][1] <= SHORT_BREAK_SERIES_GAP:
            series[-1] = (series[-1][0], max(series[-1][1], last))
        else:
            series.append((e.start_date, last))
    return [(s, None if today - last <= SHORT_BREAK_SERIES_GAP else last) for s, last in series]


# CPPCR reg. 28(3)-(5) (decision 0022). From 903 codes: placement type P1 is "placed with own
# parent(s) or other person(s) with parental responsibility"; legal status C1 an interim care
# order (s. 38), C2 a full care order (s. 31). Reg. 19 (placed with a parent before the
# assessment is complete) and reg. 24 (a connected person approved temporarily) are carried by
# no return: they are recorded by hand on the placement (placement_regulation), else reg. 28(2).
WITH_PARENT = {"P1"}
INTERIM_CARE_ORDER, CARE_ORDER = "C1", "C2"


def visit_regime(e: Any) -> str:
    recorded = getattr(e, "placement_regulation", "")
    if recorded == "reg19":
        return "28(3)"
    if recorded == "reg24":
        return "28(4)"
    if e.placement_type in WITH_PARENT and e.legal_status == INTERIM_CARE_ORDER:
        return "28(4)"
    if e.placement_type in WITH_PARENT and e.legal_status == CARE_ORDER:
        return "28(5)"
    return "28(2)"


def _placement_visits(
    ctx: Context, episodes: list, end: dt.date | None, visits: list[dt.date], first_review: dt.date | None
) -> Iterator[Clock]:
    # A visit clock restarts at each new placement, and where the visiting regime changes
    # within one (a care order made while the child lives with a parent: reg. 28(5)(a)).
    starts: list[Any] = []
    for e in episodes:
        if e.reason_new_episode in PLACEMENT_STARTS or (starts and visit_regime(e) != visit_regime(starts[-1])):
            starts.append(e)
    for n, e in enumerate(starts):
        until = starts[n + 1].start_date if n + 1 < len(starts) else end
        if e.reason_new_episode in PLACEMENT_STARTS:  # CPPCR reg. 9: a plan for each placement
            yield ctx.clock("placement_plan", e.start_date, None, until)
        regime = visit_regime(e)
        one_year = add_months(e.start_date, 12)

        def later(
            k: int, d: dt.date, long_term: bool = e.long_term, one_year: dt.date = one_year, regime: str = regime
        ) -> str:
            if regime == "28(4)":  # weekly until the first review, then every 4 weeks
                return "cla_visit_4_weeks" if first_review and d >= first_review else "cla_visit_weekly"
            if regime == "28(3)":  # weekly until the first review, then every 6 weeks
                return "cla_visit" if first_review and d >= first_review else "cla_visit_weekly"
            if regime == "28(5)":  # every 6 weeks, however long the placement
                return "cla_visit"
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
    """Missing 2014: the interview is carried out within 72 hours of the child's return; the
    interview held stops the clock ("rhi"). Whether and when it was offered is its own measure
    ("rhi_offered", Annex A List 8). A child who declined it has no interview to hold."""
    now = timezone.make_aware(dt.datetime.combine(ctx.today, dt.time.max))
    for ep in f.missing:
        if ep.returned_at is None:
            continue
        if ep.rhi_accepted is not False:
            yield _hours_clock(ctx, "rhi", ep.returned_at, ep.rhi_completed_at, now)
        offered = _hours_clock(ctx, "rhi_offered", ep.returned_at, ep.rhi_offered_at, now)
        if ep.rhi_offered_at is None and ep.rhi_offered:
            offered = Clock(offered.rule, offered.start, offered.due, None, Status.UNRECORDED, offered.due_at)
        yield offered


def _hours_clock(ctx: Context, code: str, start: dt.datetime, done: dt.datetime | None, now: dt.datetime) -> Clock:
    # Elapsed hours, counted in UTC: wall-clock arithmetic would make the
    # night the clocks go forward 71 hours long.
    due_at = start.astimezone(dt.UTC) + dt.timedelta(hours=ctx.rules[code].amount)
    local = timezone.localtime(due_at).date()
    if done is not None:
        status = Status.IN_TIME if done <= due_at else Status.LATE
    elif ctx.unrecorded(code, local):
        status = Status.UNRECORDED
    elif now > due_at:
        status = Status.OVERDUE
    else:
        status = Status.DUE_SOON
    return Clock(
        code, timezone.localtime(start).date(), local, timezone.localtime(done).date() if done else None, status, due_at
    )


def pathway_plan(f: ChildFacts, ctx: Context) -> Iterator[Clock]:
    if not f.pathway_plans:
        return
    plans = sorted(f.pathway_plans)
    leaves = add_months(f.birth_date, 12 * 21) if f.birth_date else None
    yield from chain(ctx, "pathway_plan_review", lambda n, d: "pathway_plan_review", plans[0], plans[1:], leaves)


def proceedings(f: ChildFacts, ctx: Context) -> Iterator[Clock]:
    """Children Act 1989 s. 32(1)(a): within 26 weeks beginning with the day the application
    was issued, so the issue day is day 1 and the last day is issue + 181 days. Each extension
    the court grants under s. 32(5) ends no more than 8 weeks after the limit it extends
    (s. 32(8)): the recorded weeks are added to the deadline."""
    for p in f.proceedings:
        weeks = ctx.rules["proceedings"].amount + sum(x.weeks for x in f.extensions if x.proceedings_id == p.id)
        due = p.issued_date + dt.timedelta(weeks=weeks) - dt.timedelta(days=1)
        yield ctx.clock("proceedings", p.issued_date, p.concluded_date, due=due)


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
    "short_breaks": short_breaks,
    "rhi": return_home_interview,
    "pathway_plan": pathway_plan,
    "proceedings": proceedings,
    "supervision": supervision,
}


def evaluate(f: ChildFacts, ctx: Context) -> list[Clock]:
    clocks = [c for evaluator in EVALUATORS.values() for c in evaluator(f, ctx)]
    return [c for c in clocks if ctx.rules[c.rule].active]


__all__ = ["Clock", "Context", "evaluate", "Unit"]
