"""The generator's state: the random stream, the calendar, the rows, the
children known so far and the cases that hold them.

A Case is one stretch of involvement with a child, from referral to closure. It
records which team held the case from which date; finish() turns that into
Involvement rows (one per worker), moving the case when a worker leaves or is
replaced, and then fills the worker on every row that needs one."""

import math
import random
from bisect import bisect_left, bisect_right, insort
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from children import models as ch

from . import codes, names
from .calendar import WorkingDays, add_months, add_years
from .config import Size
from .organisation import Holder, Org, TeamInfo
from .store import Store

FOREVER = date.max
UPN_LA_CODE = "001"  # a DfE pseudo-LA code, so that no made-up UPN is a real pupil's
_UPN_LETTERS = "ABCDEFGHJKLMNPQRTUVWXYZ"


def upn_check_letter(digits: str) -> str:
    """The check letter of a 12-digit UPN body (DfE UPN guidance: weights 2-13, modulo 23)."""
    return _UPN_LETTERS[sum(int(c) * w for c, w in zip(digits, range(2, 14), strict=True)) % 23]


class ChildState:
    __slots__ = (
        "child",
        "birth",
        "locality",
        "free_from",
        "last_referral",
        "cp_plans",
        "prior_plans",
        "involvements",
        "missing_rate",
        "missing_times",
        "flags",
        "exploited",
    )

    def __init__(self, child: ch.Child, birth: date, locality: str) -> None:
        self.child = child
        self.birth = birth  # actual (or, if not yet born, expected) date of birth
        self.locality = locality
        self.free_from = date.min  # no open case after this date
        self.last_referral: date | None = None
        self.cp_plans = 0
        self.prior_plans = 0  # plans before the register (another council, or long ago)
        self.involvements: list[ch.Involvement] = []
        self.missing_rate: float | None = None
        self.missing_times: list[date] = []
        self.flags: set[str] = set()
        self.exploited = False

    def age(self, d: date) -> float:
        """Age in years on d (negative before birth)."""
        return (d - self.birth).days / 365.25

    def birthday(self, years: int) -> date:
        return add_years(self.birth, years)


class Sim:
    def __init__(self, size: Size, seed: int, end: date, years: int) -> None:
        self.rng = random.Random(seed)
        self.size = size
        self.scale = size.scale
        self.end = end
        self.start = add_years(end, -years) + timedelta(days=1)
        self.span_days = (end - self.start).days + 1
        # Recurring events (visits, reviews, core groups) are written from a year
        # before the window, so that the first intervals in the window are known.
        self.floor = add_years(self.start, -1)
        self.supervision_floor = self.start - timedelta(days=90)
        self.cal = WorkingDays(date(end.year - 27, 1, 1), date(end.year + 4, 12, 31))
        self.store = Store()
        self.org: Org
        self.tz = ZoneInfo("Europe/London")
        self.end_at = datetime.combine(end, time(23, 59), self.tz)
        self.children: list[ChildState] = []
        self.referral_dates: list[tuple[int, int]] = []  # (ordinal, sequence), sorted
        self.referral_children: list[ChildState] = []
        self._referral_seq = 0
        self.upns: set[str] = set()  # no two children share a UPN (the DfE's rules refuse a return that has two)
        self.signals: list[tuple[date, int, str, ChildState]] = []
        self.worker_names: dict[int, str] = {}
        # Matched adoptions (adopters' sex, match, placed, adoption order, foster carers adopting).
        self.adoptions: list[tuple[str, date, date, date, bool]] = []

    # ----- small helpers -------------------------------------------------

    def chance(self, p: float) -> bool:
        return self.rng.random() < p

    def count(self, expected: float) -> int:
        """An integer count with the given expectation (stochastic rounding)."""
        whole = math.floor(expected)
        return whole + (1 if self.rng.random() < expected - whole else 0)

    def progress(self, d: date) -> float:
        """How far through the window d is, 0 to 1 (used for gradual improvement)."""
        return min(1.0, max(0.0, (d - self.start).days / self.span_days))

    def at(self, d: date, hour: int, minute: int = 0) -> datetime:
        return datetime.combine(d, time(hour, minute), self.tz)

    def signal(self, d: date, cs: ChildState, concern: str) -> None:
        self.signals.append((d, len(self.signals), concern, cs))

    # ----- children --------------------------------------------------------

    def _new_upn(self, birth: date, number: int) -> str:
        """A UPN no other child has: LA code, school number, year of entry and a 3-digit serial. The serial
        repeats every 1,000 children, so a clash with an earlier child draws another school number."""
        while True:
            body = f"{UPN_LA_CODE}{self.rng.randint(1000, 9999)}{(birth.year + 5) % 100:02d}{number % 1000:03d}"
            upn = upn_check_letter(body) + body
            if upn not in self.upns:
                self.upns.add(upn)
                return upn

    def new_child(
        self,
        on: date,
        age: float,
        *,
        sex: str | None = None,
        uasc: bool = False,
        disabled: bool = False,
    ) -> ChildState:
        rng = self.rng
        birth = on - timedelta(days=int(age * 365.25))
        number = len(self.children) + 1
        if sex is None:
            sex = "M" if rng.random() < 0.51 else "F"
        born = birth <= self.end
        ethnicity = (codes.ETHNICITY_UASC if uasc else codes.ETHNICITY).pick(rng)
        age_at_end = (self.end - birth).days / 365.25
        upn = ""
        upn_unknown = ""
        if age_at_end >= 5 and not uasc and rng.random() < 0.96:
            upn = self._new_upn(birth, number)
        elif born and age_at_end < 5:
            # UN1, "child is not of school age", means that in the CIN census and the 903 (UN6 is no 903 code).
            upn_unknown = "UN1"
        elif born:
            # The 903 asks a UPN or a reason for none for every child looked after (the DfE's rule 442): UN4,
            # newly arrived from abroad, for an unaccompanied child; UN5, sources disagree, for the others.
            upn_unknown = "UN4" if uasc else "UN5"
        in_borough = rng.random() < 0.95
        child = self.store.add(
            ch.Child,
            la_child_id=f"DB{number:07d}",
            upn=upn,
            upn_unknown=upn_unknown,
            first_name=names.first_name(rng, sex) if born else "",
            last_name=names.surname(rng),
            birth_date=birth if born else None,
            expected_birth_date=(birth + timedelta(days=rng.randint(-14, 10))) if age < 0 else None,
            sex=sex if born else "U",
            ethnicity=ethnicity,
            sen=age_at_end >= 4 and rng.random() < (0.45 if disabled else 0.27),
            # The 903 asks whether a girl in care is a mother (MOTHER, rules 393 and 607); none here is.
            is_mother=False if sex == "F" and born else None,
            postcode=names.postcode(rng, in_borough),
        )
        cs = ChildState(child, birth, rng.choice(self.size.localities))
        self.children.append(cs)
        if disabled or rng.random() < 0.025:
            cs.flags.add("disabled")
            for code in sorted({codes.DISABILITY.pick(rng) for _ in range(rng.choice((1, 1, 2, 3)))}):
                self.store.add(ch.Disability, child_id=child.id, code=code)
        else:
            # The CIN census records "no disability" as the code NONE (rule 8540 refuses a child with no code),
            # as the register holds it after a CIN import; indicators read NONE as not disabled.
            self.store.add(ch.Disability, child_id=child.id, code="NONE")
        return cs

    def contact(self, cs: ChildState, d: date, source: str, outcome: str) -> None:
        self.store.add(ch.Contact, child_id=cs.child.id, contact_date=d, source=source, outcome=outcome)

    # ----- referrals, for re-referral choices ------------------------------

    def log_referral(self, d: date, cs: ChildState) -> None:
        key = (d.toordinal(), self._referral_seq)
        self._referral_seq += 1
        if not self.referral_dates or key >= self.referral_dates[-1]:
            self.referral_dates.append(key)
            self.referral_children.append(cs)
        else:
            i = bisect_right(self.referral_dates, key)
            insort(self.referral_dates, key)
            self.referral_children.insert(i, cs)
        if cs.last_referral is None or d > cs.last_referral:
            cs.last_referral = d

    def recent_referral_child(self, d: date) -> ChildState | None:
        """A child whose last referral was in the 12 months before d and whose case has closed."""
        lo = bisect_left(self.referral_dates, (add_months(d, -12).toordinal(), -1))
        hi = bisect_left(self.referral_dates, (d.toordinal(), -1))
        if hi <= lo:
            return None
        for _ in range(30):
            i = self.rng.randrange(lo, hi)
            cs = self.referral_children[i]
            if (
                cs.free_from < d
                and cs.last_referral is not None
                and cs.last_referral.toordinal() == self.referral_dates[i][0]
                and 0 <= cs.age(d) < 17.5
                and cs.child.death_date is None
            ):
                return cs
        return None

    def known_child(self, d: date, *, for_referral: bool) -> ChildState | None:
        """A child already known, with no open case (and, for a referral, none in the last 12 months)."""
        if not self.children:
            return None
        year_ago = add_months(d, -12)
        for _ in range(8):
            cs = self.rng.choice(self.children)
            if not (0 <= cs.age(d) < 17.5) or cs.free_from >= d or cs.child.death_date is not None:
                continue
            if for_referral and cs.last_referral is not None and cs.last_referral >= year_ago:
                continue
            return cs
        return None

    # ----- missing episodes ------------------------------------------------

    def missing_episodes(self, case: "Case", a: date, b: date, rate: float, looked_after: bool) -> None:
        """Missing and away episodes between a and b at `rate` a year (from age 11)."""
        cs = case.cs
        a = max(a, self.floor, cs.birthday(11))
        b = min(b, self.end)
        if rate <= 0 or a >= b:
            return
        rng = self.rng
        rate = min(rate, 24.0)
        t = a + timedelta(days=rng.expovariate(rate / 365.0))
        while t < b:
            returned = self.missing_episode(cs, t, looked_after)
            if returned is None:
                return  # still missing at the end date
            # The next period begins after the child came back, on a later day: periods never overlap (903 rule 574).
            t = max(t + timedelta(days=max(1.0, rng.expovariate(rate / 365.0))), returned.date() + timedelta(days=1))

    def missing_episode(self, cs: ChildState, day: date, looked_after: bool) -> datetime | None:
        """One missing or away period from `day`; returns when the child came back (None: not by the end)."""
        rng = self.rng
        hour = rng.choices(range(24), weights=[3, 2, 1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 2, 3, 4, 6, 8, 9, 9, 8, 7, 6, 5, 4])[
            0
        ]
        started = self.at(day, hour, rng.randrange(0, 60, 5))
        if started > self.end_at:
            return None
        away = looked_after and rng.random() < 0.22
        hours = rng.lognormvariate(math.log(5 if away else 10), 1.1)
        returned = started + timedelta(hours=hours)
        reported = started + timedelta(minutes=rng.randint(30, 240))
        police = None if away and rng.random() < 0.7 else reported + timedelta(minutes=rng.randint(0, 45))
        row = self.store.add(
            ch.MissingEpisode,
            child_id=cs.child.id,
            kind=ch.MissingEpisode.Kind.AWAY if away else ch.MissingEpisode.Kind.MISSING,
            started_at=started,
            reported_at=reported if reported <= self.end_at else None,
            police_notified_at=police if police and police <= self.end_at else None,
        )
        if returned > self.end_at:
            return None  # still missing at the end date
        row.returned_at = returned
        row.found_location = rng.choice(names.FOUND_LOCATIONS)
        # Return home interview: offered within 72 hours for most (DOMAIN.md section 2).
        r = rng.random()
        offered = (
            returned + timedelta(hours=rng.uniform(2, 70))
            if r < 0.8
            else returned + timedelta(hours=rng.uniform(73, 240))
            if r < 0.92
            else None
        )
        if offered and offered <= self.end_at:
            row.rhi_offered_at = offered
            row.rhi_accepted = rng.random() < 0.68
            if row.rhi_accepted:
                done = offered + timedelta(
                    hours=rng.choice((rng.uniform(1, 48), rng.uniform(1, 48), rng.uniform(48, 200)))
                )
                if rng.random() < 0.9 and done <= self.end_at:
                    row.rhi_completed_at = done
            row.rhi_by = rng.choices(
                ("Safe Return Project", "Allocated social worker", "Exploitation and Missing Team"), (70, 18, 12)
            )[0]
        cs.missing_times.append(day)
        recent = [t for t in cs.missing_times if (day - t).days <= 90]
        if len(recent) >= 3 and "missing_signal" not in cs.flags:
            cs.flags.add("missing_signal")
            self.signal(day, cs, "missing")
        return returned


class Case:
    """One child's case from a referral to its closure."""

    def __init__(self, sim: Sim, cs: ChildState, team: TeamInfo, start: date) -> None:
        self.sim = sim
        self.cs = cs
        self.team = team
        self.segments: list[list[Any]] = [[team, start, False]]
        self.pending: list[tuple[Any, date]] = []
        self.advisers: list[tuple[Any, date]] = []
        # The census refuses a closure before the episode's last activity (rule 8565), and RC8/RC9 ("closed
        # after assessment") once a section 47, plan or conference has happened (rule 2990).
        self.active_until = start
        self.worked = False

    def move(self, kind: str, d: date, qualified: bool = True, team: TeamInfo | None = None) -> None:
        if d > self.sim.end or (team is None and self.team.kind == kind) or team is self.team:
            return
        team = team or self.sim.org.team(self.sim.rng, kind, self.cs.locality)
        last = self.segments[-1]
        if d <= last[1]:
            last[0], last[2] = team, qualified
        else:
            self.segments.append([team, d, qualified])
        self.team = team

    def needs_worker(self, obj: Any, d: date) -> None:
        self.pending.append((obj, d))

    def needs_adviser(self, obj: Any, d: date) -> None:
        """A pathway plan after 18 names the personal adviser then holding the case."""
        self.advisers.append((obj, d))

    def visit(self, kind: str, d: date, seen_alone_possible: bool) -> None:
        rng = self.sim.rng
        seen = d >= self.cs.birth and rng.random() < 0.96  # before birth, the visit is to the expectant mother
        row = self.sim.store.add(
            ch.Visit,
            child_id=self.cs.child.id,
            kind=kind,
            visit_date=d,
            seen=seen,
            seen_alone=seen and seen_alone_possible and rng.random() < 0.75,
        )
        self.pending.append((row, d))

    def finish(self, close: date | None) -> None:
        sim, rng, end = self.sim, self.sim.rng, self.sim.end
        store = sim.store
        if close is not None and close < self.segments[0][1]:
            close = self.segments[0][1]
        if close is not None and close > end:
            close = None
        has_change_reason = store.has(ch.Involvement, "change_reason")
        starts: list[int] = []
        workers: list[int | None] = []
        reason_in = "FCONTA"  # the 903's SW_REASON for a case's first worker (first contact); never blank
        for i, (team, start, qualified) in enumerate(self.segments):
            if start > end:
                break
            stop = self.segments[i + 1][1] if i + 1 < len(self.segments) else close
            horizon = stop or FOREVER
            cur = start
            if i > 0:
                reason_in = "TSPROC"
            holder: Holder | None = None
            wait_until = None
            if rng.random() < 0.025:
                wait_until = sim.cal.add(cur, rng.randint(2, 15))  # awaiting allocation
            else:
                holder = sim.org.worker(rng, team, cur, qualified)
            while True:
                change, reason = None, ""
                if holder is None and wait_until is not None:
                    change, reason = wait_until, "MANAGE"
                elif holder is not None:
                    if holder.end is not None and holder.end > cur:
                        change, reason = holder.end, "LEFTRL"
                    shift = cur + timedelta(days=int(rng.expovariate(1 / 800)) + 20)
                    if change is None or shift < change:
                        change, reason = shift, codes.REALLOCATION_REASON.pick(rng)
                if change is None or change >= horizon or change > end:
                    last_end = stop if stop is not None and stop <= end else None
                    moved = "TSPROC" if i + 1 < len(self.segments) else ""
                    self._involvement(team, holder, cur, last_end, reason_in, moved, has_change_reason, starts, workers)
                    break
                self._involvement(team, holder, cur, change, reason_in, reason, has_change_reason, starts, workers)
                avoid = holder.worker if holder else None
                holder = sim.org.worker(rng, team, change, qualified, avoid=avoid)
                cur, reason_in, wait_until = change, reason, None
        for obj, d in self.pending:
            if starts:
                obj.worker_id = workers[max(0, bisect_right(starts, d.toordinal()) - 1)]
        for obj, d in self.advisers:
            if starts:
                worker_id = workers[max(0, bisect_right(starts, d.toordinal()) - 1)]
                obj.personal_adviser = sim.worker_names.get(worker_id, "") if worker_id else ""
        self.cs.free_from = close if close is not None else FOREVER

    def _supervision(self, team: TeamInfo, start: date, stop: date | None) -> None:
        sim, rng = self.sim, self.sim.rng
        upto = min(stop or FOREVER, sim.end + timedelta(days=1))
        manager = team.posts[0]
        s = sim.cal.add(start, rng.randint(8, 20))
        while s < upto:
            if s >= sim.supervision_floor:
                actions = rng.sample(names.SUPERVISION_ACTIONS, rng.choice((1, 2, 2, 3)))
                sim.store.add(
                    ch.CaseSupervision,
                    child_id=self.cs.child.id,
                    supervision_date=s,
                    supervisor_id=manager.holder_at(s).worker.id,
                    actions="; ".join(actions),
                )
            s = sim.cal.add(s, rng.randint(14, 20) if rng.random() < 0.78 else rng.randint(21, 45))

    def _involvement(
        self,
        team: TeamInfo,
        holder: Holder | None,
        start: date,
        stop: date | None,
        reason_in: str,
        reason_out: str,
        has_change_reason: bool,
        starts: list[int],
        workers: list[int | None],
    ) -> None:
        values: dict[str, Any] = {
            "child_id": self.cs.child.id,
            "team_id": team.team.id,
            "worker_id": holder.worker.id if holder else None,
            "start_date": start,
            "end_date": stop,
            "reason_ended": reason_out if stop is not None else "",
        }
        if has_change_reason:
            values["change_reason"] = reason_in
        row = self.sim.store.add(ch.Involvement, **values)
        self.cs.involvements.append(row)
        if holder is not None and team.kind != "front_door":
            self._supervision(team, start, stop)
        starts.append(start.toordinal())
        workers.append(row.worker_id)
