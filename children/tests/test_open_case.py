"""What counts as an open case: the caseload and timescales denominators."""

import datetime as dt

import pytest

from children.models import Child, PathwayPlan
from children.selectors import open_case
from children.tests.factories import ChildFactory, LookedAfterEpisodeFactory, ReferralFactory

pytestmark = pytest.mark.django_db
TODAY = dt.date(2025, 3, 31)


def open_ids(**kwargs):
    return set(Child.objects.filter(open_case(TODAY, **kwargs)).values_list("pk", flat=True))


def test_open_referral_open_episode_and_care_leaver_under_21():
    referral = ReferralFactory(referral_date=dt.date(2025, 1, 6)).child
    closed = ReferralFactory(referral_date=dt.date(2024, 1, 6), closure_date=dt.date(2025, 1, 10)).child
    looked_after = LookedAfterEpisodeFactory(start_date=dt.date(2024, 5, 1)).child
    leaver = ChildFactory(birth_date=dt.date(2005, 4, 1))  # 19
    PathwayPlan.objects.create(child=leaver, plan_date=dt.date(2024, 10, 1))
    too_old = ChildFactory(birth_date=dt.date(2004, 3, 31))  # 21 today
    PathwayPlan.objects.create(child=too_old, plan_date=dt.date(2024, 10, 1))
    assert open_ids() == {referral.pk, looked_after.pk, leaver.pk}
    assert closed.pk in open_ids(closed_since=dt.date(2025, 1, 1))


def test_a_referral_closed_after_the_day_asked_about_was_open_on_that_day():
    child = ReferralFactory(referral_date=dt.date(2025, 1, 6), closure_date=dt.date(2025, 6, 1)).child
    assert child.pk in open_ids()
