"""The caseload open when the window starts: children on plans, in care and
leaving care, each with the history that brought them there.

Each stock is drawn length-biased (a long plan is more likely to be open on a
given day than a short one), with the time already elapsed uniform over its
length, so the opening caseload has the shape a steady flow would leave."""

import math
from datetime import timedelta

from .calendar import add_months, add_years
from .config import CARE_LEAVERS_PER_YEAR, CHILDREN_LOOKED_AFTER, CIN_PLANS_OPEN, CP_PLANS_AT_YEAR_END
from .journeys import PLAN_REVIEW_WEIGHTS, PLAN_REVIEWS, referral
from .looked_after import sample_plan
from .sim import ChildState, Sim

# Age on entering care: (weight, youngest, oldest); UASC drawn separately.
CARE_ENTRY_AGES = ((21, 0, 1), (15, 1, 5), (17, 5, 10), (35, 10, 16), (12, 16, 17.7))
CP_AGES = ((20, 0, 1), (28, 1, 5), (25, 5, 10), (22, 10, 16), (5, 16, 17.5))
CIN_AGES = ((8, 0, 1), (20, 1, 5), (26, 5, 10), (34, 10, 16), (12, 16, 17.5))


def _age(sim: Sim, bands: tuple[tuple[float, float, float], ...]) -> float:
    band = sim.rng.choices(bands, weights=[b[0] for b in bands])[0]
    return sim.rng.uniform(band[1], band[2])


def opening_caseload(sim: Sim) -> None:
    looked_after(sim, sim.count(CHILDREN_LOOKED_AFTER * sim.scale))
    care_leavers(sim)
    protection_plans(sim, sim.count(CP_PLANS_AT_YEAR_END * 1.15 * sim.scale))
    in_need_plans(sim, sim.count(CIN_PLANS_OPEN * sim.scale))


def looked_after(sim: Sim, n: int) -> None:
    rng = sim.rng
    longest = 18 * 365
    while n > 0:
        uasc = rng.random() < 0.05
        age = rng.uniform(14.5, 17.6) if uasc else _age(sim, CARE_ENTRY_AGES)
        birth = sim.start - timedelta(days=int(age * 365.25))
        plan = sample_plan(sim, birth, sim.start, uasc=uasc)
        length = (plan.exit - plan.start).days
        if rng.random() * longest > length:
            continue
        n -= 1
        plan = plan.shifted(-rng.randint(0, length - 1))
        cs = sim.new_child(plan.start, age, sex="M" if uasc and rng.random() < 0.9 else None, uasc=uasc)
        cs.birth = plan.birth
        _fix_birth(sim, cs)
        if uasc:
            cs.flags.add("uasc")
        lead = rng.randint(0, 5) if plan.route in ("police", "epo", "uasc") else rng.randint(5, 60)
        force = {"path": "cla", "plan": plan, "entry": plan.start}
        if uasc:
            force.update(need="N8", source="7")
        referral(sim, cs, plan.start - timedelta(days=lead), force)


def care_leavers(sim: Sim) -> None:
    """Young people who left care at 18 in the four years before the window (some supported to 25)."""
    rng = sim.rng
    groups = [(4, 0, 4, False), (3, 4, 7, True)]
    for years, newest, oldest, extended in groups:
        n = sim.count(CARE_LEAVERS_PER_YEAR * sim.scale * years * (0.15 if extended else 1.0))
        for _ in range(n):
            b18 = sim.start - timedelta(days=rng.randint(newest * 365 + 1, oldest * 365))
            birth = add_years(b18, -18)
            uasc = rng.random() < 0.12
            entry_age = (
                rng.uniform(15, 17.5)
                if uasc
                else rng.choice((rng.uniform(1, 10), rng.uniform(12, 17.4), rng.uniform(13, 17.4)))
            )
            entry = birth + timedelta(days=int(entry_age * 365.25))
            plan = sample_plan(sim, birth, entry, uasc=uasc, exit_kind="until18")
            if plan.exit_kind != "until18":
                continue
            plan.extended = extended
            cs = sim.new_child(entry, entry_age, sex="M" if uasc and rng.random() < 0.9 else None, uasc=uasc)
            cs.birth = birth
            _fix_birth(sim, cs)
            if uasc:
                cs.flags.add("uasc")
            force = {"path": "cla", "plan": plan, "entry": plan.start}
            if uasc:
                force.update(need="N8", source="7")
            referral(sim, cs, entry - timedelta(days=rng.randint(3, 40)), force)


def protection_plans(sim: Sim, n: int) -> None:
    rng = sim.rng
    longest = 45
    while n > 0:
        k = rng.choices(PLAN_REVIEWS, PLAN_REVIEW_WEIGHTS)[0]
        months = 3 + 6 * (k - 1)
        if rng.random() * longest > months:
            continue
        n -= 1
        icpc = add_months(sim.start, -months) + timedelta(days=rng.randint(0, months * 30))
        age = _age(sim, CP_AGES)
        ref_date = sim.cal.add(icpc, -rng.randint(12, 30))
        cs = sim.new_child(icpc, age)
        referral(sim, cs, ref_date, {"path": "cp", "k": k})


def in_need_plans(sim: Sim, n: int) -> None:
    rng = sim.rng
    longest = 1500
    while n > 0:
        days = int(rng.lognormvariate(math.log(140), 0.7)) + 20
        if rng.random() * longest > days:
            continue
        n -= 1
        start = sim.start - timedelta(days=rng.randint(0, days))
        age = _age(sim, CIN_AGES)
        cs = sim.new_child(start, age)
        referral(sim, cs, start - timedelta(days=rng.randint(25, 70)), {"path": "cin", "days": days})


def _fix_birth(sim: Sim, cs: ChildState) -> None:
    """new_child drew a birth date from an age; the care plan fixed the real one."""
    child = cs.child
    born = cs.birth <= sim.end
    child.birth_date = cs.birth if born else None
    child.expected_birth_date = None
