"""Which rules are tracked, from which source and for which period (issue 14 point 3).

Read for the rules page: the span of days the register held each rule's stop event at the
last recompute (RecomputeRun.coverage), and which committed imports wrote the table that
holds it (each run's summary names the tables it wrote). Small reads: the import runs
and one recompute run."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from .facts import NEVER_HELD, stop_tables
from .services import sources_begin, stored_coverage, tracked


@dataclass
class Tracking:
    code: str
    first: dt.date | None  # first day the register holds the stop event
    last: dt.date | None
    tracked_from: dt.date | None  # clocks due before this day are "not recorded in the source"
    unrecorded: bool  # no clock of this rule can be known: nothing holds its stop event
    sources: list[str] = field(default_factory=list)  # e.g. "CIN census (XML) 2023-24, 2024-25"


def rule_tracking() -> dict[str, Tracking]:
    held = stored_coverage() or {}
    imported, begins = sources_begin()
    kept = tracked(held, imported, begins)
    writers = _writers()
    out = {}
    for code, (first, last) in held.items():
        span = kept.get(code)
        out[code] = Tracking(
            code,
            first,
            last,
            span[0] if span else None,
            span is not None and span[0] is None,
            writers.get(code, []),
        )
    for code in NEVER_HELD:
        out.setdefault(code, Tracking(code, None, None, None, True))
    return out


def _labels() -> dict[str, dict[str, str]]:
    """Return kind -> {register model name -> the label its import summary uses}."""
    from returns.annex_a import loader as annex_a_import
    from returns.cin import loader as cin_import
    from returns.ssd import loader as ssd_import
    from returns.ssda903 import loader as ssda903_import

    def names(labels: dict[Any, str]) -> dict[str, str]:
        return {(k if isinstance(k, str) else k.__name__): v for k, v in labels.items()}

    return {
        "cin": names(cin_import.LABELS),
        "ssda903": names(ssda903_import.LABELS),
        "annex_a": names(annex_a_import.LABELS),
        "ssd": names(ssd_import.LABELS),
    }


def _writers() -> dict[str, list[str]]:
    """Rule code -> the committed returns that wrote the table holding its stop event, with
    their collection years ("2023-24"); runs without a year are named once."""
    from returns.models import ImportRun, Kind, Status

    labels = _labels()
    years: dict[tuple[str, str], set[str]] = {}
    for kind, year, summary in ImportRun.objects.filter(status=Status.COMMITTED).values_list(
        "kind", "collection_year", "summary"
    ):
        for model, label in labels.get(kind, {}).items():
            if label in (summary or {}):
                years.setdefault((model, kind), set()).add(f"{year - 1}-{str(year)[2:]}" if year else "")
    names = dict(Kind.choices)
    out: dict[str, list[str]] = {}
    for codes, model in stop_tables():
        found = [
            f"{names[kind]} {', '.join(sorted(y for y in ys if y))}".strip()
            for (m, kind), ys in sorted(years.items())
            if m == model
        ]
        for code in codes:
            out[code] = found
    return out
