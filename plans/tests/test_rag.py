"""The RAG proposal rules on hand-worked cases (plans/rag.py). Today is Wednesday 15 May 2024."""

import datetime as dt

from plans.rag import AMBER, BLUE, GREEN, RED, MilestoneDue, Thresholds, propose

TODAY = dt.date(2024, 5, 15)


def days(n: int) -> dt.date:
    return TODAY + dt.timedelta(days=n)


def test_complete_is_blue_even_when_the_end_date_has_passed():
    p = propose(today=TODAY, complete=True, end_date=days(-100), milestones=[MilestoneDue("late", days(-50))])
    assert p.rag == BLUE


def test_end_date_passed_with_the_action_open_is_red():
    p = propose(today=TODAY, complete=False, end_date=days(-1), last_note=TODAY)
    assert p.rag == RED
    assert "14 May 2024" in p.reason


def test_end_date_today_is_not_passed():
    p = propose(today=TODAY, complete=False, end_date=TODAY, last_note=TODAY)
    assert p.rag == GREEN


def test_overdue_milestone_is_red_even_with_a_recent_note():
    p = propose(
        today=TODAY,
        complete=False,
        end_date=days(60),
        milestones=[MilestoneDue("Draft report", days(-1)), MilestoneDue("Board", days(30))],
        last_note=TODAY,
    )
    assert p.rag == RED
    assert "Draft report" in p.reason and "14 May 2024" in p.reason


def test_a_milestone_done_is_never_overdue():
    p = propose(today=TODAY, complete=False, end_date=None, milestones=[MilestoneDue("Done", days(-10), done=True)])
    assert p.rag == GREEN


def test_milestone_due_today_with_no_note_is_amber_not_red():
    p = propose(today=TODAY, complete=False, end_date=None, milestones=[MilestoneDue("Today", TODAY)])
    assert p.rag == AMBER


def test_milestone_due_in_exactly_14_days_with_no_recent_note_is_amber():
    p = propose(
        today=TODAY, complete=False, end_date=None, milestones=[MilestoneDue("M", days(14))], last_note=days(-31)
    )
    assert p.rag == AMBER
    assert "29 May 2024" in p.reason and "14 Apr 2024" in p.reason


def test_milestone_due_in_15_days_is_green():
    p = propose(today=TODAY, complete=False, end_date=None, milestones=[MilestoneDue("M", days(15))])
    assert p.rag == GREEN


def test_note_exactly_30_days_old_still_counts_as_recent():
    p = propose(
        today=TODAY, complete=False, end_date=None, milestones=[MilestoneDue("M", days(3))], last_note=days(-30)
    )
    assert p.rag == GREEN


def test_note_31_days_old_is_stale():
    p = propose(
        today=TODAY, complete=False, end_date=None, milestones=[MilestoneDue("M", days(3))], last_note=days(-31)
    )
    assert p.rag == AMBER


def test_end_date_within_the_window_counts_like_a_milestone():
    p = propose(today=TODAY, complete=False, end_date=days(10), last_note=None)
    assert p.rag == AMBER
    assert p.reason.startswith("The end date")


def test_thresholds_a_council_sets():
    limits = Thresholds(amber_due_days=7, stale_note_days=10)
    ms = [MilestoneDue("M", days(8))]
    assert propose(today=TODAY, complete=False, end_date=None, milestones=ms, thresholds=limits).rag == GREEN
    ms = [MilestoneDue("M", days(7))]
    assert propose(today=TODAY, complete=False, end_date=None, milestones=ms, thresholds=limits).rag == AMBER
    recent = propose(today=TODAY, complete=False, end_date=None, milestones=ms, last_note=days(-10), thresholds=limits)
    assert recent.rag == GREEN


def test_nothing_to_judge_by_is_green_and_says_so():
    p = propose(today=TODAY, complete=False, end_date=None)
    assert p.rag == GREEN
    assert "no milestone or end date" in p.reason
