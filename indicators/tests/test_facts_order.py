"""The register is read in primary-key order, so ties are broken alike on every database."""

import datetime as dt

import pytest

from children.models import Involvement
from children.tests.factories import ChildFactory
from indicators import facts
from organisation.tests.factories import TeamFactory

pytestmark = pytest.mark.django_db


def test_two_involvements_starting_on_one_day_give_the_same_holder_whatever_the_storage_order():
    child = ChildFactory()
    first, second = TeamFactory(), TeamFactory()
    day = dt.date(2025, 6, 2)
    older = Involvement.objects.create(child=child, team=first, start_date=day)
    Involvement.objects.create(child=child, team=second, start_date=day)
    # An UPDATE moves the row to the end of a PostgreSQL table, so an unordered
    # read returns the later involvement first; SQLite keeps rowid order.
    older.reason_ended = "moved"
    older.save()
    f = facts.load(tables=())
    # Two holders from the same day: the later one (by key) holds the case.
    assert f.holder_at(child.pk, day) == (second.pk, None)
    assert f.holder_at(child.pk, dt.date(2025, 7, 1)) == (second.pk, None)
