"""Issue 14: the LADO clocks. The employer reports within 1 working day of becoming aware
(weekends and bank holidays only: the employer is not the council); the designated officer's
initial consideration is a local timescale on the council's own calendar."""

import datetime as dt

import pytest

from accounts.models import Role, Scope
from accounts.tests.factories import UserFactory
from partnership import selectors
from partnership.models import Allegation, Category, Sector, Source
from timescales.models import LocalClosureDay

from .factories import AllegationFactory

pytestmark = pytest.mark.django_db
D = dt.date


def test_employer_report_within_1_working_day_of_becoming_aware():
    # Aware on Thursday 24 December 2020: 25 and 28 December (Boxing Day substitute) are bank
    # holidays, 26-27 the weekend: due Tuesday 29 December. A council closure that day moves nothing.
    LocalClosureDay.objects.create(day=D(2020, 12, 29), reason="Christmas closure")
    assert selectors.employer_report_due(D(2020, 12, 24)) == D(2020, 12, 29)
    in_time = AllegationFactory(employer_aware_date=D(2020, 12, 24), referral_date=D(2020, 12, 29))
    late = AllegationFactory(employer_aware_date=D(2020, 12, 24), referral_date=D(2020, 12, 30))
    unknown = AllegationFactory(referral_date=D(2020, 12, 30))
    assert [selectors.employer_reported_late(a) for a in (in_time, late, unknown)] == [False, True, None]
    r = selectors.lado_report(D(2020, 4, 1), D(2021, 3, 31))
    assert (r.employer_aware_known, r.employer_reported_in_time) == (2, 1)


def test_open_case_and_page_show_a_late_employer_report(client):
    a = AllegationFactory(employer_aware_date=D(2024, 3, 1), referral_date=D(2024, 3, 6))  # Friday; due Monday 4th
    [case] = selectors.open_cases(on=D(2024, 3, 7), months=3)
    assert case.employer_reported_late is True
    client.force_login(UserFactory(role=Role.LADO, scope=Scope.COUNCIL))
    page = client.get(f"/partnership/allegations/{a.pk}/").content.decode()
    assert "Reported late" in page


def test_the_employer_cannot_have_become_aware_after_the_referral(client):
    client.force_login(UserFactory(role=Role.LADO, scope=Scope.COUNCIL))
    form = {
        "reference": "LADO-7",
        "referral_date": "2024-02-01",
        "employer_aware_date": "2024-02-02",
        "source": Source.EMPLOYER,
        "adult_name": "Pat Adult",
        "adult_role": "Teaching assistant",
        "employer": "Hillside Primary",
        "sector": Sector.EDUCATION,
        "category": Category.SUITABILITY,
        "children_count": "1",
    }
    response = client.post("/partnership/allegations/new/", form)
    assert "became aware of it after it was referred" in response.content.decode()
    assert not Allegation.objects.exists()
    client.post("/partnership/allegations/new/", {**form, "employer_aware_date": "2024-01-31"})
    assert Allegation.objects.get().employer_aware_date == D(2024, 1, 31)
