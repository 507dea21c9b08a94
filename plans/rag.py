"""Proposing an action's RAG from its milestones, end date and progress notes.

Plain functions on plain values, so that each rule has a hand-worked test
(plans/tests/test_rag.py). In order, the first rule that applies wins:

1. blue: the action is complete (even if its end date has passed);
2. red: the end date has passed (before today) and the action is open;
3. red: a milestone not done was due before today;
4. amber: a milestone not done (or the end date) is due between today and
   `amber_due_days` days from today, both inclusive, and no progress note was
   written in the last `stale_note_days` days (a note exactly that many days
   old still counts as recent);
5. green: on track.

A milestone due today is not overdue: it is "due within 14 days". A person
confirms the proposal or overrides it with a reason (services.set_rag)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

RED, AMBER, GREEN, BLUE = "red", "amber", "green", "blue"


@dataclass(frozen=True)
class Thresholds:
    amber_due_days: int = 14
    stale_note_days: int = 30


@dataclass(frozen=True)
class MilestoneDue:
    text: str
    due: dt.date | None
    done: bool = False


@dataclass(frozen=True)
class Proposal:
    rag: str
    reason: str


def _d(day: dt.date) -> str:
    return f"{day.day} {day:%b %Y}"


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= 80 else text[:77] + "..."


def note_is_recent(last_note: dt.date | None, today: dt.date, thresholds: Thresholds) -> bool:
    """A note written on or after (today - stale_note_days) is recent."""
    return last_note is not None and last_note >= today - dt.timedelta(days=thresholds.stale_note_days)


def overdue_milestones(milestones: Iterable[MilestoneDue], today: dt.date) -> list[MilestoneDue]:
    return sorted(
        (m for m in milestones if not m.done and m.due is not None and m.due < today),
        key=lambda m: m.due or dt.date.max,
    )


def due_soon(milestones: Iterable[MilestoneDue], today: dt.date, thresholds: Thresholds) -> list[MilestoneDue]:
    horizon = today + dt.timedelta(days=thresholds.amber_due_days)
    return sorted(
        (m for m in milestones if not m.done and m.due is not None and today <= m.due <= horizon),
        key=lambda m: m.due or dt.date.max,
    )


def propose(
    *,
    today: dt.date,
    complete: bool,
    end_date: dt.date | None,
    milestones: Iterable[MilestoneDue] = (),
    last_note: dt.date | None = None,
    thresholds: Thresholds = Thresholds(),
) -> Proposal:
    milestones = list(milestones)
    if complete:
        return Proposal(BLUE, "The action is complete.")
    if end_date is not None and end_date < today:
        return Proposal(RED, f"The end date ({_d(end_date)}) has passed and the action is still open.")
    late = overdue_milestones(milestones, today)
    if late:
        first = late[0]
        more = f" (and {len(late) - 1} more)" if len(late) > 1 else ""
        return Proposal(RED, f"Milestone '{_short(first.text)}' was due on {_d(first.due)}{more} and is not done.")  # type: ignore[arg-type]
    soon = due_soon(milestones, today, thresholds)
    if end_date is not None and today <= end_date <= today + dt.timedelta(days=thresholds.amber_due_days):
        soon.append(MilestoneDue("the end date", end_date))
    if soon and not note_is_recent(last_note, today, thresholds):
        first = soon[0]
        what = "The end date" if first.text == "the end date" else f"Milestone '{_short(first.text)}'"
        since = f"the last was on {_d(last_note)}" if last_note else "none yet"
        return Proposal(
            AMBER,
            f"{what} is due on {_d(first.due)} (within {thresholds.amber_due_days} days) "  # type: ignore[arg-type]
            f"and there has been no progress note in {thresholds.stale_note_days} days ({since}).",
        )
    if not milestones and end_date is None:
        return Proposal(GREEN, "On track: the action has no milestone or end date that is due.")
    return Proposal(GREEN, "On track: no milestone or end date is overdue.")


def is_overdue(*, today: dt.date, complete: bool, end_date: dt.date | None, milestones: Iterable[MilestoneDue]) -> bool:
    if complete:
        return False
    return (end_date is not None and end_date < today) or bool(overdue_milestones(milestones, today))
