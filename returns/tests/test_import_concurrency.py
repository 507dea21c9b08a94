"""Sign-in and a child's page answer while a large import commits (issue 12 point 3).

Everything runs as it does in production, in separate processes against one file-backed
database (a migrated SQLite file, or the PostgreSQL test database): gunicorn serves the pages,
`manage.py import_return --commit` imports a census of 20,000 children, and this test signs
in and opens a child's page over HTTP, again and again, from the moment the import starts
reading until it ends. On SQLite every one of those requests writes (session, axes, audit
row), so it needs the write lock the import holds while it writes: it must wait for it (the
busy timeout in config/settings.py) and not fail, and the import must hold it only while it
writes (docs/decisions/0019-import-locking-and-status.md).
"""

import http.cookiejar
import os
import re
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from returns.tests.test_interrupted import ROOT, command_database, progress_of, scaled_census  # noqa: F401 (a fixture)

CHILDREN = 20_000
# A request made while the import writes waits until it has written: on SQLite the whole
# write phase (about 3 s for this file on an idle machine, over 30 s on a very busy one).
# It must be answered within SQLite's busy timeout (config/settings.py), and it must not wait
# much longer than the write phase (SLACK): the import may hold the lock only while it writes.
BOUND = 60.0
SLACK = 10.0
PASSWORD = "correct-horse-battery"

SETUP = """
import os, django
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django.setup()
from accounts.models import Scope
from accounts.tests.factories import UserFactory
from children.tests.factories import ChildFactory
UserFactory(username="reader", scope=Scope.COUNCIL)
print(ChildFactory(la_child_id="SEEN-WHILE-IMPORTING").pk)
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Importer:
    """The import in its own process; its log lines, with when each was seen."""

    def __init__(self, census: Path, env: dict) -> None:
        command = [sys.executable, "manage.py", "import_return", str(census), "--commit", "--no-progress"]
        self.process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
        )
        self.lines: list[tuple[float, str]] = []
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.append((time.monotonic(), line.rstrip()))

    def seen(self, text: str) -> float | None:
        return next((at for at, line in self.lines if text in line), None)

    def output(self) -> str:
        return "\n".join(line for _at, line in self.lines)


def sign_in_and_open(base: str, child_pk: int) -> tuple[list[int], float]:
    """Sign in as a fresh browser would and open the child's page: the status of each step and the time taken."""
    started = time.monotonic()
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    statuses = []

    def call(url, data=None):
        try:
            with opener.open(url, data=data, timeout=BOUND + 30) as response:
                statuses.append(response.status)
                return response.read().decode()
        except urllib.error.HTTPError as exc:
            statuses.append(exc.code)
            return ""

    form = call(f"{base}/accounts/login/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form)
    if token:
        fields = {"username": "reader", "password": PASSWORD, "csrfmiddlewaretoken": token.group(1)}
        call(f"{base}/accounts/login/", urllib.parse.urlencode(fields).encode())  # then the home page
        page = call(f"{base}/children/{child_pk}/")
        if "SEEN-WHILE-IMPORTING" not in page:
            statuses.append(-1)  # not the child's page (e.g. the sign-in form again)
    return statuses, time.monotonic() - started


def answers(base: str, child_pk: int) -> list[int] | None:
    try:
        return sign_in_and_open(base, child_pk)[0]
    except urllib.error.URLError:  # not listening yet
        return None


@pytest.mark.django_db(transaction=True)
def test_sign_in_and_a_child_page_answer_while_a_large_import_commits(tmp_path, command_database):  # noqa: F811
    uploads = tmp_path / "uploads"
    env = {
        **os.environ,
        "DATABASE_URL": command_database,
        "LOS_INSECURE_LOCAL": "1",
        "RETURNS_UPLOAD_DIR": str(uploads),
    }
    setup = subprocess.run([sys.executable, "-c", SETUP], cwd=ROOT, env=env, capture_output=True, text=True)
    assert setup.returncode == 0, setup.stderr
    child_pk = int(setup.stdout.split()[-1])
    census = tmp_path / "census.xml"
    scaled_census(census, CHILDREN)

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    gunicorn = [str(Path(sys.executable).parent / "gunicorn"), "config.wsgi", "--bind", f"127.0.0.1:{port}"]
    server = subprocess.Popen(
        [*gunicorn, "--workers", "1", "--threads", "4", "--timeout", "120"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    importer = None
    try:
        deadline = time.monotonic() + 60
        while (answered := answers(base, child_pk)) != [200, 200, 200]:
            assert time.monotonic() < deadline, f"the server never answered: {answered}"
            time.sleep(0.2)

        importer = Importer(census, env)
        deadline = time.monotonic() + 120
        while not any(progress_of(p) > 0 for p in uploads.glob("*.progress")) if uploads.exists() else True:
            assert importer.process.poll() is None, importer.output()
            assert time.monotonic() < deadline
            time.sleep(0.05)

        rounds = []  # (sent, statuses, seconds) from the start of the reading to the end of the import
        while importer.process.poll() is None:
            sent = time.monotonic()
            statuses, seconds = sign_in_and_open(base, child_pk)
            rounds.append((sent, statuses, seconds))
        assert importer.process.wait(timeout=60) == 0, importer.output()
        importer.reader.join(timeout=10)
    finally:
        server.terminate()
        server.wait(timeout=30)
        if importer is not None and importer.process.poll() is None:
            importer.process.kill()

    assert [r for r in rounds if r[1] != [200, 200, 200] or r[2] > BOUND] == []
    writing, committed = importer.seen(": writing"), importer.seen(": committed")
    assert writing and committed and "Committed run" in importer.output(), importer.output()
    assert [r for r in rounds if r[2] > committed - writing + SLACK] == [], (committed - writing, rounds)
    # Some sign-ins were in flight while the import held its write transaction, and answered.
    assert any(sent < committed and sent + seconds > writing for sent, _s, seconds in rounds), (writing, rounds)
