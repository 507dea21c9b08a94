"""The demonstration partnership reproduces seed 001's figures for the last complete year."""

import datetime as dt

import pytest

from children.tests.factories import ChildFactory
from organisation.models import AgencyKind
from organisation.tests.factories import PartnerAgencyFactory
from partnership import demo, selectors
from partnership.models import Allegation, Body, Delegate

pytestmark = pytest.mark.django_db

LAST_YEAR = (dt.date(2014, 4, 1), dt.date(2015, 3, 31))


def test_demo_has_the_seed_figures_and_a_second_run_changes_nothing():
    for i, kind in enumerate(AgencyKind.values):
        PartnerAgencyFactory(name=f"Agency {i}", kind=kind)
    ChildFactory.create_batch(3)
    demo.load(today=dt.date(2015, 10, 1), log=lambda _: None)
    report = selectors.lado_report(*LAST_YEAR)
    assert report.total == 111  # seed 001 section 4.5
    sectors = {r.label: r.count for r in report.by_sector.rows}
    assert (sectors["Education"], sectors["Health"], sectors["Early years"], sectors["Other"]) == (49, 18, 17, 11)
    assert sectors["Foster carer"] == 10
    rows, total = selectors.course_table(*LAST_YEAR)
    assert total is not None
    assert (len(rows), total.sessions, total.attendees) == (18, 34, 639)  # seed 001 Figure 3
    assert {r.course.title: r.attendees for r in rows}["Group 3"] == 78
    board = Body.objects.get(is_board=True)
    assert len(selectors.attendance_grid(board, *LAST_YEAR).meetings) == 5  # "the five Board meetings"
    assert any(c.overdue for c in selectors.open_cases(on=dt.date(2015, 10, 1)))
    assert Allegation.objects.exclude(child=None).count() == 6  # a few name a child on the register
    counts = (Allegation.objects.count(), Delegate.objects.count(), Body.objects.count())
    demo.load(today=dt.date(2015, 10, 1), log=lambda _: None)
    assert (Allegation.objects.count(), Delegate.objects.count(), Body.objects.count()) == counts
