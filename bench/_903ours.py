"""Run our SSDA903 DfE rules (returns.ssda903.validation.check_903) on one 903 return in a fresh process
and print {"findings": n, "seconds": s} as JSON. Executed by bench_903_rules.py, so that ours and
Data to Insight's validator are each timed from a cold process, start included. With --serve the
process stays up and checks each return it is sent (bench/_warm.py), for the warm measurement.

    python _903ours.py YEAR FILE [CODE,CODE,...]
    python _903ours.py --serve     (then lines of ["YEAR", "FILE", "CODE,CODE,..."] on stdin)
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

from returns.ssda903.validation import check_903  # noqa: E402


def check(args: list[str]) -> int:
    """The number of (child, rule) pairs found."""
    year, path, *rest = args
    codes = tuple(rest[0].split(",")) if rest and rest[0] else None
    findings, _meta = check_903(path, year=int(year), codes=codes)
    return len({(f.child, f.rule) for f in findings})


if __name__ == "__main__":
    if sys.argv[1:] == ["--serve"]:
        from _warm import serve

        serve(check)
    else:
        start = time.perf_counter()
        found = check(sys.argv[1:])
        print(json.dumps({"findings": found, "seconds": time.perf_counter() - start}))
