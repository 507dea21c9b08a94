"""Pages: the board, an indicator, drill-down within scope (audited), the seed's tables, the board pack."""

import datetime as dt
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from accounts.models import Role, Scope
from accounts.tests.factories import UserFactory
from audit.models import Action, AuditEvent
from children import models as m
from children.tests.factories import ChildFactory, ReferralFactory
from indicators import engine, selectors, services
from indicators.library import LIBRARY
from indicators.models import Commentary, Population, Target
from organisation.tests.factories import TeamFactory

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture(autouse=True)
def fresh_facts():
    selectors.clear_cache()
    yield
    selectors.clear_cache()


@pytest.fixture
def council():
    east, west = TeamFactory(name="East"), TeamFactory(name="West")
    a = ChildFactory(team=east, first_name="Eastchild")
    b = ChildFactory(team=west, first_name="Westchild")
    ReferralFactory(child=a, referral_date=D(2024, 5, 1))
    ReferralFactory(child=a, referral_date=D(2024, 9, 1))  # re-referral
    ReferralFactory(child=b, referral_date=D(2024, 9, 2))
    Population.objects.create(year=2024, age_band="all", sex="U", count=10_000)
    Target.objects.create(indicator="RE-REF", year=2024, value=15)
    return east, west


def test_board_shows_every_indicator_with_target_and_rag(client, council):
    client.force_login(UserFactory(role=Role.DIRECTOR, scope=Scope.COUNCIL))
    response = client.get(reverse("indicator_board") + "?fy=2024&m=6")  # September 2024
    assert response.status_code == 200
    html = response.content.decode()
    assert "Re-referrals within 12 months" in html
    assert "1 (33%)" in html  # year to date: 1 re-referral of 3 referrals
    rows = {r.ind.code: r for r in response.context["rows"]}
    assert rows["RE-REF"].rag == "red"  # 33% against 15% (lower is better), no last year to improve on
    assert len(rows) == len(response.context["rows"]) >= 48


def test_social_worker_and_partner_cannot_see_the_board(client, council):
    client.force_login(UserFactory(role=Role.SOCIAL_WORKER, scope=Scope.CASELOAD))
    assert client.get(reverse("indicator_board")).status_code == 403
    client.force_login(UserFactory(role=Role.MASE_MEMBER, scope=Scope.AGENCY_COHORT))
    assert client.get(reverse("indicator", args=["RE-REF"])).status_code == 403


def test_indicator_page_has_definition_chart_and_breakdown(client, council):
    client.force_login(UserFactory(role=Role.ANALYST, scope=Scope.COUNCIL))
    response = client.get(reverse("indicator", args=["RE-REF"]) + "?fy=2024&m=6&by=team")
    html = response.content.decode()
    assert "within 12 months of the same child" in html
    assert "<svg" in html and "polyline" in html
    names = [label for _, label, _ in response.context["breakdown"]]
    assert names == ["East", "West"]


def test_drill_down_is_limited_to_scope_and_audited(client, council):
    east, _ = council
    user = UserFactory(role=Role.TEAM_MANAGER, scope=Scope.TEAM, team=east)
    client.force_login(user)
    url = reverse("indicator_drill", args=["REFERRALS"]) + "?kind=ytd&fy=2024&m=6"
    response = client.get(url)
    html = response.content.decode()
    assert "Eastchild" in html and "Westchild" not in html
    assert response.context["hidden"] == 1
    event = AuditEvent.objects.filter(action=Action.VIEW, user=user).latest("at")
    assert event.detail.startswith("drill-down REFERRALS")
    numerator = client.get(reverse("indicator_drill", args=["RE-REF"]) + "?kind=ytd&fy=2024&m=6&part=numerator")
    assert [row.day for row, _ in numerator.context["listed"]] == [D(2024, 9, 1)]


def test_figure_10_page_and_excel(client, council):
    client.force_login(UserFactory(role=Role.BOARD_MANAGER, scope=Scope.COUNCIL))
    response = client.get(reverse("indicator_figure", args=["10"]) + "?fy=2024")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Quarter 4" in html and "YTD figure" in html
    xlsx = client.get(reverse("indicator_figure", args=["10"]) + "?fy=2024&format=xlsx")
    sheet = load_workbook(BytesIO(xlsx.content)).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[3][1:4] == ["Apr", "May", "Jun"]
    referrals = values[values.index(next(r for r in values if r[1] == "Referrals")) + 1]
    assert referrals[1:14] == [0, 1, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 3]  # numbers a user can add up
    assert AuditEvent.objects.filter(action=Action.EXPORT, detail__contains="figure 10").exists()


def test_figure_tables_stop_at_the_chosen_month(client, council):
    """A year in progress: months after the chosen one are blank (a plan open today is not
    'on a plan at 31 March' yet), and the YTD figure is the value to that month."""
    child = ChildFactory()
    ref = ReferralFactory(child=child, referral_date=D(2024, 4, 20))
    m.ChildProtectionPlan.objects.create(referral=ref, child=child, start_date=D(2024, 5, 10), initial_category="NEG")
    client.force_login(UserFactory(role=Role.DIRECTOR, scope=Scope.COUNCIL))
    response = client.get(reverse("indicator_figure", args=["11"]) + "?fy=2024&m=6")  # to September 2024
    cpp = next(r for r in response.context["rows"] if r.ind.code == "CPP")
    assert [c.text for c in cpp.months] == ["0", "1", "1", "1", "1", "1", "", "", "", "", "", ""]
    assert cpp.ytd.text == "1" and cpp.ytd.period.end == D(2024, 9, 30)
    assert 'kind=ytd&amp;fy=2024&amp;m=6"' in response.content.decode()
    xlsx = client.get(reverse("indicator_figure", args=["11"]) + "?fy=2024&m=6&format=xlsx")
    values = [[c.value for c in row] for row in load_workbook(BytesIO(xlsx.content)).active.iter_rows()]
    row = values[values.index(next(r for r in values if r[1] == cpp.ind.name)) + 1]
    assert row[1:14] == [0, 1, 1, 1, 1, 1, None, None, None, None, None, None, 1]
    fig12 = client.get(reverse("indicator_figure", args=["12"]) + "?fy=2024&m=6").context["fig12"]
    assert fig12["period"].end == D(2024, 9, 30) and fig12["total"] == 1


def test_figure_12_with_demonstration_benchmarks(client, council):
    services.load_benchmarks(services.demo_benchmarks_csv())
    child = ChildFactory()
    ref = ReferralFactory(child=child, referral_date=D(2014, 5, 1))
    m.ChildProtectionPlan.objects.create(
        referral=ref, child=child, start_date=D(2014, 6, 1), initial_category="EMO", categories="EMO"
    )
    client.force_login(UserFactory(role=Role.DIRECTOR, scope=Scope.COUNCIL))
    response = client.get(reverse("indicator_figure", args=["12"]) + "?fy=2014")
    fig = response.context["fig12"]
    assert fig["bench_year"] == 2013
    emo = fig["rows"][0]
    assert (emo.label, emo.number, emo.percent) == ("Emotional abuse", 1, "100%")
    assert emo.benchmarks == [("96", "37%"), ("171", "35%"), ("3,080", "38%"), ("19,750", "33%")]
    assert fig["bench_totals"] == ["262", "491", "8,110", "59,780"]  # the seed's totals


def pdf_text(data: bytes) -> str:
    """The text drawn in a ReportLab PDF's page streams (ASCII85 then Flate), enough to find a phrase."""
    import base64
    import re
    import zlib

    out = []
    for stream in re.findall(rb"stream\r?\n(.*?)endstream", data, re.S):
        raw = stream.strip()
        try:
            if raw.endswith(b"~>"):
                raw = base64.a85decode(raw[:-2])
            out.append(zlib.decompress(raw).decode("latin-1"))
        except (ValueError, zlib.error):
            continue
    return " ".join(re.findall(r"\((.*?)\) Tj", "".join(out)))


def test_board_pack_pdf_and_excel_with_commentary(client, council):
    Commentary.objects.create(
        indicator="RE-REF", year=2024, quarter=2, data_tells_us="Rising in August", doing_about_it="Audit of closures"
    )
    client.force_login(UserFactory(role=Role.BOARD_MANAGER, scope=Scope.COUNCIL))
    pdf = client.get(reverse("board_pack", args=[2024, 2, "pdf"]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    text = pdf_text(pdf.content)
    assert "Rising in August" in text and "Audit of closures" in text and "Re-referrals within 12 months" in text
    xlsx = client.get(reverse("board_pack", args=[2024, 2, "xlsx"]))
    book = load_workbook(BytesIO(xlsx.content))
    assert book.sheetnames == ["Board pack", "Monthly", "Charts"]
    rows = {r[0]: r for r in book["Board pack"].iter_rows(values_only=True)}
    assert rows["RE-REF"][3] == pytest.approx(33.3) and rows["RE-REF"][4] == "1 (33%)"  # a number, and as shown
    assert rows["RE-REF"][5] == 15 and rows["RE-REF"][6] == "Red"
    assert rows["RE-REF"][10] == "Rising in August" and rows["RE-REF"][11] == "Audit of closures"
    assert len(book["Charts"]._charts) == len(rows) - 2


def test_commentary_and_targets_forms(client, council):
    client.force_login(UserFactory(role=Role.HEAD_OF_SERVICE, scope=Scope.COUNCIL))
    url = reverse("indicator_commentary", args=["N14", 2024, 1])
    response = client.post(url, {"data_tells_us": "Better", "doing_about_it": "Keep going"})
    assert response.status_code == 302
    assert Commentary.objects.get(indicator="N14", year=2024, quarter=1).doing_about_it == "Keep going"
    response = client.post(reverse("indicator_targets"), {"fy": 2024, "target-N14": "75", "target-RE-REF": ""})
    assert response.status_code == 302
    assert Target.objects.get(indicator="N14", year=2024).value == 75
    assert not Target.objects.filter(indicator="RE-REF", year=2024).exists()
    bad = client.post(reverse("indicator_targets"), {"fy": 2024, "target-N14": "seventy"})
    assert bad.status_code == 200 and "Enter a number" in bad.content.decode()


def test_breakdown_and_drill_down_for_quarter_and_rolling_12_months(client, council):
    east, west = council
    client.force_login(UserFactory(role=Role.HEAD_OF_SERVICE, scope=Scope.COUNCIL))
    page = client.get(reverse("indicator", args=["REFERRALS"]) + "?fy=2024&m=6&by=team&period=quarter")
    assert page.context["chosen"].label == "Q2 2024-25"  # July to September: 2 referrals, one per team
    assert {label: v.value for _, label, v in page.context["breakdown"]} == {"East": 1, "West": 1}
    rolling = client.get(reverse("indicator", args=["REFERRALS"]) + "?fy=2024&m=6&by=team&period=rolling12")
    assert {label: v.value for _, label, v in rolling.context["breakdown"]} == {"East": 2, "West": 1}
    drill = client.get(
        reverse("indicator_drill", args=["REFERRALS"]) + f"?kind=rolling12&fy=2024&m=6&by=team&key={east.pk}"
    )
    assert [child.first_name for _, child in drill.context["listed"]] == ["Eastchild", "Eastchild"]
    assert AuditEvent.objects.filter(action=Action.VIEW, detail__contains="12 months to Sep 2024").exists()


def test_a_council_sets_its_rag_rule_on_the_targets_page(client, council):
    client.force_login(UserFactory(role=Role.DIRECTOR, scope=Scope.COUNCIL))
    url = reverse("indicator_targets")
    response = client.post(url, {"fy": 2024, "save-rule": "1", "rule-tolerance": "5", "rule-amber": "no"})
    assert response.status_code == 302
    rule = engine.current_rule()
    assert (rule.tolerance_percent, rule.amber_if_improved) == (5, False)
    # 70 against 75 is 6.7% off: green under the default 10%, red under this council's 5% with no amber.
    assert engine.rag(LIBRARY["N14"], 70, 75, 50, rule) == "red"
    assert AuditEvent.objects.filter(action=Action.CHANGE, detail__startswith="RAG rule").exists()
    bad = client.post(url, {"fy": 2024, "save-rule": "1", "rule-tolerance": "lots", "rule-amber": "yes"})
    assert bad.status_code == 200 and "Enter a percentage" in bad.content.decode()
    assert engine.current_rule().tolerance_percent == 5


def test_board_pack_for_a_quarter_in_progress_stops_at_the_last_complete_month(client, council, monkeypatch):
    """On 15 November 2024 the quarter 3 pack runs to 31 October (not to a December that has not happened)."""
    monkeypatch.setattr(selectors, "default_month", lambda today=None: selectors.periods.month(2024, 10))
    client.force_login(UserFactory(role=Role.DIRECTOR, scope=Scope.COUNCIL))
    xlsx = client.get(reverse("board_pack", args=[2024, 3, "xlsx"]))
    book = load_workbook(BytesIO(xlsx.content))
    assert book["Board pack"]["A1"].value.endswith("(to 31 Oct 2024)")
    assert [c.value for c in book["Monthly"][1]][-2:] == ["Oct 2024", "Target"]
    assert client.get(reverse("board_pack", args=[2024, 4, "pdf"])).status_code == 404  # not started
    assert client.get(reverse("board_pack", args=[2024, 2, "pdf"])).status_code == 200  # complete


def test_a_month_still_to_come_falls_back_to_the_last_complete_month(monkeypatch):
    monkeypatch.setattr(selectors, "default_month", lambda today=None: selectors.periods.month(2024, 10))
    assert selectors.month_from({"fy": "2024", "m": "9"}).label == "Oct 2024"  # December 2024 has not ended
    assert selectors.month_from({"fy": "2024", "m": "6"}).label == "Sep 2024"
    assert selectors.month_from({"fy": "nonsense"}).label == "Oct 2024"
