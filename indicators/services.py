"""Loading what a council supplies: populations and benchmarks (CSV layouts in
docs/indicators.md), and the demonstration benchmarks from seed 001 Figure 12."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction

from audit.models import Action
from audit.services import record
from exports.writer import csv_writer

from .library import LIBRARY
from .models import Benchmark, Comparator, Population

POPULATION_COLUMNS = ("area", "year", "age_band", "sex", "count")
BENCHMARK_COLUMNS = ("indicator", "year", "comparator", "label", "value", "count", "source")


class LoadError(ValueError):
    """A bad file: nothing is loaded; the message names the line and the field."""


def _rows(text: str, required: Iterable[str]) -> list[dict[str, str]]:
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    missing = [c for c in required if c not in (reader.fieldnames or [])]
    if missing:
        raise LoadError(f"missing column(s): {', '.join(missing)}")
    return list(reader)


def _int(value: str, line: int, name: str) -> int:
    try:
        return int(value.strip().replace(",", ""))
    except ValueError:
        raise LoadError(f"line {line}: {name} '{value}' is not a whole number") from None


def _decimal(value: str, line: int, name: str) -> Decimal | None:
    value = value.strip().rstrip("%").replace(",", "")
    if value in ("", "-"):
        return None
    try:
        return Decimal(value)
    except InvalidOperation:
        raise LoadError(f"line {line}: {name} '{value}' is not a number") from None


@transaction.atomic
def load_population(text: str, user: Any = None) -> int:
    """Replace the cells named in the file. Columns: area, year, age_band, sex, count."""
    rows = _rows(text, POPULATION_COLUMNS)
    cells: list[dict[str, Any]] = []
    for i, row in enumerate(rows, start=2):
        sex = (row["sex"] or "U").strip().upper()
        if sex not in ("M", "F", "U"):
            raise LoadError(f"line {i}: sex '{sex}' must be M, F or U")
        cells.append(
            dict(
                area=row["area"].strip() or "council",
                year=_int(row["year"], i, "year"),
                age_band=row["age_band"].strip() or "all",
                sex=sex,
                count=_int(row["count"], i, "count"),
            )
        )
    for c in cells:
        Population.objects.update_or_create(
            area=c["area"], year=c["year"], age_band=c["age_band"], sex=c["sex"], defaults={"count": c["count"]}
        )
    record(Action.SYSTEM, user=user, detail=f"population loaded: {len(cells)} cells")
    return len(cells)


@transaction.atomic
def load_benchmarks(text: str, user: Any = None) -> int:
    """Columns: indicator, year, comparator (sn, region, england, council), label, value, count, source."""
    rows = _rows(text, BENCHMARK_COLUMNS[:3])
    allowed = {c.value for c in Comparator}
    items: list[dict[str, Any]] = []
    for i, row in enumerate(rows, start=2):
        code = row["indicator"].strip()
        if code not in LIBRARY:
            raise LoadError(f"line {i}: indicator '{code}' is not in the library")
        comparator = row["comparator"].strip().lower()
        if comparator not in allowed:
            raise LoadError(f"line {i}: comparator '{comparator}' must be one of {', '.join(sorted(allowed))}")
        count = (row.get("count") or "").strip()
        items.append(
            dict(
                indicator=code,
                year=_int(row["year"], i, "year"),
                comparator=comparator,
                defaults=dict(
                    label=(row.get("label") or "").strip(),
                    value=_decimal(row.get("value") or "", i, "value"),
                    count=_int(count, i, "count") if count not in ("", "-") else None,
                    source=(row.get("source") or "").strip(),
                ),
            )
        )
    for item in items:
        Benchmark.objects.update_or_create(**item)
    record(Action.SYSTEM, user=user, detail=f"benchmarks loaded: {len(items)} rows")
    return len(items)


# Seed 001 Figure 12, 2013-14 benchmarks: rows in the seed's order (the twelve
# category rows), then Bromley 2013/14, statistical neighbours, London, England
# as (number, %); None where the seed prints '-'. Totals: 262, 491, 8,110, 59,780.
FIGURE_12_2013 = {
    "CAT-EMO": ((96, 37), (171, 35), (3080, 38), (19750, 33)),
    "CAT-NEG": ((66, 25), (221, 45), (3140, 39), (25140, 42)),
    "CAT-NEG-EMO": ((4, 2), None, None, None),
    "CAT-PHY": ((15, 6), (57, 12), (960, 12), (6500, 11)),
    "CAT-PHY-NEG": ((4, 2), None, None, None),
    "CAT-PHY-EMO": ((44, 17), None, None, None),
    "CAT-PHY-EMO-NEG": (None, None, None, None),
    "CAT-SAB": ((5, 2), (22, 4), (270, 3), (2830, 5)),
    "CAT-SAB-NEG": ((14, 5), None, None, None),
    "CAT-SAB-EMO": ((1, 0), None, None, None),
    "CAT-SAB-PHY": (None, None, None, None),
    "CAT-MUL": ((13, 5), (20, 4), (660, 8), (5560, 9)),
}
FIGURE_12_COMPARATORS = (
    ("council", "Bromley 2013/14"),
    ("sn", "Statistical neighbours"),
    ("region", "London"),
    ("england", "England"),
)


def demo_benchmarks_csv() -> str:
    """The seed's 2013-14 Figure 12 benchmarks in the documented CSV layout."""
    out = io.StringIO()
    w = csv_writer(out, lineterminator="\n")
    w.writerow(BENCHMARK_COLUMNS)
    source = "Bromley LSCB annual report 2014-15, Figure 12, benchmarking 2013/14"
    for code, cells in FIGURE_12_2013.items():
        for (comparator, label), cell in zip(FIGURE_12_COMPARATORS, cells, strict=True):
            if cell is not None:
                w.writerow([code, 2013, comparator, label, cell[1], cell[0], source])
    w.writerow(["N19", 2013, "council", "Bromley 2013/14", "38.1", 262, source])
    return out.getvalue()


def demo_population_csv(under_18: int, year_from: int, year_to: int) -> str:
    """A demonstration population: the under-18 total split into DfE age bands
    by the shares of England's mid-2023 estimate (under 1: 5%, 1-4: 21%,
    5-9: 27%, 10-15: 35%, 16-17: 12%) and evenly by sex."""
    shares = {"Under 1": 0.05, "1-4": 0.21, "5-9": 0.27, "10-15": 0.35, "16-17": 0.12}
    out = io.StringIO()
    w = csv_writer(out, lineterminator="\n")
    w.writerow(POPULATION_COLUMNS)
    for year in range(year_from, year_to + 1):
        bands = {b: round(under_18 * s) for b, s in shares.items()}
        bands["10-15"] += under_18 - sum(bands.values())
        for band, n in bands.items():
            w.writerow(["council", year, band, "M", n // 2])
            w.writerow(["council", year, band, "F", n - n // 2])
    return out.getvalue()
