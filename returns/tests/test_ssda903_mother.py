"""Rule 165 (mother status) reads a boy and a girl in the year's codes: SEX 1/2 until 2023-24, M/F from
2024-25 (the 903's code list for SEX; Data to Insight reads 1/2 in every year, so from 2024-25 theirs finds
only a MOTHER other than 0 or 1)."""

import zipfile

import pytest

from returns.ssda903.reader import TABLES
from returns.ssda903.validation import check_903
from returns.tests.ssda903_rule_cases import case, csv_text, tables

pytestmark = pytest.mark.django_db


def found_165(tmp_path, year: int, girl: dict, boy: dict) -> set[str]:
    """Children found by 165 in a return of `year` holding F165 (`girl`'s header) and P165 (`boy`'s)."""
    path = tmp_path / f"r{year}.zip"
    with zipfile.ZipFile(path, "w") as archive:
        # The episode begins in the collection year, so that the child is looked after in it.
        episodes = [{"DECOM": f"01/05/{year - 1}"}]
        cases = {"165": (case(girl, episodes=episodes), case(boy, episodes=episodes))}
        for name, rows in tables(cases).items():
            if rows:
                archive.writestr(TABLES[name].file, csv_text(name, rows))
    return {f.child for f in check_903(path, year=year)[0] if f.rule == "165"}


def test_a_girl_looked_after_in_the_year_needs_mother_status(tmp_path):
    # F165: a girl in care in the year with MOTHER blank; P165: a girl with MOTHER 0.
    assert found_165(tmp_path, 2026, {"SEX": "F", "MOTHER": ""}, {"SEX": "F", "MOTHER": "0"}) == {"F165"}
    assert found_165(tmp_path, 2024, {"SEX": "2", "MOTHER": ""}, {"SEX": "2", "MOTHER": "0"}) == {"F165"}


def test_a_boy_has_no_mother_status(tmp_path):
    # F165: a boy with MOTHER 0; P165: a boy with MOTHER blank.
    assert found_165(tmp_path, 2026, {"SEX": "M", "MOTHER": "0"}, {"SEX": "M", "MOTHER": ""}) == {"F165"}
    assert found_165(tmp_path, 2024, {"SEX": "1", "MOTHER": "0"}, {"SEX": "1", "MOTHER": ""}) == {"F165"}


def test_sex_unknown_is_neither(tmp_path):
    assert found_165(tmp_path, 2026, {"SEX": "U", "MOTHER": ""}, {"SEX": "U", "MOTHER": "1"}) == set()
