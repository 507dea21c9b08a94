"""The pages: import with mapping and preview, access, updates, evidence, reports, demo plans, digest."""

import datetime as dt
import re
from io import BytesIO

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from accounts.models import Role, Scope
from accounts.tests.factories import UserFactory
from audit.models import Action as AuditAction
from audit.models import AuditEvent
from plans import models
from plans.models import Action, Evidence, Plan, PlanImport, RagChange

from .factories import ActionFactory, LeadFactory, MilestoneFactory, PlanFactory, RoleFactory, ThemeFactory

pytestmark = pytest.mark.django_db


def xlsx(rows):
    book = Workbook()
    for row in rows:
        book.active.append(row)
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


SOUTHWARK = [
    ["Recommendation", "Action", "Progress", "Timetable End date", "RAG", "Key points to note"],
    [
        "1. Ensure prompt decisions",
        "Formal review of CIN at 12 months",
        "April Bald\nElaine Allegretti",
        "April 2018",
        "",
        "- workflow",
    ],
    [None, "Audit programme", "April Bald", "Ongoing", "Amber", ""],
]


def upload(client, rows, title="Post-Ofsted plan"):
    f = SimpleUploadedFile("plan.xlsx", xlsx(rows))
    return client.post("/plans/import/", {"file": f, "title": title, "theme_label": "Recommendation"})


def test_import_through_the_pages_mapping_preview_commit(client):
    user = UserFactory(role=Role.HEAD_OF_SERVICE, scope=Scope.SERVICE)
    client.force_login(user)
    response = upload(client, SOUTHWARK)
    run = PlanImport.objects.get()
    assert response.status_code == 302 and response.url == f"/plans/import/{run.pk}/mapping/"
    page = client.get(response.url)
    assert b"Formal review of CIN" in page.content  # the first rows are shown beside each column
    assert page.context["form"]["col_2"].initial == "progress"  # the guess; the user corrects it
    response = client.post(
        f"/plans/import/{run.pk}/mapping/",
        {
            "col_0": "theme",
            "col_1": "summary",
            "col_2": "leads",
            "col_3": "end_date",
            "col_4": "rag",
            "col_5": "progress",
            "label_0": "Recommendation",
            "label_1": "Action",
            "label_2": "Progress",
            "label_3": "Timetable End date",
            "label_4": "RAG",
            "label_5": "Key points to note",
        },
    )
    assert response.url == f"/plans/import/{run.pk}/preview/"
    preview = client.get(response.url)
    assert b"Row 3, column D (Timetable End date): &#x27;Ongoing&#x27; is not a date" in preview.content
    assert not Plan.objects.exists()  # nothing saved by the preview
    response = client.post(f"/plans/import/{run.pk}/preview/")
    plan = Plan.objects.get(title="Post-Ofsted plan")
    assert response.url == f"/plans/{plan.pk}/"
    assert plan.columns == ["theme", "summary", "leads", "end_date", "rag", "progress"]
    assert [lead.name for lead in plan.actions.get(ref="1.1").leads.all()] == ["April Bald", "Elaine Allegretti"]
    assert plan.actions.get(ref="1.2").rag == "amber"


def test_a_preview_with_errors_cannot_be_committed(client):
    client.force_login(UserFactory(role=Role.DIRECTOR, scope=Scope.COUNCIL))
    upload(client, [["Ref", "Action", "End date"], ["1", "A", "31/02/2018"], ["2", "", "x"]])
    run = PlanImport.objects.get()
    page = client.get(f"/plans/import/{run.pk}/preview/")
    assert b"Row 2, column C (End date): &#x27;31/02/2018&#x27; is not a real date" in page.content
    assert b"Row 3, column B (Action): the action is empty" in page.content
    client.post(f"/plans/import/{run.pk}/preview/")
    assert not Plan.objects.exists() and not Action.objects.exists()


def test_social_workers_cannot_import_and_a_stranger_cannot_see_a_plan(client):
    plan = PlanFactory()
    action = ActionFactory(theme__plan=plan)
    client.force_login(UserFactory(role=Role.SOCIAL_WORKER))
    assert client.get("/plans/import/").status_code == 403
    assert client.get(f"/plans/{plan.pk}/").status_code == 403
    assert client.get(f"/plans/actions/{action.pk}/").status_code == 403
    assert client.post(f"/plans/actions/{action.pk}/update/", {"rag": "green", "reason": "x"}).status_code == 403
    assert AuditEvent.objects.filter(action=AuditAction.FORBIDDEN, object_type="plans.Plan").count() == 3
    assert not RagChange.objects.exists()


def test_a_viewer_reads_but_cannot_update(client):
    viewer = UserFactory()
    action = ActionFactory()
    RoleFactory(plan=action.plan, user=viewer, kind="viewer")
    client.force_login(viewer)
    page = client.get(f"/plans/actions/{action.pk}/")
    assert page.status_code == 200 and b"Update progress and RAG" not in page.content
    assert client.get(f"/plans/actions/{action.pk}/update/").status_code == 403


def test_lead_updates_progress_with_a_reason_for_an_override(client):
    lead = UserFactory()
    action = ActionFactory(end_date=timezone.localdate() - dt.timedelta(days=3))
    LeadFactory(action=action, user=lead)
    client.force_login(lead)
    url = f"/plans/actions/{action.pk}/update/"
    page = client.post(url, {"note": "Report drafted", "rag": "amber", "reason": ""})
    assert b"Give a reason for choosing a different status" in page.content
    assert not RagChange.objects.exists() and not action.notes.exists()  # nothing half-saved
    client.post(url, {"note": "Report drafted", "rag": "amber", "reason": "Board agreed a new date"})
    change = RagChange.objects.get()
    assert (change.rag, change.proposed, change.kind, change.by) == ("amber", "red", "overridden", lead)
    page = client.get(f"/plans/actions/{action.pk}/")
    assert b"Board agreed a new date" in page.content and b"Report drafted" in page.content


def test_evidence_indicator_shows_its_latest_value_and_files_are_served_to_those_who_may_see(
    client, settings, tmp_path
):
    from indicators import selectors as indicator_selectors

    settings.MEDIA_ROOT = tmp_path
    indicator_selectors.clear_cache()  # the facts cache outlives a rolled-back test
    lead = UserFactory(role=Role.HEAD_OF_SERVICE, scope=Scope.COUNCIL)
    action = ActionFactory()
    LeadFactory(action=action, user=lead)
    client.force_login(lead)
    client.post(f"/plans/actions/{action.pk}/evidence/", {"kind": "indicator", "indicator": "N14"})
    client.post(
        f"/plans/actions/{action.pk}/evidence/",
        {
            "kind": "audit",
            "title": "Thematic audit of neglect",
            "dated": "2025-02-01",
            "outcome": "Requires improvement",
        },
    )
    f = SimpleUploadedFile("minutes.txt", b"board minutes")
    client.post(f"/plans/actions/{action.pk}/evidence/", {"kind": "document", "title": "Board minutes", "file": f})
    assert Evidence.objects.count() == 3
    page = client.get(f"/plans/actions/{action.pk}/")
    text = page.content.decode()
    assert "Assessments completed within 45 working days" in text and "year to date" in text
    assert "Requires improvement" in text and "Board minutes" in text
    doc = Evidence.objects.get(kind="document")
    assert b"".join(client.get(f"/plans/evidence/{doc.pk}/file").streaming_content) == b"board minutes"
    client.force_login(UserFactory())
    assert client.get(f"/plans/evidence/{doc.pk}/file").status_code == 403
    indicator_selectors.clear_cache()


def test_board_report_excel_in_the_plans_columns_with_rag_colours_and_the_summary(client):
    owner = UserFactory()
    a = ActionFactory(theme__title="Leadership", end_date=dt.date(2013, 7, 31), end_text="July 2013")
    plan = a.plan
    RoleFactory(plan=plan, user=owner)
    LeadFactory(action=a, name="Business Manager")
    MilestoneFactory(action=a, text="Draft", due_date=dt.date(2013, 5, 31), due_text="May 2013")
    client.force_login(owner)
    client.post(f"/plans/actions/{a.pk}/update/", {"note": "Late", "rag": "red", "reason": ""})
    response = client.get(f"/plans/{plan.pk}/report.xlsx")
    book = load_workbook(BytesIO(response.content))
    sheet = book["Plan"]
    headers = [c.value for c in sheet[1]]
    assert headers == [
        "Ref",
        "Action Summary",
        "Outcomes sought",
        "Milestones",
        "Lead & Completion Date",
        "Current Status (RAG)",
        "Key points to note",
    ]
    row = [c.value for c in sheet[3]]
    assert row[3] == "Draft – May 2013" and row[4] == "Business Manager\nJuly 2013" and row[5] == "Red"
    assert sheet.cell(3, 6).fill.fgColor.rgb.endswith("E06666")
    summary = "\n".join(str(c.value) for r in book["Summary"].iter_rows() for c in r if c.value)
    assert "RAG changes since the plan began" in summary and "Actions overdue" in summary
    assert models.BoardReport.objects.filter(plan=plan, fmt="xlsx").exists()
    assert AuditEvent.objects.filter(action=AuditAction.EXPORT, object_type="plans.Plan").exists()
    pdf = client.get(f"/plans/{plan.pk}/report.pdf")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")


def test_history_page_shows_the_plan_on_a_date(client):
    director = UserFactory(role=Role.DIRECTOR, scope=Scope.COUNCIL)
    a = ActionFactory()
    RagChange.objects.create(
        action=a, rag="amber", kind="overridden", reason="x", at=timezone.make_aware(dt.datetime(2025, 3, 3, 9))
    )
    client.force_login(director)
    page = client.get(f"/plans/{a.plan.pk}/history/?on=2025-03-31")
    assert page.context["snapshot_counts"]["amber"] == 1
    page = client.get(f"/plans/{a.plan.pk}/history/?on=2025-03-01")
    assert page.context["snapshot_counts"]["none"] == 1


def test_home_page_lists_the_leads_actions_due_and_overdue(client):
    lead = UserFactory(role=Role.SOCIAL_WORKER)
    overdue = ActionFactory(summary="Publish the annual report", end_date=timezone.localdate() - dt.timedelta(days=1))
    LeadFactory(action=overdue, user=lead)
    client.force_login(lead)
    page = client.get("/")
    assert b"Your improvement plan actions" in page.content and b"Publish the annual report" in page.content


def test_thresholds_are_set_by_senior_roles(client):
    client.force_login(UserFactory(role=Role.SOCIAL_WORKER))
    assert client.get("/plans/thresholds/").status_code == 403
    client.force_login(UserFactory(role=Role.ADMINISTRATOR))
    client.post("/plans/thresholds/", {"amber_due_days": 7, "stale_note_days": 20})
    from plans.selectors import thresholds

    assert (thresholds().amber_due_days, thresholds().stale_note_days) == (7, 20)


def test_load_demo_plans_imports_the_three_seeds_and_a_second_run_changes_nothing():
    UserFactory(username="director", role=Role.DIRECTOR, scope=Scope.COUNCIL)
    UserFactory(username="board.manager", role=Role.BOARD_MANAGER)
    call_command("load_demo_plans", stdout=open("/dev/null", "w"))
    plans = {p.source: p for p in Plan.objects.all()}
    assert len(plans) == 3
    bcp = plans["002-bcp-15-point-action-plan.xlsx"]
    bscb = plans["003-bscb-business-plan-2013-14.xlsx"]
    southwark = plans["004-southwark-post-ofsted-action-plan.xlsx"]
    # Each is brought into the present (plans/demo_current.py): whole years, every action rated.
    moved = {p: int(re.search(r"moved forward (\d+) years", p.description).group(1)) for p in plans.values()}
    today = timezone.localdate()
    y = moved[bscb]
    assert bscb.title == f"Bromley Safeguarding Children Board business plan {2013 + y}-{(14 + y) % 100:02d}"
    assert southwark.title == f"Southwark post-Ofsted action plan October {2017 + moved[southwark]}"
    assert not Action.objects.filter(rag="").exists()
    assert southwark.title.endswith(f"October {today.year}")  # no dates at all: the title's year becomes this one
    for plan in (bcp, bscb):
        ends = list(plan.actions.values_list("end_date", flat=True))
        ends += [plan.end_date]
        ends += models.Milestone.objects.filter(action__plan=plan).values_list("due_date", flat=True)
        last = max(d for d in ends if d)
        assert today + dt.timedelta(days=60) <= last < today + dt.timedelta(days=60 + 366 * 2)
    assert (bcp.themes.count(), bcp.actions.count(), bcp.measures.count()) == (15, 45, 4)
    assert (bscb.themes.count(), bscb.actions.count()) == (5, 36)
    assert (southwark.themes.count(), southwark.actions.count()) == (11, 18)
    a = bscb.actions.get(ref="1.3")
    assert a.end_date == dt.date(2013 + y, 7, 31) and a.milestones.count() == 3
    assert a.leads.get().user.username == "board.manager"
    assert bscb.actions.get(ref="3.2").ref == "3.2"
    assert southwark.actions.get(ref="10.1").end_text == "Phase 2 of Catch 22 programme"
    assert list(southwark.actions.get(ref="6.1").leads.values_list("name", flat=True)) == [
        "Elaine Allegretti",
        "Andrew Fowler",
        "Gillian Banford",
        "Helen Woolgar",
    ]
    assert southwark.columns[:3] == ["theme", "summary", "leads"] and southwark.labels["leads"] == "Progress"
    counted = [
        m.objects.count()
        for m in (
            Plan,
            Action,
            models.Milestone,
            models.ActionLead,
            models.ProgressNote,
            models.Evidence,
            models.PlanMeasure,
            models.PlanRole,
            RagChange,
        )
    ]
    events = AuditEvent.objects.count()
    call_command("load_demo_plans", stdout=open("/dev/null", "w"))
    assert counted == [
        m.objects.count()
        for m in (
            Plan,
            Action,
            models.Milestone,
            models.ActionLead,
            models.ProgressNote,
            models.Evidence,
            models.PlanMeasure,
            models.PlanRole,
            RagChange,
        )
    ]
    assert AuditEvent.objects.count() == events


def test_weekly_digest_emails_each_lead_their_actions():
    lead = UserFactory(email="lead@example.org")
    quiet = UserFactory(email="quiet@example.org")
    nomail = UserFactory(email="")
    a = ActionFactory(summary="Review the protocol", end_date=timezone.localdate() - dt.timedelta(days=1))
    LeadFactory(action=a, user=lead)
    LeadFactory(action=ActionFactory(end_date=timezone.localdate() + dt.timedelta(days=200)), user=quiet)
    LeadFactory(action=ActionFactory(end_date=timezone.localdate() - dt.timedelta(days=1)), user=nomail)
    call_command("send_plan_digest", stdout=open("/dev/null", "w"))
    assert [m.to for m in mail.outbox] == [["lead@example.org"]]
    assert "Review the protocol" in mail.outbox[0].body and "Overdue" in mail.outbox[0].body


def _pdf_pages(data: bytes) -> list[str]:
    """The text drawn on each page of a ReportLab PDF (one content stream a page, in order)."""
    import base64
    import re
    import zlib

    pages = []
    for stream in re.findall(rb"stream\r?\n(.*?)endstream", data, re.S):
        raw = stream.strip()
        try:
            if raw.endswith(b"~>"):
                raw = base64.a85decode(raw[:-2])
            raw = zlib.decompress(raw)
        except (ValueError, zlib.error):
            pass
        text = raw.decode("latin-1")
        if " Tj" in text or "TJ" in text:
            pages.append(" ".join(re.findall(r"\((.*?)\) Tj", text)))
    return pages


def test_the_pdf_summary_is_one_page_however_many_actions_are_overdue(client):
    owner = UserFactory()
    first = ActionFactory(end_date=dt.date(2013, 7, 31))
    plan = first.plan
    RoleFactory(plan=plan, user=owner)
    for n in range(30):  # 31 overdue actions without a note, in 16 themes
        ActionFactory(plan=plan, theme=ThemeFactory(plan=plan) if n % 2 else first.theme, end_date=dt.date(2013, 7, 31))
    client.force_login(owner)
    pages = _pdf_pages(client.get(f"/plans/{plan.pk}/report.pdf").content)
    assert len(pages) >= 2
    summary, rest = pages[0], " ".join(pages[1:])
    assert "Actions overdue" in summary and "Actions without a progress note" in summary
    assert "and 23 more" in summary  # 31 overdue, 8 shown
    assert "Actions overdue" not in rest and "more: every one" not in rest
