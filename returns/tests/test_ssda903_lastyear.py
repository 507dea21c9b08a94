"""The SSDA903 rules that compare with last year's return (503A-F, decision 0047): last year's return
is the register's latest committed 903 import of the year before (or, for validate_return, the file
given with --previous); without one, the run and the command say once that the rules were not
checked, and for which year. The rules' own cases are in test_ssda903_rules.py."""

import json
import os
import zipfile
from pathlib import Path

import pytest

from returns import services
from returns.models import Status
from returns.rules.check import previous_903
from returns.tests.ssda903_rule_cases import CASES as ALL_CASES  # imports the last-year cases after its own
from returns.tests.ssda903_rule_cases import previous_tables
from returns.tests.test_ssda903_rules import run_command, write_return

pytestmark = pytest.mark.django_db

CASES = {code: ALL_CASES[code] for code in ("503A", "503B")}


def write_previous(path, cases=CASES):
    with zipfile.ZipFile(path, "w") as archive:
        for name, text in previous_tables(cases).items():
            archive.writestr(name, text)
    return path


def committed_previous(tmp_path):
    """Last year's return (2024-25) imported and committed through the ordinary pipeline."""
    run = services.preview(services.create_run_from_path(write_previous(tmp_path / "last.zip"), "ssda903"))
    assert (run.status, run.collection_year) == (Status.PREVIEWED, 2025), run.message
    run = services.commit(run)
    assert run.status == Status.COMMITTED, run.message
    return run


def test_without_last_years_return_the_command_says_once_which_rules_were_not_checked(tmp_path):
    write_return(tmp_path / "r.zip", CASES)
    code, out, err = run_command(tmp_path / "r.zip", "--kind", "ssda903", "--year", "2025-26")
    assert not [r for r in json.loads(out) if r["rule"].startswith("503")]
    said = [line for line in err.splitlines() if "503A to 503F" in line]
    assert len(said) == 1
    assert "not checked because no SSDA903 return for 2024-25 is held" in said[0]


def test_the_command_takes_last_years_return_with_previous(tmp_path):
    write_return(tmp_path / "r.zip", CASES)
    last = write_previous(tmp_path / "last.zip")
    code, out, err = run_command(tmp_path / "r.zip", "--kind", "ssda903", "--year", "2025-26", "--previous", last)
    found = {(r["rule"], r["child"]) for r in json.loads(out) if r["rule"].startswith("503")}
    assert found == {("503A", "F503A"), ("503B", "F503B")}
    assert "not checked" not in err and "compared this return with last year's (last.zip, 2024-25)" in err


def test_the_command_takes_a_folder_for_previous(tmp_path):
    write_return(tmp_path / "r.zip", CASES)
    folder = tmp_path / "last"
    folder.mkdir()
    for name, text in previous_tables(CASES).items():
        (folder / name).write_text(text)
    code, out, _err = run_command(tmp_path / "r.zip", "--kind", "ssda903", "--year", "2025-26", "--previous", folder)
    assert {r["child"] for r in json.loads(out) if r["rule"].startswith("503")} == {"F503A", "F503B"}


def test_the_preview_finds_last_years_committed_import_in_the_register(tmp_path):
    committed_previous(tmp_path)
    write_return(tmp_path / "r.zip", CASES)
    run = services.preview(services.create_run_from_path(tmp_path / "r.zip", "ssda903"))
    assert run.collection_year == 2026
    found = set(run.problems.filter(rule__startswith="503").values_list("rule", "child_id", "severity"))
    assert found == {("503A", "F503A", "warning"), ("503B", "F503B", "warning")}
    assert not run.problems.filter(rule="dfe.previous").exists()
    # validate_return finds it too, without --previous
    code, out, _err = run_command(tmp_path / "r.zip", "--kind", "ssda903")
    assert {r["child"] for r in json.loads(out) if r["rule"].startswith("503")} == {"F503A", "F503B"}


def test_without_a_committed_import_the_preview_carries_one_notice(tmp_path):
    # last year's return previewed but never committed is not used
    services.preview(services.create_run_from_path(write_previous(tmp_path / "last.zip"), "ssda903"))
    write_return(tmp_path / "r.zip", CASES)
    run = services.preview(services.create_run_from_path(tmp_path / "r.zip", "ssda903"))
    assert not run.problems.filter(rule__startswith="503").exists()
    notice = run.problems.get(rule="dfe.previous")
    assert notice.severity == "warning" and not notice.child_id
    assert "503A to 503F" in notice.message and "2024-25" in notice.message
    assert run.status == Status.PREVIEWED


def test_a_previous_import_whose_file_is_gone_is_passed_over(tmp_path):
    older = committed_previous(tmp_path)
    (tmp_path / "again").mkdir()
    newer = committed_previous(tmp_path / "again")
    assert previous_903(2026) == Path(newer.stored_path)
    os.remove(newer.stored_path)
    assert previous_903(2026) == Path(older.stored_path)
    os.remove(older.stored_path)
    assert previous_903(2026) is None
    assert previous_903(2027) is None  # nothing for 2025-26
