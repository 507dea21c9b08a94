"""Issue 12 point 3: how long an import holds SQLite's write lock, which every sign-in and
page view needs (sessions, audit rows, axes rows).

A fresh migrated SQLite database; a CIN census of about 10,000 children (bench_cin_import's
scaled file), first previewed and then committed as the web pages do, then imported again
with `import_return --commit` (check and write in one pass). Meanwhile a prober connection
tries BEGIN IMMEDIATE without waiting every 10 ms: the longest spell in which it could not
take the lock is how long a page request would have had to wait.

    .venv/bin/python bench/bench_write_lock.py [--children 10000]
"""

from __future__ import annotations

import argparse
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_cin_import import scaled_file  # noqa: E402
from common import OUT, PY, ROOT, env  # noqa: E402

WEB = """
import os, django
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django.setup()
import sys, time
from returns import services
t = time.perf_counter()
run = services.preview(services.create_run_from_path(sys.argv[1], "cin"))
print(f"preview {time.perf_counter() - t:.1f} s: {run.status}", flush=True)
t = time.perf_counter()
run = services.commit(run)
print(f"commit {time.perf_counter() - t:.1f} s: {run.status} {run.message}", flush=True)
"""


class Prober:
    """Tries to take the write lock every 10 ms; records the spells it could not."""

    def __init__(self, path: Path) -> None:
        self.path, self.stop, self.spells = path, threading.Event(), []
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        conn = sqlite3.connect(self.path, timeout=0, isolation_level=None)
        since = None
        while not self.stop.is_set():
            try:
                conn.execute("BEGIN IMMEDIATE")
                conn.execute("ROLLBACK")
                if since is not None:
                    self.spells.append(time.perf_counter() - since)
                    since = None
            except sqlite3.OperationalError:
                since = since if since is not None else time.perf_counter()
            time.sleep(0.01)
        if since is not None:
            self.spells.append(time.perf_counter() - since)

    def __enter__(self) -> Prober:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop.set()
        self.thread.join()

    def report(self) -> str:
        if not self.spells:
            return "never locked out"
        return f"longest lock-out {max(self.spells):.2f} s, total {sum(self.spells):.2f} s in {len(self.spells)} spells"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--children", type=int, default=10_000)
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    census = OUT / f"cin_lock_{args.children}.xml"
    n = scaled_file(args.children, census)
    db = OUT / "write_lock.sqlite3"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    e = env(f"sqlite:///{db}") | {"RETURNS_UPLOAD_DIR": str(OUT / "write_lock_uploads")}
    subprocess.run([PY, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=e, check=True)
    print(f"CIN census: {n:,} children, {census.stat().st_size / 1e6:.1f} MB")
    for label, cmd in (
        ("preview then commit (the web pages)", [PY, "-c", WEB, str(census)]),
        (
            "import_return --commit (one pass)",
            [PY, "manage.py", "import_return", str(census), "--commit", "--no-progress"],
        ),
    ):
        t = time.perf_counter()
        with Prober(db) as prober:
            out = subprocess.run(cmd, cwd=ROOT, env=e, capture_output=True, text=True, check=True).stdout
        print(f"{label}: {time.perf_counter() - t:.1f} s; {prober.report()}")
        print("  " + " | ".join(line.strip() for line in out.splitlines() if line.strip())[:300])


if __name__ == "__main__":
    main()
