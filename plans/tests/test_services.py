"""Import commit (all or nothing), RAG changes with history, progress, access, reminders, summary."""

import datetime as dt
from io import BytesIO

import pytest
from django.utils import timezone
from openpyxl import Workbook

from accounts.models import Role, Scope
from accounts.tests.factories import UserFactory
from audit.models import Action as AuditAction
from audit.models import AuditEvent
from plans import selectors, services
from plans.models import Action, Plan, PlanImport, ProgressNote, RagChange
from plans.rag import RED

from .factories import ActionFactory, LeadFactory, MilestoneFactory, PlanFactory, RoleFactory

pytestmark = pytest.mark.django_db


def xlsx(rows):
    book = Workbook()
    for row in rows:
        book.active.append(row)
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def run_for(rows, user=None, targets=None, title="Imported plan"):
    from plans.importer import guess_mapping, read_sheet

    content = xlsx(rows)
    sheet = read_sheet(content)
    mapping = targets or guess_mapping(sheet.headers)
    return PlanImport.objects.create(
        filename="plan.xlsx",
        content=content,
        title=title,
        theme_label="Area",
        mapping={"targets": {str(k): v for k, v in mapping.items()}},
        created_by=user,
    )


def test_commit_creates_the_plan_with_leads_matched_to_users_and_imported_rag_history():
    owner = UserFactory(role=Role.BOARD_MANAGER)
    lead = UserFactory(username="ann.lee", first_name="Ann", last_name="Lee")
    run = run_for(
        [
            ["Ref", "Action Summary", "Milestones", "Lead & Completion Date", "Current Status (RAG)"],
            ["Area 1: Leadership"],
            ["1.1", "Do it", "Draft – Mar 2013\nFinal – Jun 2013", "Ann Lee\nJuly 2013", "Green"],
            ["1.2", "Do more", "", "Someone else", "Awaiting guidance"],
        ],
        owner,
    )
    plan = services.commit_import(run, owner)
    assert plan.columns == ["ref", "summary", "milestones", "lead_and_end_date", "rag"]
    assert plan.labels["rag"] == "Current Status (RAG)"
    a = plan.actions.get(ref="1.1")
    assert [(m.text, m.due_date) for m in a.milestones.all()] == [
        ("Draft", dt.date(2013, 3, 31)),
        ("Final", dt.date(2013, 6, 30)),
    ]
    assert a.end_date == dt.date(2013, 7, 31) and a.rag == "green"
    assert a.leads.get().user == lead
    assert RagChange.objects.get(action=a).kind == RagChange.Kind.IMPORTED
    b = plan.actions.get(ref="1.2")
    assert b.leads.get().user is None
    assert b.notes.get().text == "Awaiting guidance"
    assert selectors.is_owner(owner, plan)
    assert AuditEvent.objects.filter(action=AuditAction.CREATE, object_type="plans.Plan").exists()
    assert PlanImport.objects.get(pk=run.pk).status == PlanImport.Status.COMMITTED


def test_a_failed_import_changes_nothing():
    run = run_for([["Ref", "Action", "End date"], ["1", "Fine", ""], ["1", "Duplicate", ""]])
    with pytest.raises(services.ImportFailed) as caught:
        services.commit_import(run)
    assert "Row 3, column A (Ref): reference 1 is used twice" in str(caught.value)
    assert not Plan.objects.exists() and not Action.objects.exists()
    assert PlanImport.objects.get(pk=run.pk).status == PlanImport.Status.FAILED


def test_a_failure_while_saving_rolls_everything_back(monkeypatch):
    run = run_for([["Ref", "Action", "End date"], ["1", "Fine", ""], ["2", "Also fine", ""]])

    def boom(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(services.Milestone.objects, "bulk_create", boom)
    with pytest.raises(RuntimeError):
        services.commit_import(run)
    assert not Plan.objects.exists() and not Action.objects.exists()


def test_confirm_and_override_keep_who_when_why_and_the_proposal():
    lead = UserFactory()
    action = ActionFactory(end_date=timezone.localdate() - dt.timedelta(days=1))
    LeadFactory(action=action, user=lead)
    proposal = selectors.proposal(action)
    assert proposal.rag == RED
    services.set_rag(action, "red", "", lead)
    first = RagChange.objects.get()
    assert (first.kind, first.reason, first.proposed, first.by) == ("confirmed", proposal.reason, "red", lead)
    with pytest.raises(ValueError):
        services.set_rag(action, "green", "  ", lead)
    services.set_rag(action, "amber", "Extension agreed by the board", lead)
    action.refresh_from_db()
    assert (action.rag, action.rag_reason, action.rag_by) == ("amber", "Extension agreed by the board", lead)
    last = RagChange.objects.first()
    assert (last.previous, last.rag, last.kind) == ("red", "amber", "overridden")
    assert AuditEvent.objects.filter(action=AuditAction.CHANGE, detail__contains="red -> amber").exists()


def test_update_progress_note_milestone_and_rag_in_one_step():
    lead = UserFactory()
    action = ActionFactory()
    m = MilestoneFactory(action=action, due_date=timezone.localdate() + dt.timedelta(days=5))
    assert selectors.proposal(action).rag == "amber"  # due soon, no note ever
    services.update_progress(action, lead, note="Draft circulated", done_milestones=[m.pk], rag="green", reason="")
    m.refresh_from_db()
    action.refresh_from_db()
    assert m.done_on == timezone.localdate()
    assert ProgressNote.objects.get(action=action).author == lead
    assert action.rag == "green"
    assert RagChange.objects.get().kind == "confirmed"  # with the note written, green is the proposal


def test_rag_at_answers_what_the_board_saw_then():
    action = ActionFactory()
    user = UserFactory()
    march = timezone.make_aware(dt.datetime(2025, 3, 10, 12))
    april = timezone.make_aware(dt.datetime(2025, 4, 10, 12))
    RagChange.objects.create(action=action, rag="amber", kind="overridden", reason="slipping", at=march, by=user)
    RagChange.objects.create(action=action, rag="green", kind="overridden", reason="caught up", at=april, by=user)
    plan = action.plan
    assert selectors.rag_at(plan, services.as_of(dt.date(2025, 3, 1))) == {action.pk: ""}
    assert selectors.rag_at(plan, services.as_of(dt.date(2025, 3, 31))) == {action.pk: "amber"}
    assert selectors.rag_at(plan, services.as_of(dt.date(2025, 4, 30))) == {action.pk: "green"}


def test_who_sees_and_edits_a_plan():
    plan = PlanFactory()
    action = ActionFactory(theme__plan=plan)
    owner, viewer, lead, stranger = UserFactory(), UserFactory(), UserFactory(), UserFactory()
    director = UserFactory(role=Role.DIRECTOR, scope=Scope.COUNCIL)
    RoleFactory(plan=plan, user=owner)
    RoleFactory(plan=plan, user=viewer, kind="viewer")
    LeadFactory(action=action, user=lead)
    assert {u.pk for u in (owner, viewer, lead, director)} == {
        u.pk for u in (owner, viewer, lead, director) if selectors.can_view(u, plan)
    }
    assert not selectors.can_view(stranger, plan)
    assert selectors.can_update(owner, action) and selectors.can_update(lead, action)
    assert not selectors.can_update(viewer, action) and not selectors.can_update(director, action)


def test_reminders_show_due_and_overdue_actions_of_the_lead_only():
    lead = UserFactory()
    today = timezone.localdate()
    overdue = ActionFactory(end_date=today - dt.timedelta(days=2))
    soon = ActionFactory(end_date=today + dt.timedelta(days=60))
    MilestoneFactory(action=soon, due_date=today + dt.timedelta(days=14))
    later = ActionFactory(end_date=today + dt.timedelta(days=60))
    done = ActionFactory(end_date=today - dt.timedelta(days=2), complete=True)
    for a in (overdue, soon, later, done):
        LeadFactory(action=a, user=lead)
    ActionFactory(end_date=today - dt.timedelta(days=2))  # someone else's
    found = selectors.reminders_for(lead)
    assert [r.action for r in found["overdue"]] == [overdue]
    assert [r.action for r in found["due"]] == [soon]
    assert found["due"][0].next_due == today + dt.timedelta(days=14)


def test_summary_counts_changes_since_the_last_report_overdue_and_stale():
    plan = PlanFactory()
    user = UserFactory()
    a = ActionFactory(theme__plan=plan, end_date=timezone.localdate() - dt.timedelta(days=1))
    b = ActionFactory(theme=a.theme)
    ProgressNote.objects.create(action=b, text="On track", written_on=timezone.localdate())
    services.set_rag(a, "red", "", user)
    services.report_produced(plan, "xlsx", user)
    s = selectors.summary(plan)
    assert s.changed == [] and s.totals["red"] == 1 and s.totals["none"] == 1
    services.set_rag(b, "green", "", user)
    s = selectors.summary(plan)
    assert [c.action for c in s.changed] == [b]
    assert [r.action for r in s.overdue] == [a]
    assert [r.action for r in s.stale] == [a]
    assert s.by_theme[0][1]["green"] == 1
