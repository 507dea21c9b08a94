"""What the CIN rule modules share: the years they apply to, code lists, and SQL pieces."""

from __future__ import annotations

from returns.rules.base import ERROR, QUERY, Rule

# Collections ending 31 March 2025, 2026 and 2027 (2024-25 to 2026-27). The DfE's CIN rules have
# not changed since 2024-25 as far as public sources show (Data to Insight's 2025-26 and 2026-27
# rule packs add and remove nothing); see docs/validation-rules.md.
YEARS = (2025, 2026, 2027)
SOURCE = "DfE CIN census validation rules 2025-26 (as encoded by Data to Insight, csc-validator-be-cin 0.1.13)"


def error(code: str, message: str, fields: tuple[str, ...], sql: str) -> Rule:
    return Rule(code, ERROR, message, fields, sql, YEARS, SOURCE)


def query(code: str, message: str, fields: tuple[str, ...], sql: str) -> Rule:
    return Rule(code, QUERY, message, fields, sql, YEARS, SOURCE)


def in_list(column: str, name: str) -> str:
    """The column's value is in the year's code list `name` (read from the DfE schema)."""
    return f"{column} IN (SELECT code FROM codelist WHERE list = '{name}')"


def codes(values) -> str:
    """A SQL list literal of codes."""
    return "(" + ", ".join("'" + v.replace("'", "''") + "'" for v in values) + ")"


# The census period: on or after the start of the census year, on or before the reference date.
IN_PERIOD = "BETWEEN k.start_date AND k.ref_date"
