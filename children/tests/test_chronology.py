"""The chronology of a child whose referral the Annex A import made up."""

import datetime as dt

import pytest

from children.selectors import chronology
from children.tests.factories import AssessmentFactory, ReferralFactory

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
