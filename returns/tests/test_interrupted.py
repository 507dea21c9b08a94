"""A run's progress while it commits, and a run whose process was killed: the register is
left as it was and the run says what happened (issue 4 points 3 and 6)."""

import datetime as dt
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from returns import progress, services
from returns.models import ImportRun, Status
from returns.tests.conftest import DATA

ROOT = Path(settings.BASE_DIR)


def busy_run(tmp_path, status=Status.CHECKING, **fields):
    stored = tmp_path / "upload.xml"
    stored.write_text("<Message/>")
    return ImportRun.objects.create(
        kind="cin", file_name="big.xml", stored_path=str(stored), sha256="0" * 64, size=1000, status=status, **fields
    )


@pytest.mark.django_db
def test_a_busy_run_shows_the_progress_its_process_wrote(tmp_path):
    run = busy_run(tmp_path)
    progress.write(run, 400, 1234)
    shown = progress.current(ImportRun.objects.get(pk=run.pk))
    assert (shown.status, shown.processed, shown.records, shown.percent) == (Status.CHECKING, 400, 1234, 40)


@pytest.mark.django_db
def test_a_busy_run_whose_heartbeat_stopped_is_marked_failed_and_says_nothing_was_written(tmp_path):
    run = busy_run(tmp_path)
    progress.write(run, 400, 1234)
    later = timezone.now() + progress.STALE_AFTER + dt.timedelta(seconds=1)
    assert progress.current(ImportRun.objects.get(pk=run.pk)).status == Status.CHECKING  # still beating
    shown = progress.current(ImportRun.objects.get(pk=run.pk), now=later)
    stored = ImportRun.objects.get(pk=run.pk)
    assert shown.status == stored.status == Status.FAILED
    assert "Nothing was written" in stored.message and stored.finished_at == later


@pytest.mark.django_db
def test_a_run_that_never_beat_is_stale_from_its_creation(tmp_path):
    run = busy_run(tmp_path, status=Status.UPLOADED)
    assert progress.current(run, now=run.created_at + dt.timedelta(minutes=5)).status == Status.UPLOADED
    assert progress.current(run, now=run.created_at + dt.timedelta(minutes=11)).status == Status.FAILED


@pytest.mark.django_db
def test_committing_long_after_the_preview_starts_a_fresh_heartbeat(tmp_path):
    path = DATA / "cin_full_2025.xml"
    run = services.preview(services.create_run_from_path(path, "cin"))
    beat = Path(f"{run.stored_path}.progress")
    old = time.time() - 3600
    os.utime(beat, (old, old))  # the preview finished an hour ago
    assert services.claim(run)
    assert progress.current(ImportRun.objects.get(pk=run.pk)).status == Status.COMMITTING


def scaled_census(path: Path, children: int) -> None:
    """The sample census repeated with new child IDs: a file that takes seconds to import."""
    text = (DATA / "fake_CIN_data.xml").read_text()
    head, rest = text.split("<Children>", 1)
    blocks = re.findall(r"<Child>.*?</Child>", rest.rsplit("</Children>", 1)[0], flags=re.S)
    with open(path, "w", encoding="utf-8") as out:
        out.write(head + "<Children>\n")
        for n in range(children):
            block = re.sub(r"<LAchildID>[^<]*</LAchildID>", f"<LAchildID>K{n:09d}</LAchildID>", blocks[n % len(blocks)])
            out.write(re.sub(r"<UPN>[^<]*</UPN>", "", block) + "\n")
        out.write("</Children>\n</Message>\n")


@pytest.fixture
def command_database(tmp_path, django_db_blocker):
    """A database URL another process can use: a migrated SQLite file, or on PostgreSQL the
    test database itself (the test is transactional, so what the process commits is seen)."""
    if connection.vendor == "postgresql":
        s = connection.settings_dict
        yield f"postgres://{s['USER']}:{s['PASSWORD'] or ''}@{s['HOST']}:{s['PORT']}/{s['NAME']}"
        return
    url = f"sqlite:///{tmp_path / 'killed.sqlite3'}"
    env = {**os.environ, "DATABASE_URL": url, "LOS_INSECURE_LOCAL": "1"}
    subprocess.run([sys.executable, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
    yield url


@pytest.mark.django_db(transaction=True)
def test_a_killed_import_leaves_the_register_untouched_and_the_run_is_reported_interrupted(tmp_path, command_database):
    census = tmp_path / "census.xml"
    scaled_census(census, 60_000)
    uploads = tmp_path / "uploads"
    env = {
        **os.environ,
        "DATABASE_URL": command_database,
        "LOS_INSECURE_LOCAL": "1",
        "RETURNS_UPLOAD_DIR": str(uploads),
    }
    command = [sys.executable, "manage.py", "import_return", str(census), "--commit", "--no-progress"]
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        beat = None
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and process.poll() is None:
            beats = list(uploads.glob("*.progress")) if uploads.exists() else []
            if beats and progress_of(beats[0]) > 2_000:  # well into the file, children being written
                beat = beats[0]
                break
            time.sleep(0.05)
        assert beat is not None, f"the import never got going: {process.stdout.read() if process.stdout else ''}"
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=10)
    finally:
        if process.poll() is None:
            process.kill()

    out = subprocess.run(
        [sys.executable, "-c", CHECK],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    children, referrals, provenance, status, looked_at_later = out
    assert (children, referrals, provenance) == ("0", "0", "0")  # nothing half-written
    assert status == Status.CHECKING  # the run says it is busy until its heartbeat is seen stopped
    assert looked_at_later == Status.FAILED


def progress_of(path: Path) -> int:
    try:
        return int(re.search(r'"records": (\d+)', path.read_text()).group(1))
    except (OSError, AttributeError):
        return 0


CHECK = """
import datetime as dt, os
import django
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django.setup()
from django.utils import timezone
from children.models import Child, Referral
from returns import progress
from returns.models import ImportRun, SourceRecord
run = ImportRun.objects.get()
later = timezone.now() + progress.STALE_AFTER + dt.timedelta(seconds=1)
print(Child.objects.count(), Referral.objects.count(), SourceRecord.objects.count(), run.status,
      progress.current(run, now=later).status)
"""
