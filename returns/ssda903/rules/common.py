"""What the SSDA903 rule modules share: the years they apply to, their source, and SQL pieces.

The tables (returns/ssda903/tables.py) are named after the DfE's 903 tables in lower
case (header, episodes, reviews, uasc, oc2, oc3, ad1, placedadoption, prevperm, missing,
swepisodes); every column is the text of the file, `d(x)` reads a dd/mm/yyyy date (NULL when
it is not one); `ep` is the episodes with a valid DECOM, with their dates (`decom_d`, `dec_d`),
each child's previous and next episode by start, `seq` and the child's number of `episodes`;
`collection` has the collection's `start_date` (1 April) and `end_date` (31 March);
`codelist (list, code)` the year's code lists as the importer applies them (returns/ssda903/reader.py)."""

from __future__ import annotations

from returns.rules.base import ERROR, QUERY, Rule

# Collections ending 31 March 2023 to 2027 (2022-23 to 2026-27): the years whose code lists
# Line of Sight holds (returns/ssda903/reader.py, FIRST_LISTED to LAST_YEAR). See docs/validation-rules.md.
YEARS = (2023, 2024, 2025, 2026, 2027)
SOURCE = "DfE SSDA903 validation rules (codes and messages as in Data to Insight's csc-validator-be-903 0.1.17)"


# The queries several rules repeat, each made once per check as a table before the rules run
# (validation.py, _shared): table name -> query. A rule reads the table instead of working the
# query out again (decision 0074).
SHARED: dict[str, str] = {}


def shared(name: str, sql: str) -> str:
    """The table `shared_<name>` holding what `sql` (a query, without brackets) selects."""
    table = f"shared_{name}"
    SHARED[table] = sql
    return table


def error(code: str, message: str, fields: tuple[str, ...], sql: str, years: tuple[int, ...] = YEARS) -> Rule:
    return Rule(code, ERROR, message, fields, sql, years, SOURCE)


def query(code: str, message: str, fields: tuple[str, ...], sql: str, years: tuple[int, ...] = YEARS) -> Rule:
    return Rule(code, QUERY, message, fields, sql, years, SOURCE)


def in_list(column: str, name: str) -> str:
    """The column's value is in the year's 903 code list `name` (e.g. 'PLACE')."""
    return f"{column} IN (SELECT code FROM codelist WHERE list = '{name}')"


def codes(values) -> str:
    return "(" + ", ".join("'" + v.replace("'", "''") + "'" for v in values) + ")"


def invalid_code(code: str, message: str, table: str, column: str, blank_ok: bool = True) -> Rule:
    """A code that is not in the year's list (a blank one too unless blank_ok)."""
    where = f"{column} IS NOT NULL AND NOT {in_list(column, column)}"
    if not blank_ok:
        where = f"{column} IS NULL OR NOT {in_list(column, column)}"
    return error(code, message, (column,), f"SELECT CHILD, location FROM {table} WHERE {where}")


def invalid_date(code: str, message: str, table: str, column: str, blank_ok: bool = True) -> Rule:
    """A value that is not a dd/mm/yyyy date (a blank one too unless blank_ok)."""
    where = f"{column} IS NOT NULL AND d({column}) IS NULL" if blank_ok else f"d({column}) IS NULL"
    return error(code, message, (column,), f"SELECT CHILD, location FROM {table} WHERE {where}")
