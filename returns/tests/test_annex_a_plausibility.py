"""Annex A plausibility (issue 13 point 7): implausible but possible values are warnings naming
sheet, row, column and child; the row is still imported."""

import datetime as dt

import pytest

from children.models import LookedAfterEpisode, Referral
from returns.annex_a.reader import UK_POSTCODE
from returns.models import Status
from returns.tests.conftest import DATA
from returns.tests.test_annex_a_helpers import import_workbook, workbook

pytestmark = pytest.mark.django_db

KID = {"child_id": "C1", "sex": "b) Female", "ethnicity": "a) WBRI", "birth_date": dt.date(2015, 6, 1)}
MESSY = DATA / "realworld" / "Annex_A_messy.xlsx"


def warnings(run, rule):
    return list(run.problems.filter(rule=rule).order_by("location"))


def test_a_date_before_birth_is_a_warning_naming_sheet_row_column_and_child(tmp_path):
    rows = [
        KID | {"referral_date": dt.date(2015, 5, 31)},
        KID | {"child_id": "C2", "referral_date": dt.date(2015, 6, 1)},  # the day of birth itself is fine
    ]
    run = import_workbook(workbook(tmp_path / "l3.xlsx", {3: rows}))
    assert run.status == Status.COMMITTED and run.errors == 0
    (found,) = warnings(run, "annex_a.date-before-birth")  # the day of birth itself is not before it
    assert (found.severity, found.child_id, found.location, found.field) == (
        "warning",
        "C1",
        "List 3 row 2",
        "Date of Referral",
    )
    assert "column" in found.message and "31/05/2015" in found.message and "01/06/2015" in found.message
    assert Referral.objects.count() == 2


def test_a_date_in_the_future_is_a_warning_and_tomorrow_counts(tmp_path):
    tomorrow = dt.date.today() + dt.timedelta(days=1)
    rows = [KID | {"referral_date": tomorrow}, KID | {"child_id": "C2", "referral_date": dt.date.today()}]
    run = import_workbook(workbook(tmp_path / "l3.xlsx", {3: rows}))
    (found,) = warnings(run, "annex_a.date-future")
    assert (found.child_id, found.location, found.field) == ("C1", "List 3 row 2", "Date of Referral")


def test_a_missing_date_of_birth_is_a_warning_but_not_on_the_adopters_list(tmp_path):
    no_dob = {k: v for k, v in KID.items() if k != "birth_date"}
    run = import_workbook(workbook(tmp_path / "l3.xlsx", {3: [no_dob | {"referral_date": dt.date(2024, 1, 8)}]}))
    (found,) = warnings(run, "annex_a.dob-missing")
    assert (found.child_id, found.location, found.field) == ("C1", "List 3 row 2", "Date of Birth")
    assert run.status == Status.COMMITTED


def test_a_malformed_postcode_is_a_warning_and_a_good_one_is_not(tmp_path):
    rows = [
        KID | {"date_started": dt.date(2020, 1, 1), "legal_status": "C2", "postcode": "T28 2WB"},
        KID | {"child_id": "C2", "date_started": dt.date(2020, 1, 1), "legal_status": "C2", "postcode": "nope"},
    ]
    run = import_workbook(workbook(tmp_path / "l8.xlsx", {8: rows}))
    (found,) = warnings(run, "annex_a.postcode")
    assert (found.child_id, found.location, found.field) == ("C2", "List 8 row 3", "Placement postcode")
    assert LookedAfterEpisode.objects.count() == 2


@pytest.mark.parametrize("code", ["SW1A 1AA", "sw1a1aa", "M1 1AE", "B33 8TH", "CR2 6XH", "DN55 1PT", "GIR 0AA"])
def test_uk_postcodes_match(code):
    assert UK_POSTCODE.match(code)


@pytest.mark.parametrize("code", ["nope", "12345", "SW1A 1A", "QW1 1AA", "SW1A 1AAA", "SW1A-1AA", ""])
def test_non_postcodes_do_not_match(code):
    assert not UK_POSTCODE.match(code)


def test_the_messy_real_workbook_is_read_with_warnings_only():
    from returns import services

    run = services.preview(services.create_run_from_path(MESSY, "annex_a"))
    assert run.errors == 0
    rules = {p.rule for p in run.problems.all()}
    assert {"annex_a.date-before-birth", "annex_a.postcode", "annex_a.dob-missing", "annex_a.excel-error"} <= rules
    bad = run.problems.get(rule="annex_a.postcode")
    assert (bad.location, bad.child_id, bad.field) == ("List 8 row 3", "1373595", "Placement postcode")
