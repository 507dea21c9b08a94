"""Reading partnership business: who may see it, open allegations by age, and the
annual report tables (seed 001 sections 2.11, 3.3 and 4.5)."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from accounts.models import Role
from children.selectors import children_in_scope
from organisation.models import PartnerAgency
from timescales.calendar import NATIONAL, WorkingCalendar, add_months
from timescales.models import LocalClosureDay

from .models import (
    Allegation,
    Attendance,
    Body,
    Category,
    Course,
    CourseSession,
    Delegate,
    LadoSettings,
    Meeting,
    Membership,
    Outcome,
    Sector,
    Source,
)

# Allegations name adults and, through a linked child, children: the designated officer
# (LADO), the partnership's business manager and the system administrator only. Training
# and meetings (professionals' names and agencies): the business manager and the
# administrator. Decision 0015.
ALLEGATION_ROLES = {Role.LADO, Role.BOARD_MANAGER, Role.ADMINISTRATOR}
PARTNERSHIP_ROLES = {Role.BOARD_MANAGER, Role.ADMINISTRATOR}


def today() -> dt.date:
    return timezone.localdate()


def may_use(user: Any) -> bool:
    """Training, meetings and the annual report workbook."""
    return bool(getattr(user, "is_authenticated", False) and user.role in PARTNERSHIP_ROLES)


def may_see_allegations(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.role in ALLEGATION_ROLES)


def may_see_child(user: Any, allegation: Allegation) -> bool:
    """A linked child is shown only to someone whose scope includes that child."""
    return allegation.child_id is not None and children_in_scope(user).filter(pk=allegation.child_id).exists()


def financial_year(day: dt.date) -> tuple[dt.date, dt.date]:
    """1 April to 31 March, the year the annual report covers."""
    start_year = day.year if day.month >= 4 else day.year - 1
    return dt.date(start_year, 4, 1), dt.date(start_year + 1, 3, 31)


# --- allegations --------------------------------------------------------------


def target_months() -> int:
    row = LadoSettings.objects.first()
    return row.target_months if row else LadoSettings._meta.get_field("target_months").get_default()


def allegations_in(start: dt.date, end: dt.date) -> QuerySet[Allegation]:
    return Allegation.objects.filter(referral_date__gte=start, referral_date__lte=end)


def working_calendar() -> WorkingCalendar:
    """England-and-Wales bank holidays and the council's closure days (timescales)."""
    return WorkingCalendar(closures=frozenset(LocalClosureDay.objects.values_list("day", flat=True)))


def consideration_due(referred: dt.date, calendar: WorkingCalendar) -> dt.date:
    """The designated officer's initial consideration: a local timescale (DOMAIN.md section 2;
    local safeguarding partnership procedures), 1 working day of the referral, counted on the
    council's own calendar (its closure days count)."""
    return calendar.add_working_days(referred, 1)


def employer_report_due(aware: dt.date) -> dt.date:
    """The employer reports an allegation to the designated officer within 1 working day of
    becoming aware (Keeping Children Safe in Education 2025 part four: "immediately"; local
    procedures set 1 working day). The employer is not the council: its closure days do not count."""
    return NATIONAL.add_working_days(aware, 1)


def employer_reported_late(a: Allegation) -> bool | None:
    """None when the day the employer became aware is not recorded."""
    if a.employer_aware_date is None:
        return None
    return a.referral_date > employer_report_due(a.employer_aware_date)


@dataclass
class OpenCase:
    allegation: Allegation
    age_days: int
    due: dt.date  # the target date: referral date + target months
    overdue: bool
    consideration_overdue: bool = False  # no initial consideration and past its working day
    employer_reported_late: bool | None = None  # None: the day the employer became aware is not recorded


def open_cases(on: dt.date | None = None, months: int | None = None) -> list[OpenCase]:
    """Allegations referred by `on` and not closed by it, oldest first. One is overdue
    when `on` is after the same day `months` months after its referral."""
    on = on or today()
    months = months or target_months()
    rows = (
        Allegation.objects.filter(referral_date__lte=on)
        .exclude(closed_date__lte=on)
        .select_related("agency")
        .order_by("referral_date", "pk")
    )
    calendar = working_calendar()
    return [_case(a, on, months, calendar) for a in rows]


def _case(a: Allegation, on: dt.date, months: int, calendar: WorkingCalendar) -> OpenCase:
    due = add_months(a.referral_date, months)
    late = a.initial_consideration_date is None and on > consideration_due(a.referral_date, calendar)
    return OpenCase(a, (on - a.referral_date).days, due, on > due, late, employer_reported_late(a))


def case_of(a: Allegation, on: dt.date | None = None) -> OpenCase | None:
    """The allegation as open_cases() gives it, or None when it is not open on that day."""
    on = on or today()
    if a.referral_date > on or (a.closed_date is not None and a.closed_date <= on):
        return None
    return _case(a, on, target_months(), working_calendar())


@dataclass
class ChaseRow:
    who: str  # the partner agency, else the employer
    open: int
    past_target: int
    oldest_days: int


def open_by_employer(cases: list[OpenCase]) -> list[ChaseRow]:
    """Whom to chase: open allegations grouped by partner agency (or, without one, the
    employer), most past target first (seed 001: open cases because agencies fail to
    feed back the outcomes of their management investigations)."""
    groups: dict[str, list[OpenCase]] = defaultdict(list)
    for c in cases:
        groups[c.allegation.agency.name if c.allegation.agency else c.allegation.employer].append(c)
    rows = [
        ChaseRow(who, len(cs), sum(1 for c in cs if c.overdue), max(c.age_days for c in cs))
        for who, cs in groups.items()
    ]
    rows.sort(key=lambda r: (-r.past_target, -r.oldest_days, r.who))
    return rows


@dataclass
class Row:
    label: str
    count: int
    percent: float  # of the table's total, 0 when the total is 0


@dataclass
class Table:
    title: str
    heading: str
    rows: list[Row]
    total: int


def _table(title: str, heading: str, counts: Counter[str], labels: list[tuple[str, str]], blank: str = "") -> Table:
    total = sum(counts.values())
    rows = []
    for value, label in labels + ([("", blank)] if blank else []):
        n = counts.get(value, 0)
        rows.append(Row(label, n, round(100 * n / total, 1) if total else 0.0))
    return Table(title, heading, rows, total)


@dataclass
class LadoReport:
    start: dt.date
    end: dt.date
    total: int
    by_sector: Table
    by_agency: Table
    by_category: Table
    by_outcome: Table
    by_source: Table
    strategy_meetings: int
    employer_action: int
    suspended: int
    dismissed: int
    left_employment: int
    convicted_or_cautioned: int
    open_at_end: int
    considered: int  # with an initial consideration date
    considered_in_time: int  # of those, within 1 working day of the referral
    employer_aware_known: int  # with the day the employer became aware recorded
    employer_reported_in_time: int  # of those, referred within 1 working day of it
    previous_total: int  # referred in the same period a year earlier
    change_percent: float | None  # total against previous_total; None when there were none


def year_before(start: dt.date, end: dt.date) -> tuple[dt.date, dt.date]:
    return add_months(start, -12), add_months(end, -12)


def change(now: int, before: int) -> float | None:
    return round(100 * (now - before) / before, 1) if before else None


def lado_report(start: dt.date, end: dt.date) -> LadoReport:
    """The annual report tables over allegations referred between start and end
    (inclusive). Outcome counts closed allegations by their outcome; an allegation
    without one yet is 'No outcome yet'."""
    rows = list(allegations_in(start, end).select_related("agency"))
    previous = allegations_in(*year_before(start, end)).count()
    calendar = working_calendar()
    agencies = sorted({a.agency.name for a in rows if a.agency})
    return LadoReport(
        start=start,
        end=end,
        total=len(rows),
        by_sector=_table("Allegations by sector", "Sector", Counter(a.sector for a in rows), Sector.choices),
        by_agency=_table(
            "Allegations by partner agency",
            "Agency",
            Counter(a.agency.name if a.agency else "" for a in rows),
            [(n, n) for n in agencies],
            blank="No partner agency",
        ),
        by_category=_table("Primary abuse type", "Category", Counter(a.category for a in rows), Category.choices),
        by_outcome=_table(
            "Allegations by outcome",
            "Outcome",
            Counter(a.outcome for a in rows),
            Outcome.choices,
            blank="No outcome yet",
        ),
        by_source=_table(
            "How allegations came to the designated officer",
            "Source",
            Counter(a.source for a in rows),
            Source.choices,
        ),
        strategy_meetings=sum(1 for a in rows if a.strategy_meeting_date),
        employer_action=sum(1 for a in rows if a.employer_action),
        suspended=sum(1 for a in rows if a.suspended),
        dismissed=sum(1 for a in rows if a.dismissed),
        left_employment=sum(1 for a in rows if a.left_employment),
        convicted_or_cautioned=sum(1 for a in rows if a.convicted_or_cautioned),
        open_at_end=sum(1 for a in rows if a.closed_date is None or a.closed_date > end),
        considered=sum(1 for a in rows if a.initial_consideration_date),
        considered_in_time=sum(
            1
            for a in rows
            if a.initial_consideration_date
            and a.initial_consideration_date <= consideration_due(a.referral_date, calendar)
        ),
        employer_aware_known=sum(1 for a in rows if a.employer_aware_date),
        employer_reported_in_time=sum(1 for a in rows if employer_reported_late(a) is False),
        previous_total=previous,
        change_percent=change(len(rows), previous),
    )


# --- training -------------------------------------------------------------------


@dataclass
class CourseRow:
    course: Course
    sessions: int
    places: int
    attendees: int
    fill_percent: float  # attendees / places


@dataclass
class AgencyRow:
    agency: str
    attendees: int
    percent: float
    did_not_attend: int = 0  # booked on a session in the period but did not come


@dataclass
class EvaluationRow:
    course: Course
    pre_post_n: int  # attendees with both a pre and a post score
    pre_mean: float | None
    post_mean: float | None
    pre_post_change: float | None  # mean of (post - pre) over those attendees
    follow_n: int  # attendees with both a post and a follow-up score
    follow_mean: float | None
    post_follow_change: float | None  # mean of (follow-up - post): kept (>= 0) or faded (< 0)


def _mean(values: list[int]) -> float | None:
    return round(sum(values) / len(values), 2) if values else None


def _pct(part: int, whole: int) -> float:
    return round(100 * part / whole, 1) if whole else 0.0


def sessions_in(start: dt.date, end: dt.date) -> QuerySet[CourseSession]:
    return CourseSession.objects.filter(date__gte=start, date__lte=end)


def attendees_in(start: dt.date, end: dt.date) -> QuerySet[Delegate]:
    """Delegates who came to a session held in the period (booked but absent ones do not count)."""
    return Delegate.objects.filter(session__date__gte=start, session__date__lte=end, attended=True)


def course_table(start: dt.date, end: dt.date) -> tuple[list[CourseRow], CourseRow | None]:
    """Seed 001 Figure 3: each course with sessions in the period, how many sessions ran,
    the places offered and the attendees; and the total row."""
    sessions = list(sessions_in(start, end).select_related("course"))
    came = Counter(attendees_in(start, end).values_list("session_id", flat=True))
    by_course: dict[int, list[CourseSession]] = defaultdict(list)
    for s in sessions:
        by_course[s.course_id].append(s)
    rows = []
    for runs in by_course.values():
        places = sum(s.places for s in runs)
        attendees = sum(came[s.pk] for s in runs)
        rows.append(CourseRow(runs[0].course, len(runs), places, attendees, _pct(attendees, places)))
    rows.sort(key=lambda r: r.course.title)
    if not rows:
        return rows, None
    places = sum(r.places for r in rows)
    attendees = sum(r.attendees for r in rows)
    total = CourseRow(Course(title="Total"), sum(r.sessions for r in rows), places, attendees, _pct(attendees, places))
    return rows, total


def training_by_agency(start: dt.date, end: dt.date) -> tuple[list[AgencyRow], int]:
    """Seed 001 Figure 4: attendees in the period by agency, most first."""
    counts = Counter(attendees_in(start, end).values_list("agency__name", flat=True))
    absent = Counter(
        Delegate.objects.filter(session__date__gte=start, session__date__lte=end, attended=False).values_list(
            "agency__name", flat=True
        )
    )
    total = sum(counts.values())
    names = sorted(set(counts) | set(absent), key=lambda n: (-counts[n], n))
    rows = [AgencyRow(n, counts[n], _pct(counts[n], total), absent[n]) for n in names]
    return rows, total


@dataclass
class TrainingYear:
    sessions: int
    attendees: int


def training_totals(start: dt.date, end: dt.date) -> TrainingYear:
    return TrainingYear(sessions_in(start, end).count(), attendees_in(start, end).count())


def evaluation(start: dt.date, end: dt.date) -> list[EvaluationRow]:
    """Confidence (1-5) before, after and at the two-month follow-up (seed 001 section 3.3),
    per course. Each change is the mean over attendees who gave both scores, so an attendee
    who skipped the follow-up does not pull the post mean of the follow-up pair."""
    scores: dict[int, list[Delegate]] = defaultdict(list)
    courses: dict[int, Course] = {}
    for d in attendees_in(start, end).select_related("session__course"):
        scores[d.session.course_id].append(d)
        courses[d.session.course_id] = d.session.course
    rows = []
    for course_id, delegates in scores.items():
        pairs = [(d.pre_score, d.post_score) for d in delegates if d.pre_score and d.post_score]
        later = [(d.post_score, d.follow_up_score) for d in delegates if d.post_score and d.follow_up_score]
        rows.append(
            EvaluationRow(
                course=courses[course_id],
                pre_post_n=len(pairs),
                pre_mean=_mean([a for a, _ in pairs]),
                post_mean=_mean([b for _, b in pairs]),
                pre_post_change=_mean([b - a for a, b in pairs]),
                follow_n=len(later),
                follow_mean=_mean([b for _, b in later]),
                post_follow_change=_mean([b - a for a, b in later]),
            )
        )
    rows.sort(key=lambda r: r.course.title)
    return rows


# --- board and sub-group attendance ---------------------------------------------

REPRESENTED = {Attendance.Status.ATTENDED, Attendance.Status.DEPUTY}


def member_agencies(body: Body, on: dt.date) -> list[PartnerAgency]:
    """Agencies with a seat on the body on that day (start on or before, no end or end on or after)."""
    ids = (
        Membership.objects.filter(body=body, start_date__lte=on)
        .exclude(end_date__lt=on)
        .values_list("agency_id", flat=True)
    )
    return list(PartnerAgency.objects.filter(pk__in=ids).order_by("name"))


@dataclass
class AgencyAttendance:
    agency: PartnerAgency
    cells: list[str]  # per meeting: a status value, "not_recorded", or "" (not a member then)
    expected: int  # meetings held while the agency was a member
    represented: int  # of those, attended or sent a deputy
    rate: float  # represented / expected, as a percentage


@dataclass
class AttendanceGrid:
    body: Body
    meetings: list[Meeting]
    rows: list[AgencyAttendance]
    expected: int
    represented: int
    rate: float


def attendance_grid(body: Body, start: dt.date, end: dt.date) -> AttendanceGrid:
    """Seed 001 Figure 2: each member agency against each meeting of the body held in the
    period, and its attendance rate over the meetings held while it was a member. A
    member with no attendance recorded for a meeting counts as not represented."""
    meetings = list(body.meetings.filter(date__gte=start, date__lte=end).order_by("date"))
    seats = list(Membership.objects.filter(body=body).select_related("agency"))
    status = {(a.meeting_id, a.agency_id): a.status for a in Attendance.objects.filter(meeting__in=meetings)}
    agencies = {m.agency_id: m.agency for m in seats}
    rows = []
    for agency_id, agency in sorted(agencies.items(), key=lambda kv: kv[1].name):
        cells = []
        expected = represented = 0
        for meeting in meetings:
            member = any(
                s.agency_id == agency_id
                and s.start_date <= meeting.date
                and (s.end_date is None or s.end_date >= meeting.date)
                for s in seats
            )
            if not member:
                cells.append("")
                continue
            expected += 1
            value = status.get((meeting.pk, agency_id), "not_recorded")
            represented += value in REPRESENTED
            cells.append(value)
        if expected:
            rows.append(AgencyAttendance(agency, cells, expected, represented, _pct(represented, expected)))
    expected = sum(r.expected for r in rows)
    represented = sum(r.represented for r in rows)
    return AttendanceGrid(body, meetings, rows, expected, represented, _pct(represented, expected))


@dataclass
class RateRow:
    agency: str
    expected: int
    represented: int
    rate: float


def attendance_by_agency(start: dt.date, end: dt.date) -> list[RateRow]:
    """Each agency's attendance over every body's meetings in the period, lowest rate
    first (the ones the chair challenges, seed 001 section 2.11)."""
    totals: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for body in Body.objects.all():
        for row in attendance_grid(body, start, end).rows:
            totals[row.agency.name][0] += row.expected
            totals[row.agency.name][1] += row.represented
    rows = [RateRow(name, e, r, _pct(r, e)) for name, (e, r) in totals.items()]
    rows.sort(key=lambda r: (r.rate, r.agency))
    return rows
