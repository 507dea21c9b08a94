"""Each DfE CIN census rule on a failing and a passing case (returns/tests/cin_rule_cases.py)."""

import pytest

from returns.cin.tables import UnreadableReturn
from returns.cin.validation import CIN_RULES, check_cin
from returns.tests.cin_rule_cases import CASES, RETURN_LEVEL, SPECIAL, census, child, duplicate_pair, return_level_files

CHILD_CASES = [c for c in CASES if c.code not in SPECIAL]


def _found(tmp_path, text: str, code: str) -> list:
    path = tmp_path / "census.xml"
    path.write_text(text)
    findings, _meta = check_cin(path, year=2026, codes=(code,))
    return findings


def test_every_rule_of_2025_26_has_a_case():
    covered = {c.code for c in CASES} | set(RETURN_LEVEL)
    assert covered == {r.code for r in CIN_RULES.for_year(2026)}
    assert len(covered) == 109


@pytest.mark.parametrize("case", CHILD_CASES, ids=lambda c: c.code)
def test_rule_finds_the_failing_child_and_passes_the_other(tmp_path, case):
    fail = _found(tmp_path, census([child(**case.fail)]), case.code)
    expected_child = "" if case.fail.get("la", "C1") is None else case.fail.get("la", "C1")
    assert fail, f"{case.code} should fire on {case.fail}"
    assert {f.child for f in fail} == {expected_child}
    rule = CIN_RULES.rules[case.code]
    assert all(
        f.kind == rule.kind and f.message == rule.message and f.location.startswith("Message/Children/Child[1]")
        for f in fail
    )
    assert _found(tmp_path, census([child(**case.ok)]), case.code) == []


@pytest.mark.parametrize("code", SPECIAL)
def test_duplicate_identifiers(tmp_path, code):
    fail = _found(tmp_path, census(duplicate_pair(code, same=True)), code)
    assert sorted(f.location for f in fail) == ["Message/Children/Child[1]", "Message/Children/Child[2]"]
    assert _found(tmp_path, census(duplicate_pair(code, same=False)), code) == []


@pytest.mark.parametrize("code", RETURN_LEVEL)
def test_return_level_rules(tmp_path, code):
    fail, ok = return_level_files(code)
    found = _found(tmp_path, fail, code)
    assert [(f.rule, f.child) for f in found] == [(code, "")]
    assert _found(tmp_path, ok, code) == []


def test_rules_judge_content_even_when_the_schema_would_refuse_it(tmp_path):
    # GenderCurrent instead of Sex, a 1066 expected birth date: read as they are, and judged.
    text = census([child(sex=None, expected="1066-04-13")])
    text = text.replace("</ChildIdentifiers>", "<GenderCurrent>1</GenderCurrent></ChildIdentifiers>")
    path = tmp_path / "c.xml"
    path.write_text(text)
    codes = {f.rule for f in check_cin(path, year=2026)[0]}
    assert {"4180", "8525Q", "8530Q"} <= codes


def test_reference_date_in_another_year_breaks_rule_100(tmp_path):
    found = _found(tmp_path, census([child()], reference="2025-03-31", year="2025"), "100")
    assert [f.rule for f in found] == ["100"]


def test_year_is_taken_from_the_reference_date(tmp_path):
    path = tmp_path / "c.xml"
    path.write_text(census([child()]))
    assert check_cin(path)[1]["collection_year"] == 2026


def test_2026_27_runs_with_the_latest_code_lists_and_says_so(tmp_path):
    path = tmp_path / "c.xml"
    path.write_text(census([child()], reference="2027-03-31", year="2027"))
    findings, meta = check_cin(path)
    assert meta["collection_year"] == 2027 and "2025-26 DfE schema" in meta["notes"][0]
    assert not {"4180", "4220", "8540", "8866", "8650"} & {f.rule for f in findings}  # the codes are known


@pytest.mark.parametrize("text", ["<Message><Header>", "not xml at all", '<!DOCTYPE x [<!ENTITY a "b">]><Message/>'])
def test_unreadable_files_raise(tmp_path, text):
    path = tmp_path / "bad.xml"
    path.write_text(text)
    with pytest.raises(UnreadableReturn):
        check_cin(path)
