"""Matching a return's records to the register, as every importer does it: the child on its
local child ID, with the UPN as a cross-check whose conflicts are errors naming both
children, never guesses; a matched row taking the file's values; the counts of new, changed
and unchanged rows."""

from collections import Counter
from collections.abc import Collection, Iterable
from typing import Protocol

from children.models import Child
from returns.problems import ProblemLog


def children_by_id(ids: Collection[str]) -> dict[str, Child]:
    """The register's children with these local child IDs, by ID: one query."""
    return {c.la_child_id: c for c in Child.objects.filter(la_child_id__in=ids)}


def upn_holders(upns: dict[str, str]) -> dict[str, str]:
    """UPN -> child ID of the register's children that hold one of `upns` (UPN -> the child the
    file gives it to), leaving out the children the file gives UPNs to."""
    givers = set(upns.values())  # left out here rather than in SQL: a second IN list costs more
    return {
        upn: child_id
        for upn, child_id in Child.objects.filter(upn__in=list(upns)).values_list("upn", "la_child_id")
        if child_id not in givers
    }


class Seen(Protocol):
    """UPN -> the child first given it: a dict, or the 903 importer's FirstSeen (kept on disk)."""

    def setdefault(self, key: str, default: str, /) -> str: ...


def check_upn(
    log: ProblemLog,
    seen: Seen,
    child_id: str,
    upn: str,
    child: Child | None,
    holder: str | None,
    where: dict[str, str],
    prefix: str = "",
    who: str = "child",
    source: str = "file",
) -> bool:
    """Report the conflicts of the UPN a record gives its child as errors: the register holds
    another UPN for the child (`child`, the register's row), another child in the register holds
    it (`holder`), or another child of this file (`seen`: UPN -> child ID, updated) was given it.
    Messages start with `prefix`; True if there was a conflict."""
    found = False
    if child is not None and child.upn and child.upn != upn:
        log.error(
            "match.upn-differs",
            f"{prefix}{'the' if prefix else 'The'} register holds UPN {child.upn} for child {child_id}; "
            f"the file says {upn}. Correct whichever is wrong in the case management system and export the "
            "return again.",
            **where,
        )
        found = True
    if holder is not None:
        log.error(
            "match.upn-elsewhere",
            f"{prefix}UPN {upn} belongs to child {holder} in the register, not {child_id}. Correct whichever "
            "child's UPN is wrong in the case management system and export the return again.",
            **where,
        )
        found = True
    other = seen.setdefault(upn, child_id)
    if other != child_id:
        log.error(
            "match.upn-twice",
            f"{prefix}UPN {upn} is also given to {who} {other} in this {source}. Correct whichever child's UPN "
            "is wrong in the case management system and export the return again.",
            **where,
        )
        found = True
    return found


def apply_changes(obj, values: dict, fields: Iterable[str] | None = None) -> list[str]:
    """Give a matched register row the file's values where they differ from its own, for
    `fields` (default: all of `values`); returns the fields changed."""
    diff = [f for f in (values if fields is None else fields) if getattr(obj, f) != values[f]]
    for f in diff:
        setattr(obj, f, values[f])
    return diff


def summary(counts: dict[str, Counter], labels: dict[str, str]) -> dict:
    """label -> {"new": n, "changed": n, ...} without the noughts, in the order of `labels`
    (key in `counts` -> label), for the tables with anything counted."""
    return {
        label: {k: v for k, v in counts[name].items() if v}
        for name, label in labels.items()
        if name in counts and any(counts[name].values())
    }
