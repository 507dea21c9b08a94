"""The DfE's published figures for this council beside Line of Sight's own (issue 14 point 5).

A council loads the CSV data files of the DfE's statistics releases as they are published
(explore-education-statistics.service.gov.uk: Children in need; Children looked after in England
including adoptions; Stability measures for children looked after). Each file starts with the
columns time_period, time_identifier, geographic_level, la_name, new_la_code, old_la_code (with
country and region columns among them), then filter and measure columns. The council's rows
(geographic_level "Local authority" and its new or old LA code) are kept as Benchmark rows with
comparator "council" (This council, published), one per indicator and year, so the indicator
pages show them too. reconcile() sets each beside the engine's figure for the same year.

Which column of which file is which indicator (MEASURES) was read from the releases' data set
pages; decision 0021 lists them and what is not covered."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.db import transaction

from . import engine, periods
from .facts import Facts
from .library import COUNT, LIBRARY
from .models import Benchmark, Comparator

LAYOUT = ("time_period", "time_identifier", "geographic_level", "la_name", "new_la_code", "old_la_code")
# The DfE's symbols for a figure it does not publish: suppressed, not applicable, not available,
# rounds to zero, not collected.
NOT_PUBLISHED = {"c", "z", "x", "k", ":", "low", "u", ""}


class PublishedFileError(ValueError):
    pass


@dataclass(frozen=True)
class Measure:
    code: str
    value: str  # the column holding the published figure, in the indicator's unit
    count: str = ""  # the column holding the published number (the numerator), if any
    # filter columns and the value that selects the row (or the values, where releases word it differently)
    where: tuple[tuple[str, str | tuple[str, ...]], ...] = ()
    release: str = ""


_CLA_31 = (("population_type", "Children looked after on 31 March each year"),)
_LONG = (
    ("cla_group", "Children looked after continuously for at least 2.5 years on 31 March aged under 16 years"),
    ("placement_stability", "Living with the same carer for at least 2 years"),
)
_SHORT = (("cla_group", "CLA on 31 March"), ("placement_stability", "With 3 or more placements during the year"))
# The care leavers' age bands, as the LA files word them: "Aged 17 to 18" in the activity file, "17 to 18
# years" where the DfE's own dashboard reads them (decision 0021).
_CARE_LEAVER_AGES = (("-17", ("Aged 17 to 18", "17 to 18 years")), ("-19", ("Aged 19 to 21", "19 to 21 years")))
_CIN = "Children in need"
_CLA = "Children looked after in England including adoptions"
MEASURES: tuple[Measure, ...] = (
    Measure("REFERRALS", "referral_count", "referral_count", release=_CIN + ", C1 referrals and re-referrals"),
    Measure("RE-REF", "rereferral_percent", "rereferral_count", release=_CIN + ", C1 referrals and re-referrals"),
    Measure("CPP", "CPP_At31", "CPP_At31", release=_CIN + ", D1 child protection plans"),
    Measure("CPP-2YR", "2_years_or_more_percent", "2_years_or_more", release=_CIN + ", D7 plans ending by duration"),
    Measure("CLA", "children_count", "children_count", _CLA_31, _CLA + ", CLA numbers and rates"),
    Measure("CLA-RATE", "rate_per_10000", "children_count", _CLA_31, _CLA + ", CLA numbers and rates"),
    Measure(
        "CLA-MISS-N",
        "number",
        "number",
        (("missing_status", "Number of missing incidents during the year"),),
        _CLA + ", CLA who were missing or away from placement without authorisation by LA",
    ),
    Measure(
        "CLA-AWAY-N",
        "number",
        "number",
        (("missing_status", "Number of away from placement without authorisation incidents during the year"),),
        _CLA + ", CLA who were missing or away from placement without authorisation by LA",
    ),
    Measure("CLA-STAB-L", "percentage", "number", _LONG, "Stability measures, placement stability by LA"),
    Measure("CLA-STAB-S", "percentage", "number", _SHORT, "Stability measures, placement stability by LA"),
    Measure(
        "ADOPTED",
        "children_count",
        "children_count",
        (("characteristic", "Adopted"), ("breakdown", "Total")),
        _CLA + ", CLA who were adopted or the subject of a SGO during the year - by local authority",
    ),
    *(
        Measure(
            code + suffix,
            "percentage",
            "number",
            (("age", ages), (column, value)),
            _CLA + ", care leavers " + what + " by LA",
        )
        for suffix, ages in _CARE_LEAVER_AGES
        for code, column, value, what in (
            ("CL-EET", "activity", "Total in education, employment or training", "activity"),
            ("CL-ACCOM", "accommodation_suitability", "Accommodation considered suitable", "accommodation suitability"),
        )
    ),
)


@dataclass(frozen=True)
class Figure:
    code: str
    year: int  # financial year start
    value: Decimal | None
    count: int | None
    la_name: str
    source: str


def financial_year(text: str) -> int:
    """time_period 2025 (the reporting year ending 31 March 2025) or 202425: 2024."""
    text = text.strip()
    if len(text) == 4 and text.isdigit():
        return int(text) - 1
    if len(text) == 6 and text.isdigit() and (int(text[:4]) + 1) % 100 == int(text[4:]):
        return int(text[:4])
    raise ValueError(f"time_period '{text}' is neither a year (2025) nor a financial year (202425)")


def number(text: str) -> Decimal | None:
    text = (text or "").strip().replace(",", "")
    if text.lower() in NOT_PUBLISHED:
        return None
    try:
        return Decimal(text)
    except InvalidOperation:
        raise ValueError(f"'{text}' is not a number or one of the DfE's symbols (c, z, x, k, :)") from None


def parse(text: str, name: str, la_code: str) -> list[Figure]:
    """The council's figures in one published file. Raises PublishedFileError naming the file,
    line and column when the file is not in the DfE's layout or a cell cannot be read."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    columns = set(reader.fieldnames or ())
    missing = [c for c in LAYOUT if c not in columns]
    if missing:
        raise PublishedFileError(f"{name}: not in the DfE's published layout: no column {', '.join(missing)}")
    measures = [m for m in MEASURES if {m.value, *([m.count] if m.count else []), *(k for k, _ in m.where)} <= columns]
    if not measures:
        raise PublishedFileError(f"{name}: no measure column Line of Sight reconciles (see docs/indicators.md)")
    code = la_code.strip().upper()
    out: list[Figure] = []
    for line, row in enumerate(reader, start=2):
        if (row.get("geographic_level") or "").strip().lower() != "local authority":
            continue
        if code not in ((row.get("new_la_code") or "").strip().upper(), (row.get("old_la_code") or "").strip()):
            continue
        for m in measures:
            if not all(_selects(row.get(k), v) for k, v in m.where):
                continue
            column = "time_period"
            try:
                year = financial_year(row["time_period"] or "")
                column = m.value
                value = number(row[m.value] or "")
                column = m.count or m.value
                count = number(row[m.count] or "") if m.count else None
            except ValueError as error:
                raise PublishedFileError(f"{name}, line {line}, column {column}: {error}") from None
            source = f"DfE {m.release} ({name})"
            out.append(Figure(m.code, year, value, None if count is None else int(count), row["la_name"], source))
    return out


def _selects(cell: str | None, wanted: str | tuple[str, ...]) -> bool:
    """The cell holds the wanted value (or one of them), whatever the case and spacing."""
    values = (wanted,) if isinstance(wanted, str) else wanted
    return " ".join((cell or "").split()).lower() in {w.lower() for w in values}


def read_files(paths: Iterable[str | Path], la_code: str) -> list[Figure]:
    figures: list[Figure] = []
    for path in paths:
        p = Path(path)
        try:
            text = p.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as error:
            raise PublishedFileError(f"{p.name}: cannot be read as a UTF-8 CSV file ({error})") from None
        figures += parse(text, p.name, la_code)
    if not figures:
        raise PublishedFileError(f"no row for local authority {la_code} in the files given")
    return figures


@transaction.atomic
def save(figures: Iterable[Figure]) -> int:
    """Each figure as this council's published benchmark for its indicator and year (replacing one loaded before)."""
    n = 0
    for f in figures:
        Benchmark.objects.update_or_create(
            indicator=f.code,
            year=f.year,
            comparator=Comparator.COUNCIL_PREVIOUS,
            defaults={"label": f.la_name, "value": f.value, "count": f.count, "source": f.source[:200]},
        )
        n += 1
    return n


@dataclass
class Line:
    code: str
    name: str
    unit: str
    year: int
    published: Decimal | None
    published_count: int | None
    ours: float | None
    ours_count: int
    difference: float | None
    differs: bool
    source: str

    @property
    def year_label(self) -> str:
        return periods.fy_label(self.year)


def _places(value: Decimal) -> int:
    exponent = value.as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0


def reconcile(f: Facts, pops: Any = None) -> list[Line]:
    """Every published figure loaded for this council beside Line of Sight's for the same financial
    year (snapshots at 31 March). They differ when ours, rounded as the DfE rounded theirs, is not
    theirs, or when the published number (the numerator) is not ours."""
    pops = pops if pops is not None else engine.population_table()
    out = []
    rows = Benchmark.objects.filter(comparator=Comparator.COUNCIL_PREVIOUS, indicator__in=list(LIBRARY))
    for b in rows.order_by("indicator", "year"):
        ind = LIBRARY[b.indicator]
        v = engine.council_value(f, ind, periods.financial_year(b.year), pops)
        ours = float(v.numerator) if ind.measure == COUNT else v.value
        differs = False
        difference = None
        if b.value is not None and ours is not None:
            difference = round(ours - float(b.value), 4)
            differs = round(Decimal(str(ours)), _places(b.value)) != b.value
        elif (b.value is None) != (ours is None):
            differs = b.value is not None
        if b.count is not None and b.count != v.numerator:
            differs = True
        out.append(
            Line(
                b.indicator,
                ind.name,
                ind.unit,
                b.year,
                b.value,
                b.count,
                ours,
                v.numerator,
                difference,
                differs,
                b.source,
            )
        )
    return out
