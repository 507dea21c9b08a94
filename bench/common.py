"""Shared pieces for the benchmarks: a database with a demonstration council,
the machine's description, a server on loopback, signed-in sessions and wrk."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import platform
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = str(ROOT / ".venv" / "bin" / "python")
OUT = ROOT / "var" / "bench"


def machine() -> str:
    cpu = "unknown CPU"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    mem = ""
    with contextlib.suppress(OSError):
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        mem = f", {kb / 1024 / 1024:.0f} GiB"
    system = f"{platform.system()} {platform.release()}"
    return f"{os.cpu_count()} cores, {cpu}{mem}, {system}, Python {platform.python_version()}"


def reset_peak_memory() -> float:
    """Set this process's peak resident memory back to what it holds now, and return that (MB).

    Call it just before starting a process whose peak memory wait4 is to report. Python starts a
    child with vfork, and the kernel counts the peak of the memory the child borrowed from its parent
    before its exec as the child's own: without this, a child started from a benchmark that had
    built a large file in memory was reported at the benchmark's peak (528 MB for a 903 import whose
    own peak was 310 MB). What remains counted is the parent's present size, returned so that a
    benchmark can print it. Linux only; elsewhere nothing is reset."""
    with contextlib.suppress(OSError):
        Path("/proc/self/clear_refs").write_text("5")
    with contextlib.suppress(OSError, ValueError, IndexError):
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def env(url: str) -> dict[str, str]:
    return {**os.environ, "DATABASE_URL": url, "LOS_INSECURE_LOCAL": "1", "DJANGO_SETTINGS_MODULE": "config.settings"}


def database_url(kind: str, name: str) -> str:
    """A database for the benchmark: a SQLite file under var/bench, or a
    database on the local PostgreSQL that scripts/local_postgres.sh starts."""
    OUT.mkdir(parents=True, exist_ok=True)
    if kind == "sqlite":
        return f"sqlite:///{OUT / (name + '.sqlite3')}"
    base = (
        os.environ.get("BENCH_POSTGRES_URL")
        or subprocess.check_output([str(ROOT / "scripts" / "local_postgres.sh")], text=True).strip()
    )
    server = base.rsplit("/", 1)[0]
    import psycopg

    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')
    return f"{server}/{name}"


def ensure_council(url: str, size: str, seed: int = 2015) -> None:
    """Migrate, and generate the demonstration council once (kept between runs)."""
    subprocess.run([PY, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env(url), check=True)
    subprocess.run(
        [PY, "manage.py", "generate_demo", "--size", size, "--seed", str(seed), "--if-empty"],
        cwd=ROOT,
        env=env(url),
        check=True,
    )


def setup_django(url: str) -> None:
    os.environ.update(env(url))
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def sessions_for(users: list) -> list[str]:
    """Signed-in sessions made directly in the session store, as a sign-in would."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from accounts.middleware import SIGNED_IN_AT

    # The password backend a sign-in would record (a backend not in AUTHENTICATION_BACKENDS signs nobody in).
    backend = next(b for b in settings.AUTHENTICATION_BACKENDS if "axes" not in b)
    keys = []
    for user in users:
        store = SessionStore()
        store[SESSION_KEY] = str(user.pk)
        store[BACKEND_SESSION_KEY] = backend
        store[HASH_SESSION_KEY] = user.get_session_auth_hash()
        store[SIGNED_IN_AT] = time.time()  # the absolute session lifetime starts at sign-in
        store.create()
        keys.append(str(store.session_key))
    return keys


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def ensure_wrk() -> str:
    found = shutil.which("wrk")
    if found:
        return found
    if os.geteuid() == 0:
        subprocess.run(["apt-get", "install", "-y", "-q", "wrk"], check=True, stdout=subprocess.DEVNULL)
        return shutil.which("wrk") or "wrk"
    raise SystemExit("wrk is needed for the load test: apt-get install wrk")


def today() -> str:
    return dt.date.today().isoformat()
