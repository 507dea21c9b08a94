"""Rules over the same rows run as one query (returns/rules/fuse.py, decision 0079): the same findings
as each rule run alone."""

import tempfile
import zipfile
from collections import Counter
from pathlib import Path

import pytest

from returns.rules import fuse
from returns.rules.base import ERROR, Rule
from returns.rules.spill import bounded
from returns.ssda903 import validation
from returns.tests.ssda903_rule_cases import YEAR, agreement_tables, previous_tables


def rule(code: str, sql: str) -> Rule:
    return Rule(code, ERROR, "message", ("F",), sql, (YEAR,))


@pytest.mark.parametrize(
    "sql, parts",
    [
        ("SELECT CHILD, location FROM episodes WHERE PLACE = 'P1'", ("CHILD, location", "episodes", "PLACE = 'P1'")),
        (
            "SELECT e.CHILD, e.location FROM episodes e JOIN header h USING (CHILD)\n  WHERE d(h.DOB) > d(e.DECOM)",
            ("e.CHILD, e.location", "episodes e JOIN header h USING (CHILD)", "d(h.DOB) > d(e.DECOM)"),
        ),
        # a WHERE inside a subquery or a quoted word is not the outer query's
        (
            "SELECT CHILD, location FROM episodes WHERE PLACE IN (SELECT code FROM codelist WHERE list = 'PLACE')",
            ("CHILD, location", "episodes", "PLACE IN (SELECT code FROM codelist WHERE list = 'PLACE')"),
        ),
        ("SELECT CHILD, location FROM oc3 WHERE ACCOM = ' WHERE '", ("CHILD, location", "oc3", "ACCOM = ' WHERE '")),
        # other shapes run alone
        ("SELECT CHILD, location FROM episodes", None),
        ("SELECT DISTINCT CHILD, location FROM episodes WHERE PLACE = 'P1'", None),
        ("SELECT CHILD, min(location) FROM episodes WHERE PLACE = 'P1' GROUP BY CHILD", None),
        ("SELECT CHILD, location FROM a WHERE x = 1 UNION ALL SELECT CHILD, location FROM b WHERE y = 1", None),
        ("SELECT CHILD, location FROM episodes WHERE PLACE = 'P1' -- a comment", None),
        ("SELECT CHILD FROM episodes WHERE PLACE = 'P1'", None),
        ("SELECT CHILD, location FROM episodes WHERE PLACE = 'P1' ORDER BY CHILD", None),
    ],
)
def test_only_a_select_from_where_is_split(sql, parts):
    assert fuse.split(sql) == parts


def test_rules_over_the_same_rows_are_one_query_in_the_order_of_their_first_rule():
    rules = [
        rule("1", "SELECT CHILD, location FROM episodes WHERE PLACE = 'P1'"),
        rule("2", "SELECT CHILD, location FROM header WHERE SEX = '9'"),
        rule("3", "SELECT DISTINCT CHILD, location FROM episodes WHERE LS = 'V2'"),
        rule("4", "SELECT CHILD, location FROM episodes WHERE LS = 'V2'"),
    ]
    groups = fuse.groups(rules)
    assert [[r.code for r in g.rules] for g in groups] == [["1", "4"], ["2"], ["3"]]
    assert [g.fused for g in groups] == [True, False, False]
    assert groups[1].sql == rules[1].sql and groups[2].sql == rules[2].sql
    assert [[r.code for r in g.rules] for g in groups[0].alone()] == [["1"], ["4"]]


def one_by_one(con, rules) -> Counter:
    return Counter((r.code, child, location) for r in rules for child, location in con.execute(r.sql).fetchall())


def test_fused_findings_equal_each_rule_run_alone_on_every_rule_case(tmp_path):
    # The return holding a child that breaks each 903 rule and the nearest child that does not, with last
    # year's return for the rules that read it: every rule of 2025-26 finds something on it.
    for name, folder in (("cases", agreement_tables()), ("last", previous_tables())):
        with zipfile.ZipFile(tmp_path / f"{name}.zip", "w") as archive:
            for table, text in folder.items():
                archive.writestr(table, text)
    with tempfile.TemporaryDirectory() as spill:
        con = bounded(Path(spill), in_memory=True, threads=1)
        try:
            rules, _meta = validation._prepare(
                con, tmp_path / "cases.zip", YEAR, None, tmp_path / "last.zip", Path(spill)
            )
            assert sum(g.fused for g in fuse.groups(rules)) >= 20  # most rules share their rows with others
            fused = Counter((f.rule, f.child, f.location) for f in validation._findings(con, rules))
            alone = one_by_one(con, rules)
        finally:
            con.close()
    assert len({code for code, _, _ in alone}) > 200
    assert fused == alone


def test_a_fused_query_that_fails_runs_its_rules_alone(tmp_path):
    with zipfile.ZipFile(tmp_path / "cases.zip", "w") as archive:
        for table, text in agreement_tables().items():
            archive.writestr(table, text)
    good = rule("good", "SELECT CHILD, location FROM episodes WHERE PLACE IS NOT NULL")
    bad = rule("bad", "SELECT CHILD, location FROM episodes WHERE no_such_column = 1")
    with tempfile.TemporaryDirectory() as spill:
        con = bounded(Path(spill), in_memory=True, threads=1)
        try:
            validation._prepare(con, tmp_path / "cases.zip", YEAR, None)
            found = validation._findings(con, [good, bad])
            codes = []
            with pytest.raises(Exception, match="no_such_column"):
                for finding in found:
                    codes.append(finding.rule)
        finally:
            con.close()
    assert codes and set(codes) == {"good"}  # the good rule's findings came before the bad one failed alone
