"""The latest values of the indicators that evidence an action or head a plan."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from indicators import selectors as ind_selectors
from indicators.library import LIBRARY


@dataclass
class Latest:
    code: str
    name: str
    month: str
    month_value: str
    ytd: str
    target: str
    rag: str
    known: bool = True


def latest_values(codes: list[str]) -> dict[str, Latest]:
    """Council figures for the last complete month and the year to date, with target and RAG
    (the same numbers as the performance board)."""
    known = [c for c in dict.fromkeys(codes) if c in LIBRARY]
    out: dict[str, Latest] = {
        c: Latest(c, "not in the indicator library", "", "", "", "", "", False) for c in codes if c not in LIBRARY
    }
    if not known:
        return out
    month = ind_selectors.default_month()
    facts = ind_selectors.current_facts()
    for row in ind_selectors.board(facts, month, known):
        out[row.ind.code] = Latest(
            row.ind.code,
            row.ind.name,
            month.label,
            row.month.display(row.ind),
            row.ytd.display(row.ind),
            "" if row.target is None else f"{row.target:g}",
            row.rag,
        )
    return out


def may_open_indicators(user: Any) -> bool:
    from indicators.views import BOARD_ROLES

    return user.role in BOARD_ROLES and user.scope != "agency_cohort" and not user.agency_id
