"""Run our CIN census DfE rules (returns.cin.validation.check_cin) on one file in a fresh process and
print {"findings": n, "seconds": s} as JSON. Executed by bench_cin_rules.py, so that ours and Data to
Insight's validator are each timed from a cold process, start included. With --serve the process
stays up and checks each file it is sent (bench/_warm.py), for the warm measurement.

    python _cinours.py YEAR FILE
    python _cinours.py --serve     (then lines of ["YEAR", "FILE"] on stdin)
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

from returns.cin.validation import check_cin  # noqa: E402


def check(args: list[str]) -> int:
    """The number of (child, rule) pairs found."""
    year, path = args
    findings, _meta = check_cin(path, year=int(year))
    return len({(f.child, f.rule) for f in findings})


if __name__ == "__main__":
    if sys.argv[1:] == ["--serve"]:
        from _warm import serve

        serve(check)
    else:
        start = time.perf_counter()
        found = check(sys.argv[1:])
        print(json.dumps({"findings": found, "seconds": time.perf_counter() - start}))
