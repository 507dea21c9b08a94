"""Run our SSDA903 DfE rules (returns.ssda903.validation.check_903) on one 903 return in a fresh process
and print {"findings": n, "seconds": s} as JSON. Executed by bench_903_rules.py, so that ours and
Data to Insight's validator are each timed from a cold process, start included.

    python _903ours.py YEAR FILE [CODE,CODE,...]
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

year, path, *rest = sys.argv[1:]
codes = tuple(rest[0].split(",")) if rest else None
start = time.perf_counter()
findings, _meta = check_903(path, year=int(year), codes=codes)
print(json.dumps({"findings": len({(f.child, f.rule) for f in findings}), "seconds": time.perf_counter() - start}))
