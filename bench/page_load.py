"""Shared pieces of the page benchmarks (bench_oversight.py, bench_exploitation_pages.py): the server and the
load generator pinned to cores of their own, each arm run in alternation (A B A B ...), and the machine's load
beside every figure (issue 17 points 1 and 4).

The server (gunicorn, 2 workers of 4 threads) runs under `taskset -c SERVER_CPU`, wrk under
`taskset -c LOAD_CPU` with one thread; wrk's own CPU time is measured and reported. Before each run the
servers are left to finish the requests still queued from the run before (settle): a page built on every
request leaves minutes of work behind, which would otherwise slow the next arm. PostgreSQL is not pinned (it
is shared with the rest of the machine)."""

from __future__ import annotations

import contextlib
import os
import re
import resource
import shutil
import statistics
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import common

SERVER_CPU = os.environ.get("LOS_BENCH_SERVER_CPU", "0")
LOAD_CPU = os.environ.get("LOS_BENCH_LOAD_CPU", "1")


def taskset() -> list[str]:
    return ["taskset", "-c"] if shutil.which("taskset") and (os.cpu_count() or 1) > 1 else []


def pinned(cpu: str, argv: list[str]) -> list[str]:
    prefix = taskset()
    return [*prefix, cpu, *argv] if prefix else argv


@contextlib.contextmanager
def server(
    url: str, port: int, extra_env: dict[str, str], workers: int = 2, threads: int = 4, tree: Path | None = None
) -> Iterator[str]:
    """gunicorn on 127.0.0.1 only, pinned to SERVER_CPU, with extra environment (a cache switched off), serving
    this checkout or another tree of the code (an earlier commit, for a before-and-after)."""
    argv = [
        str(common.ROOT / ".venv" / "bin" / "gunicorn"),
        "config.wsgi",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--threads",
        str(threads),
        "--log-level",
        "warning",
    ]
    proc = subprocess.Popen(pinned(SERVER_CPU, argv), cwd=tree or common.ROOT, env={**common.env(url), **extra_env})
    base = f"http://127.0.0.1:{port}"
    SERVERS[base] = proc.pid
    try:
        for _ in range(150):
            if proc.poll() is not None:
                raise SystemExit(f"gunicorn exited with {proc.returncode} (is port {port} taken?)")
            with contextlib.suppress(OSError):
                urllib.request.urlopen(f"{base}/healthz", timeout=1)
                break
            time.sleep(0.2)
        yield base
    finally:
        SERVERS.pop(base, None)
        proc.terminate()
        proc.wait(timeout=20)


SERVERS: dict[str, int] = {}  # each running server's gunicorn master


def _cpu_seconds(pid: int) -> float:
    """CPU time of a process and its children (gunicorn's workers), from /proc."""
    total = 0.0
    pids = [pid]
    with contextlib.suppress(OSError):
        pids += [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    for one in pids:
        with contextlib.suppress(OSError, IndexError, ValueError):
            fields = Path(f"/proc/{one}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


def settle(limit_s: float = 120.0) -> float:
    """Wait until every server is idle: wrk stops after its time, but a server still works through the
    requests queued before (minutes, for a page built on every request), which would slow the next arm.
    Returns the seconds waited."""
    started = time.perf_counter()
    while time.perf_counter() - started < limit_s:
        before = sum(_cpu_seconds(pid) for pid in SERVERS.values())
        time.sleep(0.5)
        if sum(_cpu_seconds(pid) for pid in SERVERS.values()) - before < 0.025:  # under 5% of a core
            break
    return time.perf_counter() - started


def loadavg() -> float:
    return os.getloadavg()[0]


def load(url: str, cookies: list[str], seconds: int, connections: int) -> dict[str, float]:
    """wrk against one page, pinned to LOAD_CPU, on loopback only; with wrk's CPU share of its core and the
    machine's 1-minute load average before and after."""
    assert url.startswith("http://127.0.0.1:"), "load tests stay on this machine"
    cookie_file = common.OUT / "cookies.txt"
    cookie_file.write_text("\n".join(cookies) + "\n")
    argv = [
        common.ensure_wrk(),
        "-t1",
        f"-c{connections}",
        f"-d{seconds}s",
        "--timeout",
        "10s",
        "-s",
        str(common.ROOT / "bench" / "wrk_sessions.lua"),
        url,
    ]
    waited = settle()
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    load_before = loadavg()
    started = time.perf_counter()
    out = subprocess.run(
        pinned(LOAD_CPU, argv),
        env={**os.environ, "LOS_COOKIES": str(cookie_file)},
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    line = next(ln for ln in out.splitlines() if ln.startswith("LOS "))
    figures = {k: float(v) for k, v in re.findall(r"(\w+)=([\d.]+)", line)}
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    figures["wrk_cpu_share"] = cpu / wall if wall else 0.0
    figures["load_before"] = load_before
    figures["load_after"] = loadavg()
    figures["settled_s"] = waited
    return figures


def summary(runs: list[dict[str, float]], field: str = "p95_ms") -> dict[str, Any]:
    values = [r[field] for r in runs]
    loads = [r["load_before"] for r in runs] + [r["load_after"] for r in runs]
    return {
        "median": statistics.median(values),
        "low": min(values),
        "high": max(values),
        "values": values,
        "load_low": min(loads),
        "load_high": max(loads),
        "wrk_cpu": statistics.median(r["wrk_cpu_share"] for r in runs),
        "requests": statistics.median(r["requests"] for r in runs),
        "errors": sum(r["errors"] + r["non2xx"] for r in runs),
    }


def describe(name: str, s: dict[str, Any], goal_ms: float | None = None) -> str:
    verdict = ""
    if goal_ms is not None:
        held = "meets" if s["high"] < goal_ms else "median meets" if s["median"] < goal_ms else "MISSES"
        verdict = f" ({held} < {goal_ms:.0f} ms)"
    values = ", ".join(f"{v:.0f}" for v in s["values"])
    return (
        f"{name}: p95 median {s['median']:.0f} ms, range {s['low']:.0f}-{s['high']:.0f} ms [{values}]{verdict}; "
        f"{s['requests']:.0f} requests per run (median), errors {s['errors']:.0f}; "
        f"load average {s['load_low']:.2f}-{s['load_high']:.2f}; wrk used {100 * s['wrk_cpu']:.0f}% of its core"
    )


def machine_note() -> str:
    pin = f"server on CPU {SERVER_CPU}, wrk on CPU {LOAD_CPU}" if taskset() else "NOT pinned (no taskset or 1 core)"
    return f"{common.machine()}; {pin}; PostgreSQL not pinned"
