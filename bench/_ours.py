"""Run our DfE rules on one return in a fresh process and print {"findings": n, "seconds": s} as JSON:
the SSDA903 rules (returns.ssda903.validation.check_903) or the CIN census rules
(returns.cin.validation.check_cin). Executed by bench_903_rules.py and bench_cin_rules.py, so that ours
and Data to Insight's validator are each timed from a cold process, start included. With --serve the
process stays up and checks each return it is sent (bench/_warm.py), for the warm measurement.

    python _ours.py 903 YEAR FILE [CODE,CODE,...]
    python _ours.py cin YEAR FILE
    python _ours.py 903|cin --serve     (then lines of ["YEAR", "FILE", ...] on stdin)
"""

import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("LOS_INSECURE_LOCAL", "1")

import django  # noqa: E402

django.setup()


def check_903(args: list[str]) -> int:
    """The number of (child, rule) pairs found."""
    from returns.ssda903.validation import check_903

    year, path, *rest = args
    codes = tuple(rest[0].split(",")) if rest and rest[0] else None
    findings, _meta = check_903(path, year=int(year), codes=codes)
    return len({(f.child, f.rule) for f in findings})


def check_cin(args: list[str]) -> int:
    """The number of (child, rule) pairs found."""
    from returns.cin.validation import check_cin

    year, path = args
    findings, _meta = check_cin(path, year=int(year))
    return len({(f.child, f.rule) for f in findings})


CHECKS = {"903": check_903, "cin": check_cin}

if __name__ == "__main__":
    check = CHECKS[sys.argv[1]]
    if sys.argv[2:] == ["--serve"]:
        from _warm import serve

        serve(check)
    else:
        start = time.perf_counter()
        found = check(sys.argv[2:])
        print(json.dumps({"findings": found, "seconds": time.perf_counter() - start}))
