"""Journeys through the front door: contacts, referrals, assessments, strategy
discussions and section 47 enquiries, child protection plans, child in need
plans, early help and private fostering. Looked-after children are in
looked_after.py.

A journey is a chain of states ("cin", "s47", "cla", "eh", "pf", "close"), each
with a date; each step writes its rows and returns the next state. Events after
the end date are not written, and anything still running then is left open.
Timescales follow DOMAIN.md section 2; each has a realistic share of lateness."""

import math
from datetime import date, timedelta
from typing import Any

from children import models as ch
from organisation.models import TeamType

from . import codes, looked_after, names
from .calendar import add_months
from .config import ASSESSED_SHARE, RE_REFERRAL_SHARE
from .sim import Case, ChildState, Sim

State = tuple[str, date, dict[str, Any]]

# Children newly referred, by age band (CIN census shape): (weight, youngest, oldest).
REFERRAL_AGES = ((3, -0.4, -0.05), (11, 0, 1), (20, 1, 5), (24, 5, 10), (30, 10, 16), (12, 16, 17.9))
CONTACT_AGES = ((2, -0.4, -0.05), (10, 0, 1), (19, 1, 5), (25, 5, 10), (31, 10, 16), (13, 16, 17.9))
SD_BY_NEED = {"N1": 0.46, "N2": 0.03, "N3": 0.14, "N4": 0.19, "N5": 0.25, "N6": 0.19, "N7": 0.05, "N8": 0.1, "N9": 0.02}
PLAN_REVIEWS = (1, 2, 3, 4, 5, 6, 7)
PLAN_REVIEW_WEIGHTS = (22, 36, 21, 11, 5.5, 2.8, 1.7)


def draw_age(sim: Sim, bands: tuple[tuple[float, float, float], ...]) -> float:
    band = sim.rng.choices(bands, weights=[b[0] for b in bands])[0]
    return sim.rng.uniform(band[1], band[2])


def draw_cse(sim: Sim, cs: ChildState, age: float) -> bool:
    # About 36 a year in one Bromley (Figure 10), almost all teenagers, mostly girls.
    if not 11 <= age < 18:
        return False
    return sim.chance(0.062 if cs.child.sex == "F" else 0.017)


# ----- the front door -------------------------------------------------------


def front_door_contact(sim: Sim, d: date) -> None:
    """A contact that does not become a referral."""
    rng = sim.rng
    cs = sim.known_child(d, for_referral=False) if rng.random() < 0.38 else None
    if cs is None:
        cs = sim.new_child(d, draw_age(sim, CONTACT_AGES))
    age = cs.age(d)
    source = (codes.REFERRAL_SOURCE_INFANT if age < 1 else codes.REFERRAL_SOURCE).pick(rng)
    if cs.free_from >= d:
        sim.contact(cs, d, source, "Passed to allocated worker")
        return
    outcome = codes.CONTACT_OUTCOME.pick(rng)
    sim.contact(cs, d, source, outcome)
    # The front door screened it: a short involvement with the hub (the case then closes).
    case = Case(sim, cs, sim.org.team(rng, TeamType.FRONT_DOOR, cs.locality), d)
    done = d if rng.random() < 0.6 else sim.cal.add(d, 1)
    case.finish(done)
    if outcome == "Early help" and rng.random() < 0.7:
        start = d + timedelta(days=rng.randint(3, 25))
        early_help(sim, cs, start)


def early_help(sim: Sim, cs: ChildState, start: date) -> None:
    if start > sim.end:
        return
    rng = sim.rng
    stop = start + timedelta(days=int(rng.uniform(60, 300)))
    assessed = start + timedelta(days=rng.randint(10, 45))
    sim.store.add(
        ch.EarlyHelpEpisode,
        child_id=cs.child.id,
        start_date=start,
        end_date=stop if stop <= sim.end else None,
        organisation=rng.choice(names.EARLY_HELP_ORGANISATIONS),
        assessment_start_date=start,
        assessment_completion_date=assessed if assessed <= sim.end and assessed < stop else None,
        reason=rng.choice(names.EARLY_HELP_REASONS),
        end_reason=rng.choices(names.EARLY_HELP_END_REASONS, (60, 15, 15, 10))[0] if stop <= sim.end else "",
    )


def front_door_referral(sim: Sim, d: date) -> None:
    rng = sim.rng
    cs = None
    if rng.random() < RE_REFERRAL_SHARE:
        cs = sim.recent_referral_child(d) or prior_referral_child(sim, d)
    elif rng.random() < 0.3:
        cs = sim.known_child(d, for_referral=True)
    if cs is None:
        age = draw_age(sim, REFERRAL_AGES)
        cs = sim.new_child(d, age, disabled=rng.random() < 0.07 and age > 0.5)
    referral(sim, cs, d)


def prior_referral_child(sim: Sim, d: date) -> ChildState:
    """A new child whose earlier referral (closed quickly) falls in the 12 months before d.

    Early in the window the register holds too few recent referrals for the
    re-referral share; this writes the earlier one as history."""
    rng = sim.rng
    age = draw_age(sim, REFERRAL_AGES[1:])
    before = rng.randint(20, 330)
    prior = d - timedelta(days=before)
    cs = sim.new_child(prior, max(0.0, age - before / 365.25))
    referral(sim, cs, prior, {"path": "nfa" if before < 80 or rng.random() < 0.4 else "quick"})
    return cs


def uasc_arrival(sim: Sim, d: date) -> None:
    cs = sim.new_child(d, sim.rng.uniform(14.5, 17.7), sex="M" if sim.chance(0.9) else "F", uasc=True)
    cs.flags.add("uasc")
    referral(sim, cs, d, {"path": "cla", "need": "N8", "source": "7" if sim.chance(0.5) else "6", "route": "uasc"})


# ----- a referral and what follows ------------------------------------------


def referral(sim: Sim, cs: ChildState, d_ref: date, force: dict[str, Any] | None = None) -> None:
    force = force or {}
    rng, cal, end = sim.rng, sim.cal, sim.end
    age = cs.age(d_ref)
    source = force.get("source") or (codes.REFERRAL_SOURCE_INFANT if age < 1 else codes.REFERRAL_SOURCE).pick(rng)
    sim.contact(
        cs,
        d_ref - timedelta(days=rng.choice((0, 0, 0, 0, 0, 1, 1, 2, 3))),
        source,
        "Referral to children's social care",
    )
    need = force.get("need") or (
        "N2" if "disabled" in cs.flags and rng.random() < 0.6 else codes.PRIMARY_NEED.pick(rng)
    )
    lag = rng.choices((0, 1, 2, 3, 5), (72, 20, 4, 2, 2))[0]
    decision = d_ref if lag == 0 else cal.add(d_ref, lag)
    cse = force.get("cse", draw_cse(sim, cs, age))
    team = sim.org.team(rng, TeamType.ASSESSMENT, cs.locality)
    ref = sim.store.add(
        ch.Referral,
        child_id=cs.child.id,
        referral_date=d_ref,
        source=source,
        primary_need=need,
        decision_date=decision if decision <= end else None,
        cse_concern=cse,
        team_id=team.team.id,
    )
    sim.log_referral(d_ref, cs)
    if cse:
        cs.exploited = True
        sim.signal(d_ref, cs, "cse")
    case = Case(sim, cs, team, decision)
    case.needs_worker(ref, decision)
    path = force.get("path") or ("assess" if rng.random() < ASSESSED_SHARE else "nfa")
    if path == "nfa":
        ref.nfa = True
        state: State = ("close", decision, {"reason": "RC8"})
    else:
        state = assess(sim, case, ref, d_ref, decision, need, cse, path, force)
    run(sim, case, ref, state)


def run(sim: Sim, case: Case, ref: ch.Referral, state: State) -> None:
    steps = {
        "cin": cin_plan,
        "s47": section47,
        "cla": looked_after.period,
        "eh": early_help_step,
        "pf": private_fostering,
    }
    while True:
        kind, d, info = state
        if kind == "close":
            d = max(d, case.segments[0][1], case.active_until)
            ref_close = max(info.get("ref_close", d), case.active_until)
            if ref_close <= sim.end:
                ref.closure_date = ref_close
                ref.closure_reason = "RC7" if case.worked and info["reason"] in ("RC8", "RC9") else info["reason"]
            case.finish(d)
            return
        if d > sim.end or kind == "open":
            case.finish(None)
            return
        state = steps[kind](sim, case, ref, d, info)


def assess(
    sim: Sim, case: Case, ref: ch.Referral, d_ref: date, decision: date, need: str, cse: bool, path: str, force: dict
) -> State:
    rng, cal, end = sim.rng, sim.cal, sim.end
    cs = case.cs
    age = cs.age(d_ref)
    start = decision if rng.random() < 0.75 else cal.add(decision, rng.randint(1, 3))
    if start > end:
        return ("open", start, {})
    # Completed within 45 working days of the referral (WT23): about 70% in one
    # Bromley year, better in some teams than others, improving over the window.
    on_time = min(0.95, max(0.3, 0.63 + 0.14 * sim.progress(start) + case.team.quality))
    if path == "quick" or rng.random() < on_time:
        auth = max(start, cal.add(d_ref, int(rng.triangular(6, 45, 40 if path != "quick" else 15))))
    else:
        auth = cal.add(d_ref, 45 + 1 + int(rng.expovariate(1 / 14)))
    assessment = sim.store.add(
        ch.Assessment,
        referral_id=ref.id,
        start_date=start,
        authorisation_date=auth if auth <= end else None,
    )
    if rng.random() < 0.5:
        review = cal.add(auth, -rng.randint(1, 5))
        if start <= review <= end:
            assessment.internal_review_date = review
    case.needs_worker(assessment, start)
    assessment.team_id = case.team.team.id
    if auth <= end:
        case.active_until = max(case.active_until, auth)

    # What the assessment leads to.
    if path == "cla":
        entry = force.get("entry") or start + timedelta(days=rng.randint(0, 3))
        outcome: State = ("cla", entry, {"plan": force.get("plan"), "route": force.get("route")})
    elif path == "cin":
        outcome = ("cin", auth, {"days": force.get("days")})
    elif path == "cp":
        outcome = ("cin", auth, {})
    elif path == "quick":
        outcome = ("close", auth, {"reason": "RC8"})
    else:
        r = rng.random()
        if r < 0.42:
            outcome = ("close", auth, {"reason": "RC8"})
        elif r < 0.59:
            outcome = ("eh", auth, {})
        elif r < 0.96 or age < 0:
            outcome = ("cin", auth, {})
        elif r < 0.99:
            entry = start + timedelta(days=rng.randint(0, max(0, (auth - start).days)))
            outcome = ("cla", entry, {})
        elif age >= 8:
            outcome = ("pf", auth, {})
        else:
            outcome = ("cin", auth, {})
    if auth <= end:
        assessment_factors(sim, assessment, cs, age, need, cse, outcome[0])
        assessment.child_seen = age >= 0 and rng.random() < 0.94
        assessment.requires_support = outcome[0] in ("cin", "cla", "pf")

    p_sd = SD_BY_NEED.get(need, 0.1) * (1.3 if age < 1 else 1.0)
    if cse:
        p_sd = max(p_sd, 0.5)
    if path == "cp" or (path == "assess" and outcome[0] != "cla" and rng.random() < p_sd):
        lag = rng.choices((0, 1, 2, 3, 5, 8), (40, 25, 12, 10, 8, 5))[0]
        d_sd = d_ref if lag == 0 else cal.add(d_ref, lag)
        return ("s47", d_sd, {"fallback": outcome, "force_plan": path == "cp", "k": force.get("k")})
    return outcome


def assessment_factors(
    sim: Sim, assessment: ch.Assessment, cs: ChildState, age: float, need: str, cse: bool, outcome: str
) -> None:
    rng = sim.rng
    chosen = [code for code, p, youngest in codes.FACTORS if age >= youngest and rng.random() < p]
    if cse and "11A" not in chosen:
        chosen.append("11A")
    if need == "N2" and not {"5A", "6A"} & set(chosen):
        chosen.append(rng.choice(("5A", "6A")))
    if "uasc" in cs.flags:
        chosen = ["9A"] + [c for c in chosen if c in ("4A", "12A")]
    if not chosen:
        chosen = ["21"] if outcome == "close" else ["20"]
    for code in dict.fromkeys(chosen):
        sim.store.add(ch.AssessmentFactor, assessment_id=assessment.id, code=code)
    if {"13A", "24A", "12A"} & set(chosen):
        cs.exploited = True
        sim.signal(
            assessment.authorisation_date or assessment.start_date, cs, "trafficking" if "12A" in chosen else "cce"
        )


def section47(sim: Sim, case: Case, ref: ch.Referral, d_sd: date, info: dict) -> State:
    rng, cal, end = sim.rng, sim.cal, sim.end
    cs = case.cs
    if cs.age(d_sd) >= 17.8:
        return ("close", d_sd, {"reason": "RC7"})
    forced = info.get("force_plan", False)
    if not forced and rng.random() < 0.08:
        # A first discussion that did not begin an enquiry, and a later one that did.
        sim.store.add(ch.StrategyDiscussion, referral_id=ref.id, discussion_date=d_sd, section47_initiated=False)
        d_sd = cal.add(d_sd, rng.randint(2, 8))
        if d_sd > end:
            return ("open", d_sd, {})
    initiated = forced or rng.random() < 0.88
    sd = sim.store.add(ch.StrategyDiscussion, referral_id=ref.id, discussion_date=d_sd, section47_initiated=initiated)
    fallback = info.get("fallback") or ("close", d_sd, {"reason": "RC7"})
    if not initiated:
        return (fallback[0], max(fallback[1], d_sd), fallback[2])
    s47 = sim.store.add(
        ch.Section47Enquiry,
        referral_id=ref.id,
        strategy_discussion_id=sd.id,
        start_date=d_sd,
        icpc_target_date=cal.add(d_sd, 15),
        team_id=case.team.team.id,
    )
    case.needs_worker(s47, d_sd)
    case.worked = True
    if forced or rng.random() < 0.54:
        # ICPC within 15 working days of the strategy discussion (WT23): most, not all.
        on_time = min(0.95, 0.77 + 0.08 * sim.progress(d_sd) + case.team.quality)
        icpc = cal.add(d_sd, rng.randint(6, 15) if rng.random() < on_time else rng.randint(16, 32))
        if icpc > end:
            return ("open", icpc, {})
        s47.icpc_date = icpc
        s47.outcome = "Conference held"
        plan_made = forced or rng.random() < 0.9
        sim.store.add(
            ch.ChildProtectionConference,
            child_id=cs.child.id,
            kind=ch.ChildProtectionConference.Kind.INITIAL,
            conference_date=icpc,
            section47_id=s47.id,
            plan_made=plan_made,
        )
        # The ICPC is the section 47's (Section47/DateOfInitialCPC); Referral.initial_cpc_date is the census's
        # CINdetails-level date, for a conference with no enquiry in the episode: both at once is rule 2884.
        if plan_made:
            return protection_plan(sim, case, ref, icpc, info.get("k"))
        return ("cin", icpc, {}) if rng.random() < 0.8 else ("close", icpc, {"reason": "RC7"})
    concluded = cal.add(d_sd, rng.randint(5, 15))
    if concluded > end:
        return ("open", concluded, {})
    s47.icpc_not_required = True
    s47.outcome = "Substantiated, no conference" if rng.random() < 0.45 else "Not substantiated"
    if fallback[0] == "close" and rng.random() < 0.4:
        fallback = ("cin", fallback[1], {})
    return (fallback[0], max(fallback[1], concluded), fallback[2])


def protection_plan(sim: Sim, case: Case, ref: ch.Referral, icpc: date, force_k: int | None) -> State:
    rng, cal, end = sim.rng, sim.cal, sim.end
    cs = case.cs
    combination = codes.CATEGORY_COMBINATIONS.pick(rng)
    initial = combination if "," not in combination else "MUL"
    if cs.cp_plans == 0 and rng.random() < 0.15:
        cs.prior_plans = rng.choice((1, 1, 2))
    plan = sim.store.add(
        ch.ChildProtectionPlan,
        referral_id=ref.id,
        child_id=cs.child.id,
        start_date=icpc,
        initial_category=initial,
        latest_category=initial,
        categories=combination,
        number_of_previous_plans=cs.cp_plans + cs.prior_plans,
        has_contingency_plan=rng.random() < 0.92,
    )
    cs.cp_plans += 1
    case.move(TeamType.CIN_CP, icpc)
    plan.team_id = case.team.team.id
    case.needs_worker(plan, icpc)

    # Review conferences: the first within 3 months of the ICPC, then within 6 months (WT23).
    k = force_k or rng.choices(PLAN_REVIEWS, PLAN_REVIEW_WEIGHTS)[0]
    reviews: list[date] = []
    prev = icpc
    for i in range(k):
        due = add_months(prev, 3 if i == 0 else 6)
        if rng.random() < 0.1:
            when = due + timedelta(days=rng.randint(1, 35))
        else:
            when = due - timedelta(days=rng.randint(0, 20 if i == 0 else 30))
        reviews.append(max(when, prev + timedelta(days=14)))
        prev = reviews[-1]
    plan_end = reviews[-1]
    into_care = None
    if force_k is None and rng.random() < 0.13:
        into_care = icpc + timedelta(days=rng.randint(20, max(21, (plan_end - icpc).days)))
        plan_end = into_care
        reviews = [r for r in reviews if r < into_care]
    adult = cs.birthday(18)
    if plan_end > adult:  # a plan ends when the young person turns 18
        plan_end, into_care = adult, None
        reviews = [r for r in reviews if r < adult]
    for r in reviews:
        if r <= end:
            sim.store.add(
                ch.ChildProtectionConference,
                child_id=cs.child.id,
                kind=ch.ChildProtectionConference.Kind.REVIEW,
                conference_date=r,
                plan_id=plan.id,
            )
    if plan_end <= end:
        plan.end_date = plan_end
    if reviews and reviews[0] <= end and rng.random() < 0.06:
        others = [c for c in ("NEG", "EMO", "PHY") if c != initial]
        plan.latest_category = rng.choice(others)

    # Core groups: the first within 10 working days of the ICPC, then about monthly.
    upto = min(plan_end, end)
    d = cal.add(icpc, rng.randint(3, 10) if rng.random() < 0.88 else rng.randint(11, 20))
    while d < upto:
        if d >= sim.floor:
            sim.store.add(ch.CoreGroupMeeting, plan_id=plan.id, meeting_date=d)
        d = cal.add(d, rng.randint(18, 30))
    # Visits: at least every 10 working days is the common local standard; some slip.
    diligence = rng.random()
    d = cal.add(icpc, rng.randint(1, 5))
    alone_possible = cs.age(icpc) >= 4
    while d < upto:
        if d >= sim.floor:
            case.visit(ch.Visit.Kind.CP, d, alone_possible or cs.age(d) >= 4)
        gap = rng.randint(5, 10) if rng.random() < 0.75 + 0.2 * diligence else rng.randint(11, 22)
        d = cal.add(d, gap)
    teenage_missing(sim, case, icpc, plan_end)
    if into_care is None and len(reviews) >= 2 and rng.random() < 0.08:
        looked_after.pre_proceedings(sim, cs, ref, reviews[1] + timedelta(days=rng.randint(5, 20)), None, None)

    if into_care is not None:
        return ("cla", into_care, {"from_plan": True})
    if plan_end == adult:
        return ("close", plan_end, {"reason": "RC7"})
    after = rng.random()
    if after < 0.55:
        return ("cin", plan_end, {"step_down": True})
    if after < 0.93:
        return ("close", plan_end, {"reason": "RC7"})
    if after < 0.97:
        return ("close", plan_end, {"reason": "RC5"})
    return ("cla", plan_end, {})


def teenage_missing(sim: Sim, case: Case, a: date, b: date) -> None:
    cs = case.cs
    if cs.missing_rate is None:
        cs.missing_rate = 0.0 if sim.rng.random() < 0.9 else sim.rng.lognormvariate(math.log(1.5), 0.8)
    sim.missing_episodes(case, a, b, cs.missing_rate * (2.5 if cs.exploited else 1.0), looked_after=False)


def cin_plan(sim: Sim, case: Case, ref: ch.Referral, start: date, info: dict) -> State:
    rng, cal, end = sim.rng, sim.cal, sim.end
    cs = case.cs
    if cs.age(start) >= 17.9:  # no plan for a young person about to turn 18
        return ("close", start, {"reason": "RC7"})
    if cs.exploited and cs.age(start) >= 12 and rng.random() < 0.65:
        case.move(TeamType.EXPLOITATION, start)
    else:
        case.move(TeamType.CIN_CP, start, qualified=False)
    case.worked = True
    if info.get("escalated"):
        # The plan after an escalation starts the day after the last one ended: the census refuses two
        # plans sharing a day (rule 4014).
        start += timedelta(days=1)
        if start > end:
            return ("open", start, {})
    days = info.get("days") or int(rng.lognormvariate(math.log(140), 0.7)) + 20
    stop = start + timedelta(days=days)
    escalate = info.get("days") is None and not info.get("escalated") and rng.random() < 0.06
    if escalate:
        stop = start + timedelta(days=rng.randint(20, max(21, days)))
    adult = cs.birthday(18)
    if stop >= adult:  # services for a child in need end at 18
        stop, escalate = max(adult, start + timedelta(days=1)), False
    plan = sim.store.add(
        ch.ChildInNeedPlan, referral_id=ref.id, start_date=start, end_date=stop if stop <= end else None
    )
    review = add_months(start, 3)
    while review < stop and review <= end:
        plan.last_review_date = review + timedelta(days=rng.randint(-10, 20))
        review = add_months(review, 3)
    if plan.last_review_date and (plan.last_review_date > end or plan.last_review_date < start):
        plan.last_review_date = None
    upto = min(stop, end)
    d = cal.add(start, rng.randint(2, 10))
    while d < upto:
        if d >= sim.floor:
            case.visit(ch.Visit.Kind.CIN, d, cs.age(d) >= 4)
        d = cal.add(d, rng.randint(10, 22) if rng.random() < 0.88 else rng.randint(23, 45))
    teenage_missing(sim, case, start, stop)
    if escalate:
        return ("s47", stop, {"fallback": ("cin", stop, {"escalated": True})})
    if stop >= adult:
        return ("close", stop, {"reason": "RC6" if "disabled" in cs.flags else "RC7"})
    r = rng.random()
    if r < 0.86:
        return ("close", stop, {"reason": "RC7"})
    if r < 0.91:
        return ("close", stop, {"reason": "RC5"})
    if r < 0.93 and cs.age(stop) >= 17:
        return ("close", stop, {"reason": "RC6"})
    if r < 0.96:
        return ("cla", stop, {})
    return ("close", stop, {"reason": "RC7"})


def early_help_step(sim: Sim, case: Case, ref: ch.Referral, d: date, info: dict) -> State:
    early_help(sim, case.cs, d + timedelta(days=sim.rng.randint(0, 10)))
    return ("close", d, {"reason": "RC9"})


def private_fostering(sim: Sim, case: Case, ref: ch.Referral, d: date, info: dict) -> State:
    """A privately fostered child: visits within 7 working days, then every 6 weeks in
    the first year and every 12 weeks after (Children (Private Arrangements for Fostering) Regs 2005)."""
    rng, cal, end = sim.rng, sim.cal, sim.end
    case.move(TeamType.CIN_CP, d, qualified=False)
    stop = d + timedelta(days=rng.randint(180, 700))
    v = cal.add(ref.referral_date, rng.randint(2, 7) if rng.random() < 0.85 else rng.randint(8, 15))
    first = v
    while v < min(stop, end):
        if v >= sim.floor:
            case.visit(ch.Visit.Kind.PRIVATE_FOSTERING, v, True)
        weeks = 6 if (v - first).days < 365 else 12
        v += timedelta(days=weeks * 7 - rng.randint(0, 10) if rng.random() < 0.85 else weeks * 7 + rng.randint(1, 30))
    return ("close", stop, {"reason": "RC7"})
