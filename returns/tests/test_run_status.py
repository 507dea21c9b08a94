"""An import's status only moves forward, checked by the database, and a run's heartbeat beats
while any file is read (issue 12 point 4; docs/decisions/0019-import-locking-and-status.md)."""

import datetime as dt
import time

import pytest
from django.utils import timezone

from audit.models import Action, AuditEvent
from children.models import Child
from returns import progress, services
from returns.models import MOVES_FROM, ImportRun, Problem, SourceRecord, Status
from returns.tests.conftest import DATA
from returns.tests.test_interrupted import scaled_census

pytestmark = pytest.mark.django_db
LATER = dt.timedelta(minutes=11)


def stale_check_now(run) -> None:
    """What a page does when it finds the run's heartbeat more than ten minutes old."""
    progress.current(ImportRun.objects.get(pk=run.pk), now=timezone.now() + LATER)


def test_a_preview_marked_failed_while_it_reads_stops_and_stays_failed(tmp_path):
    census = tmp_path / "census.xml"
    scaled_census(census, 3_000)  # over 2 MiB: the reader reports progress more than once
    run = services.create_run_from_path(census, "cin")
    calls = []

    def meanwhile(done, records):
        calls.append(records)
        stale_check_now(run)

    run = services.preview(run, progress=meanwhile)
    stored = ImportRun.objects.get(pk=run.pk)
    assert run.status == stored.status == Status.FAILED
    assert stored.message == progress.INTERRUPTED
    assert len(calls) == 1  # the next progress found the run taken and stopped the reading
    assert not Problem.objects.filter(run=run).exists() and stored.summary == {}


def test_a_preview_that_ends_after_the_stale_check_keeps_nothing(tmp_path):
    """A small file reports progress once, at its end: the final conditional update is what refuses."""
    run = services.create_run_from_path(DATA / "cin_full_2025.xml", "cin")
    run = services.preview(run, progress=lambda done, records: stale_check_now(run))
    stored = ImportRun.objects.get(pk=run.pk)
    assert run.status == stored.status == Status.FAILED
    assert stored.summary == {} and stored.header == {} and stored.collection_year is None


def test_a_commit_marked_failed_while_it_reads_writes_nothing(tmp_path):
    run = services.preview(services.create_run_from_path(DATA / "cin_full_2025.xml", "cin"))
    assert run.status == Status.PREVIEWED
    run = services.commit(run, progress=lambda done, records: stale_check_now(run))
    stored = ImportRun.objects.get(pk=run.pk)
    assert run.status == stored.status == Status.FAILED and stored.committed_at is None
    assert Child.objects.count() == 0 and SourceRecord.objects.count() == 0
    assert not AuditEvent.objects.filter(action=Action.SYSTEM).exists()


def test_the_command_line_import_marked_failed_while_it_reads_writes_nothing():
    run = services.create_run_from_path(DATA / "cin_full_2025.xml", "cin")
    run = services.check_and_commit(run, progress=lambda done, records: stale_check_now(run))
    assert ImportRun.objects.get(pk=run.pk).status == Status.FAILED
    assert Child.objects.count() == 0


def test_a_run_that_is_not_stale_is_committed():
    run = services.preview(services.create_run_from_path(DATA / "cin_full_2025.xml", "cin"))
    run = services.commit(run, progress=lambda done, records: progress.current(ImportRun.objects.get(pk=run.pk)))
    assert ImportRun.objects.get(pk=run.pk).status == Status.COMMITTED and Child.objects.exists()


@pytest.mark.parametrize(
    "before, to",
    [
        (Status.FAILED, Status.PREVIEWED),
        (Status.FAILED, Status.COMMITTED),
        (Status.FAILED, Status.COMMITTING),
        (Status.COMMITTED, Status.FAILED),
        (Status.REJECTED, Status.PREVIEWED),
        (Status.PREVIEWED, Status.CHECKING),
        (Status.COMMITTED, Status.COMMITTING),
    ],
)
def test_the_database_refuses_a_move_backwards(tmp_path, before, to):
    run = ImportRun.objects.create(kind="cin", file_name="x.xml", stored_path=str(tmp_path / "x"), status=before)
    stale = ImportRun.objects.get(pk=run.pk)
    stale.status = MOVES_FROM[to][0]  # this process still thinks the run is where it left it
    assert not services.advance(stale, to, message="moved")
    stored = ImportRun.objects.get(pk=run.pk)
    assert (stored.status, stored.message) == (before, "")


def test_the_database_allows_each_move_forward(tmp_path):
    for to, sources in MOVES_FROM.items():
        for source in sources:
            run = ImportRun.objects.create(kind="cin", file_name="x.xml", stored_path=str(tmp_path), status=source)
            assert services.advance(run, to) and ImportRun.objects.get(pk=run.pk).status == to


@pytest.fixture
def quick_heartbeat(monkeypatch):
    """A heartbeat every 50 ms, and a run stale after 300 ms without one."""
    monkeypatch.setattr(progress, "HEARTBEAT", dt.timedelta(milliseconds=50))
    monkeypatch.setattr(progress, "STALE_AFTER", dt.timedelta(milliseconds=300))


def slow_first_record(monkeypatch, seen: list) -> None:
    """The reader takes a second over one record without reporting progress (one large child,
    sheet or table); meanwhile a page looks at the run with the real clock."""
    real = services._reader

    class Slow:
        def __init__(self, reader):
            self.reader = reader

        def __getattr__(self, name):
            return getattr(self.reader, name)

        def __iter__(self):
            for n, record in enumerate(self.reader):
                if n == 0:
                    time.sleep(1)
                    run = ImportRun.objects.get(pk=self.reader_run)
                    seen.append(progress.current(run).status)
                yield record

    def reader(run, problems, report):
        slow = Slow(real(run, problems, report))
        slow.reader_run = run.pk
        return slow

    monkeypatch.setattr(services, "_reader", reader)


def test_the_heartbeat_beats_while_one_long_record_is_read_in_a_preview(monkeypatch, quick_heartbeat):
    seen: list = []
    slow_first_record(monkeypatch, seen)
    run = services.preview(services.create_run_from_path(DATA / "cin_full_2025.xml", "cin"))
    assert seen == [Status.CHECKING]  # not taken for dead
    assert ImportRun.objects.get(pk=run.pk).status == Status.PREVIEWED


def test_the_heartbeat_beats_while_one_long_record_is_read_in_a_commit(monkeypatch, quick_heartbeat):
    run = services.preview(services.create_run_from_path(DATA / "cin_full_2025.xml", "cin"))
    seen: list = []
    slow_first_record(monkeypatch, seen)
    run = services.commit(run)
    assert seen == [Status.COMMITTING]
    assert ImportRun.objects.get(pk=run.pk).status == Status.COMMITTED


def test_without_a_heartbeat_the_same_wait_is_taken_for_dead(tmp_path, quick_heartbeat):
    """The check the two tests above rely on: 300 ms without a beat is stale."""
    stored = tmp_path / "upload.xml"
    stored.write_text("<Message/>")
    run = ImportRun.objects.create(kind="cin", file_name="x.xml", stored_path=str(stored), status=Status.CHECKING)
    progress.write(run, 0, 0)
    time.sleep(0.5)
    assert progress.current(ImportRun.objects.get(pk=run.pk)).status == Status.FAILED


def test_the_heartbeat_stops_with_the_work(tmp_path, quick_heartbeat):
    stored = tmp_path / "upload.xml"
    stored.write_text("<Message/>")
    run = ImportRun.objects.create(kind="cin", file_name="x.xml", stored_path=str(stored), status=Status.CHECKING)
    progress.write(run, 0, 0)
    with progress.beating(run):
        time.sleep(0.5)
        assert progress.current(ImportRun.objects.get(pk=run.pk)).status == Status.CHECKING
    time.sleep(0.5)
    assert progress.current(ImportRun.objects.get(pk=run.pk)).status == Status.FAILED
