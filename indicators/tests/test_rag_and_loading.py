"""RAG rules, direction of travel, periods, and the population and benchmark CSV layouts."""

import datetime as dt
from decimal import Decimal

import pytest

from indicators import engine, periods, services
from indicators.library import LIBRARY
from indicators.models import Benchmark, Population, RagRule

pytestmark = pytest.mark.django_db
D = dt.date
RULE = RagRule(tolerance_percent=Decimal(10), amber_if_improved=True)


@pytest.mark.parametrize(
    "code,value,target,last_year,expected",
    [
        ("N14", 70, 75, None, "green"),  # 5 short of 75 = 6.7% off: within 10%
        ("N14", 67.5, 75, None, "green"),  # exactly 10% off: green
        ("N14", 60, 75, 55, "amber"),  # 20% off, better than last year
        ("N14", 60, 75, 65, "red"),  # 20% off, worse than last year
        ("N14", 60, 75, 60, "red"),  # 20% off, no better than last year
        ("N14", 90, 75, 95, "green"),  # beyond target in the good direction
        ("RE-REF", 16, 15, None, "green"),  # lower is better: 6.7% over
        ("RE-REF", 20, 15, 25, "amber"),
        ("RE-REF", 20, 15, 18, "red"),
        ("RE-REF", 10, 15, None, "green"),
        ("CPP-2ND", 1, 0, None, "red"),  # target 0: any value over it is off
        ("N14", None, 75, 50, ""),  # no value: no RAG
        ("N14", 50, None, 40, ""),  # no target: no RAG
    ],
)
def test_rag(code, value, target, last_year, expected):
    assert engine.rag(LIBRARY[code], value, target, last_year, RULE) == expected


def test_rag_without_amber_rule():
    strict = RagRule(tolerance_percent=Decimal(5), amber_if_improved=False)
    assert engine.rag(LIBRARY["N14"], 70, 75, 50, strict) == "red"  # 6.7% off a 5% tolerance
    assert engine.rag(LIBRARY["N14"], 72, 75, 50, strict) == "green"  # 4% off


def test_direction_of_travel():
    assert engine.direction(LIBRARY["N14"], 70, 65) == "improving"
    assert engine.direction(LIBRARY["RE-REF"], 20, 15) == "worsening"
    assert engine.direction(LIBRARY["CPP"], 210, 200) == "up"
    assert engine.direction(LIBRARY["CPP"], 200, 200) == "no change"
    assert engine.direction(LIBRARY["CPP"], 200, None) == ""


def test_periods():
    assert periods.quarter(2024, 4) == periods.Period("quarter", D(2025, 1, 1), D(2025, 3, 31), "Q4 2024-25")
    ytd = periods.year_to_date(D(2024, 11, 5))
    assert (ytd.start, ytd.end) == (D(2024, 4, 1), D(2024, 11, 30))
    r12 = periods.rolling_12(D(2024, 2, 10))
    assert (r12.start, r12.end) == (D(2023, 3, 1), D(2024, 2, 29))  # leap year
    feb = periods.same_period_last_year(periods.month(2024, 2))
    assert (feb.start, feb.end) == (D(2023, 2, 1), D(2023, 2, 28))
    feb = periods.same_period_last_year(periods.month(2025, 2))
    assert feb.end == D(2024, 2, 29)
    assert periods.previous_period(periods.quarter(2024, 1)) == periods.quarter(2023, 4)
    assert periods.previous_period(periods.month(2024, 1)) == periods.month(2023, 12)
    assert periods.parse("month", 2024, 10).label == "Jan 2025"


def test_population_csv_layout_and_errors():
    text = (
        "area,year,age_band,sex,count\n"
        "council,2024,Under 1,M,1000\ncouncil,2024,Under 1,F,950\ncouncil,2024,1-4,U,4000\n"
    )
    assert services.load_population(text) == 3
    table = engine.population_table()
    assert engine.population_for(table, D(2025, 3, 31)) == 5950
    assert engine.population_for(table, D(2025, 3, 31), band="Under 1") == 1950
    assert engine.population_for(table, D(2025, 3, 31), sex="F") == 950
    with pytest.raises(services.LoadError, match="line 2: count 'many'"):
        services.load_population("area,year,age_band,sex,count\ncouncil,2024,all,U,many\n")
    with pytest.raises(services.LoadError, match="missing column"):
        services.load_population("area,year,count\ncouncil,2024,5\n")
    assert Population.objects.count() == 3  # a bad file changes nothing


def test_demo_population_adds_up():
    services.load_population(services.demo_population_csv(69_000, 2024, 2024))
    assert engine.population_for(engine.population_table(), D(2024, 6, 1)) == 69_000


def test_benchmark_csv_layout():
    text = (
        "indicator,year,comparator,label,value,count,source\n"
        "N19,2023,england,England,42.1,,DfE CIN 2024\n"
        "N19,2023,sn,Statistical neighbours,38.5,,\n"
    )
    assert services.load_benchmarks(text) == 2
    assert Benchmark.objects.get(comparator="england").value == Decimal("42.10")
    with pytest.raises(services.LoadError, match="not in the library"):
        services.load_benchmarks("indicator,year,comparator\nN99,2023,england\n")
    with pytest.raises(services.LoadError, match="comparator 'wales'"):
        services.load_benchmarks("indicator,year,comparator\nN19,2023,wales\n")


def test_seed_figure_12_benchmarks_load():
    n = services.load_benchmarks(services.demo_benchmarks_csv())
    assert n == 26  # 10 council rows + 5 rows x 3 comparators (the seed prints "-" elsewhere) + N19
    emo = Benchmark.objects.get(indicator="CAT-EMO", comparator="england")
    assert (emo.count, emo.value) == (19750, Decimal("33.00"))
