"""Rules over the same rows run as one query (decision 0079).

Most rules are `SELECT child, location FROM <rows> WHERE <condition>`. Rules with the same select
list and the same FROM read the same rows, so they are run as one query that reads those rows once
and, for each row, lists the rules whose condition holds:

    SELECT child, location, unnest(list_filter([CASE WHEN (c1) THEN 0 END, ...], lambda i: i IS NOT NULL))
    FROM <rows>

A row gives a finding for a rule exactly when the rule's own WHERE would keep it (TRUE, not FALSE or
NULL), so the findings are those of the rules run one by one. Each query costs DuckDB a plan and a
scan of its own: at a council's size the rules are about 15% cheaper fused (decision 0079). A rule of
any other shape (GROUP BY, UNION, DISTINCT, a comment) runs alone, as before, and so does each rule of a
group whose fused query fails (`Group.alone`)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from returns.rules.base import Rule

# The clauses that may follow FROM at the top level; a rule with any but WHERE is not fused.
_CLAUSE = re.compile(
    r"\s(FROM|WHERE|GROUP\s+BY|HAVING|UNION|ORDER\s+BY|LIMIT|OFFSET|QUALIFY|EXCEPT|INTERSECT|WINDOW)\s", re.I
)


@dataclass(frozen=True)
class Group:
    """Rules run by one query. Fused (more than one rule), `sql` selects (child, location, i): rule
    `rules[i]` found the row; a group of one rule runs the rule's own SQL, (child, location)."""

    rules: tuple[Rule, ...]
    sql: str

    @property
    def fused(self) -> bool:
        return len(self.rules) > 1

    def alone(self) -> list[Group]:
        return [Group((rule,), rule.sql) for rule in self.rules]


def groups(rules: list[Rule]) -> list[Group]:
    """The rules as queries: those of the shape above with the same select list and FROM as one query
    each, the others alone; in the order of each group's first rule."""
    by_rows: dict[tuple[str, str], list[tuple[Rule, str]]] = {}
    out: list[Group | tuple[str, str]] = []
    for rule in rules:
        parts = split(rule.sql)
        if parts is None:
            out.append(Group((rule,), rule.sql))
            continue
        select, rows, condition = parts
        key = (select, rows)
        if key not in by_rows:
            by_rows[key] = []
            out.append(key)
        by_rows[key].append((rule, condition))
    return [item if isinstance(item, Group) else _fused(item, by_rows[item]) for item in out]


def _fused(key: tuple[str, str], members: list[tuple[Rule, str]]) -> Group:
    if len(members) == 1:
        return Group((members[0][0],), members[0][0].sql)
    select, rows = key
    hits = ", ".join(f"CASE WHEN ({condition}) THEN {i} END" for i, (_, condition) in enumerate(members))
    sql = f"SELECT {select}, unnest(list_filter([{hits}], lambda i: i IS NOT NULL)) FROM {rows}"
    return Group(tuple(rule for rule, _ in members), sql)


@cache  # the rules are fixed: each one's SQL is split once per process
def split(sql: str) -> tuple[str, str, str] | None:
    """(select list, FROM, WHERE condition) of `SELECT a, b FROM rows WHERE condition` with no other
    clause, DISTINCT or comment at the top level; None for any other shape."""
    if "--" in sql or "/*" in sql or '"' in sql:
        return None
    top = _top_level(sql)
    if top is None:
        return None
    head = sql.lstrip()
    if not head[:7].upper() == "SELECT " or head[7:].lstrip()[:9].upper().startswith("DISTINCT"):
        return None
    clauses = [(m.group(1).upper(), m.start(), m.end()) for m in _CLAUSE.finditer(top)]
    if [name for name, _, _ in clauses] != ["FROM", "WHERE"]:
        return None
    (_, f_start, f_end), (_, w_start, w_end) = clauses
    select = sql[sql.upper().index("SELECT") + 6 : f_start].strip()
    if (_top_level(select) or "").count(",") != 1:  # exactly two columns: child, location
        return None
    return select, sql[f_end:w_start].strip(), sql[w_end:].strip()


def _top_level(sql: str) -> str | None:
    """`sql` with what is inside brackets or quotes blanked out (same length), so that a clause found
    in it is one of the outer query's; None when the brackets or quotes do not close."""
    out, depth, quoted = [], 0, False
    for char in sql:
        if quoted:
            quoted = char != "'"
            out.append(" ")
        elif char == "'":
            quoted = True
            out.append(" ")
        elif char == "(":
            depth += 1
            out.append(" ")
        elif char == ")":
            depth -= 1
            out.append(" ")
            if depth < 0:
                return None
        else:
            out.append(char if depth == 0 else " ")
    return None if depth or quoted else "".join(out)
