"""The chronology: a child whose referral the Annex A import made up; deprivations of liberty (903 DoLo)."""

import datetime as dt

import pytest

from children.selectors import LIBERTY, chronology, current_liberty_deprivations
from children.tests.factories import (
    AssessmentFactory,
    DeprivationOfLibertyFactory,
    LookedAfterEpisodeFactory,
    ReferralFactory,
)

pytestmark = pytest.mark.django_db


def test_a_made_up_referral_is_not_shown_as_received_but_its_assessment_is():
    held = ReferralFactory(referral_date=dt.date(2024, 1, 8), placeholder=True)
    AssessmentFactory(referral=held, start_date=dt.date(2024, 1, 8))
    real = ReferralFactory(child=held.child, referral_date=dt.date(2024, 6, 3))
    kinds = [(e.when, e.kind, e.summary) for e in chronology(held.child) if e.kind != "Birth"]
    assert kinds == [
        (dt.date(2024, 1, 8), "Assessment", "Assessment started"),
        (real.referral_date, "Referral", "Referral received"),
    ]


def test_deprivations_of_liberty_are_shown_with_their_start_and_end_and_can_be_filtered():
    episode = LookedAfterEpisodeFactory(start_date=dt.date(2026, 5, 1), placement_type="K2")
    child = episode.child
    DeprivationOfLibertyFactory(child=child, start_date=dt.date(2026, 6, 1), end_date=dt.date(2026, 8, 1))
    DeprivationOfLibertyFactory(child=child, start_date=dt.date(2026, 9, 2))
    entries = [(e.when, e.kind, e.summary, e.ongoing) for e in chronology(child, kind=LIBERTY)]
    assert entries == [
        (dt.date(2026, 6, 1), LIBERTY, "Deprivation of liberty order began", False),
        (dt.date(2026, 8, 1), LIBERTY, "Deprivation of liberty order ended", False),
        (dt.date(2026, 9, 2), LIBERTY, "Deprivation of liberty order began", True),
    ]
    newest = chronology(child, newest_first=True)
    assert newest[0].when == dt.date(2026, 9, 2) and {e.kind for e in newest} >= {LIBERTY, "Looked after"}
    looked_after = chronology(child, kind="Looked after")
    assert looked_after and all(e.kind == "Looked after" for e in looked_after)


def test_the_orders_in_force_on_a_day():
    ended = DeprivationOfLibertyFactory(start_date=dt.date(2026, 6, 1), end_date=dt.date(2026, 8, 1))
    child = ended.child
    running = DeprivationOfLibertyFactory(child=child, start_date=dt.date(2026, 9, 2))
    DeprivationOfLibertyFactory(child=child, start_date=dt.date(2027, 1, 1))  # not begun yet
    assert current_liberty_deprivations(child, dt.date(2026, 8, 1)) == [ended]  # its last day
    assert current_liberty_deprivations(child, dt.date(2026, 8, 2)) == []
    assert current_liberty_deprivations(child, dt.date(2026, 12, 31)) == [running]
