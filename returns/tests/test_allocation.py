"""The current allocation rule shared by the SSDA903 and SSD importers (returns/allocation.py).
The importers' own tests (test_ssda903_import.py, test_ssd_import.py) run it on real rows."""

import datetime as dt
from collections import Counter

import pytest

from children.models import Child, Involvement
from children.services import allocate
from children.tests.factories import ChildFactory
from organisation.tests.factories import TeamFactory, WorkerFactory
from returns.allocation import FROM_REGISTER, Given, Held, allocate_current, count_moved, current_involvement
from returns.models import ImportRun, Kind, SourceRecord
from returns.provenance import Provenance

pytestmark = pytest.mark.django_db
ON = dt.date(2025, 6, 1)
DAY = dt.timedelta(days=1)


def held(start: dt.date, end: dt.date | None = None, rank: tuple[int, int] = (0, 1)) -> Held:
    return Held(1, 10, start, end, rank)


def test_the_current_involvement_has_begun_and_has_the_latest_start():
    old, new, future = held(dt.date(2024, 1, 1), rank=(0, 9)), held(dt.date(2025, 1, 1)), held(ON + DAY, rank=(0, 2))
    assert current_involvement([new, old, future], ON) is new
    assert current_involvement([future], ON) is None
    assert current_involvement([], ON) is None


def test_an_involvement_ending_on_the_day_is_over_one_starting_on_it_is_current():
    ended = held(dt.date(2024, 1, 1), ON)
    assert current_involvement([ended], ON) is None
    starts = held(ON, rank=(0, 2))
    assert current_involvement([ended, starts], ON) is starts
    ends_tomorrow = held(dt.date(2024, 1, 1), ON + DAY)
    assert current_involvement([ends_tomorrow], ON) is ends_tomorrow


def test_the_same_start_the_highest_pk_then_the_returns_new_rows_in_their_order():
    day = dt.date(2025, 1, 1)
    high, low = held(day, rank=(0, 7)), held(day, rank=(0, 3))
    assert current_involvement([high, low], ON) is high
    first_new, second_new = held(day, rank=(1, 0)), held(day, rank=(1, 1))
    assert current_involvement([high, second_new, first_new, low], ON) is second_new


def run_and_provenance() -> tuple[ImportRun, Provenance]:
    run = ImportRun.objects.create(kind=Kind.SSD, file_name="x.ssd.zip")
    return run, Provenance(run, dry_run=False)


def test_the_team_is_the_involvements_and_a_changed_child_names_the_record():
    """An involvement the register holds (here made by children.services.allocate) whose team is
    not its worker's: the child takes the involvement's team."""
    worker, other = WorkerFactory(), TeamFactory()
    child = ChildFactory(team=None)
    allocate(child, other, worker, dt.date(2025, 1, 1))
    Child.objects.filter(pk=child.pk).update(team=None, worker=None)
    run, provenance = run_and_provenance()
    given = {child.pk: [Given(worker.pk, dt.date(2024, 1, 1), {"end_date": dt.date(2024, 12, 31)}, "f.csv row 2")]}
    assert allocate_current(given, ON, provenance, dry_run=False) == [child.pk]
    provenance.flush()
    child.refresh_from_db()
    assert (child.team, child.worker) == (other, worker)
    source = SourceRecord.objects.get(run=run)
    # the current involvement is not the return's row: the record is named, and marked so
    assert (source.object_id, source.record_path, source.created) == (child.pk, f"f.csv row 2: {FROM_REGISTER}", False)


def test_without_a_team_the_workers_team_and_a_preview_writes_nothing():
    worker = WorkerFactory()
    child = ChildFactory(team=None)
    given = {child.pk: [Given(worker.pk, dt.date(2025, 1, 1), {"team_id": None}, "f.csv row 2")]}
    run, provenance = run_and_provenance()
    assert allocate_current(given, ON, Provenance(run, dry_run=True), dry_run=True) == [child.pk]
    child.refresh_from_db()
    assert (child.team, child.worker) == (None, None)
    assert allocate_current(given, ON, provenance, dry_run=False) == [child.pk]
    provenance.flush()
    child.refresh_from_db()
    assert (child.team, child.worker) == (worker.team, worker)
    assert SourceRecord.objects.get(run=run).record_path == "f.csv row 2"
    assert allocate_current(given, ON, provenance, dry_run=False) == []  # already so: nothing to write


def test_the_returns_values_replace_the_registers_for_the_matched_involvement():
    """The register's open involvement, ended by the return (as a preview sees it before writing)."""
    worker = WorkerFactory()
    child = ChildFactory(team=worker.team, worker=worker)
    Involvement.objects.create(child=child, worker=worker, team=worker.team, start_date=dt.date(2024, 1, 1))
    ended = {child.pk: [Given(worker.pk, dt.date(2024, 1, 1), {"end_date": dt.date(2025, 1, 1)}, "r")]}
    assert allocate_current(ended, ON, Provenance(None, True), dry_run=True) == []  # none current: kept
    team_only = Involvement.objects.create(child=child, worker=None, team=TeamFactory(), start_date=dt.date(2025, 2, 1))
    assert allocate_current(ended, ON, Provenance(None, True), dry_run=False) == [child.pk]
    child.refresh_from_db()
    assert (child.team_id, child.worker) == (team_only.team_id, None)  # a case held by a team


def test_count_moved_counts_each_child_once():
    counter = Counter({"new": 1, "changed": 1, "unchanged": 2})
    unchanged = {3, 4}
    count_moved(counter, [1, 2, 3], unchanged)  # 1 new, 2 changed already, 3 unchanged until now
    assert counter == Counter({"new": 1, "changed": 2, "unchanged": 1}) and unchanged == {4}
    count_moved(counter, [3], unchanged)
    assert counter["changed"] == 2
