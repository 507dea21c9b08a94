"""Looked-after children: a care plan (legal statuses, proceedings, how and when
the period ends), placements and the SSDA903 episodes they make, reviews, health
assessments, PEPs, visits, missing episodes, permanence and adoption, and care
leavers up to 21 (25 for some). Timescales: DOMAIN.md section 2 (CPPCR 2010)."""

import functools
import math
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import Any

from children import models as ch
from children.models.permanence import PermanencePlanType
from organisation.models import TeamType
from returns.ssda903.reader import codes_for

from . import codes, names
from .calendar import add_months, add_years
from .sim import Case, ChildState, Sim

# How a period in care ends, by age on entry.
EXITS = {
    "infant": {"adoption": 36, "sgo": 24, "return_home": 28, "until18": 9, "other": 3},
    "young": {"adoption": 16, "sgo": 21, "cao": 5, "return_home": 38, "until18": 16, "other": 4},
    "child": {"sgo": 14, "cao": 5, "return_home": 50, "until18": 26, "other": 5},
    "older": {"sgo": 4, "return_home": 52, "until18": 35, "other": 9},
    "16+": {"return_home": 25, "until18": 70, "other": 5},
}
PERMANENCE = {
    "adoption": PermanencePlanType.ADOPTION,
    "sgo": PermanencePlanType.SPECIAL_GUARDIANSHIP,
    "cao": PermanencePlanType.CHILD_ARRANGEMENTS,
    "return_home": PermanencePlanType.RETURN_HOME,
    "until18": PermanencePlanType.LONG_TERM_FOSTERING,
    "other": PermanencePlanType.LONG_TERM_FOSTERING,
}
CLOSURE = {"adoption": "RC1", "sgo": "RC4", "cao": "RC3"}
FOSTER = ("U1", "U2", "U3", "U4", "U5", "U6")
# (place, provider, weight) for a new placement, by age.
PLACES = {
    "infant": (("U6", "PR1", 45), ("U6", "PR4", 18), ("U3", "PR1", 18)),
    "child": (("U6", "PR1", 50), ("U6", "PR4", 24), ("U3", "PR1", 15), ("K2", "PR4", 2), ("S1", "PR4", 1)),
    "teen": (
        ("U6", "PR1", 36),
        ("U6", "PR4", 17),
        ("U3", "PR1", 7),
        ("K2", "PR4", 22),
        ("K2", "PR1", 3),
        ("K2", "PR5", 3),
        ("S1", "PR4", 3),
        ("K1", "PR2", 0.7),
        ("R2", "PR3", 0.5),
    ),
    "16+": (
        ("U6", "PR1", 26),
        ("U6", "PR4", 15),
        ("U3", "PR1", 6),
        ("K2", "PR4", 12),
        ("H5", "PR4", 28),
        ("H5", "PR5", 6),
        ("P2", "", 2),
        ("K2", "PR5", 2),
    ),
}
# The youngest a child may be when a placement of this type begins (the DfE's rules 372-374).
MIN_AGE = {"R5": 10, "S1": 4, "P3": 14}
# Mean days in a placement before a move, by placement type.
STAY = {
    "U6": 420,
    "U3": 520,
    "U5": 300,
    "U2": 300,
    "U4": 2200,
    "U1": 2200,
    "K2": 420,
    "H5": 320,
    "S1": 520,
    "K1": 100,
    "R2": 80,
    "R3": 90,
    "R5": 90,
    "P1": 500,
    "P2": 300,
    "A5": 99999,
    "A6": 99999,
}
# Placement types the DfE withdrew, and what the generator writes instead for an episode still open in
# (or ending in) a year without them: the register holds the code its last day's year allows, as a case
# management system recodes an open placement. H5 -> K3 is the DfE's own successor (K3 from 2024-25, H5
# withdrawn in 2025-26; rule 503D lets last year's H5 continue as K3). P2 has no successor: the made-up
# council moves such young people into K3 supported accommodation (docs/decisions/0029).
WITHDRAWN_PLACE = {"H5": "K3", "P2": "K3"}
# OC3 ACCOM: no fixed abode (S) and in custody (X) are always unsuitable: S1 and X1 are not codes.
UNSUITABLE = frozenset({"S", "X"})


@functools.cache
def _places(collection_year: int) -> frozenset[str]:
    return codes_for(collection_year)["PLACE"]


def place_for_year(place: str, last_day: date) -> str:
    """The placement type written for an episode whose last day (or the generator's end) is `last_day`.
    Supported accommodation is K3 from 2024-25, when K3 came in, though H5 was allowed that year too: so
    the episodes of one placement in one return have one code (a change of legal status, RNE L, with a
    placement type that changed is the DfE's rule 434)."""
    allowed = _places(last_day.year + (last_day.month >= 4))
    if place == "H5" and "K3" in allowed:
        return "K3"
    return place if place in allowed else WITHDRAWN_PLACE.get(place, place)


IN_BOROUGH = {"PR1": 0.75, "PR4": 0.45, "PR5": 0.4, "PR2": 0.05, "PR3": 0.1, "PR0": 0.85, "": 0.6}
# Ofsted URNs (made up) for every registered provider: homes, secure units, supported accommodation, and
# (the DfE's rule 218, from 2025-26) fostering and adoption services and residential schools.
URNS = {
    name: f"SC{400000 + 7919 * i % 500000:06d}"
    for i, name in enumerate(
        (
            *names.CHILDRENS_HOMES,
            *names.SECURE_UNITS,
            *names.SUPPORTED_ACCOMMODATION,
            *names.FOSTERING_AGENCIES,
            *names.ADOPTION_AGENCIES,
            *names.RESIDENTIAL_SCHOOLS,
            "Demonstration Borough Fostering Service",
            "Demonstration Borough Adoption Service",
        )
    )
}
# Connected carers are approved by the council's own fostering service.
URNS["Connected carers (family and friends)"] = URNS["Demonstration Borough Fostering Service"]


@dataclass
class CarePlan:
    start: date
    birth: date
    route: str  # s20, proceedings, police, epo, remand, uasc
    exit_kind: str  # return_home, adoption, sgo, cao, until18, other
    exit: date
    exit_code: str
    legal: list[tuple[date, str]] = field(default_factory=list)
    proceedings: tuple[date | None, date, date, str] | None = None  # PLO start, issued, concluded, order
    adoption: dict[str, date] | None = None  # decision, placement_order, match, placed
    long_term_from: date | None = None
    home_from: date | None = None
    extended: bool = False  # a care leaver supported to 25

    def shifted(self, days: int) -> "CarePlan":
        delta = timedelta(days=days)

        def move(d: date | None) -> date | None:
            return d + delta if d is not None else None

        birth = self.birth + delta
        return replace(
            self,
            start=self.start + delta,
            birth=birth,
            # Leap days: the 18th birthday moves with the birth date, not by the same number of days.
            exit=add_years(birth, 18) if self.exit_kind == "until18" else min(self.exit + delta, add_years(birth, 18)),
            legal=[(d + delta, ls) for d, ls in self.legal],
            proceedings=(
                (
                    move(self.proceedings[0]),
                    self.proceedings[1] + delta,
                    self.proceedings[2] + delta,
                    self.proceedings[3],
                )
                if self.proceedings
                else None
            ),
            adoption={k: v + delta for k, v in self.adoption.items()} if self.adoption else None,
            long_term_from=move(self.long_term_from),
            home_from=move(self.home_from),
        )


def age_group(age: float) -> str:
    if age < 1:
        return "infant"
    if age < 5:
        return "young"
    if age < 10:
        return "child"
    if age < 16:
        return "older"
    return "16+"


def sample_plan(sim: Sim, birth: date, start: date, *, uasc: bool = False, exit_kind: str | None = None) -> CarePlan:
    rng = sim.rng
    age = (start - birth).days / 365.25
    b18 = add_years(birth, 18)
    group = age_group(age)
    if exit_kind is None:
        if uasc:
            exit_kind = "until18" if rng.random() < 0.93 else "other"
        else:
            table = EXITS[group]
            exit_kind = rng.choices(list(table), list(table.values()))[0]
    if uasc:
        route = "uasc"
    elif exit_kind in ("adoption", "sgo", "cao"):
        route = rng.choices(("proceedings", "epo", "police", "s20"), (80, 8, 7, 5))[0]
    elif exit_kind == "until18":
        route = (
            rng.choices(("proceedings", "s20", "police", "epo"), (60, 27, 10, 3))[0]
            if age < 10
            else rng.choices(("s20", "proceedings", "police", "remand"), (46, 39, 12, 3))[0]
        )
    elif exit_kind == "return_home":
        route = rng.choices(("s20", "proceedings", "police"), (62, 18, 20))[0]
    else:
        route = rng.choices(("s20", "police", "remand"), (55, 15, 30 if age >= 12 else 0))[0]
    plan = CarePlan(start=start, birth=birth, route=route, exit_kind=exit_kind, exit=start, exit_code="")
    legal = plan.legal
    t = start
    issue = None
    if route == "police":
        legal.append((t, "L1"))
        t += timedelta(days=rng.randint(1, 3))
        route = "proceedings" if exit_kind in ("adoption", "sgo", "cao") or rng.random() < 0.3 else "s20"
    elif route == "epo":
        legal.append((t, "L2"))
        t += timedelta(days=rng.randint(3, 8))
        route = "proceedings"
    elif route == "remand":
        legal.append((t, "J1"))
        if exit_kind == "other":
            plan.exit = start + timedelta(days=rng.randint(14, 150))
            plan.exit_code = "E14" if rng.random() < 0.7 else "E9"
        else:
            t += timedelta(days=rng.randint(20, 120))
            route = "s20"
    if route in ("s20", "uasc"):
        legal.append((t, "V2"))
        if (
            exit_kind in ("adoption", "sgo", "cao")
            or (exit_kind == "until18" and age < 14 and rng.random() < 0.45)
            or (exit_kind == "return_home" and rng.random() < 0.1)
        ):
            issue = t + timedelta(days=rng.randint(30, 200))
    elif route == "proceedings":
        issue = t
    concluded = None
    order = ""
    if issue is not None:
        legal.append((issue, "C1"))
        # Care proceedings: 26 weeks is the limit (Children and Families Act 2014 s.14); many run longer.
        weeks = rng.lognormvariate(math.log(27), 0.3)
        concluded = issue + timedelta(days=int(weeks * 7))
    if exit_kind == "return_home":
        if concluded is not None:
            order = rng.choices(("Supervision order", "Care order", "No order"), (45, 25, 30))[0]
            if order == "Care order":
                legal.append((concluded, "C2"))
                plan.exit = concluded + timedelta(days=rng.randint(30, 300))
                plan.home_from = plan.exit - timedelta(days=rng.randint(20, 120))
                if plan.home_from <= concluded:
                    plan.home_from = None
            else:
                plan.exit = concluded
        else:
            median = 200 if age < 1 else 110
            plan.exit = start + timedelta(days=max(3, int(rng.lognormvariate(math.log(median), 0.9))))
        plan.exit_code = codes.RETURN_HOME_REASON.pick(rng)
    elif exit_kind in ("sgo", "cao"):
        assert concluded is not None
        order = "Special guardianship order" if exit_kind == "sgo" else "Child arrangements order"
        plan.exit = concluded
        if exit_kind == "sgo":
            plan.exit_code = "E45" if rng.random() < 0.3 else "E46"
        else:
            plan.exit_code = "E47" if rng.random() < 0.1 else "E48"
    elif exit_kind == "adoption":
        assert concluded is not None
        order = "Placement order"
        legal.append((concluded, "E1"))
        # The decision to place for adoption comes before the placement order (rule 554).
        decision = min(concluded, max(start + timedelta(days=30), concluded - timedelta(days=rng.randint(30, 120))))
        match = concluded + timedelta(days=int(rng.lognormvariate(math.log(140), 0.5)))
        placed = match + timedelta(days=rng.randint(7, 35))
        plan.adoption = {"decision": decision, "placement_order": concluded, "match": match, "placed": placed}
        plan.exit = placed + timedelta(days=rng.randint(110, 330))
        plan.exit_code = "E11" if rng.random() < 0.85 else "E12"
    elif exit_kind == "until18":
        if concluded is not None:
            order = "Care order"
            legal.append((concluded, "C2"))
        plan.exit = b18
        plan.exit_code = codes.AGE_18_REASON.pick(rng)
    else:
        if not plan.exit_code:
            plan.exit = start + timedelta(days=rng.randint(20, 400))
            plan.exit_code = "E15" if uasc else codes.OTHER_EXIT_REASON.pick(rng)
            if uasc:
                plan.exit = start + timedelta(days=rng.randint(14, 90))
        if concluded is not None and concluded < plan.exit:
            order = "Care order"
            legal.append((concluded, "C2"))
    if plan.exit >= b18:
        plan.exit = b18
        if plan.exit_kind != "until18":
            plan.exit_kind = "until18"
            plan.exit_code = codes.AGE_18_REASON.pick(rng)
            plan.adoption = None
    if plan.exit <= start:
        plan.exit = start + timedelta(days=1)
    if plan.exit_code == "E7" and plan.exit < add_years(birth, 16):  # adult social care only from 16 (rule 389)
        plan.exit_code = "E8"
    if issue is not None and concluded is not None:
        plo = (
            issue - timedelta(days=rng.randint(30, 150))
            if plan.route == "proceedings" and rng.random() < 0.55
            else None
        )
        if issue < plan.exit:
            plan.proceedings = (plo, issue, concluded, order)
    if plan.exit_kind == "until18" and (plan.exit - start).days > 730:
        lt = start + timedelta(days=rng.randint(200, 600))
        if concluded is not None:
            lt = max(lt, concluded + timedelta(days=14))
        if lt < plan.exit - timedelta(days=180):
            plan.long_term_from = lt
    # Legal statuses in date order, each before the period ends, no repeats.
    cleaned: list[tuple[date, str]] = []
    for d, ls in sorted(legal, key=lambda x: x[0]):
        if d >= plan.exit and cleaned:
            continue
        if cleaned and cleaned[-1][0] == d:
            cleaned[-1] = (d, ls)
        elif not cleaned or cleaned[-1][1] != ls:
            cleaned.append((d, ls))
    plan.legal = cleaned
    plan.legal[0] = (start, plan.legal[0][1])
    return plan


@dataclass
class Placement:
    start: date
    place: str
    provider: str
    carer: int
    reason: str
    long_term: bool = False
    name: str = ""
    urn: str = ""
    in_borough: bool | None = None
    postcode: str = ""
    authority: str = ""


def _place_group(age: float) -> str:
    return "infant" if age < 1 else "child" if age < 10 else "teen" if age < 16 else "16+"


class Placer:
    def __init__(self, sim: Sim, home_postcode: str) -> None:
        self.sim = sim
        self.home = home_postcode
        self.carers = 0

    def make(
        self, start: date, place: str, provider: str, reason: str, carer: int | None = None, long_term: bool = False
    ) -> Placement:
        rng = self.sim.rng
        if carer is None:
            self.carers += 1
            carer = self.carers
        p = Placement(start, place, provider, carer, reason, long_term)
        if place in FOSTER:
            if place in ("U1", "U2", "U3"):
                p.name = "Connected carers (family and friends)"
            elif provider == "PR1":
                p.name = "Demonstration Borough Fostering Service"
            else:
                p.name = rng.choice(names.FOSTERING_AGENCIES)
        elif place in ("K2",):
            p.name = rng.choice(names.CHILDRENS_HOMES)
        elif place == "K1":
            p.name = rng.choice(names.SECURE_UNITS)
        elif place == "H5":
            p.name = rng.choice(names.SUPPORTED_ACCOMMODATION)
        elif place == "S1":
            p.name = rng.choice(names.RESIDENTIAL_SCHOOLS)
        elif place in ("A5", "A6"):
            p.name = (
                "Demonstration Borough Adoption Service" if provider == "PR1" else rng.choice(names.ADOPTION_AGENCIES)
            )
        elif place == "R3":
            p.name = "Parent and child assessment unit"
        elif place == "R5":
            p.name = "Young offender institution"
        elif place == "R2":
            p.name = "Adolescent mental health unit"
        p.urn = URNS.get(p.name, "")
        if place == "P1":
            p.in_borough, p.postcode = self.home.startswith("DB"), self.home
        else:
            p.in_borough = rng.random() < IN_BOROUGH.get(provider, 0.5)
            p.postcode = names.postcode(rng, p.in_borough)
        if not p.in_borough:
            p.authority = rng.choice(names.OTHER_AUTHORITIES)
        return p

    def new(self, start: date, age: float, reason: str, plan: CarePlan, first: bool) -> Placement:
        rng = self.sim.rng
        if plan.route == "uasc":
            place, provider = ("U6", "PR4") if age < 16 else rng.choice((("H5", "PR4"), ("H5", "PR4"), ("U6", "PR4")))
        elif first and plan.legal[0][1] == "J1":
            place, provider = rng.choice((("K2", "PR4"), ("U6", "PR4"), ("R5", "PR3")))
        elif first and age < 1 and rng.random() < 0.1:
            place, provider = "R3", rng.choice(("PR1", "PR4"))
        elif first and plan.exit_kind == "adoption" and rng.random() < 0.25:
            place, provider = "U5", "PR1"
        else:
            options = PLACES[_place_group(age)]
            place, provider, _ = rng.choices(options, [w for *_, w in options])[0]
        if age < MIN_AGE.get(place, 0):  # too young for it (DfE rules 372-374): fostered instead
            place, provider = "U6", "PR1"
        if place == "P2" and start >= date(2024, 4, 1):  # P2 goes in 2025-26: supported accommodation instead
            place, provider = "H5", "PR4"
        return self.make(start, place, provider, reason)


def placements(sim: Sim, plan: CarePlan, home: str) -> list[Placement]:
    rng = sim.rng
    placer = Placer(sim, home)
    fixed: list[tuple[date, str]] = []
    if plan.long_term_from:
        fixed.append((plan.long_term_from, "long_term"))
    if plan.adoption:
        fixed.append((plan.adoption["placed"], "adoption"))
    if plan.home_from:
        fixed.append((plan.home_from, "home"))
    if plan.exit_kind == "until18" and plan.route != "uasc" and rng.random() < 0.45:
        fixed.append((add_years(plan.birth, 17) + timedelta(days=rng.randint(0, 150)), "supported"))
    fixed = sorted(f for f in fixed if plan.start < f[0] < plan.exit)
    instability = rng.lognormvariate(0, 0.5)
    age0 = (plan.start - plan.birth).days / 365.25
    out = [placer.new(plan.start, age0, "", plan, first=True)]
    t = plan.start
    i = 0
    while True:
        cur = out[-1]
        stay = rng.expovariate(1 / (STAY.get(cur.place, 400) * instability))
        nxt = t + timedelta(days=max(7, int(stay)))
        if i < len(fixed) and fixed[i][0] <= nxt:
            t, kind = fixed[i]
            i += 1
            if kind == "long_term":
                same = cur.place in ("U6", "U3") and rng.random() < (0.75 if cur.provider == "PR1" else 0.4)
                place = "U1" if (cur.place == "U3" if same else rng.random() < 0.2) else "U4"
                p = placer.make(
                    t,
                    place,
                    cur.provider if same else rng.choice(("PR1", "PR1", "PR1", "PR4")),
                    "PLACE" if same else "CARPL",
                    cur.carer if same else None,
                    long_term=True,
                )
            elif kind == "adoption":
                same = cur.place in ("U5", "U2") or (cur.place in FOSTER and rng.random() < 0.12)
                p = placer.make(
                    t,
                    "A5" if same else "A6",
                    cur.provider if same else rng.choice(("PR1", "PR1", "PR4", "PR5")),
                    "PLACE" if same else "CARPL",
                    cur.carer if same else None,
                )
            elif kind == "home":
                p = placer.make(t, "P1", "PR0", "CARPL")
            else:
                p = placer.make(t, "H5", rng.choice(("PR4", "PR5", "PR1")), "CARPL")
            out.append(p)
        elif nxt >= plan.exit:
            break
        else:
            t = nxt
            if cur.place in ("A5", "A6", "P1"):
                continue
            age = (t - plan.birth).days / 365.25
            if cur.place == "H5" and age >= 16:
                p = placer.make(t, "H5", rng.choice(("PR4", "PR5")), codes.PLACE_CHANGE_REASON.pick(rng))
            else:
                p = placer.new(t, age, codes.PLACE_CHANGE_REASON.pick(rng), plan, first=False)
            if cur.long_term and p.place in FOSTER:
                p.long_term = rng.random() < 0.5
                if p.long_term:
                    p.place = "U4" if p.place in ("U6", "U5", "U4") else "U1"
            out.append(p)
    return out


def period(sim: Sim, case: Case, ref: ch.Referral, start: date, info: dict[str, Any]) -> tuple[str, date, dict]:
    """A period in care from `start` to its end (or the end date), and what follows it."""
    rng, cal, end, store = sim.rng, sim.cal, sim.end, sim.store
    cs = case.cs
    if info.get("plan") is None:
        if cs.age(start) >= 17.75:  # too near 18 to come into care: the case closes instead
            return ("close", start, {"reason": "RC7"})
        if start < cs.birth:  # an unborn child on a plan is accommodated at birth
            start = cs.birth + timedelta(days=rng.randint(0, 4))
            if start > end:
                return ("open", start, {})
    plan: CarePlan = info.get("plan") or sample_plan(sim, cs.birth, start, uasc=info.get("route") == "uasc")
    start = plan.start
    child = cs.child
    stays = placements(sim, plan, child.postcode)
    if plan.exit_code in ("E45", "E46") and stays[-1].place not in FOSTER:
        # A special guardianship order to former foster carers needs a foster placement last (rule 516):
        # otherwise it was made to other carers (E47, E48).
        plan.exit_code = {"E45": "E47", "E46": "E48"}[plan.exit_code]
    cin_category = ref.primary_need if ref.primary_need in ("N1", "N2", "N3", "N4", "N5", "N6", "N7", "N8") else "N1"

    # SSDA903 episodes: a new one whenever the legal status or the placement changes.
    points: dict[date, dict[str, Any]] = {}
    for d, ls in plan.legal:
        points.setdefault(d, {})["ls"] = ls
    for p in stays:
        points.setdefault(p.start, {})["pl"] = p
    # The care plan's first legal status and the first placement both start on day one.
    cur_ls: str = plan.legal[0][1]
    cur_pl: Placement = stays[0]
    episodes: list[tuple[date, str, str, Placement]] = []
    for d in sorted(points):
        new_ls: str = points[d].get("ls", cur_ls)
        new_pl: Placement = points[d].get("pl", cur_pl)
        ls_changed, pl_changed = new_ls != cur_ls, new_pl is not cur_pl
        same_carer = new_pl.carer == cur_pl.carer
        # The DfE's reasons for a new episode (decision 0041): L legal status only; P placement and
        # carers; T placement, same carers; B legal status and placement and carers; U legal status
        # and placement, same carers.
        if not episodes:
            rne = "S"
        elif ls_changed and pl_changed:
            rne = "U" if same_carer else "B"
        elif ls_changed:
            rne = "L"
        elif pl_changed:
            rne = "T" if same_carer else "P"
        else:
            continue
        episodes.append((d, rne, new_ls, new_pl))
        cur_ls, cur_pl = new_ls, new_pl
    for i, (d, rne, ls, pl) in enumerate(episodes):
        if d > end:
            break
        stop = episodes[i + 1][0] if i + 1 < len(episodes) else plan.exit
        closed = stop <= end
        store.add(
            ch.LookedAfterEpisode,
            child_id=child.id,
            start_date=d,
            reason_new_episode=rne,
            legal_status=ls,
            cin_category=cin_category,
            placement_type=(written := place_for_year(pl.place, stop if closed else end)),
            # Independent living (P2, no provider) written as supported accommodation (K3) from 2025-26
            # needs the provider K3 has (the DfE's rule 526): a private one.
            placement_provider=pl.provider or ("PR4" if written == "K3" else ""),
            provider_name=pl.name,
            in_borough=pl.in_borough,
            long_term=pl.long_term,
            end_date=stop if closed else None,
            reason_ceased=("X1" if i + 1 < len(episodes) else plan.exit_code) if closed else "",
            # The reason a placement changed is the DfE's on the episode that ended with the change
            # (rule 225; 233: not on an open episode): the next episode's, when it is a change of placement.
            reason_place_change=(
                episodes[i + 1][3].reason if closed and i + 1 < len(episodes) and episodes[i + 1][1] in "PBTU" else ""
            ),
            home_postcode=child.postcode,
            placement_postcode=pl.postcode,
            placement_la="Demonstration Borough" if pl.in_borough else pl.authority,
            urn=pl.urn,
        )

    upto = min(plan.exit, end)
    if plan.proceedings:
        plo, issued, concluded, order = plan.proceedings
        if (plo and plo <= end) or issued <= end:
            proceedings = store.add(
                ch.CareProceedings,
                child_id=child.id,
                pre_proceedings_start=plo if plo and plo <= end else None,
                issued_date=issued if issued <= end else None,
                concluded_date=concluded if concluded <= end and concluded <= plan.exit + timedelta(days=1) else None,
                order=order if concluded <= end else "",
            )
            if plo:
                pre_proceedings(sim, cs, ref, plo, proceedings if issued <= end else None, issued)

    # Reviews: within 20 working days, then 3 months, then every 6 months (CPPCR reg. 33).
    reviews: list[date] = []
    first = cal.add(start, rng.randint(8, 20) if rng.random() < 0.9 else rng.randint(21, 35))
    r = first
    while r < plan.exit and r <= end:
        reviews.append(r)
        due = add_months(r, 3 if len(reviews) == 1 else 6)
        r = (
            due - timedelta(days=rng.randint(0, 25))
            if rng.random() < 0.88
            else due + timedelta(days=rng.randint(1, 35))
        )
    for r in reviews:
        if r >= sim.floor:
            code = "PN0" if cs.age(r) < 4 else codes.REVIEW_PARTICIPATION.pick(rng)
            store.add(ch.LookedAfterReview, child_id=child.id, review_date=r, participation=code)
            # The IRO sees or speaks to the child before most reviews.
            iro = r - timedelta(days=rng.randint(1, 20))
            if iro > start and rng.random() < 0.75:
                store.add(
                    ch.Visit,
                    child_id=child.id,
                    kind=ch.Visit.Kind.IRO,
                    visit_date=iro,
                    seen=True,
                    seen_alone=cs.age(iro) >= 8 and rng.random() < 0.6,
                )

    moves: list[tuple[date, str]] = []
    if plan.exit > cal.add(start, 20):
        moves.append((reviews[0] if reviews else cal.add(start, 20), TeamType.LOOKED_AFTER))
    if plan.adoption and plan.adoption["placement_order"] < plan.exit:
        moves.append((plan.adoption["placement_order"], TeamType.ADOPTION))
    for d, kind in sorted(moves):
        case.move(kind, d)

    # Health assessments: the initial one in time for the first review, then 6- or 12-monthly.
    if plan.exit > cal.add(start, 20) and rng.random() < 0.95:
        h = cal.add(start, rng.randint(5, 20) if rng.random() < 0.74 else rng.randint(21, 60))
        kind = ch.HealthAssessment.Kind.INITIAL
        while h < upto:
            if h >= sim.floor:
                store.add(ch.HealthAssessment, child_id=child.id, kind=kind, assessment_date=h)
            due = add_months(h, 6 if cs.age(h) < 5 else 12)
            h = (
                due - timedelta(days=rng.randint(0, 30))
                if rng.random() < 0.85
                else due + timedelta(days=rng.randint(1, 75))
            )
            kind = ch.HealthAssessment.Kind.REVIEW
    # Dental checks, about yearly.
    d = start + timedelta(days=rng.randint(40, 150))
    while d < upto:
        if d >= sim.floor and rng.random() < 0.86:
            store.add(ch.HealthAssessment, child_id=child.id, kind=ch.HealthAssessment.Kind.DENTAL, assessment_date=d)
        d += timedelta(days=rng.randint(300, 420))
    # PEPs for children of school age: the first within the first month, then each term.
    if rng.random() < 0.97:
        first_pep = cal.add(start, rng.randint(10, 25))
        terms = []
        for year in range(first_pep.year, upto.year + 1):
            for month, day in ((2, 10), (6, 15), (10, 15)):
                terms.append(date(year, month, day) + timedelta(days=rng.randint(-20, 20)))
        for d in [first_pep] + [t for t in terms if t > first_pep + timedelta(days=30)]:
            if sim.floor <= d < upto and 4 <= cs.age(d) < 18 and (d == first_pep or rng.random() < 0.88):
                store.add(ch.PersonalEducationPlan, child_id=child.id, pep_date=d)
    # Visits: within a week of each placement, then every 6 weeks (3 months in a long-term placement).
    for i, pl in enumerate(stays):
        stop = min(stays[i + 1].start if i + 1 < len(stays) else plan.exit, upto)
        v = pl.start + timedelta(days=rng.randint(1, 7) if rng.random() < 0.9 else rng.randint(8, 21))
        while v < stop:
            if v >= sim.floor:
                case.visit(ch.Visit.Kind.CLA, v, cs.age(v) >= 4)
            gap = (60, 91) if pl.long_term else (25, 42)
            v += timedelta(days=rng.randint(*gap) if rng.random() < 0.9 else rng.randint(gap[1] + 1, gap[1] + 35))
    # Missing from care: most never do, some go missing again and again.
    if cs.age(upto) >= 11:
        if rng.random() < 0.5:
            rate = 0.0
        else:
            rate = rng.lognormvariate(math.log(2.5), 1.0)
            if any(p.place in ("K2", "H5") for p in stays):
                rate *= 1.7
            if cs.exploited:
                rate *= 2
            rate = min(rate, 24.0)
        sim.missing_episodes(case, start, plan.exit, rate, looked_after=True)
    # OC2: looked after for 12 months at 31 March.
    for year in range(sim.start.year, end.year + 1):
        march = date(year, 3, 31)
        if sim.start <= march <= end and start <= march - timedelta(days=365) and plan.exit > march:
            age = cs.age(march)
            # As the 903's OC2 rules want it: an SDQ score or else a reason for none (197a, 197B), convictions
            # from 10 (542), the under-5 health check only under 5 (546), an intervention after misuse (192).
            # SDQ1 (too young or too old) only for a child who turned 4 or 17 in the year (157, 197B).
            year_start, at4, at17 = date(year - 1, 4, 1), cs.birthday(4), cs.birthday(17)
            of_age = at4 <= march < at17
            turned = year_start <= at4 <= march or year_start <= at17 <= march
            sdq = max(0, min(40, int(rng.gauss(14, 6)))) if of_age and rng.random() < 0.85 else None
            misuse = age >= 10 and rng.random() < 0.05
            store.add(
                ch.OutcomesReturn,
                child_id=child.id,
                year_ending=march,
                sdq_score=sdq,
                sdq_reason=(rng.choice(("SDQ1", "SDQ2")) if turned else "SDQ2")
                if (of_age or turned) and sdq is None
                else "",
                convicted=(rng.random() < 0.04) if age >= 10 else None,
                health_check=(rng.random() < 0.9) if age < 5 else None,
                immunisations=rng.random() < 0.86,
                teeth_check=rng.random() < 0.84,
                health_assessment=rng.random() < 0.9,
                substance_misuse=misuse,
                intervention_received=(received := (rng.random() < 0.7) if misuse else None),
                # Offered is asked only when no intervention was received (DfE rule 158).
                intervention_offered=True if misuse and not received else None,
            )
    # Permanence, decided at the second review.
    decided = reviews[1] if len(reviews) > 1 else None
    if decided is not None:
        target = PERMANENCE[plan.exit_kind]
        if len(reviews) > 2 and rng.random() < 0.15 and target != PermanencePlanType.RETURN_HOME:
            store.add(
                ch.PermanencePlan,
                child_id=child.id,
                decided_date=decided,
                plan_type=PermanencePlanType.RETURN_HOME,
                contingency=rng.choice(names.CONTINGENCY_PLANS) if rng.random() < 0.85 else "",
            )
            decided = reviews[2]
        achieved = plan.exit if plan.exit_kind != "until18" else plan.long_term_from
        if achieved is not None and achieved < decided:
            achieved = decided
        store.add(
            ch.PermanencePlan,
            child_id=child.id,
            decided_date=decided,
            plan_type=target,
            contingency=rng.choice(names.CONTINGENCY_PLANS) if rng.random() < 0.85 else "",
            achieved_date=achieved if achieved and achieved <= end and plan.exit_kind != "other" else None,
        )
    if plan.adoption and "adoption" not in cs.flags and plan.adoption["decision"] <= end:
        cs.flags.add("adoption")
        a = plan.adoption
        matched = a["match"] <= end
        pair = rng.choices(("MF", "FF", "MM", "F1", "M1"), (70, 10, 8, 10, 2))[0]
        family = ""
        if matched:
            sim.adoptions.append((pair, a["match"], a["placed"], plan.exit, stays[-1].place == "A5"))
            family = f"FAM{len(sim.adoptions):05d}"
        store.add(
            ch.AdoptionMilestone,
            child_id=child.id,
            entered_care_date=start,
            adoption_order_date=plan.exit if plan.exit <= end else None,
            ffa_placement_date=stays[0].start if stays[0].place == "U5" else None,
            adoptive_family_id=family,
            decision_date=a["decision"],
            placement_order_date=a["placement_order"] if a["placement_order"] <= end else None,
            match_date=a["match"] if matched else None,
            foster_carer_adoption=(stays[-1].place == "A5") if matched else None,
            number_of_adopters=(1 if pair in ("F1", "M1") else 2) if matched else None,
            sex_of_adopters=pair if matched else "",
            # The DfE's LS_ADOPTR: L0 single; L11 married and L3 unmarried, of different sexes; L12 married and
            # L4 unmarried, of the same sex; L2 civil partners (rules 514, 517-520, 524).
            legal_status_of_adopters=(
                "L0"
                if pair in ("F1", "M1")
                else rng.choice(("L11", "L11", "L3", "L2") if pair == "MF" else ("L12", "L12", "L4", "L2"))
            )
            if matched
            else "",
        )
        if a["placed"] <= end:
            store.add(
                ch.PlacedForAdoption,
                child_id=child.id,
                date_placed=a["placed"],
                # DATE_PLACED_CEASED and REASON_PLACED_CEASED (RD1-RD4) record a decision that the child should
                # no longer be adopted; a child who is adopted has neither (the episode's REC says E11/E12).
                date_ceased=None,
                reason_ceased="",
            )
    if plan.route == "uasc" and "uasc_row" not in cs.flags:
        cs.flags.add("uasc_row")
        b18 = cs.birthday(18)
        store.add(ch.UnaccompaniedAsylumSeeker, child_id=child.id, date_ceased=b18 if b18 <= end else None)
    if "prev_perm" not in cs.flags:
        cs.flags.add("prev_perm")
        prev = rng.choices(("Z1", "P1", "P2", "P3"), (88, 3, 6, 3))[0]
        when = start - timedelta(days=rng.randint(400, 2500))
        store.add(
            ch.PreviousPermanence,
            child_id=child.id,
            previous_permanence=prev,
            # The LA that made the order is not known to the demonstration: 999, "information not available" (630).
            la_code="" if prev == "Z1" else "999",
            # ZZ for a day not known, as the DfE writes it (rule 632).
            date_raw=""
            if prev == "Z1"
            else (when.strftime("%d/%m/%Y") if rng.random() < 0.7 else when.strftime("ZZ/%m/%Y")),
        )
    if not child.sen and 5 <= cs.age(start) < 17 and rng.random() < 0.12:
        child.sen = True
    if plan.exit > end and cs.age(end) >= 16 and (end - start).days >= 91:
        child.care_leaver_eligibility = ch.CareLeaverEligibility.ELIGIBLE
    if child.sex == "F" and child.is_mother is None and cs.age(upto) >= 13:
        child.is_mother = rng.random() < 0.04
        if child.is_mother:
            child.mother_birth_date = upto - timedelta(days=rng.randint(0, 300))

    # What follows the period.
    if plan.exit_kind == "until18":
        return care_leaver(sim, case, plan)
    if plan.exit_kind in CLOSURE:
        return ("close", plan.exit, {"reason": CLOSURE[plan.exit_kind]})
    if plan.exit_kind == "return_home":
        if rng.random() < 0.4:
            return ("cin", plan.exit, {})
        return ("close", plan.exit, {"reason": "RC7"})
    if plan.exit_code == "E2" and plan.exit <= end:
        child.death_date = plan.exit
        return ("close", plan.exit, {"reason": "RC2"})
    reason = {"E3": "RC5", "E7": "RC6"}.get(plan.exit_code, "RC7")
    return ("close", plan.exit, {"reason": reason})


def care_leaver(sim: Sim, case: Case, plan: CarePlan) -> tuple[str, date, dict]:
    """Leaving care at 18: a personal adviser, pathway plans reviewed every 6 months
    (Care Leavers (England) Regs 2010 reg. 7) and contact up to 21, or 25 on request."""
    rng, cal, end, store = sim.rng, sim.cal, sim.end, sim.store
    cs = case.cs
    b18 = plan.exit
    extended = plan.extended or rng.random() < 0.15
    close = cs.birthday(25 if extended else 21) + timedelta(days=rng.randint(0, 40))
    team = sim.org.team(rng, TeamType.LEAVING_CARE, cs.locality)
    adviser_post = rng.choice(team.caseholding)
    case.move(TeamType.LEAVING_CARE, b18, qualified=False, team=team)
    if b18 <= end:
        cs.child.care_leaver_eligibility = ch.CareLeaverEligibility.FORMER_RELEVANT
    # Pathway plans from 16 (or soon after coming into care), then every 6 months.
    first = max(cs.birthday(16), cal.add(plan.start, 20)) + timedelta(days=rng.randint(0, 60))
    if first > b18:
        first = b18 + timedelta(days=rng.randint(0, 30))
    p = first
    while p < close and p <= end:
        if p >= sim.floor:
            row = store.add(ch.PathwayPlan, child_id=cs.child.id, plan_date=p, personal_adviser="")
            if p < b18:
                row.personal_adviser = adviser_post.holder_at(p).worker.name
            else:
                case.needs_adviser(row, p)
        due = add_months(p, 6)
        p = (
            due - timedelta(days=rng.randint(0, 30))
            if rng.random() < 0.85
            else due + timedelta(days=rng.randint(1, 60))
        )
    # OC3: in touch around the 18th to 21st birthdays.
    for years in (18, 19, 20, 21):
        birthday = cs.birthday(years)
        d = birthday + timedelta(days=rng.randint(-30, 60))
        if sim.floor <= d <= end and d < close:
            accommodation = codes.OC3_ACCOMMODATION.pick(rng)
            collection = date(birthday.year + (birthday > date(birthday.year, 3, 31)), 3, 31)
            store.add(
                ch.CareLeaverContact,
                child_id=cs.child.id,
                contact_date=d,
                # Not returned at 18 for a young person who left care on their 18th birthday (the DfE's rule 1016).
                year_ending=collection if collection <= end and years > 18 else None,
                in_touch=codes.OC3_IN_TOUCH.pick(rng),
                activity=codes.OC3_ACTIVITY.pick(rng),
                accommodation=accommodation + ("1" if accommodation not in UNSUITABLE and rng.random() < 0.88 else "2"),
            )
    v = b18 + timedelta(days=rng.randint(5, 30))
    while v < min(close, end):
        if v >= sim.floor:
            case.visit(ch.Visit.Kind.CARE_LEAVER, v, True)
        v += timedelta(days=rng.randint(40, 70) if rng.random() < 0.85 else rng.randint(71, 120))
    return ("close", close, {"reason": "RC7", "ref_close": b18})


def pre_proceedings(
    sim: Sim, cs: ChildState, ref: ch.Referral, letter: date, proceedings: Any, issued: date | None
) -> None:
    """Pre-proceedings under the Public Law Outline: a panel decision, a letter, an
    initial meeting, family group decision making, and then issue or step down."""
    rng, end = sim.rng, sim.end
    decision = letter - timedelta(days=rng.randint(3, 14))
    if decision > end:
        return
    meeting = letter + timedelta(days=rng.randint(5, 15))
    if issued is not None:
        stop, outcome = issued, ch.PreProceedingsOutcome.ISSUE
    else:
        stop, outcome = letter + timedelta(days=rng.randint(60, 150)), ch.PreProceedingsOutcome.STEP_DOWN
    offered = rng.random() < 0.7
    offered_on = letter + timedelta(days=rng.randint(0, 10))
    held = offered_on + timedelta(days=rng.randint(10, 30))
    sim.store.add(
        ch.PreProceedings,
        child_id=cs.child.id,
        referral_id=ref.id,
        decision_date=decision,
        letter_date=letter if letter <= end else None,
        initial_meeting_date=meeting if meeting <= end else None,
        end_date=stop if stop <= end else None,
        outcome=outcome if stop <= end else "",
        fgdm_offered=offered if letter <= end else None,
        fgdm_offered_date=offered_on if offered and offered_on <= end else None,
        fgdm_meeting_date=held if offered and held <= end and held < stop and rng.random() < 0.65 else None,
        proceedings_id=proceedings.id if proceedings is not None and stop <= end else None,
    )


def adopters(sim: Sim) -> None:
    """Annex A List 11: the families children were matched with, and others in the process."""
    rng, end, store = sim.rng, sim.end, sim.store
    number = 0

    def adopter(
        family: str, sex: str, enquiry: date, fostering: bool, children: int | None = None, **dates: date | None
    ) -> None:
        nonlocal number
        number += 1
        stage1 = enquiry + timedelta(days=rng.randint(15, 60))
        stage1_end = stage1 + timedelta(days=rng.randint(50, 75))
        stage2 = stage1_end + timedelta(days=rng.randint(0, 20))
        stage2_end = stage2 + timedelta(days=rng.randint(100, 130))
        approval = stage2_end + timedelta(days=rng.randint(0, 30))
        steps = {
            "stage1_start_date": stage1,
            "stage1_end_date": stage1_end,
            "application_date": stage2,
            "stage2_start_date": stage2,
            "stage2_end_date": stage2_end,
            "approval_date": approval,
        }
        left = dates.pop("left", None)
        values = {k: (v if v <= end and (left is None or v <= left) else None) for k, v in steps.items()}
        values.update({k: (v if v is not None and v <= end else None) for k, v in dates.items()})
        store.add(
            ch.Adopter,
            adopter_id=f"ADP{number:06d}",
            family_id=family,
            sex=sex,
            ethnicity=codes.ETHNICITY.pick(rng),
            has_disability=rng.random() < 0.04,
            fostering_for_adoption=fostering,
            enquiry_date=enquiry,
            children_placed=children if (placed := dates.get("placed_date")) is not None and placed <= end else None,
            left_process_date=left if left is not None and left <= end else None,
            left_process_reason=(
                rng.choice(("withdrew", "withdrew", "on_hold", "refused")) if left is not None and left <= end else ""
            ),
            **values,
        )

    for i, (pair, match, placed, order, fostering) in enumerate(sim.adoptions, start=1):
        family = f"FAM{i:05d}"
        enquiry = match - timedelta(days=rng.randint(330, 560))
        sexes = {"MF": "MF", "FF": "FF", "MM": "MM", "F1": "F", "M1": "M"}[pair]
        for sex in sexes:
            adopter(
                family,
                sex,
                enquiry,
                fostering,
                children=1,
                matched_date=match,
                placed_date=placed,
                adoption_order_date=order,
            )
    # Families still in the process, or who left it, at about half the rate of matches.
    families = len(sim.adoptions)
    for j in range(families // 2 + sim.count(1.5 * sim.scale)):
        family = f"FAM{families + j + 1:05d}"
        enquiry = end - timedelta(days=rng.randint(30, 900))
        left = enquiry + timedelta(days=rng.randint(40, 300)) if rng.random() < 0.35 else None
        for sex in rng.choice(("MF", "MF", "FF", "MM", "F")):
            adopter(family, sex, enquiry, rng.random() < 0.1, left=left)
