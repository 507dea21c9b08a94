"""Issue 12 point 3: how long an import holds SQLite's write lock, which every sign-in and
page view needs (sessions, audit rows, axes rows).

A CIN census of 10,000 children (bench_cin_import's realistic file, built from the
demonstration council's own export) imported into a fresh copy of a migrated SQLite database,
two ways, alternated A B A B for --rounds rounds (issue 17 point 1): previewed and then
committed as the web pages do, and `import_return --commit` (check and write in one pass).
Both are our code: the comparison is between the two paths, and the figure that matters is
the lock-out. Meanwhile a prober connection tries BEGIN IMMEDIATE without waiting every 10 ms:
the longest spell in which it could not take the lock is how long a page request would have
had to wait. Each run is its own process; it prints its wall time, CPU time (user + system),
peak memory, the lock-outs and the load average, then the median and range of each side.

    .venv/bin/python bench/bench_write_lock.py [--children 10000] [--rounds 3]
"""

from __future__ import annotations

import argparse
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _cin_england import england_file  # noqa: E402
from _warm import timed  # noqa: E402
from common import OUT, PY, ROOT, env  # noqa: E402

WEB = """
import json, os, sys, time, django
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django.setup()
from returns import services
t = time.perf_counter()
run = services.preview(services.create_run_from_path(sys.argv[1], "cin"))
preview = time.perf_counter() - t
t = time.perf_counter()
run = services.commit(run)
print(json.dumps({"preview": preview, "commit": time.perf_counter() - t, "status": run.status}))
"""

ONE_PASS = """
import json, os, sys, time, django
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django.setup()
from django.core.management import call_command
t = time.perf_counter()
call_command("import_return", sys.argv[1], "--commit", "--no-progress", stdout=sys.stderr)
print(json.dumps({"commit": time.perf_counter() - t, "status": "done"}))
"""

SIDES = {"preview then commit (the web pages)": WEB, "import_return --commit (one pass)": ONE_PASS}


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

    def longest(self) -> float:
        return max(self.spells, default=0.0)


def remove(db: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)


def fresh(template: Path, db: Path) -> None:
    """A copy of the migrated database, so that every run imports into an empty register."""
    remove(db)
    shutil.copyfile(template, db)


def span(xs: list[float]) -> str:
    return f"{statistics.median(xs):.2f} s ({min(xs):.2f}-{max(xs):.2f})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--children", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    census, n = england_file(children=args.children)
    template, db = OUT / "write_lock_template.sqlite3", OUT / "write_lock.sqlite3"
    e = env(f"sqlite:///{db}") | {"RETURNS_UPLOAD_DIR": str(OUT / "write_lock_uploads")}
    remove(db)
    subprocess.run([PY, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=e, check=True)
    with sqlite3.connect(db) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # everything in the main file, which is copied
    shutil.copyfile(db, template)
    print(f"CIN census: {n:,} children, {census.stat().st_size / 1e6:.1f} MB; {args.rounds} rounds, A B A B")
    runs: dict[str, list[tuple[float, float, float, float, float]]] = {label: [] for label in SIDES}
    for i in range(args.rounds):
        for label, script in SIDES.items():
            fresh(template, db)
            load = os.getloadavg()[0]
            with Prober(db) as prober:
                wall, cpu, mem, out = timed([PY, "-c", script, str(census)], e)
            runs[label].append((wall, cpu, out["commit"], prober.longest(), load))
            print(
                f"  round {i + 1} {label}: {wall:.1f} s (CPU {cpu:.1f} s, {mem:.0f} MB), commit {out['commit']:.1f} s "
                f"{out['status']}; longest lock-out {prober.longest():.2f} s, total {sum(prober.spells):.2f} s in "
                f"{len(prober.spells)} spells; load {load:.1f}",
                flush=True,
            )
    for label, rs in runs.items():
        share = [x[3] / x[2] for x in rs]
        print(
            f"  {label}: wall {span([x[0] for x in rs])}, CPU {span([x[1] for x in rs])}, commit "
            f"{span([x[2] for x in rs])}, longest lock-out {span([x[3] for x in rs])} "
            f"({statistics.median(share):.0%} of the commit), "
            f"load {min(x[4] for x in rs):.1f}-{max(x[4] for x in rs):.1f}"
        )


if __name__ == "__main__":
    main()
