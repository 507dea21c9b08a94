"""Building facts and rules in memory, so each hand-worked case reads plainly."""

import datetime as dt
from types import SimpleNamespace as Row

from timescales.calendar import WorkingCalendar
from timescales.defaults import RULES
from timescales.facts import ChildFacts
from timescales.models import TimescaleRule
from timescales.rules import Context

D = dt.date
CALENDAR = WorkingCalendar()
JAN_8 = D(2024, 1, 8)


def ctx(today: dt.date, **amounts: int) -> Context:
    rules = {r["code"]: TimescaleRule(**r) for r in RULES}
    for code, amount in amounts.items():
        rules[code].amount = amount
    return Context(rules, CALENDAR, today)


def facts(**tables) -> ChildFacts:
    f = ChildFacts(child_id=1, birth_date=tables.pop("birth_date", D(2015, 1, 1)), team_id=1, worker_id=1)
    for name, rows in tables.items():
        setattr(f, name, rows)
    return f


def referral(id=1, date=JAN_8, decision=None, nfa=False, closed=None, placeholder=False):
    return Row(id=id, referral_date=date, decision_date=decision, nfa=nfa, closure_date=closed, placeholder=placeholder)


def assessment(referral_id=1, start=JAN_8, authorised=None):
    return Row(id=referral_id * 10, referral_id=referral_id, start_date=start, authorisation_date=authorised)


def s47(start, icpc=None, referral_id=1, not_required=False):
    return Row(id=1, referral_id=referral_id, start_date=start, icpc_date=icpc, icpc_not_required=not_required)


def plan(start, end=None, id=1, previous=None, referral_id=1):
    return Row(id=id, referral_id=referral_id, start_date=start, end_date=end, number_of_previous_plans=previous)


def episode(
    start, end=None, rne="S", reason_ceased="", long_term=False, legal_status="C2", placement="U4", regulation=""
):
    return Row(
        start_date=start,
        end_date=end,
        reason_new_episode=rne,
        long_term=long_term,
        reason_ceased=reason_ceased,
        legal_status=legal_status,
        placement_type=placement,
        placement_regulation=regulation,
    )


def missing(returned, offered_at=None, offered=None, accepted=None, held_at=None):
    return Row(
        started_at=returned - dt.timedelta(hours=5),
        returned_at=returned,
        rhi_offered_at=offered_at,
        rhi_offered=offered,
        rhi_accepted=accepted,
        rhi_completed_at=held_at,
    )


def visit(day, kind="cp"):
    return Row(kind=kind, visit_date=day)


def only(clocks, rule):
    return [c for c in clocks if c.rule == rule]
