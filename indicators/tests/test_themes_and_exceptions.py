"""The performance board by theme, its exceptions (red against target, or worse than the preferred benchmark),
benchmarks beside target, and no word from our own documents (issue 15 point 4; decision 0038)."""

import datetime as dt
import re

import pytest
from django.urls import reverse

from accounts.models import Role, Scope
from accounts.tests.factories import UserFactory
from children.tests.factories import ChildFactory, ReferralFactory
from indicators import selectors
from indicators.library import LIBRARY
from indicators.models import Benchmark, Population, Target
from indicators.themes import OTHER, THEMES, theme_of
from organisation.tests.factories import TeamFactory

pytestmark = pytest.mark.django_db
D = dt.date
INTERNAL_WORDS = re.compile(r"seed \d|seed tables|decision \d{4}|issue \d|docs/|DOMAIN\.md|manage\.py", re.I)


@pytest.fixture(autouse=True)
def fresh_facts():
    selectors.clear_cache()
    yield
    selectors.clear_cache()


@pytest.fixture
def council():
    """Three referrals from April to September 2024, one a re-referral: RE-REF's year to date at September is 1 of 3
    (33%), red against a 15% target; referrals per 10,000 are 3 in 10,000 (3.0)."""
    team = TeamFactory(name="East")
    a, b = ChildFactory(team=team), ChildFactory(team=team)
    ReferralFactory(child=a, referral_date=D(2024, 5, 1))
    ReferralFactory(child=a, referral_date=D(2024, 9, 1))
    ReferralFactory(child=b, referral_date=D(2024, 9, 2))
    Population.objects.create(year=2024, age_band="all", sex="U", count=10_000)
    Target.objects.create(indicator="RE-REF", year=2024, value=15)
    Target.objects.create(indicator="CONTACTS", year=2024, value=12_500)
    return team


def test_every_indicator_has_exactly_one_theme():
    assert [code for code in LIBRARY if theme_of(code) is OTHER] == []
    codes = [code for theme in THEMES for code in theme.codes]
    assert len(codes) == len(set(codes))  # no indicator in two themes
    assert set(codes) <= set(LIBRARY)  # no theme names an indicator that is not in the library
    assert [t.title for t in THEMES][:3] == ["Front door", "Assessment and children in need", "Child protection"]


def _benchmark(code, year, comparator, value, label=""):
    return Benchmark.objects.create(indicator=code, year=year, comparator=comparator, value=value, label=label)


def test_preferred_benchmark_is_the_latest_year_then_england_then_neighbours_then_region():
    _benchmark("RE-REF", 2022, "england", 30)
    _benchmark("RE-REF", 2023, "region", 25, "London")
    _benchmark("RE-REF", 2023, "sn", 24)
    _benchmark("RE-REF", 2025, "england", 10)  # after the year asked for: not yet published
    _benchmark("N14", 2023, "region", 80, "London")
    _benchmark("N14", 2023, "council", 70)  # the council's own published figure is no comparator
    chosen = selectors.preferred_benchmarks(2024)
    assert (chosen["RE-REF"].year, chosen["RE-REF"].comparator) == (2023, "sn")
    assert chosen["N14"].comparator == "region"
    assert selectors.benchmark_label(chosen["N14"]) == "London 2023-24: 80.0"
    assert selectors.benchmark_label(chosen["RE-REF"]) == "Statistical neighbours 2023-24: 24.0"


def test_worse_than_benchmark_follows_the_good_direction_and_never_judges_counts():
    bench = Benchmark(indicator="x", year=2023, comparator="england", value=20)
    assert selectors.worse_than(LIBRARY["RE-REF"], 33.3, bench) is True  # lower is better: 33% is worse than 20%
    assert selectors.worse_than(LIBRARY["RE-REF"], 20.0, bench) is False  # equal is not worse
    assert selectors.worse_than(LIBRARY["N14"], 33.3, bench) is False  # higher is better
    assert selectors.worse_than(LIBRARY["N14"], 19.9, bench) is True
    assert selectors.worse_than(LIBRARY["CLA-MISS-N"], 99, bench) is False  # a count: never compared
    assert selectors.worse_than(LIBRARY["REF-RATE"], 99, bench) is False  # neutral: neither better nor worse
    assert selectors.worse_than(LIBRARY["N14"], None, bench) is False
    assert selectors.worse_than(LIBRARY["N14"], 10, None) is False


def test_board_rows_carry_benchmark_and_exception(council):
    _benchmark("RE-REF", 2023, "england", 22)
    _benchmark("CONTACTS", 2023, "england", 5)  # a count: shown nowhere, judged never
    rows = {r.ind.code: r for r in selectors.board(selectors.current_facts(), selectors.periods.month(2024, 9))}
    assert rows["RE-REF"].rag == "red" and rows["RE-REF"].worse_than_benchmark and rows["RE-REF"].exception
    assert rows["RE-REF"].benchmark.value == 22
    assert rows["CONTACTS"].benchmark is None and not rows["CONTACTS"].worse_than_benchmark  # a count: not compared
    assert rows["CONTACTS"].exception  # but red: no contacts against a target of 12,500
    assert rows["N14"].rag == "" and not rows["N14"].exception  # no target, no benchmark, no value
    grouped = selectors.by_theme(list(rows.values()))
    assert [t.slug for t, _ in grouped] == [t.slug for t in THEMES]
    front = dict((t.slug, r) for t, r in grouped)["front-door"]
    assert [r.ind.code for r in front] == ["CONTACTS", "REFERRALS", "REF-RATE", "RE-REF", "N9"]


def test_the_board_page_reads_by_theme_with_exceptions_first(client, council):
    _benchmark("RE-REF", 2023, "england", 22)
    client.force_login(UserFactory(role=Role.DIRECTOR, scope=Scope.COUNCIL))
    response = client.get(reverse("indicator_board") + "?fy=2024&m=6")
    html = response.content.decode()
    assert response.status_code == 200
    assert [r.ind.code for r in response.context["exceptions"]] == ["CONTACTS", "RE-REF"]
    exceptions = html[html.index('id="board-exceptions"') : html.index("</table>", html.index('id="board-exceptions"'))]
    assert "Re-referrals within 12 months" in exceptions and "Red</strong> against target" in exceptions
    assert "worse than the benchmark" in exceptions and "England 2023-24: 22.0" in exceptions
    assert html.index('id="board-exceptions"') < html.index('id="front-door"') < html.index('id="adoption"')
    assert "12,500" in html  # the contacts target, thousands separated
    assert "1 September 2024 to 30 September 2024" in html and "1 April 2024 to 30 September 2024" in html
    assert "No return has been imported" in html
    assert reverse("indicator", args=["RE-REF"]) + "?fy=2024&amp;m=6" in html  # the definition, one click away
    assert not INTERNAL_WORDS.search(re.sub(r"<[^>]+>", " ", html)), INTERNAL_WORDS.search(html)


def test_the_board_names_the_last_committed_import(client, council):
    from returns.models import ImportRun, Kind, Status

    when = dt.datetime(2024, 10, 3, 9, 0, tzinfo=dt.UTC)
    ImportRun.objects.create(kind=Kind.CIN, file_name="a.xml", status=Status.COMMITTED, committed_at=when)
    later = ImportRun.objects.create(kind=Kind.CIN, file_name="b.xml", status=Status.REJECTED)  # never committed
    assert selectors.last_import().committed_at == when and later.committed_at is None
    client.force_login(UserFactory(role=Role.DIRECTOR, scope=Scope.COUNCIL))
    assert "3 October 2024" in client.get(reverse("indicator_board") + "?fy=2024&m=6").content.decode()


def test_no_indicator_page_speaks_of_our_own_documents(client, council):
    client.force_login(UserFactory(role=Role.DIRECTOR, scope=Scope.COUNCIL))
    for ind in LIBRARY.values():
        assert not INTERNAL_WORDS.search(f"{ind.name} {ind.definition} {ind.source}"), ind.code
    for url in (reverse("indicator", args=["N14"]), reverse("indicator_figure", args=["12"]) + "?fy=2024&m=6"):
        text = re.sub(r"<[^>]+>", " ", client.get(url).content.decode())
        assert not INTERNAL_WORDS.search(text), (url, INTERNAL_WORDS.search(text))


def test_the_board_pack_opens_with_exceptions_and_prints_only_written_commentary(client, council, monkeypatch):
    from indicators.models import Commentary
    from indicators.tests.test_pages import pdf_text

    Commentary.objects.create(indicator="RE-REF", year=2024, quarter=2, data_tells_us="Rising in August")
    client.force_login(UserFactory(role=Role.DIRECTOR, scope=Scope.COUNCIL))
    text = pdf_text(client.get(reverse("board_pack", args=[2024, 2, "pdf"])).content)
    assert "Quarter 2 2024-25: 1 July to 30 September 2024" in text and "provisional" not in text
    first_page = text[: text.index("Same period last year")]  # the first theme's table
    assert "Exceptions" in first_page and "Re-referrals within 12 months" in first_page
    assert "Red against target" in first_page
    assert "Rising in August" in text and "What we are doing about it" not in text  # only what was written
    assert "no commentary" not in text
    for section in ("Timescales and drift", "Improvement plans", "Audits", "Exploitation tracker", "Definitions"):
        assert section in text
    assert text.index("Adoption") < text.index("Timescales and drift")
    assert "Timescales have not been computed yet" in text and "No open improvement plan" in text
    assert not INTERNAL_WORDS.search(text)
    # a quarter still running is marked provisional, to the last complete month
    monkeypatch.setattr(selectors, "default_month", lambda today=None: selectors.periods.month(2024, 10))
    text = pdf_text(client.get(reverse("board_pack", args=[2024, 3, "pdf"])).content)
    assert "Q3 2024-25 \\(provisional\\)" in text and "they run to 31 October 2024" in text  # PDF escapes brackets


def test_pack_period_names_a_real_quarter_or_says_provisional():
    from indicators.exports import pack_period

    month = selectors.periods.month
    assert pack_period(month(2024, 12), 3)[0] == "Q3 2024-25"
    assert pack_period(month(2024, 11), 3)[0] == "Q3 2024-25 (provisional)"
    assert "1 October to 31 December 2024" in pack_period(month(2024, 11), 3)[1]
    assert pack_period(month(2025, 3), 4)[0] == "Q4 2024-25"  # January to March ends in the next calendar year


def test_pack_sections_count_timescales_and_the_cohort_within_scope():
    """Two obligations, one overdue and one completed in time in the year; one drifting child; no cohort."""
    from children.tests.factories import ChildFactory as Child
    from indicators import pack
    from timescales.models import DriftFlag, DriftKind, Obligation, RecomputeRun, Status, TimescaleRule

    RecomputeRun.objects.create(as_of=D(2024, 10, 1))
    rule = TimescaleRule.objects.order_by("name").first()  # the rules come with the migrations
    child = Child()
    Obligation.objects.create(
        child=child,
        rule=rule,
        clock_start=D(2024, 8, 1),
        due_date=D(2024, 9, 1),
        status=Status.OVERDUE,
        computed_on=D(2024, 10, 1),
    )
    Obligation.objects.create(
        child=child,
        rule=rule,
        clock_start=D(2024, 6, 1),
        due_date=D(2024, 7, 1),
        completed_on=D(2024, 6, 20),
        status=Status.IN_TIME,
        computed_on=D(2024, 10, 1),
    )
    kind = DriftKind.choices[0][0]
    DriftFlag.objects.create(child=child, kind=kind, since=D(2024, 9, 1), detail="", computed_on=D(2024, 10, 1))
    director = UserFactory(role=Role.DIRECTOR, scope=Scope.COUNCIL)
    section = pack.timescales_section(director)
    assert section.table[1] == [rule.name, "1", "0", "1", "100%"]
    assert section.table[-1] == ["All timescales", "1", "0", "1", "100%"]
    assert "1 child drifting" in section.lines[1]
    quarter = selectors.periods.quarter(2024, 2)
    cohort = pack.exploitation_section(director, quarter, D(2024, 9, 30))
    assert cohort.lines[0].startswith("0 children in the cohort")


def test_the_indicator_chart_names_its_unit_on_the_axis(client, council):
    client.force_login(UserFactory(role=Role.DIRECTOR, scope=Scope.COUNCIL))
    html = client.get(reverse("indicator", args=["REF-RATE"]) + "?fy=2024&m=6").content.decode()
    assert '<text x="2" y="9" font-size="10" fill="#505a5f">Per 10,000</text>' in html
    assert response_chart_unit(client, "RE-REF") == "%"


def response_chart_unit(client, code):
    return client.get(reverse("indicator", args=[code]) + "?fy=2024&m=6").context["chart"].unit
