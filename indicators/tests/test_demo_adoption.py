"""The demonstration council's adoptions give the adoption indicators (A1, A2, A10) values.

The generator (demo/generator/looked_after.py) writes each adopted child's milestones:
entered care, decision, placement order, match, placed for adoption (a 903 A5/A6
placement), adoption order; an adoption by the child's foster carers is an A5 placement
straight after a foster placement with the same carer. Small council, 12 years, so that
there are enough adoptions to test (decision 0013)."""

import datetime as dt

import pytest
from django.db import transaction

from children import models as ch
from demo.generator import generate
from indicators import engine, facts, periods
from indicators.library import FOSTER_PLACEMENTS, LIBRARY, three_years

pytestmark = pytest.mark.django_db

# A seed whose small council adopts enough children to test (6 over 12 years). The generator's changes of
# 5 December 2026 (exports valid for their year) moved its random draws: seed 7 now adopts 2. Across seeds 5-11
# the small council adopts 4.7 children on average over 12 years, against 7.0 before those changes (noted in
# the session's closing note; not explained yet). The social worker corrections of 6 December 2026 (decision
# 0052) moved them again: seed 11 adopts 4, seed 17 adopts 6, two by their foster carers.
SEED, YEARS = 17, 12


class Rollback(Exception):
    pass


def adoptions() -> list[tuple]:
    return sorted(
        ch.AdoptionMilestone.objects.values_list(
            "child__la_child_id",
            "entered_care_date",
            "placement_order_date",
            "match_date",
            "foster_carer_adoption",
            "adoption_order_date",
        )
    )


def fingerprint() -> list[tuple]:
    try:
        with transaction.atomic():
            generate("small", SEED, progress=False, years=YEARS)
            raise Rollback(adoptions())
    except Rollback as done:
        return done.args[0]


def test_generator_writes_realistic_adoption_milestones_and_a1_a2_a10_have_values():
    result = generate("small", SEED, progress=False, years=YEARS)
    adopted = list(ch.AdoptionMilestone.objects.exclude(adoption_order_date=None).select_related("child"))
    assert len(adopted) >= 5
    placed = {p.child_id: p.date_placed for p in ch.PlacedForAdoption.objects.all()}
    foster_carers = 0
    for a in adopted:
        # The milestones in the order they happen.
        day_placed = placed[a.child_id]
        assert a.entered_care_date <= a.decision_date <= a.placement_order_date < a.match_date, a.child_id
        assert a.match_date < day_placed < a.adoption_order_date <= result.end, a.child_id
        # Placed for adoption = the start of the adoptive placement (903 A5/A6), which ends with the order.
        episodes = list(ch.LookedAfterEpisode.objects.filter(child_id=a.child_id).order_by("start_date"))
        adoptive = next(e for e in episodes if e.start_date == day_placed)
        assert adoptive.placement_type in ("A5", "A6") and episodes[-1].end_date == a.adoption_order_date
        before = episodes[episodes.index(adoptive) - 1]
        # A foster-carer adoption: A5, straight after a foster placement (with the same carer).
        assert a.foster_carer_adoption == (adoptive.placement_type == "A5"), a.child_id
        if a.foster_carer_adoption:
            foster_carers += 1
            assert before.placement_type in FOSTER_PLACEMENTS and before.end_date == day_placed
        # A2 threshold territory: a placement order to a match takes weeks to months, not years.
        assert 7 <= (a.match_date - a.placement_order_date).days <= 3 * 365
    assert 1 <= foster_carers < len(adopted)  # some, not all

    f = facts.load()
    years = sorted({periods.fy_of(a.adoption_order_date) for a in adopted})
    seen_fca_year = False
    for fy in years:
        p = periods.financial_year(fy)
        a1, a2, a10 = (engine.council_value(f, LIBRARY[c], p, {}) for c in ("A1", "A2", "A10"))
        # The scorecards' 3 years of adoption orders, ending with this financial year (decision 0021).
        in_year = [a for a in adopted if three_years(p).contains(a.adoption_order_date)]
        # A1 by hand from the milestones: entering care to placed for adoption, averaged.
        by_hand = sum((placed[a.child_id] - a.entered_care_date).days for a in in_year) / len(in_year)
        assert a1.value == pytest.approx(by_hand) and a1.denominator == len(in_year)
        assert a2.value == pytest.approx(
            sum((a.match_date - a.placement_order_date).days for a in in_year) / len(in_year)
        )
        if any(a.foster_carer_adoption for a in in_year):
            seen_fca_year = True
            assert a10.value < a1.value  # the clock stops when the child moved in with the carers
        else:
            assert a10.value == pytest.approx(a1.value)
    assert seen_fca_year


def test_adoptions_are_the_same_for_the_same_seed():
    first = fingerprint()
    assert first and fingerprint() == first
    assert all(isinstance(row[5], dt.date) or row[5] is None for row in first)
