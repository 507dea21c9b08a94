"""The indicator library: every indicator defined once, with its definition and source.

Each indicator's `rows(facts, period)` returns the rows it counts: one Row per
referral, assessment, plan or child, with the child it belongs to, the date
that places it in time (and so in a team, a worker and an age band), whether it
is in the numerator, and a value for averages. The engine turns rows into a
number; the drill-down lists the same rows' children. So every number on a page
can be reproduced as a list of children through the same definition.

Conventions (docs/decisions/0007-indicator-definitions.md):
- "In the period" means on or after its first day and on or before its last.
- "At" a date (a snapshot such as 31 March) means started on or before that day
  and not ended on or before it: a plan ending on 31 March is not open at 31 March.
- Snapshots count only children under 18 on the day.
- "Within N months" runs to the same day N months later, inclusive (DOMAIN.md).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from django.utils import timezone

from timescales.calendar import WorkingCalendar, add_months

from .facts import Facts
from .periods import Period


class Row(NamedTuple):
    child: int
    day: dt.date
    num: bool = True
    value: float | None = None
    ref: int | None = None  # the counted record's pk (referral, plan ...), when it is not the child


COUNT, PERCENT, RATE, AVERAGE = "count", "percent", "rate", "average"
FLOW, STOCK, CUMULATIVE = "flow", "stock", "cumulative"
HIGHER, LOWER, NEUTRAL = "higher", "lower", "neutral"
BREAKDOWNS = ("age", "sex", "ethnicity", "disability")
SOURCE_CIN = "DfE children in need census guide and 'Characteristics of children in need' statistics"
SOURCE_903 = "DfE SSDA903 guide and 'Children looked after in England' statistics"
SOURCE_SEED = "Bromley LSCB annual report 2014-15, section 4.1"


@dataclass(frozen=True)
class Indicator:
    code: str
    name: str
    definition: str
    source: str
    measure: str  # count, percent (numerator / denominator), rate (per 10,000 under 18), average
    kind: str  # flow (events in the period), stock (at the period's end), cumulative (year to date)
    polarity: str
    unit: str
    tables: tuple[str, ...]
    rows: Callable[[Facts, Period], list[Row]] = field(repr=False, compare=False)
    numerator: str = ""
    denominator: str = ""
    breakdowns: tuple[str, ...] = BREAKDOWNS
    national: bool = False
    figure: str = ""
    show_count: bool = False  # show "n (x%)" as the seed does
    per_period: bool = False  # rows depend on the whole period (not only on each row's own date)
    threshold: float | None = None  # a national threshold, the target when the council has set none

    @property
    def sliceable(self) -> bool:
        return self.kind != STOCK and not self.per_period


LIBRARY: dict[str, Indicator] = {}
_calendar = WorkingCalendar()


def indicator(**kw: Any) -> Callable[[Callable[[Facts, Period], list[Row]]], Callable[[Facts, Period], list[Row]]]:
    def register(fn: Callable[[Facts, Period], list[Row]]) -> Callable[[Facts, Period], list[Row]]:
        ind = Indicator(rows=fn, **kw)
        assert ind.code not in LIBRARY, ind.code
        LIBRARY[ind.code] = ind
        return fn

    return register


# --- helpers ---------------------------------------------------------------


def age_on(facts: Facts, child: int, day: dt.date) -> int | None:
    """Whole years on day; None for an unborn child or an unknown birth date."""
    c = facts.children.get(child)
    if c is None or c.birth_date is None or c.birth_date > day:
        return None
    b = c.birth_date
    return day.year - b.year - ((day.month, day.day) < (b.month, b.day))


def unborn_on(facts: Facts, child: int, day: dt.date) -> bool:
    c = facts.children.get(child)
    return c is not None and (c.birth_date is None or c.birth_date > day) and c.expected_birth_date is not None


def under_18(facts: Facts, child: int, day: dt.date) -> bool:
    age = age_on(facts, child, day)
    return age is None or age < 18


def local_day(moment: dt.datetime) -> dt.date:
    """The Europe/London day of a time: a 903 MIS_START held as 00:00 London time is that day, in BST too."""
    return moment.astimezone(_LONDON).date()


_LONDON = timezone.get_default_timezone()


def open_at(start: dt.date, end: dt.date | None, day: dt.date) -> bool:
    return start <= day and (end is None or end > day)


def cached(facts: Facts, key: Any, build: Callable[[], Any]) -> Any:
    if key not in facts.cache:
        facts.cache[key] = build()
    return facts.cache[key]


WHITE = {"WBRI", "WIRI", "WIRT", "WOTH", "WROM"}
NOT_KNOWN = {"", "REFU", "NOBT"}


def is_bme(ethnicity: str) -> bool:
    """As Child.is_bme: any recorded ethnicity outside the white groups."""
    return ethnicity not in WHITE and ethnicity not in NOT_KNOWN


# --- contacts and referrals (seed 001 Figure 10; DfE CIN) ---------------------


@indicator(
    code="CONTACTS",
    name="Contacts",
    definition="Contacts received by children's social care (including the MASH) in the period.",
    source=SOURCE_SEED + ", Figure 10 'Total workflow – all initial contacts'",
    measure=COUNT,
    kind=FLOW,
    polarity=NEUTRAL,
    unit="contacts",
    tables=("contacts",),
    figure="10",
)
def contacts(f: Facts, p: Period) -> list[Row]:
    return [Row(c.child_id, c.contact_date) for c in f.contacts if p.contains(c.contact_date)]


@indicator(
    code="REFERRALS",
    name="Referrals",
    definition=(
        "Referrals to children's social care (CIN census CINreferralDate) in the period. A referral the "
        "Annex A import made up to hold an assessment, section 47 enquiry or plan is not counted."
    ),
    source=SOURCE_SEED + ", Figure 10 'Number of referrals'",
    measure=COUNT,
    kind=FLOW,
    polarity=NEUTRAL,
    unit="referrals",
    tables=("referrals",),
    figure="10",
)
def referrals(f: Facts, p: Period) -> list[Row]:
    return [Row(r.child_id, r.referral_date, ref=r.id) for r in f.referrals if p.contains(r.referral_date)]


@indicator(
    code="REF-RATE",
    name="Referral rate per 10,000 children",
    definition="Referrals in the period divided by the council's under-18 population, times 10,000.",
    source=SOURCE_CIN + " (referral rate); population: ONS mid-year estimate (indicators.Population)",
    measure=RATE,
    kind=FLOW,
    polarity=NEUTRAL,
    unit="per 10,000",
    tables=("referrals",),
    national=True,
)
def referral_rate(f: Facts, p: Period) -> list[Row]:
    return referrals(f, p)


def _re_referral_flags(f: Facts) -> dict[int, bool]:
    """referral pk -> is it within 12 months (inclusive) of the same child's previous referral."""

    def build() -> dict[int, bool]:
        by_child: dict[int, list[Any]] = defaultdict(list)
        for r in f.referrals:
            by_child[r.child_id].append(r)
        flags = {}
        for rows in by_child.values():
            rows.sort(key=lambda r: (r.referral_date, r.id))
            previous = None
            for r in rows:
                flags[r.id] = previous is not None and r.referral_date <= add_months(previous, 12)
                previous = r.referral_date
        return flags

    return cached(f, "re_referral_flags", build)


@indicator(
    code="RE-REF",
    name="Re-referrals within 12 months",
    definition=(
        "Referrals in the period that fall within 12 months of the same child's previous referral, as a share "
        "of all referrals in the period. 'Within 12 months' includes the same date 12 months later "
        "(a referral on 5 May 2025 after one on 5 May 2024 is a re-referral; after 29 February 2024 the "
        "last day is 28 February 2025). Any earlier referral counts, even one before the period. Referrals "
        "the Annex A import made up to hold an event count neither as referrals nor as previous ones."
    ),
    source=SOURCE_CIN + " ('a re-referral occurs when a child is referred within 12 months of a previous referral')",
    measure=PERCENT,
    kind=FLOW,
    polarity=LOWER,
    unit="%",
    tables=("referrals",),
    numerator="re-referrals",
    denominator="referrals",
    national=True,
    figure="10",
    show_count=True,
)
def re_referrals(f: Facts, p: Period) -> list[Row]:
    flags = _re_referral_flags(f)
    return [Row(r.child_id, r.referral_date, flags[r.id], ref=r.id) for r in f.referrals if p.contains(r.referral_date)]


@indicator(
    code="REF-CSE",
    name="Referrals for child sexual exploitation",
    definition="Referrals in the period recorded with a concern of child sexual exploitation.",
    source=SOURCE_SEED + ", Figure 10",
    measure=COUNT,
    kind=FLOW,
    polarity=NEUTRAL,
    unit="referrals",
    tables=("referrals",),
    figure="10",
)
def referrals_cse(f: Facts, p: Period) -> list[Row]:
    return [
        Row(r.child_id, r.referral_date, ref=r.id) for r in f.referrals if r.cse_concern and p.contains(r.referral_date)
    ]


@indicator(
    code="N9",
    name="Referrals going on to a social work assessment",
    definition="Referrals in the period for which at least one assessment has been started (at any date).",
    source=SOURCE_SEED + ", Figure 10 (N9)",
    measure=COUNT,
    kind=FLOW,
    polarity=NEUTRAL,
    unit="referrals",
    tables=("referrals", "assessments"),
    figure="10",
)
def referrals_to_assessment(f: Facts, p: Period) -> list[Row]:
    assessed = cached(f, "assessed_referrals", lambda: {a.referral_id for a in f.assessments})
    return [
        Row(r.child_id, r.referral_date, ref=r.id)
        for r in f.referrals
        if r.id in assessed and p.contains(r.referral_date)
    ]


# --- assessments ------------------------------------------------------------


@indicator(
    code="N7",
    name="Assessments per 10,000 children (cumulative)",
    definition=(
        "Assessments completed (authorised) from 1 April to the end of the period, divided by the under-18 "
        "population, times 10,000. Cumulative: each month shows the year to date."
    ),
    source=SOURCE_SEED + ", Figure 10 (N7)",
    measure=RATE,
    kind=CUMULATIVE,
    polarity=NEUTRAL,
    unit="per 10,000",
    tables=("assessments",),
    figure="10",
)
def assessment_rate(f: Facts, p: Period) -> list[Row]:
    return [
        Row(a.child_id, a.authorisation_date, ref=a.id)
        for a in f.assessments
        if a.authorisation_date and p.contains(a.authorisation_date)
    ]


# N14 follows the DfE's national statistic, not the Working Together clock (decision 0013):
# 'Characteristics of children in need' publishes completed assessments by their duration
# (table C2, "Completed assessments by duration of assessment": same day, 1-10 ... 41-45,
# 46-50 ... working days), measured from the CIN census AssessmentActualStartDate to the
# AssessmentAuthorisationDate (the census has collected the assessment's actual start,
# rather than an effective start at the referral, since 2012-13). The Working Together
# timescale (45 working days from the point of referral) is ASMT-45-REF beside it.
SOURCE_ASMT = (
    SOURCE_CIN + " (table C2 'Completed assessments by duration of assessment': CIN census "
    "AssessmentActualStartDate to AssessmentAuthorisationDate, in working days)"
)


def _assessment_rows(f: Facts, p: Period, from_referral: bool) -> list[Row]:
    out = []
    for a in f.assessments:
        if a.authorisation_date and p.contains(a.authorisation_date):
            # Under a referral the Annex A import made up, there is no referral date: the
            # assessment's own start stands in, as on the timescales pages.
            start = a.referral_date if from_referral and not a.placeholder else a.start_date
            days = _calendar.working_days_between(start, a.authorisation_date)
            out.append(Row(a.child_id, a.authorisation_date, days <= 45, float(days), a.id))
    return out


@indicator(
    code="N14",
    name="Assessments completed within 45 working days",
    definition=(
        "Assessments completed (authorised) in the period whose duration, from the day the assessment "
        "actually started to the day it was authorised, is 45 working days or fewer, as a share of "
        "assessments completed in the period. This is the DfE's national measure. Working days exclude "
        "weekends and England-and-Wales bank holidays; the start day itself is day 0 (an assessment started "
        "and authorised on the same day took 0 days)."
    ),
    source=SOURCE_ASMT,
    measure=PERCENT,
    kind=FLOW,
    polarity=HIGHER,
    unit="%",
    tables=("assessments",),
    numerator="completed within 45 working days",
    denominator="assessments completed",
    national=True,
    figure="10",
    show_count=True,
)
def assessments_in_time(f: Facts, p: Period) -> list[Row]:
    return _assessment_rows(f, p, from_referral=False)


@indicator(
    code="ASMT-45-REF",
    name="Assessments within 45 working days of the referral",
    definition=(
        "As N14, but measured from the referral date to the authorisation date: the Working Together "
        "timescale ('no longer than 45 working days from the point of referral'), as the timescales pages "
        "count it. It is lower than N14 when assessments start some days after the referral, or when a "
        "second assessment starts later in the same episode. An assessment whose referral is not known "
        "(the Annex A import made one up to hold it) is measured from its own start."
    ),
    source="Working Together to Safeguard Children 2023, assessment",
    measure=PERCENT,
    kind=FLOW,
    polarity=HIGHER,
    unit="%",
    tables=("assessments",),
    numerator="completed within 45 working days of the referral",
    denominator="assessments completed",
    show_count=True,
)
def assessments_in_time_from_referral(f: Facts, p: Period) -> list[Row]:
    return _assessment_rows(f, p, from_referral=True)


@indicator(
    code="ICPC-15",
    name="Initial child protection conferences within 15 working days",
    definition=(
        "Section 47 enquiries whose initial child protection conference was held in the period, 15 working "
        "days or fewer after the section 47 start (the strategy discussion), as a share of all of them. Each "
        "section 47 is counted; a conference dated before its section 47 is left out."
    ),
    source=SOURCE_CIN + " (ICPCs within 15 working days)",
    measure=PERCENT,
    kind=FLOW,
    polarity=HIGHER,
    unit="%",
    tables=("section47s",),
    numerator="within 15 working days",
    denominator="ICPCs held",
    national=True,
    show_count=True,
)
def icpc_in_time(f: Facts, p: Period) -> list[Row]:
    out = []
    for s in f.section47s:
        if s.icpc_date and p.contains(s.icpc_date) and s.icpc_date >= s.start_date:
            days = _calendar.working_days_between(s.start_date, s.icpc_date)
            out.append(Row(s.child_id, s.icpc_date, days <= 15, float(days), s.id))
    return out


# --- child protection (Figures 11 and 12) -------------------------------------


def _plans_by_child(f: Facts) -> dict[int, list[Any]]:
    def build() -> dict[int, list[Any]]:
        out: dict[int, list[Any]] = defaultdict(list)
        for plan in sorted(f.cp_plans, key=lambda x: (x.start_date, x.id)):
            out[plan.child_id].append(plan)
        return out

    return cached(f, "plans_by_child", build)


def _on_plan_at(f: Facts, day: dt.date) -> list[Row]:
    """One row per child on a plan at day (a child with two overlapping plans counts once)."""
    return cached(f, ("on_plan", day), lambda: _on_plan(f, day))


def _on_plan(f: Facts, day: dt.date) -> list[Row]:
    seen: dict[int, Row] = {}
    for plan in f.cp_plans:
        if open_at(plan.start_date, plan.end_date, day) and under_18(f, plan.child_id, day):
            seen.setdefault(plan.child_id, Row(plan.child_id, day, ref=plan.id))
    return list(seen.values())


@indicator(
    code="CPP",
    name="Children subject to a child protection plan",
    definition="Children under 18 on a child protection plan at the end of the period.",
    source=SOURCE_SEED + ", Figure 11",
    measure=COUNT,
    kind=STOCK,
    polarity=NEUTRAL,
    unit="children",
    tables=("cp_plans",),
    figure="11",
)
def on_plan(f: Facts, p: Period) -> list[Row]:
    return _on_plan_at(f, p.end)


@indicator(
    code="N19",
    name="Children on a child protection plan per 10,000 children",
    definition=(
        "Children on a child protection plan at the end of the period divided by the under-18 population, times 10,000."
    ),
    source=SOURCE_CIN + " (CP rate at 31 March); " + SOURCE_SEED + ", Figure 11 (N19)",
    measure=RATE,
    kind=STOCK,
    polarity=NEUTRAL,
    unit="per 10,000",
    tables=("cp_plans",),
    national=True,
    figure="11",
)
def cp_rate(f: Facts, p: Period) -> list[Row]:
    return _on_plan_at(f, p.end)


@indicator(
    code="CPP-BME",
    name="Children on a plan from black and minority ethnic groups",
    definition=(
        "Children on a plan at the end of the period whose ethnicity is recorded outside the white groups "
        "(WBRI, WIRI, WIRT, WOTH, WROM), as a share of children on a plan; unborn children are left out of both."
    ),
    source=SOURCE_SEED + ", Figure 11 (BME, excluding unborn children)",
    measure=PERCENT,
    kind=STOCK,
    polarity=NEUTRAL,
    unit="%",
    tables=("cp_plans",),
    numerator="BME",
    denominator="children on a plan (born)",
    figure="11",
    show_count=True,
)
def cp_bme(f: Facts, p: Period) -> list[Row]:
    return [
        r._replace(num=is_bme(f.children[r.child].ethnicity))
        for r in _on_plan_at(f, p.end)
        if not unborn_on(f, r.child, p.end)
    ]


@indicator(
    code="CPP-DIS",
    name="Children on a plan with a disability",
    definition=(
        "Children on a plan at the end of the period with a CIN census disability code "
        "other than NONE (or recorded as disabled)."
    ),
    source=SOURCE_SEED + ", Figure 11",
    measure=COUNT,
    kind=STOCK,
    polarity=NEUTRAL,
    unit="children",
    tables=("cp_plans",),
    figure="11",
)
def cp_disabled(f: Facts, p: Period) -> list[Row]:
    return [r for r in _on_plan_at(f, p.end) if r.child in f.disabled]


@indicator(
    code="CPP-NEW",
    name="Children becoming subject to a plan",
    definition=(
        "Child protection plans starting in the period (a child with two plans starting in the period counts twice)."
    ),
    source=SOURCE_SEED + ", Figure 12",
    measure=COUNT,
    kind=FLOW,
    polarity=NEUTRAL,
    unit="plans",
    tables=("cp_plans",),
    figure="12",
)
def plans_started(f: Facts, p: Period) -> list[Row]:
    return [Row(x.child_id, x.start_date, ref=x.id) for x in f.cp_plans if p.contains(x.start_date)]


@indicator(
    code="CPP-2ND",
    name="Second or subsequent child protection plan",
    definition=(
        "Plans starting in the period where the child had an earlier plan at this council, however long ago, "
        "as a share of plans starting in the period. An earlier plan is one the register holds or, for plans "
        "before the register's history begins, the CIN census NumberOfPreviousCPP returned with this plan "
        "(1 or more). A second plan starting in the same period counts as a second plan."
    ),
    source=SOURCE_CIN + " (second or subsequent plans; CIN census NumberOfPreviousCPP)",
    measure=PERCENT,
    kind=FLOW,
    polarity=LOWER,
    unit="%",
    tables=("cp_plans",),
    numerator="second or subsequent",
    denominator="plans starting",
    national=True,
    show_count=True,
)
def second_plans(f: Facts, p: Period) -> list[Row]:
    return _later_plans(f, p, None)


@indicator(
    code="CPP-2ND-2Y",
    name="Second or subsequent plan within 2 years",
    definition=(
        "Plans starting in the period where an earlier plan of the child ended within the 2 years before "
        "the new plan started (inclusive), as a share of plans starting in the period. Only plans the register "
        "holds count: NumberOfPreviousCPP gives no dates, so it cannot say whether an earlier plan was recent."
    ),
    source="Local variant common in councils' datasets",
    measure=PERCENT,
    kind=FLOW,
    polarity=LOWER,
    unit="%",
    tables=("cp_plans",),
    numerator="second plan within 2 years",
    denominator="plans starting",
    show_count=True,
)
def second_plans_2y(f: Facts, p: Period) -> list[Row]:
    return _later_plans(f, p, 24)


def _later_plans(f: Facts, p: Period, within_months: int | None) -> list[Row]:
    out = []
    for plans in _plans_by_child(f).values():
        for i, plan in enumerate(plans):
            if not p.contains(plan.start_date):
                continue
            earlier = [e for e in plans[:i] if e.start_date < plan.start_date or e.id < plan.id]
            if within_months is None:
                # The census count covers plans before the register's history (decision 0021).
                hit = bool(earlier) or (plan.number_of_previous_plans or 0) >= 1
            else:
                floor = add_months(plan.start_date, -within_months)
                hit = any(e.end_date is None or e.end_date >= floor for e in earlier)
            out.append(Row(plan.child_id, plan.start_date, hit, ref=plan.id))
    return out


@indicator(
    code="CPP-2YR",
    name="Plans ending that lasted 2 years or more",
    definition=(
        "Child protection plans ending in the period that lasted 2 years or more (end date on or after the "
        "same day 2 years after the start), as a share of plans ending in the period."
    ),
    source=SOURCE_CIN + " (plans lasting two years or more)",
    measure=PERCENT,
    kind=FLOW,
    polarity=LOWER,
    unit="%",
    tables=("cp_plans",),
    numerator="lasting 2 years or more",
    denominator="plans ending",
    national=True,
    show_count=True,
)
def long_plans(f: Facts, p: Period) -> list[Row]:
    return [
        Row(
            x.child_id,
            x.end_date,
            x.end_date >= add_months(x.start_date, 24),
            float((x.end_date - x.start_date).days),
            x.id,
        )
        for x in f.cp_plans
        if x.end_date and p.contains(x.end_date)
    ]


# Figure 12: the twelve combinations of initial category, in the seed's order.
CATEGORY_ROWS: tuple[tuple[str, str, frozenset[str] | None], ...] = (
    ("CAT-EMO", "Emotional abuse", frozenset({"EMO"})),
    ("CAT-NEG", "Neglect", frozenset({"NEG"})),
    ("CAT-NEG-EMO", "Neglect and Emotional abuse", frozenset({"NEG", "EMO"})),
    ("CAT-PHY", "Physical abuse", frozenset({"PHY"})),
    ("CAT-PHY-NEG", "Physical abuse and Neglect", frozenset({"PHY", "NEG"})),
    ("CAT-PHY-EMO", "Physical and Emotional abuse", frozenset({"PHY", "EMO"})),
    ("CAT-PHY-EMO-NEG", "Physical, Emotional & Neglect", frozenset({"PHY", "EMO", "NEG"})),
    ("CAT-SAB", "Sexual abuse", frozenset({"SAB"})),
    ("CAT-SAB-NEG", "Sexual abuse and Neglect", frozenset({"SAB", "NEG"})),
    ("CAT-SAB-EMO", "Sexual and Emotional abuse", frozenset({"SAB", "EMO"})),
    ("CAT-SAB-PHY", "Sexual and Physical abuse", frozenset({"SAB", "PHY"})),
    ("CAT-MUL", "Multiple (not listed above)", None),
)
_NAMED = {combo for _, _, combo in CATEGORY_ROWS if combo}


def plan_combination(categories: str, initial: str) -> frozenset[str]:
    codes = frozenset(c for c in categories.split(",") if c) or frozenset({initial})
    return codes


def _category_rows(code: str, combo: frozenset[str] | None) -> Callable[[Facts, Period], list[Row]]:
    def rows(f: Facts, p: Period) -> list[Row]:
        out = []
        for x in f.cp_plans:
            if p.contains(x.start_date):
                have = plan_combination(x.categories, x.initial_category)
                hit = have == combo if combo is not None else have not in _NAMED
                out.append(Row(x.child_id, x.start_date, hit, ref=x.id))
        return out

    rows.__name__ = code
    return rows


for _code, _label, _combo in CATEGORY_ROWS:
    indicator(
        code=_code,
        name=f"Initial category of abuse: {_label}",
        definition=(
            f"Plans starting in the period whose initial categories of abuse are exactly {_label.lower()}, as a "
            "share of all plans starting in the period. "
            + (
                "Counts every combination not among the eleven named rows, including plans returned as MUL "
                "with no combination recorded."
                if _combo is None
                else ""
            )
        ).strip(),
        source=SOURCE_SEED + ", Figure 12; CIN census InitialCategoryOfAbuse with the full combination "
        "(ChildProtectionPlan.categories)",
        measure=PERCENT,
        kind=FLOW,
        polarity=NEUTRAL,
        unit="%",
        tables=("cp_plans",),
        numerator=_label,
        denominator="plans starting",
        figure="12",
        show_count=True,
    )(_category_rows(_code, _combo))


# --- children in need ---------------------------------------------------------


@indicator(
    code="CIN-PLAN",
    name="Children on a child in need plan",
    definition="Children under 18 with a child in need plan open at the end of the period.",
    source=SOURCE_SEED + ", Figure 15 ('to be reported from 2015-16'); CIN census CINPlanDates",
    measure=COUNT,
    kind=STOCK,
    polarity=NEUTRAL,
    unit="children",
    tables=("cin_plans",),
    figure="15",
)
def cin_plans(f: Facts, p: Period) -> list[Row]:
    seen: dict[int, Row] = {}
    for x in f.cin_plans:
        if open_at(x.start_date, x.end_date, p.end) and under_18(f, x.child_id, p.end):
            seen.setdefault(x.child_id, Row(x.child_id, p.end, ref=x.id))
    return list(seen.values())


# --- looked after (Figure 13; DfE 903) ----------------------------------------


# 903 legal status V3/V4: accommodated under an agreed series of short-term breaks. The DfE's
# looked-after statistics leave these out ("unless otherwise stated, numbers and percentages exclude
# children looked after under an agreed series of short term placements"), so every looked-after
# indicator here reads only the other episodes: a child whose episodes are all short breaks is
# never looked after for them; a child with both counts on the other episodes alone (decision 0021).
SHORT_BREAKS = {"V3", "V4"}


def _care_episodes(f: Facts) -> list[Any]:
    """The child's episodes of care other than short breaks."""
    return cached(f, "care_episodes", lambda: [e for e in f.episodes if e.legal_status not in SHORT_BREAKS])


def _episodes_by_child(f: Facts) -> dict[int, list[Any]]:
    def build() -> dict[int, list[Any]]:
        out: dict[int, list[Any]] = defaultdict(list)
        for e in sorted(_care_episodes(f), key=lambda x: (x.start_date, x.id)):
            out[e.child_id].append(e)
        return out

    return cached(f, "episodes_by_child", build)


def _looked_after_at(f: Facts, day: dt.date) -> list[Row]:
    return cached(f, ("looked_after", day), lambda: _looked_after(f, day))


def _looked_after(f: Facts, day: dt.date) -> list[Row]:
    seen: dict[int, Row] = {}
    for e in _care_episodes(f):
        if open_at(e.start_date, e.end_date, day) and under_18(f, e.child_id, day):
            seen.setdefault(e.child_id, Row(e.child_id, day, ref=e.id))
    return list(seen.values())


@indicator(
    code="CLA",
    name="Children looked after",
    definition=(
        "Children under 18 looked after at the end of the period (an episode ending on that day is not counted), "
        "leaving out short breaks (903 legal status V3, V4): a child whose open episode is a short break is not "
        "counted."
    ),
    source=SOURCE_SEED + ", Figure 13; " + SOURCE_903,
    measure=COUNT,
    kind=STOCK,
    polarity=NEUTRAL,
    unit="children",
    tables=("episodes",),
    figure="13",
)
def looked_after(f: Facts, p: Period) -> list[Row]:
    return _looked_after_at(f, p.end)


@indicator(
    code="CLA-RATE",
    name="Children looked after per 10,000 children",
    definition=(
        "Children looked after at the end of the period, not counting short breaks (903 legal status V3, V4), "
        "divided by the under-18 population, times 10,000."
    ),
    source=SOURCE_903 + " (rate at 31 March; excludes an agreed series of short-term placements)",
    measure=RATE,
    kind=STOCK,
    polarity=NEUTRAL,
    unit="per 10,000",
    tables=("episodes",),
    national=True,
)
def cla_rate(f: Facts, p: Period) -> list[Row]:
    return _looked_after_at(f, p.end)


@indicator(
    code="CLA-SEN",
    name="Children looked after with special educational needs",
    definition=(
        "Children looked after at the end of the period (not counting short breaks) recorded with special "
        "educational needs, as a share of children looked after."
    ),
    source=SOURCE_SEED + ", Figure 13",
    measure=PERCENT,
    kind=STOCK,
    polarity=NEUTRAL,
    unit="%",
    tables=("episodes",),
    numerator="with SEN",
    denominator="children looked after",
    figure="13",
    show_count=True,
)
def cla_sen(f: Facts, p: Period) -> list[Row]:
    return [r._replace(num=f.children[r.child].sen) for r in _looked_after_at(f, p.end)]


@indicator(
    code="CLA-BME",
    name="Children looked after from black and minority ethnic groups",
    definition=(
        "Children looked after at the end of the period (not counting short breaks) whose ethnicity is recorded "
        "outside the white groups, as a share of children looked after."
    ),
    source=SOURCE_SEED + ", Figure 13",
    measure=PERCENT,
    kind=STOCK,
    polarity=NEUTRAL,
    unit="%",
    tables=("episodes",),
    numerator="BME",
    denominator="children looked after",
    figure="13",
    show_count=True,
)
def cla_bme(f: Facts, p: Period) -> list[Row]:
    return [r._replace(num=is_bme(f.children[r.child].ethnicity)) for r in _looked_after_at(f, p.end)]


# 903 RNE codes that begin a placement with new carers: S (started to be looked after), P (change of
# placement and carer) and B (change of legal status and of placement and carer). L changes the legal
# status only; T and U change the placement (and, for U, the legal status) with the same carers. The
# DfE measures stability by carer ("living with the same carer for at least 2 years"), so T and U are
# not moves in either stability measure, nor the start of a new foster placement for A10 (decision 0021).
PLACEMENT_STARTS = {"S", "P", "B"}
ADOPTION_PLACEMENTS = {"A3", "A4", "A5", "A6"}
FOSTER_PLACEMENTS = {"U1", "U2", "U3", "U4", "U5", "U6"}


def _foster_carer_adopters(f: Facts) -> set[int]:
    return cached(f, "fca", lambda: {a.child_id for a in f.tables.get("adoption", ()) if a.foster_carer_adoption})


def _new_period(prev: Any, e: Any) -> bool:
    """Does e start a new period of care (the first episode, or after a gap)? Its placement is a new one
    whatever its RNE: after short breaks are left out, a period may begin with an L episode."""
    return prev is None or (prev.end_date is not None and prev.end_date < e.start_date)


def _is_move(prev: Any, e: Any, fca: set[int]) -> bool:
    """A placement change, except placement for adoption with the existing foster carer."""
    if e.reason_new_episode not in PLACEMENT_STARTS:
        return False
    if (
        prev is not None
        and e.child_id in fca
        and e.placement_type in ADOPTION_PLACEMENTS
        and prev.placement_type in FOSTER_PLACEMENTS
        and prev.end_date == e.start_date
    ):
        return False
    return True


@indicator(
    code="CLA-STAB-S",
    name="Placement stability: three or more placements in the year",
    definition=(
        "Children looked after at the end of the period who had 3 or more placements in the 12 months to that "
        "day, as a share of children looked after then. Placements are the one held at the start of the 12 "
        "months plus each episode starting a new period of care or a change of placement and carer (903 RNE "
        "S, P, B). A change of legal status only (L) and a change of placement with the same carers (T, U) are "
        "not moves, nor is a placement for adoption with the child's existing foster carer. Short breaks "
        "(legal status V3, V4) are left out: their episodes are neither looked after nor placements, and the "
        "first other episode after them starts a period of care and a placement whatever its RNE (our choice "
        "where the DfE is silent)."
    ),
    source=SOURCE_903 + " (placement stability, short term)",
    measure=PERCENT,
    kind=STOCK,
    polarity=LOWER,
    unit="%",
    tables=("episodes", "adoption"),
    numerator="3 or more placements",
    denominator="children looked after",
    national=True,
    show_count=True,
)
def stability_short(f: Facts, p: Period) -> list[Row]:
    day = p.end
    window_start = add_months(day, -12)  # the 12 months after this day, up to and including day
    fca = _foster_carer_adopters(f)
    eps = _episodes_by_child(f)
    out = []
    for r in _looked_after_at(f, day):
        placements, prev = 0, None
        for e in eps[r.child]:
            if e.start_date > day:
                break
            if open_at(e.start_date, e.end_date, window_start + dt.timedelta(days=1)) and e.start_date <= window_start:
                placements = 1  # the placement held when the 12 months began
            elif window_start < e.start_date <= day and (_is_move(prev, e, fca) or _new_period(prev, e)):
                placements += 1
            prev = e
        out.append(r._replace(num=placements >= 3, value=float(placements)))
    return out


def _care_and_placement_start(episodes: list[Any], day: dt.date, fca_or_adoption: bool = True) -> tuple[Any, Any]:
    """(start of the current period of care, start of the current placement) at day."""
    care_start = placement_start = None
    prev_placement_start = None
    prev = None
    for e in episodes:
        if e.start_date > day:
            break
        new_period = e.reason_new_episode == "S" or _new_period(prev, e)
        if new_period:
            care_start = e.start_date
        if e.reason_new_episode in PLACEMENT_STARTS or placement_start is None or new_period:
            prev_placement_start, placement_start = placement_start, e.start_date
        prev = e
    return care_start, (placement_start, prev_placement_start, prev)


@indicator(
    code="CLA-STAB-L",
    name="Placement stability: same placement for 2 years",
    definition=(
        "Children under 16 at the end of the period, looked after continuously for 2.5 years or more, who have "
        "been in the same placement for 2 years or more, or are placed for adoption and their adoptive "
        "placement and the one before it together lasted 2 years; as a share of children under 16 looked "
        "after continuously for 2.5 years or more. 'Same placement' is the DfE's 'same carer': a new episode "
        "with the same carers (903 RNE T, U) or with a new legal status only (L) does not restart it; S, P and "
        "B do. Short breaks (legal status V3, V4) are left out."
    ),
    source=SOURCE_903 + " (placement stability, long term)",
    measure=PERCENT,
    kind=STOCK,
    polarity=HIGHER,
    unit="%",
    tables=("episodes",),
    numerator="same placement 2 years+",
    denominator="under 16, looked after 2.5 years+",
    national=True,
    show_count=True,
)
def stability_long(f: Facts, p: Period) -> list[Row]:
    day = p.end
    eps = _episodes_by_child(f)
    out = []
    for r in _looked_after_at(f, day):
        age = age_on(f, r.child, day)
        if age is None or age >= 16:
            continue
        care_start, (placement_start, before, current) = _care_and_placement_start(eps[r.child], day)
        if care_start is None or care_start > add_months(day, -30):
            continue
        since = placement_start
        if current.placement_type in ADOPTION_PLACEMENTS and before is not None:
            since = before
        out.append(r._replace(num=since <= add_months(day, -24)))
    return out


def _looked_after_on(f: Facts, child: int, day: dt.date) -> bool:
    return any(open_at(e.start_date, e.end_date, day) or e.start_date == day for e in _episodes_by_child(f)[child])


def _cla_missing(f: Facts, p: Period, kinds: str = "MA") -> list[Any]:
    """Missing (M) and away (A) incidents starting in the period while the child was looked after
    (not on a short break)."""

    def build() -> list[tuple[dt.date, Any]]:
        out = []
        for x in f.missing:
            day = local_day(x.started_at)
            if x.kind in ("M", "A") and _looked_after_on(f, x.child_id, day):
                out.append((day, x))
        return out

    return [x for day, x in cached(f, "cla_missing", build) if p.contains(day) and x.kind in kinds]


def _looked_after_in(f: Facts, p: Period, went: set[int]) -> list[Row]:
    """One row per child looked after (not on a short break) at any time in the period."""
    seen: dict[int, Row] = {}
    for e in _care_episodes(f):
        if e.start_date <= p.end and (e.end_date is None or e.end_date >= p.start):
            day = max(e.start_date, p.start)
            if under_18(f, e.child_id, day):
                seen.setdefault(e.child_id, Row(e.child_id, day, e.child_id in went))
    return list(seen.values())


# The DfE reports missing (M) and away from placement without authorisation (A) separately,
# each as children and as incidents ('Children looked after who had a missing incident' and
# '... an away from placement without authorisation incident'); decision 0021.
_MISSING_KINDS = (
    ("M", "CLA-MISS", "missing", "a missing (M) incident", "who went missing"),
    (
        "A",
        "CLA-AWAY",
        "away without authorisation",
        "an away-without-authorisation (A) incident",
        "away without authorisation",
    ),
)


def _missing_indicators(kind: str, code: str, label: str, incident: str, numerator: str) -> None:
    def children(f: Facts, p: Period) -> list[Row]:
        return _looked_after_in(f, p, {x.child_id for x in _cla_missing(f, p, kind)})

    def incidents(f: Facts, p: Period) -> list[Row]:
        return [Row(x.child_id, local_day(x.started_at), ref=x.id) for x in _cla_missing(f, p, kind)]

    children.__name__, incidents.__name__ = code, code + "-N"
    indicator(
        code=code,
        per_period=True,
        name=f"Looked-after children {numerator}",
        definition=(
            f"Children looked after at any time in the period who had {incident} that started in the period while "
            "they were looked after, as a share of children looked after at any time in the period. Short breaks "
            "(903 legal status V3, V4) are left out of both. Missing and away are separate indicators "
            "(CLA-MISS and CLA-AWAY); a child with both kinds of incident is in each."
        ),
        source=SOURCE_903 + f" (children {label}, reported separately)",
        measure=PERCENT,
        kind=FLOW,
        polarity=LOWER,
        unit="%",
        tables=("episodes", "missing"),
        numerator=numerator,
        denominator="looked after in the period",
        national=True,
        show_count=True,
    )(children)
    indicator(
        code=code + "-N",
        name=f"Incidents of looked-after children {label}",
        definition=f"Each {incident.split(' ', 1)[1]} starting in the period while the child was looked after "
        "(not on a short break, 903 legal status V3, V4).",
        source=SOURCE_903 + f" ({label} incidents)",
        measure=COUNT,
        kind=FLOW,
        polarity=LOWER,
        unit="incidents",
        tables=("episodes", "missing"),
        national=True,
    )(incidents)


for _kind, _mcode, _label, _incident, _num in _MISSING_KINDS:
    _missing_indicators(_kind, _mcode, _label, _incident, _num)


@indicator(
    code="CLA-MISS24",
    per_period=True,
    name="Children missing from placement for more than 24 hours",
    definition=(
        "Looked-after children with a missing incident that started in the period and lasted more than 24 "
        "hours (or had not ended 24 hours after it started); each child counted once."
    ),
    source=SOURCE_SEED + ", Figure 15",
    measure=COUNT,
    kind=FLOW,
    polarity=LOWER,
    unit="children",
    tables=("episodes", "missing"),
    figure="15",
)
def missing_24h(f: Facts, p: Period) -> list[Row]:
    seen: dict[int, Row] = {}
    for x in _cla_missing(f, p, "M"):
        if x.returned_at is None or x.returned_at - x.started_at > dt.timedelta(hours=24):
            seen.setdefault(x.child_id, Row(x.child_id, local_day(x.started_at), ref=x.id))
    return list(seen.values())


# --- exploitation and courts (Figure 15) --------------------------------------


@indicator(
    code="MASE-NEW",
    name="New child sexual exploitation cases referred to MASE",
    definition=(
        "Children added to the exploitation cohort in the period with a child sexual "
        "exploitation concern and referred to the MASE panel."
    ),
    source=SOURCE_SEED + ", Figure 15",
    measure=COUNT,
    kind=FLOW,
    polarity=NEUTRAL,
    unit="cases",
    tables=("mase",),
    figure="15",
)
def mase_new(f: Facts, p: Period) -> list[Row]:
    return [
        Row(x.child_id, x.identified_date, ref=x.id)
        for x in f.mase
        if x.referred_to_mase and "cse" in x.concerns.split(",") and p.contains(x.identified_date)
    ]


@indicator(
    code="N22",
    name="Under-17s subject of a court application in the last 6 months",
    definition=(
        "Children aged under 17 at the end of the period for whom care proceedings (care or supervision order "
        "applications) were issued in the 6 months up to and including that day; each child counted once."
    ),
    source=SOURCE_SEED + ", Figure 15 (N22)",
    measure=COUNT,
    kind=STOCK,
    polarity=NEUTRAL,
    unit="children",
    tables=("proceedings",),
    figure="15",
)
def court_applications(f: Facts, p: Period) -> list[Row]:
    floor = add_months(p.end, -6)
    seen: dict[int, Row] = {}
    for x in f.proceedings:
        if x.issued_date and floor < x.issued_date <= p.end:
            age = age_on(f, x.child_id, p.end)
            if age is None or age < 17:
                seen.setdefault(x.child_id, Row(x.child_id, p.end, ref=x.id))
    return list(seen.values())


@indicator(
    code="PROC-ISSUED",
    name="Care proceedings issued",
    definition="Care proceedings issued in the period (one per application).",
    source=SOURCE_SEED + ", Figure 15",
    measure=COUNT,
    kind=FLOW,
    polarity=NEUTRAL,
    unit="cases",
    tables=("proceedings",),
    figure="15",
)
def proceedings_issued(f: Facts, p: Period) -> list[Row]:
    return [
        Row(x.child_id, x.issued_date, ref=x.id) for x in f.proceedings if x.issued_date and p.contains(x.issued_date)
    ]


# --- care leavers (903 OC3) ----------------------------------------------------


# The DfE's care leaver figures "exclude young people who were looked after under an agreed series
# of short term placements, those who have died since leaving care, those who have returned home to
# parents or someone with parental responsibility for a continuous period of at least 6 months and
# those whose care was transferred to another local authority" (Children looked after in England
# including adoptions, care leaver data sets' footnote). IN_TOUCH DIED and RHOM carry the second and
# third; the register holds no transfer of care, so the fourth cannot be applied (decision 0021).
CARE_LEAVER_BANDS: tuple[tuple[str, str, int, int], ...] = (
    ("", "aged 17 to 21", 17, 21),
    ("-17", "aged 17 and 18", 17, 18),
    ("-19", "aged 19 to 21", 19, 21),
    ("-22", "aged 22 to 25", 22, 25),
)


def _short_breaks_only(f: Facts) -> set[int]:
    """Children whose every episode on record is a short break (V3/V4)."""

    def build() -> set[int]:
        kinds: dict[int, set[bool]] = defaultdict(set)
        for e in f.episodes:
            kinds[e.child_id].add(e.legal_status in SHORT_BREAKS)
        return {c for c, k in kinds.items() if k == {True}}

    return cached(f, "short_breaks_only", build)


def _care_leaver_age(f: Facts, child: int, day: dt.date) -> int | None:
    """The age the young person reaches in the collection year holding day (OC3 is recorded around
    the birthday in that year): their age on 31 March at the end of it."""
    return age_on(f, child, dt.date(day.year + (day.month > 3), 3, 31))


def _oc3(f: Facts, p: Period, low: int, high: int) -> list[Any]:
    out = []
    excluded = _short_breaks_only(f)
    for x in f.care_leavers:
        day = x.contact_date or x.year_ending
        if not day or not p.contains(day) or x.in_touch in ("DIED", "RHOM") or x.child_id in excluded:
            continue
        age = _care_leaver_age(f, x.child_id, day)
        if (age is None and low == 17 and high == 21) or (age is not None and low <= age <= high):
            out.append((day, x))
    return out


def _care_leaver_indicator(code: str, name: str, numerator: str, test: Callable[[Any], bool], definition: str) -> None:
    for suffix, band, low, high in CARE_LEAVER_BANDS:

        def rows(f: Facts, p: Period, low: int = low, high: int = high) -> list[Row]:
            return [Row(x.child_id, day, test(x), ref=x.id) for day, x in _oc3(f, p, low, high)]

        rows.__name__ = code + suffix
        older = (
            " Information on care leavers aged 22 to 25 is returned only for those who asked the council for "
            "support, so this band counts only them."
            if low == 22
            else ""
        )
        indicator(
            code=code + suffix,
            name=f"{name} ({band})",
            definition=definition
            + f" Denominator: care leavers {band} (the age reached in the collection year, as the 903 records "
            "it around the birthday) whose information (903 OC3) falls in the period"
            + (", including any whose date of birth is not known" if not suffix else "")
            + ". Left out, as the DfE does: young people who have died or returned home (IN_TOUCH DIED, RHOM) "
            "and those whose care was only short breaks (legal status V3, V4). The DfE also leaves out those "
            "whose care was transferred to another council, which the register does not hold." + older,
            source=SOURCE_903 + f" (care leavers {band}, OC3)",
            measure=PERCENT,
            kind=FLOW,
            polarity=HIGHER,
            unit="%",
            tables=("care_leavers", "episodes"),
            numerator=numerator,
            denominator="care leavers",
            national=True,
            show_count=True,
        )(rows)


_care_leaver_indicator(
    "CL-TOUCH",
    "Care leavers in touch",
    "in touch",
    lambda x: x.in_touch == "YES",
    "Care leavers the council is in touch with (IN_TOUCH = YES).",
)
_care_leaver_indicator(
    "CL-EET",
    "Care leavers in education, employment or training",
    "in EET",
    lambda x: x.activity[:1] in ("F", "P"),
    "Care leavers in education, employment or training (ACTIV F1-F5 or P1-P5; G codes are NEET).",
)
_care_leaver_indicator(
    "CL-ACCOM",
    "Care leavers in suitable accommodation",
    "suitably accommodated",
    lambda x: x.accommodation[1:] == "1",
    "Care leavers in accommodation recorded as suitable (ACCOM ending in 1).",
)


# --- adoption (A1, A2, A10) -----------------------------------------------------


def _adoptions(f: Facts, p: Period) -> list[tuple[Any, dt.date | None]]:
    placed = cached(
        f,
        "placed",
        lambda: {
            c: max(d for cc, d in ((x.child_id, x.date_placed) for x in f.placed_for_adoption) if cc == c)
            for c in {x.child_id for x in f.placed_for_adoption}
        },
    )
    window = three_years(p)
    return [
        (a, placed.get(a.child_id))
        for a in f.adoption
        if a.adoption_order_date and window.contains(a.adoption_order_date)
    ]


def three_years(p: Period) -> Period:
    """The 3 years ending on the period's last day, as the adoption scorecards measure A1, A2 and A10:
    for 2024-25, adoption orders from 1 April 2022 to 31 March 2025."""
    return Period(p.kind, add_months(p.end, -36) + dt.timedelta(days=1), p.end, p.label)


def _entered_care(f: Facts, a: Any, before: dt.date) -> dt.date | None:
    if a.entered_care_date:
        return a.entered_care_date
    starts = [
        e.start_date
        for e in _episodes_by_child(f)[a.child_id]
        if e.reason_new_episode == "S" and e.start_date <= before
    ]
    return max(starts) if starts else None


SOURCE_ADOPTION = (
    "DfE adoption scorecards (3-year averages of children adopted; thresholds A1 and A10 426 days, A2 121 days)"
)
THREE_YEARS = (
    " Measured, as the scorecards are, over the adoption orders of the 3 years ending on the period's last day "
    "(for 2024-25: 1 April 2022 to 31 March 2025); the {days}-day threshold is judged on that 3-year average."
)


@indicator(
    code="A1",
    name="Adoption: days from entering care to moving in with the adoptive family",
    definition=(
        "For children adopted (adoption order date), the average number of days from entering care (the start "
        "of the period of care that ended in adoption) to the date placed for adoption." + THREE_YEARS.format(days=426)
    ),
    source=SOURCE_ADOPTION,
    measure=AVERAGE,
    per_period=True,
    threshold=426,
    kind=FLOW,
    polarity=LOWER,
    unit="days",
    tables=("adoption", "placed_for_adoption", "episodes"),
    numerator="days",
    denominator="children adopted",
    national=True,
)
def adoption_a1(f: Facts, p: Period) -> list[Row]:
    out = []
    for a, placed in _adoptions(f, p):
        entered = _entered_care(f, a, placed or a.adoption_order_date)
        if placed and entered:
            out.append(Row(a.child_id, a.adoption_order_date, value=float((placed - entered).days)))
    return out


@indicator(
    code="A2",
    name="Adoption: days from placement order to match",
    definition=(
        "For children adopted who were placed for adoption before the adoption order, the average number of "
        "days from the placement order to the match with the adopters; a match made before the placement "
        "order counts as 0 days. Children not placed for adoption before the order (no 903 date placed, or "
        "placed on or after it) are left out." + THREE_YEARS.format(days=121)
    ),
    source=SOURCE_ADOPTION,
    measure=AVERAGE,
    per_period=True,
    threshold=121,
    kind=FLOW,
    polarity=LOWER,
    unit="days",
    tables=("adoption", "placed_for_adoption"),
    numerator="days",
    denominator="children adopted",
    national=True,
)
def adoption_a2(f: Facts, p: Period) -> list[Row]:
    return [
        Row(a.child_id, a.adoption_order_date, value=float(max(0, (a.match_date - a.placement_order_date).days)))
        for a, placed in _adoptions(f, p)
        if a.match_date and a.placement_order_date and placed and placed < a.adoption_order_date
    ]


@indicator(
    code="A10",
    name="Adoption: days from entering care to placement, adjusted for foster-carer adoptions",
    definition=(
        "As A1, except that when the child was adopted by their foster carers the end date is the start of "
        "the foster placement with them (the last placement with new carers, 903 RNE S, P or B, before the "
        "placement for adoption)." + THREE_YEARS.format(days=426)
    ),
    source=SOURCE_ADOPTION,
    measure=AVERAGE,
    per_period=True,
    threshold=426,
    kind=FLOW,
    polarity=LOWER,
    unit="days",
    tables=("adoption", "placed_for_adoption", "episodes"),
    numerator="days",
    denominator="children adopted",
    national=True,
)
def adoption_a10(f: Facts, p: Period) -> list[Row]:
    out = []
    for a, placed in _adoptions(f, p):
        end = placed
        if a.foster_carer_adoption and placed:
            foster = [
                e.start_date
                for e in _episodes_by_child(f)[a.child_id]
                if e.start_date < placed
                and e.reason_new_episode in PLACEMENT_STARTS
                and e.placement_type in FOSTER_PLACEMENTS
            ]
            end = max(foster) if foster else placed
        entered = _entered_care(f, a, placed or a.adoption_order_date)
        if end and entered:
            out.append(Row(a.child_id, a.adoption_order_date, value=float((end - entered).days)))
    return out


@indicator(
    code="ADOPTED",
    name="Looked-after children adopted",
    definition=(
        "Looked-after children whose adoption order was made in the period (the 903 episode ending in adoption, "
        "reason ceased E11 or E12, with its adoption record), each child counted once. Unlike A1, A2 and A10 this "
        "is the year's count, as the DfE publishes it by local authority."
    ),
    source=SOURCE_903 + " (children looked after who were adopted during the year)",
    measure=COUNT,
    kind=FLOW,
    polarity=NEUTRAL,
    unit="children",
    tables=("adoption",),
    national=True,
)
def adopted(f: Facts, p: Period) -> list[Row]:
    seen: dict[int, Row] = {}
    for a in f.adoption:
        if a.adoption_order_date and p.contains(a.adoption_order_date):
            seen.setdefault(a.child_id, Row(a.child_id, a.adoption_order_date))
    return list(seen.values())


def get(code: str) -> Indicator:
    return LIBRARY[code]


def ordered() -> list[Indicator]:
    return list(LIBRARY.values())
