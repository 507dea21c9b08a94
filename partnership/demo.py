"""The demonstration partnership: a year of allegations, training and meetings shaped
like seed 001 (Bromley 2014-15), placed in the last complete financial year and this
one so that the pages have open cases, overdue ones and a full annual report.

    python manage.py load_demo_partnership

Deterministic (seeded) and idempotent: nothing is added once any allegation, course or
board exists. The agencies are the demonstration council's (generate_demo)."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from typing import TypeVar

from django.db import transaction
from django.utils import timezone

from audit.models import Action
from audit.services import record
from children.models import Child
from demo.generator.names import BOYS, GIRLS, SURNAMES
from organisation.models import AgencyKind, PartnerAgency

from .models import (
    Allegation,
    Attendance,
    Body,
    Category,
    Course,
    CourseSession,
    Delegate,
    Level,
    Meeting,
    Membership,
    Outcome,
    Sector,
    Source,
)
from .selectors import financial_year

T = TypeVar("T")

# Seed 001 section 4.5: 111 allegations; education 49, health 18, early years 17, other 11,
# foster carers 10 (the remaining 6 spread over other sectors).
SECTORS = [
    (Sector.EDUCATION, 49),
    (Sector.HEALTH, 18),
    (Sector.EARLY_YEARS, 17),
    (Sector.OTHER, 11),
    (Sector.FOSTER_CARER, 10),
    (Sector.RESIDENTIAL, 2),
    (Sector.SPORT, 2),
    (Sector.FAITH, 1),
    (Sector.TRANSPORT, 1),
]
ROLES = {
    Sector.EDUCATION: ("Class teacher", "Teaching assistant", "Headteacher", "Midday supervisor", "PE teacher"),
    Sector.HEALTH: ("Staff nurse", "Healthcare assistant", "Psychiatric nurse", "GP"),
    Sector.EARLY_YEARS: ("Nursery practitioner", "Childminder", "Nursery manager"),
    Sector.OTHER: ("Youth worker", "Volunteer", "Tutor"),
    Sector.FOSTER_CARER: ("Foster carer",),
    Sector.RESIDENTIAL: ("Residential care worker",),
    Sector.SPORT: ("Football coach", "Swimming instructor"),
    Sector.FAITH: ("Youth leader",),
    Sector.TRANSPORT: ("School transport driver",),
}
EMPLOYERS = {
    Sector.EDUCATION: ("Hillside Primary School", "Riverside Academy", "St Mary's CE Primary", "Oakfield High School"),
    Sector.HEALTH: ("Demonstration Health NHS Foundation Trust", "Tier 4 adolescent unit", "Park Road Surgery"),
    Sector.EARLY_YEARS: ("Little Acorns Nursery", "Sunbeams Day Nursery", "Registered childminder"),
    Sector.OTHER: ("Harbour Young People's Project", "Private tuition"),
    Sector.FOSTER_CARER: ("Demonstration Borough Fostering Service", "Brightfutures Fostering (agency)"),
    Sector.RESIDENTIAL: ("Oak House Children's Home",),
    Sector.SPORT: ("Town Juniors FC", "Leisure centre"),
    Sector.FAITH: ("Community church",),
    Sector.TRANSPORT: ("Borough passenger transport",),
}
AGENCY_FOR = {
    Sector.EDUCATION: AgencyKind.EDUCATION,
    Sector.HEALTH: AgencyKind.HEALTH,
    Sector.FOSTER_CARER: AgencyKind.SOCIAL_CARE,
    Sector.RESIDENTIAL: AgencyKind.SOCIAL_CARE,
}
CATEGORIES = [
    (Category.PHYSICAL, 45),
    (Category.SEXUAL, 20),
    (Category.EMOTIONAL, 15),
    (Category.NEGLECT, 8),
    (Category.SUITABILITY, 12),
]
SOURCES = [
    (Source.EMPLOYER, 55),
    (Source.POLICE, 12),
    (Source.SOCIAL_CARE, 12),
    (Source.PARENT, 10),
    (Source.CHILD, 4),
    (Source.OFSTED, 3),
    (Source.OTHER, 4),
]
OUTCOMES = [
    (Outcome.SUBSTANTIATED, 25),
    (Outcome.UNSUBSTANTIATED, 35),
    (Outcome.UNFOUNDED, 25),
    (Outcome.FALSE, 12),
    (Outcome.MALICIOUS, 3),
]

# Seed 001 Figure 3: course, sessions run, attendees.
COURSES = [
    ("Group 3", Level.GROUP_3, False, 4, 78),
    ("Group 3 Refresher", Level.GROUP_3, True, 1, 19),
    ("Group 4/5", Level.GROUP_4_5, False, 1, 15),
    ("Group 4/5 Refresher", Level.GROUP_4_5, True, 1, 13),
    ("Intro to Safeguarding Children", Level.INTRODUCTORY, False, 2, 95),
    ("CAF", Level.SPECIALIST, False, 3, 51),
    ("CAF and TAC", Level.SPECIALIST, False, 2, 17),
    ("Chronology", Level.SPECIALIST, False, 2, 36),
    ("CSE", Level.SPECIALIST, False, 2, 42),
    ("Domestic Abuse and Violence Against Women and Girls", Level.SPECIALIST, False, 3, 64),
    ("Domestic Abuse (working with young people experiencing or at risk)", Level.SPECIALIST, False, 1, 18),
    ("Effective Supervision", Level.SPECIALIST, False, 1, 16),
    ("Safeguarding Children for Designated Teachers", Level.SPECIALIST, False, 3, 53),
    ("Safeguarding Disabled Children", Level.SPECIALIST, False, 1, 11),
    ("Safeguarding Neglected Children", Level.SPECIALIST, False, 1, 16),
    ("Safeguarding Young Carers", Level.SPECIALIST, False, 2, 22),
    ("Teenagers who self harm", Level.SPECIALIST, False, 3, 62),
    ("The challenges of safeguarding children in families with complex needs", Level.SPECIALIST, False, 1, 11),
]
# How often each agency's staff come to training, and turn up at meetings.
AGENCY_WEIGHT: dict[str, int] = {
    AgencyKind.EDUCATION: 5,
    AgencyKind.HEALTH: 4,
    AgencyKind.SOCIAL_CARE: 4,
    AgencyKind.VOLUNTARY: 2,
    AgencyKind.POLICE: 1,
    AgencyKind.YOUTH_OFFENDING: 1,
}
ATTENDS: dict[str, float] = {AgencyKind.POLICE: 0.6, AgencyKind.HEALTH: 0.85, AgencyKind.VOLUNTARY: 0.7}


def _pick(rng: random.Random, weighted: list[tuple[T, int]]) -> T:
    return rng.choices([v for v, _ in weighted], weights=[w for _, w in weighted])[0]


def _name(rng: random.Random) -> str:
    return f"{rng.choice(BOYS + GIRLS)} {rng.choice(SURNAMES)}"


def _score(rng: random.Random, base: float) -> int:
    return max(1, min(5, round(rng.gauss(base, 0.8))))


@transaction.atomic
def load(today: dt.date | None = None, seed: int = 2015, log: Callable[[str], None] = print) -> None:
    if Allegation.objects.exists() or Course.objects.exists() or Body.objects.exists():
        log("Partnership demonstration data already loaded: nothing changed")
        return
    agencies = list(PartnerAgency.objects.order_by("name"))
    if not agencies:
        log("No partner agencies yet: run generate_demo first")
        return
    today = today or timezone.localdate()
    rng = random.Random(seed)
    this_year = financial_year(today)[0]
    last_year = this_year.replace(year=this_year.year - 1)
    allegations = _allegations(rng, agencies, last_year, today)
    delegates = _training(rng, agencies, last_year, this_year, today)
    meetings = _meetings(rng, agencies, last_year, today)
    record(
        Action.SYSTEM, detail=f"demo partnership: {allegations} allegations, {delegates} delegates, {meetings} meetings"
    )
    log(f"Partnership: {allegations} allegations, {delegates} training delegates, {meetings} meetings")


def _allegations(rng: random.Random, agencies: list[PartnerAgency], last_year: dt.date, today: dt.date) -> int:
    by_kind: dict[str, list[PartnerAgency]] = {}
    for a in agencies:
        by_kind.setdefault(a.kind, []).append(a)
    span = (today - last_year).days
    # Last year's 111 as the seed's sectors, then this year to date at the same rate.
    sectors = [s for s, n in SECTORS for _ in range(n)]
    this_year_count = round(111 * max(0, span - 365) / 365)
    sectors += [_pick(rng, SECTORS) for _ in range(this_year_count)]
    rows = []
    for i, sector in enumerate(sectors):
        referred = last_year + dt.timedelta(
            days=rng.randrange(365) if i < 111 else 365 + rng.randrange(max(1, span - 365))
        )
        if referred > today:
            referred = today
        strategy = rng.random() < 0.55
        age = (today - referred).days
        # Most close within 1-4 months; a stubborn tail stays open (agencies slow to feed back).
        closes_after = rng.choice([20, 35, 50, 70, 90, 120, 150, 400])
        closed = referred + dt.timedelta(days=closes_after) if closes_after < age else None
        kind = AGENCY_FOR.get(sector)
        outcome = _pick(rng, OUTCOMES) if closed else (_pick(rng, OUTCOMES) if rng.random() < 0.2 else "")
        suspended = strategy and rng.random() < 0.5
        rows.append(
            Allegation(
                reference=f"LADO-{referred:%y%m}-{i + 1:03d}",
                referral_date=referred,
                # Most employers refer the day they learn of it or the next; one in seven later
                # (from the index, not the random stream, so the rest of the demo is unchanged).
                employer_aware_date=referred - dt.timedelta(days=(0, 1, 0, 1, 0, 0, 4)[i % 7]),
                adult_name=_name(rng),
                adult_role=rng.choice(ROLES[sector]),
                employer=rng.choice(EMPLOYERS[sector]),
                sector=sector,
                agency=rng.choice(by_kind[kind]) if kind and by_kind.get(kind) else None,
                category=_pick(rng, CATEGORIES),
                source=_pick(rng, SOURCES),
                children_count=rng.choice([1, 1, 1, 1, 2, 3]),
                # Most the same or next day; a few late, and the newest not yet considered.
                initial_consideration_date=(
                    referred + dt.timedelta(days=rng.choice([0, 0, 1, 1, 1, 2, 4])) if age > 1 else None
                ),
                strategy_meeting_date=referred + dt.timedelta(days=rng.randrange(1, 8)) if strategy else None,
                employer_action=not strategy,
                evaluation_date=closed - dt.timedelta(days=rng.randrange(0, 10)) if closed and strategy else None,
                suspended=suspended,
                dismissed=bool(closed) and outcome == Outcome.SUBSTANTIATED and rng.random() < 0.4,
                left_employment=bool(closed) and rng.random() < 0.08,
                convicted_or_cautioned=bool(closed) and outcome == Outcome.SUBSTANTIATED and rng.random() < 0.05,
                outcome=outcome if closed or outcome else "",
                closed_date=closed,
                last_chased=referred + dt.timedelta(days=rng.randrange(30, max(31, age)))
                if not closed and age > 45
                else None,
            )
        )
    # A few name a child known to children's social care (the lado user sees who; the
    # business manager, with no child scope, sees only that there is one).
    children = list(Child.objects.order_by("pk").values_list("pk", flat=True)[:2000])
    if children:
        for linked in rng.sample(rows, min(6, len(rows))):
            linked.child_id = rng.choice(children)
    Allegation.objects.bulk_create(rows)
    return len(rows)


def _training(
    rng: random.Random, agencies: list[PartnerAgency], last_year: dt.date, this_year: dt.date, today: dt.date
) -> int:
    weights = [AGENCY_WEIGHT.get(a.kind, 1) for a in agencies]
    delegates = []
    for title, level, refresher, runs, attendees in COURSES:
        course = Course.objects.create(title=title, level=level, refresher=refresher)
        # Split the seed's attendees over its sessions; a few booked delegates do not come.
        per_run = [attendees // runs + (1 if k < attendees % runs else 0) for k in range(runs)]
        days = sorted(rng.sample(range(10, 355), runs))
        sessions = [
            CourseSession(
                course=course, date=last_year + dt.timedelta(days=d), places=n + rng.randrange(0, 6), trainer=""
            )
            for d, n in zip(days, per_run, strict=True)
        ]
        # One session of each course this year too, to show the year to date (not yet followed up).
        sessions.append(
            CourseSession(
                course=course, date=min(today, this_year + dt.timedelta(days=rng.randrange(5, 120))), places=20
            )
        )
        CourseSession.objects.bulk_create(sessions)
        gain = rng.uniform(0.6, 1.6)
        for s, n in zip(sessions, [*per_run, rng.randrange(8, 18)], strict=True):
            followed_up = s.date + dt.timedelta(days=61) <= today
            for _ in range(n):
                pre = _score(rng, 2.6)
                post = _score(rng, pre + gain)
                delegates.append(
                    Delegate(
                        session=s,
                        name=_name(rng),
                        agency=rng.choices(agencies, weights=weights)[0],
                        pre_score=pre if rng.random() < 0.95 else None,
                        post_score=post if rng.random() < 0.9 else None,
                        follow_up_score=_score(rng, post - 0.3) if followed_up and rng.random() < 0.6 else None,
                    )
                )
            for _ in range(rng.randrange(0, 3)):
                delegates.append(Delegate(session=s, name=_name(rng), agency=rng.choice(agencies), attended=False))
    Delegate.objects.bulk_create(delegates)
    return len(delegates)


def _meetings(rng: random.Random, agencies: list[PartnerAgency], last_year: dt.date, today: dt.date) -> int:
    board = Body.objects.create(name="Safeguarding Children Partnership Board", is_board=True)
    training = Body.objects.create(name="Training Sub Group")
    quality = Body.objects.create(name="Quality Assurance and Performance Sub Group")
    start = last_year - dt.timedelta(days=365)
    for a in agencies:
        Membership.objects.create(body=board, agency=a, start_date=start)
    for a in agencies:
        if a.kind in (AgencyKind.EDUCATION, AgencyKind.HEALTH, AgencyKind.SOCIAL_CARE, AgencyKind.VOLUNTARY):
            Membership.objects.create(body=training, agency=a, start_date=start)
        if a.kind != AgencyKind.VOLUNTARY:
            Membership.objects.create(body=quality, agency=a, start_date=start)
    held = 0
    # Five board meetings a year (seed 001 Figure 2), the sub-groups four and six.
    for body, gaps in (
        (board, (35, 110, 180, 250, 330)),
        (training, (50, 140, 230, 320)),
        (quality, (20, 80, 140, 200, 260, 320)),
    ):
        seats = [m.agency for m in body.memberships.select_related("agency")]
        for year_start in (last_year, last_year.replace(year=last_year.year + 1)):
            for gap in gaps:
                day = year_start + dt.timedelta(days=gap)
                if day > today:
                    continue
                meeting = Meeting.objects.create(body=body, date=day)
                held += 1
                rows = []
                for a in seats:
                    p = ATTENDS.get(a.kind, 0.9)
                    roll = rng.random()
                    status = (
                        Attendance.Status.ATTENDED
                        if roll < p
                        else Attendance.Status.DEPUTY
                        if roll < p + 0.05
                        else Attendance.Status.APOLOGIES
                        if roll < p + 0.2
                        else Attendance.Status.ABSENT
                    )
                    rows.append(Attendance(meeting=meeting, agency=a, status=status))
                Attendance.objects.bulk_create(rows)
    return held
