"""Exports are inert (issue 12 point 2, decision 0017): a hostile value typed into a child's identifier,
name, a plan action, an audit theme, an agency's name or a commentary reaches every Excel and CSV
export as text, never as a formula; and no module writes a workbook or a CSV except through the writer."""

import csv
import datetime as dt
import io
import re
import zipfile
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from accounts.models import Role, Scope
from accounts.tests.factories import UserFactory
from audits import exports as audit_exports
from audits.tests.factories import CaseAuditFactory
from children.models import Contact
from children.tests.factories import AssessmentFactory, ChildFactory, LookedAfterEpisodeFactory, ReferralFactory
from exports.writer import csv_cell, csv_writer, is_formula_like, workbook, xlsx_bytes, xlsx_response
from indicators import exports as indicator_exports
from indicators import periods
from indicators import selectors as indicator_selectors
from indicators.library import LIBRARY
from indicators.models import Commentary, Population
from partnership.tests.factories import BodyFactory
from plans import exports as plan_exports
from plans import selectors as plan_selectors
from plans.tests.factories import ActionFactory
from returns.annex_a.exporter import export_annex_a
from returns.ssda903.exporter import export_903
from timescales.services import recompute_all

pytestmark = pytest.mark.django_db

HOSTILE = ['=HYPERLINK("http://x","y")', "+1+1", "-2+3", "@SUM(1)", "\t=1+1", "\r=1+1"]
ROOT = Path(__file__).resolve().parents[2]


def assert_inert_xlsx(data: bytes, must_contain: str = HOSTILE[0]) -> None:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/"):
                assert not re.search(rb"<(\w+:)?f[ >]", archive.read(name)), f"a formula in {name}"
    book = load_workbook(io.BytesIO(data))
    values = []
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{sheet.title}!{cell.coordinate} is a formula"
                values.append(cell.value)
    # Kept exact, as text: the test fails if the hostile value never reached the file.
    assert any(isinstance(v, str) and must_contain in v for v in values), "the hostile value is not in the file"


def assert_inert_csv(text: str) -> list[list[str]]:
    rows = list(csv.reader(io.StringIO(text)))
    for row in rows:
        for value in row:
            assert not is_formula_like(value), f"live CSV cell {value!r}"
    return rows


def test_the_writer_keeps_text_exact_numbers_and_dates_typed():
    for write_only in (True, False):
        book = workbook(write_only=write_only)
        sheet = book.create_sheet("S") if write_only else book.active
        sheet.append([*HOSTILE, -3, 2.5, dt.date(2024, 1, 2), "plain"])
        if not write_only:
            sheet["A2"] = "=1+2"  # cells set one by one are made inert at save too
        data = xlsx_bytes(book)
        assert_inert_xlsx(data)
        first = [c for c in load_workbook(io.BytesIO(data)).worksheets[-1].iter_rows(min_row=1, max_row=1)][0]
        assert [c.value for c in first[: len(HOSTILE)]] == [h.replace("\r", "\n") for h in HOSTILE] or [
            c.value for c in first[: len(HOSTILE)]
        ] == HOSTILE
        assert [c.data_type for c in first[len(HOSTILE) :]] == ["n", "n", "d", "s"]


def test_csv_cells_follow_owasp_and_leave_plain_numbers_and_codes_alone():
    assert [csv_cell(v) for v in HOSTILE] == ["'" + v for v in HOSTILE]
    assert [csv_cell(v) for v in ("-3", "+44", "2.5", "C2", "01/04/2024", "", None, -7)] == [
        "-3",
        "+44",
        "2.5",
        "C2",
        "01/04/2024",
        "",
        None,
        -7,
    ]
    out = io.StringIO()
    csv_writer(out).writerows([HOSTILE])
    assert assert_inert_csv(out.getvalue()) == [["'" + v for v in HOSTILE]]


def test_the_903_csv_tables_are_inert():
    child = ChildFactory(la_child_id=HOSTILE[0])
    LookedAfterEpisodeFactory(child=child, start_date=dt.date(2024, 5, 1), placement_provider="@1")
    out = io.BytesIO()
    assert export_903(out, 2025) == 1
    with zipfile.ZipFile(out) as archive:
        tables = {name: archive.read(name).decode() for name in archive.namelist()}
    header = [t for n, t in tables.items() if "header" in n.lower()][0]
    assert "'" + HOSTILE[0].replace('"', '""') in header or "'" + HOSTILE[0] in header
    for text in tables.values():
        assert_inert_csv(text)


def test_the_annex_a_workbook_is_inert():
    child = ChildFactory(la_child_id=HOSTILE[0], upn="+1+1")
    Contact.objects.create(child=child, contact_date=dt.date(2024, 6, 1))
    out = io.BytesIO()
    export_annex_a(out, dt.date(2024, 4, 1), dt.date(2025, 3, 31))
    assert_inert_xlsx(out.getvalue())


def test_one_sheet_lists_timescales_drift_and_problems_are_inert():
    # The timescales and drift workbooks and the problems workbook of a rejected file are this call.
    response = xlsx_response("t.xlsx", "T", ["Child ID", "Child"], [[h, h] for h in HOSTILE])
    assert_inert_xlsx(response.content)


def test_the_oversight_list_downloads_are_inert(client):
    late = ReferralFactory(child=ChildFactory(la_child_id=HOSTILE[0]), referral_date=dt.date(2024, 1, 8))
    AssessmentFactory(referral=late)
    recompute_all(dt.date(2024, 4, 2))
    client.force_login(UserFactory(role=Role.DIRECTOR, scope=Scope.COUNCIL))
    response = client.get(reverse("obligation_list"), {"format": "xlsx"})
    assert response.status_code == 200
    assert_inert_xlsx(response.content)


def test_the_plan_report_is_inert():
    action = ActionFactory(summary=HOSTILE[0], ref="-2+3")
    data = plan_exports.plan_xlsx(action.plan, plan_selectors.summary(action.plan))
    assert_inert_xlsx(data)


def test_the_audit_round_results_are_inert():
    case = CaseAuditFactory(child=ChildFactory(la_child_id=HOSTILE[0], first_name="@SUM(1)"), themes="+1+1")
    assert_inert_xlsx(audit_exports.round_xlsx(case.round, type(case).objects.filter(pk=case.pk)))


def test_the_indicator_drill_down_is_inert():
    child = ChildFactory(la_child_id=HOSTILE[0])
    row = SimpleNamespace(day=dt.date(2024, 5, 1), num=1, value=None)
    ind = LIBRARY["RE-REF"]
    response = indicator_exports.drill_xlsx(ind, periods.month(2024, 5), [(row, child)])
    assert_inert_xlsx(response.content)


def test_the_board_pack_is_inert():
    indicator_selectors.clear_cache()
    ReferralFactory(child=ChildFactory(), referral_date=dt.date(2024, 5, 1))
    Population.objects.create(year=2024, age_band="all", sex="U", count=10_000)
    Commentary.objects.create(indicator="RE-REF", year=2024, quarter=2, data_tells_us=HOSTILE[0], doing_about_it="+1")
    month = periods.months_of_year(2024)[5]
    response = indicator_exports.board_pack_xlsx(indicator_selectors.current_facts(), month, 2)
    indicator_selectors.clear_cache()
    assert_inert_xlsx(response.content)


def test_the_partnership_report_is_inert():
    from partnership import exports as partnership_exports

    BodyFactory(name="=1+1")  # its sheet's heading starts with the name
    assert_inert_xlsx(partnership_exports.workbook(dt.date(2024, 4, 1), dt.date(2025, 3, 31)), must_contain="=1+1")


def test_the_exploitation_problem_profile_is_inert():
    from exploitation import exports as exploitation_exports

    data = {
        "trend": [],
        "rag_mix": [],
        "push_factors": [(HOSTILE[0], 1)],
        "pull_factors": [],
        "who_with": [],
        "found_locations": [("@SUM(1)", 2)],
        "found_areas": [],
        "places": [SimpleNamespace(name="+1+1", area="-2+3", children_linked=1)],
        "areas": [],
        "hour_of_day": [0] * 24,
        "weekday": [],
        "since": dt.date(2024, 1, 1),
        "open_count": 1,
        "episode_total": 0,
        "children_missing": 0,
        "repeat_count": 0,
        "out_of_borough_count": 0,
        "out_of_borough_episodes": 0,
    }
    assert_inert_xlsx(exploitation_exports.profile_xlsx(data))


# Modules that may touch openpyxl's Workbook or csv.writer directly, and why.
ALLOWED = {
    "exports/writer.py": "the writer itself",
    "indicators/national.py": "a staging file DuckDB reads back (ids, dates, codes); never handed to a person",
    "returns/cin/tables.py": "the CIN rules' tables staged for DuckDB in a temporary folder removed after the "
    "check (decision 0054); never handed to a person",
    "plans/demo/make_demo_plans.py": "builds the demonstration plan workbooks that are imported, not exported",
}
DIRECT = re.compile(
    r"from openpyxl(\.workbook(\.workbook)?)? import[^\n]*\bWorkbook\b|openpyxl\.Workbook\("
    r"|\bcsv\.(writer|DictWriter)\(|from csv import[^\n]*\b(writer|DictWriter)\b"
)


def test_no_export_writes_a_workbook_or_a_csv_without_the_writer():
    # bench/ builds input files for benchmarks, tests build input files for tests: neither hands out an export.
    skip = {".venv", "node_modules", "bench", ".git", "var", "static"}
    offenders, seen = [], 0
    for top in ROOT.iterdir():
        if not top.is_dir() or top.name in skip or top.name.startswith("."):
            continue
        for path in top.rglob("*.py"):
            rel = path.relative_to(ROOT).as_posix()
            if "/tests/" in rel or "/migrations/" in rel:
                continue
            seen += 1
            if rel not in ALLOWED and DIRECT.search(path.read_text(encoding="utf-8")):
                offenders.append(rel)
    assert seen > 100  # the walk found the project's modules
    assert offenders == []
