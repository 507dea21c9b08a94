"""A long-lived checking process, for the warm measurements of bench_903_rules.py and bench_cin_rules.py,
and the rounds of checks (cold and warm, A B A B) both benchmarks run.

In production our rules run inside a long-lived process (the upload preview, the task worker), and
Data to Insight's validators are used as a long-lived application too. So besides timing each tool
as a fresh process (start included), the benchmarks start one process per tool, each with its own
Python (ours and Data to Insight's throwaway venv), which imports everything once and then checks
the files it is sent, one at a time: `serve` is that process's loop, `Worker` the benchmark's end.

Standard library only: the same file is imported by both venvs' Pythons.

The protocol, one JSON line each way: the benchmark sends a list of arguments; the worker answers
{"wall": s, "cpu": s, "findings": n} (wall and CPU seconds of the check alone, CPU the user + system
time of the whole process, all its threads) or {"error": text}.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def serve(check: Callable[[list[str]], int]) -> None:
    """Answer each line of arguments on stdin with the time `check(args)` took and what it found.
    The check's own output goes to stderr, so that stdout carries only the answers."""
    out = sys.stdout
    sys.stdout = sys.stderr
    out.write(json.dumps({"ready": True}) + "\n")
    out.flush()
    for line in sys.stdin:
        args = json.loads(line)
        wall, cpu = time.perf_counter(), _cpu()
        try:
            found = check(args)
        except Exception:  # the benchmark reports it and stops
            answer = {"error": traceback.format_exc()}
        else:
            answer = {"wall": time.perf_counter() - wall, "cpu": _cpu() - cpu, "findings": found}
        out.write(json.dumps(answer) + "\n")
        out.flush()


class Worker:
    """One long-lived checking process (`cmd` runs a script whose main calls `serve`)."""

    def __init__(self, cmd: list[str], env: dict[str, str]) -> None:
        self.proc = subprocess.Popen(
            cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env, text=True
        )
        self._answer()  # imported and ready

    def _answer(self) -> dict:
        line = self.proc.stdout.readline()  # type: ignore[union-attr]
        if not line:
            raise RuntimeError(f"the worker exited ({self.proc.wait()})")
        answer = json.loads(line)
        if "error" in answer:
            raise RuntimeError(answer["error"])
        return answer

    def check(self, args: list[str]) -> tuple[float, float, int]:
        """Wall and CPU seconds of one check, and its number of findings."""
        self.proc.stdin.write(json.dumps(args) + "\n")  # type: ignore[union-attr]
        self.proc.stdin.flush()  # type: ignore[union-attr]
        answer = self._answer()
        return answer["wall"], answer["cpu"], answer["findings"]

    def close(self) -> None:
        self.proc.stdin.close()  # type: ignore[union-attr]
        self.proc.wait()


def timed(cmd: list[str], env: dict[str, str]) -> tuple[float, float, float, dict]:
    """Wall seconds, CPU seconds (user + system, all its threads), peak memory (MB) of the
    process alone, and its JSON output. On a loaded machine the CPU time says what the work
    cost; the wall time what a user waited."""
    from common import reset_peak_memory  # here, not at the top: the workers that import serve need none of it

    reset_peak_memory()  # else the process's peak counts this one's (see there)
    with tempfile.TemporaryFile("w+") as out:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.DEVNULL, env=env)
        _pid, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        text = out.read()
    if proc.returncode:
        raise RuntimeError(f"{cmd[1]} exited {proc.returncode}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, json.loads(text)


@dataclass
class Tool:
    """One tool checking one file: `cmd` + `args` in a fresh process (cold), `worker` (warm)."""

    cmd: list[str]
    env: dict[str, str]
    args: list[str]
    worker: Worker | None = None


def warm_up(tools: dict[str, Tool]) -> None:
    """One check by each worker, not timed: what a long-lived process has done before (lazy
    imports, caches)."""
    for tool in tools.values():
        if tool.worker:
            tool.worker.check(tool.args)


def rounds(row: Any, runs: int, modes: list[str], tools: dict[str, Tool]) -> None:
    """`runs` rounds; in each, every mode and every tool in turn (ours, theirs: A B A B), each
    timing added to row.ours or row.theirs (by the tools' names) and one line printed per round."""
    for i in range(runs):
        row.loads.append(os.getloadavg()[0])
        line = f"  run {i + 1}:"
        for mode in modes:
            line += f" {mode}"
            for name, tool in tools.items():
                if mode == "cold":
                    wall, cpu, mem, out = timed([*tool.cmd, *tool.args], tool.env)
                    found = out["findings"] if isinstance(out["findings"], int) else len(out["findings"])
                    getattr(row, name)[mode].add(wall, cpu, mem)
                    line += f" {name} {wall:.2f} s (CPU {cpu:.2f}), {mem:.0f} MB, {found} findings;"
                elif tool.worker:
                    wall, cpu, found = tool.worker.check(tool.args)
                    getattr(row, name)[mode].add(wall, cpu)
                    line += f" {name} {wall:.2f} s (CPU {cpu:.2f}), {found} findings;"
        print(line + f" (load {row.loads[-1]:.1f})", flush=True)
