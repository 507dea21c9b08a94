"""Demonstration plans brought into the present: hand-worked dates, done milestones and RAG ratings."""

import datetime as dt

import pytest

from plans.demo_current import add_years, bring_forward, shift_text, years_to_bring_forward
from plans.models import Action, Milestone, RagChange

from .factories import ActionFactory, LeadFactory, MilestoneFactory, PlanFactory, ThemeFactory

TODAY = dt.date(2026, 12, 5)


def test_add_years_keeps_the_day_and_moves_29_february_to_the_28th():
    assert add_years(dt.date(2013, 7, 31), 14) == dt.date(2027, 7, 31)
    assert add_years(dt.date(2024, 2, 29), 1) == dt.date(2025, 2, 28)
    assert add_years(dt.date(2024, 2, 29), 4) == dt.date(2028, 2, 29)
    assert add_years(None, 3) is None


@pytest.mark.parametrize(
    ("text", "years", "moved"),
    [
        ("March 2014", 13, "March 2027"),
        (
            "Bromley Safeguarding Children Board business plan 2013-14",
            13,
            "Bromley Safeguarding Children Board business plan 2026-27",
        ),
        ("plan 2020/21", 6, "plan 2026/27"),
        ("2019-20 and April 2020", 1, "2020-21 and April 2021"),
        ("Phase 2 of Catch 22 programme", 9, "Phase 2 of Catch 22 programme"),
        ("2099-00", 0, "2099-00"),
    ],
)
def test_shift_text_moves_the_years_of_a_date_wording(text, years, moved):
    assert shift_text(text, years) == moved


@pytest.mark.django_db
def test_a_plan_is_moved_forward_until_its_last_date_is_at_least_60_days_ahead():
    plan = PlanFactory()
    ActionFactory(theme=ThemeFactory(plan=plan), end_date=dt.date(2013, 7, 31))
    # 31 July 2026 is before 3 February 2027 (today + 60 days); 31 July 2027 is not.
    assert years_to_bring_forward(plan, TODAY) == 14
    ActionFactory(theme=ThemeFactory(plan=plan), end_date=dt.date(2014, 3, 31))
    assert years_to_bring_forward(plan, TODAY) == 13  # 31 March 2027 is the first after 3 February 2027


@pytest.mark.django_db
def test_bring_forward_marks_past_milestones_done_but_one_in_five_and_rates_every_action():
    plan = PlanFactory(title="Business plan 2013-14")
    theme = ThemeFactory(plan=plan)
    # Moved 13 years: the action ends 31 March 2027; its milestones fall due before and after today.
    action = ActionFactory(theme=theme, order=1, end_date=dt.date(2014, 3, 31), end_text="March 2014")
    lead = LeadFactory(action=action, user=None)
    due = [dt.date(2013, 5, 1), dt.date(2013, 6, 1), dt.date(2013, 7, 1), dt.date(2013, 9, 1), dt.date(2014, 1, 10)]
    for order, day in enumerate(due):
        MilestoneFactory(action=action, order=order, due_date=day, due_text=day.strftime("%B %Y"))
    finished = ActionFactory(theme=theme, order=0, end_date=dt.date(2013, 6, 30))
    MilestoneFactory(action=finished, order=0, due_date=dt.date(2013, 6, 1))

    assert bring_forward(plan, seed="003", today=TODAY) == 13

    plan.refresh_from_db()
    assert plan.title == "Business plan 2026-27"
    assert "seed 003 (Business plan 2013-14)" in plan.description and "13 years" in plan.description
    milestones = list(Milestone.objects.filter(action=action).order_by("order"))
    assert [m.due_date for m in milestones] == [
        dt.date(2026, 5, 1),
        dt.date(2026, 6, 1),
        dt.date(2026, 7, 1),
        dt.date(2026, 9, 1),
        dt.date(2027, 1, 10),
    ]
    assert milestones[0].due_text == "May 2026"
    # Orders 0-3 are past; order 3 is the one in five left undone (action order 1 + 3 = 4); order 4 is to come.
    assert [m.done_on for m in milestones] == [
        dt.date(2026, 5, 1),
        dt.date(2026, 6, 1),
        dt.date(2026, 7, 1),
        None,
        None,
    ]
    action.refresh_from_db()
    assert (action.end_date, action.end_text, action.complete) == (dt.date(2027, 3, 31), "March 2027", False)
    # Overdue milestone today: red. A quarter ago (5 September 2026) that milestone was already 4 days late.
    assert action.rag == "red" and "was due on" in action.rag_reason
    history = list(RagChange.objects.filter(action=action).order_by("at"))
    assert [(c.at.date(), c.rag, c.kind) for c in history] == [
        (dt.date(2026, 9, 5), "red", RagChange.Kind.CONFIRMED),
        (TODAY, "red", RagChange.Kind.CONFIRMED),
    ]
    assert history[1].previous == "red" and lead.user is None

    finished.refresh_from_db()
    # Ended 30 June 2026 with its milestone done: complete (blue) now, and a quarter ago.
    assert (finished.complete, finished.completed_on, finished.rag) == (True, dt.date(2026, 6, 30), "blue")


@pytest.mark.django_db
def test_an_action_whose_only_milestone_is_ahead_is_green_and_one_due_soon_without_a_note_is_amber():
    plan = PlanFactory()
    theme = ThemeFactory(plan=plan)
    green = ActionFactory(theme=theme, order=0, end_date=dt.date(2014, 3, 31))  # the plan's last date
    MilestoneFactory(action=green, order=0, due_date=dt.date(2014, 2, 1))
    amber = ActionFactory(theme=theme, order=1, end_date=dt.date(2014, 3, 31))
    MilestoneFactory(action=amber, order=0, due_date=dt.date(2013, 12, 12))  # 12 December 2026: within 14 days

    bring_forward(plan, seed="003", today=TODAY)

    assert Action.objects.get(pk=green.pk).rag == "green"
    assert Action.objects.get(pk=amber.pk).rag == "amber"


@pytest.mark.django_db
def test_a_plan_without_dates_is_moved_so_that_the_year_its_title_names_is_this_year():
    plan = PlanFactory(title="Post-Ofsted action plan October 2017")
    ActionFactory(theme=ThemeFactory(plan=plan), end_date=None)
    assert years_to_bring_forward(plan, TODAY) == 9
    bring_forward(plan, seed="004", today=TODAY)
    plan.refresh_from_db()
    assert plan.title == "Post-Ofsted action plan October 2026"
    assert Action.objects.get(plan=plan).rag == "green"


@pytest.mark.django_db
def test_a_rating_from_the_plans_own_rag_column_stands_as_todays():
    plan = PlanFactory()
    action = ActionFactory(theme=ThemeFactory(plan=plan), end_date=dt.date(2014, 3, 31), rag="amber")
    imported = RagChange.objects.create(
        action=action,
        rag="amber",
        kind=RagChange.Kind.IMPORTED,
        reason="Imported from x.xlsx, row 4",
        at=dt.datetime(2020, 1, 1, tzinfo=dt.UTC),
    )
    bring_forward(plan, seed="004", today=TODAY)
    action.refresh_from_db()
    assert (action.rag, action.rag_reason) == ("amber", "Imported from x.xlsx, row 4")
    history = list(RagChange.objects.filter(action=action).order_by("at"))
    assert [(c.at.date(), c.rag, c.kind, c.previous) for c in history] == [
        (dt.date(2026, 9, 5), "green", RagChange.Kind.CONFIRMED, ""),
        (TODAY, "amber", RagChange.Kind.IMPORTED, "green"),
    ]
    assert history[1].pk == imported.pk
