"""The board report: the plan as an Excel workbook and as a PDF, in the plan's own
columns (the seeds' layout) with RAG colours, after a one-page summary: counts by
RAG by theme, what changed since the last report, actions overdue, and actions
without a progress note in the stale-note window."""

from __future__ import annotations

import datetime as dt
from io import BytesIO
from typing import Any

from django.http import HttpResponse
from django.utils import timezone
from django.utils.text import slugify
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from exports.writer import workbook, xlsx_bytes

from . import selectors
from .models import FIELDS, RAG_ORDER, Action, Plan, Rag

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
RAG_FILL = {"red": "E06666", "amber": "F6B26B", "green": "93C47D", "blue": "6FA8DC"}
RAG_LABEL = {"red": "Red", "amber": "Amber", "green": "Green", "blue": "Blue", "": "Not rated"}
WIDTH = {"ref": 8, "rag": 12, "end_date": 14, "theme": 40, "leads": 24, "lead_and_end_date": 26}
BOLD = Font(bold=True)
WRAP = Alignment(wrap_text=True, vertical="top")
FIELD_LABELS = {**FIELDS, "theme": "Theme", "lead_and_end_date": "Lead & completion date"}


def _d(day: dt.date | None) -> str:
    return f"{day.day} {day:%b %Y}" if day else ""


def _when(moment: dt.datetime | None) -> str:
    if moment is None:
        return ""
    local = timezone.localtime(moment)
    return f"{local.day} {local:%b %Y %H:%M}"


def columns(plan: Plan) -> list[str]:
    cols = [c for c in (plan.columns or []) if c in FIELD_LABELS] or [
        "ref",
        "summary",
        "outcomes",
        "milestones",
        "leads",
        "end_date",
        "progress",
        "rag",
    ]
    if "progress" not in cols:
        cols.append("progress")
    if "rag" not in cols:
        cols.append("rag")
    return cols


def label(plan: Plan, key: str) -> str:
    if key == "theme":
        return (plan.labels or {}).get("theme") or plan.theme_label
    return (plan.labels or {}).get(key) or FIELD_LABELS[key]


def end_text(a: Action) -> str:
    return a.end_text or _d(a.end_date)


def cell_text(a: Action, key: str, theme_first: bool = False) -> str:
    if key == "theme":
        return str(a.theme) if theme_first else ""
    if key in ("ref", "summary", "outcomes", "evidence_base", "future_ambition"):
        return getattr(a, key)
    if key == "milestones":
        lines = []
        for m in a.milestones.all():
            when = m.due_text or _d(m.due_date)
            done = f" (done {_d(m.done_on)})" if m.done_on else ""
            lines.append(f"{m.text} – {when}{done}" if when else f"{m.text}{done}")
        return "\n".join(lines)
    if key == "leads":
        return "\n".join(lead.name for lead in a.leads.all())
    if key == "end_date":
        return end_text(a)
    if key == "lead_and_end_date":
        return "\n".join([*(lead.name for lead in a.leads.all()), end_text(a)]).strip()
    if key == "progress":
        return "\n".join(f"{_d(n.written_on)}: {n.text}" if not n.imported else n.text for n in list(a.notes.all())[:3])
    if key == "rag":
        return RAG_LABEL.get(a.rag, "Not rated") + (" (complete)" if a.complete and a.rag != Rag.BLUE else "")
    return ""


def _cut(text: str, n: int = 110) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 3] + "..."


def summary_lines(s: selectors.Summary) -> dict[str, list[list[str]]]:
    limits = selectors.thresholds()
    return {
        "changed": [
            [
                c.action.ref,
                RAG_LABEL.get(c.previous, "Not rated"),
                RAG_LABEL.get(c.rag, "Not rated"),
                str(c.by or ""),
                _when(c.at),
                c.reason,
            ]
            for c in s.changed
        ],
        "notes": [[n.action.ref, str(n.author or ""), _when(n.written_at), n.text] for n in s.new_notes],
        "overdue": [[r.action.ref, _cut(r.action.summary), end_text(r.action), r.proposal.reason] for r in s.overdue],
        "stale": [
            [r.action.ref, _cut(r.action.summary), _d(r.last_note.written_on) if r.last_note else "none"]
            for r in s.stale
        ],
        "stale_days": [[str(limits.stale_note_days)]],
    }


def since_text(s: selectors.Summary) -> str:
    return f"since the last report ({_when(s.since)})" if s.since else "since the plan began (no earlier report)"


# --- Excel -----------------------------------------------------------------------


def plan_xlsx(plan: Plan, s: selectors.Summary) -> bytes:
    book = workbook()
    ws = book.active
    ws.title = "Summary"
    lines = summary_lines(s)
    ws.append([plan.title])
    ws["A1"].font = Font(bold=True, size=14)
    ws.append([f"Board report produced {_when(timezone.now())}; figures at {_d(s.day)}"])
    ws.append([])
    ws.append(["RAG by " + plan.theme_label.lower(), *[RAG_LABEL[r] for r in RAG_ORDER], "Not rated", "Total"])
    head = ws.max_row
    for i, r in enumerate(RAG_ORDER, start=2):
        ws.cell(head, i).fill = PatternFill("solid", fgColor=RAG_FILL[r])
    for c in ws[head]:
        c.font = BOLD
    for theme, c in s.by_theme:
        ws.append([str(theme), *[c[r] for r in RAG_ORDER], c["none"], sum(c.values())])
    ws.append(["All", *[s.totals[r] for r in RAG_ORDER], s.totals["none"], sum(s.totals.values())])
    for c in ws[ws.max_row]:
        c.font = BOLD

    def block(title: str, header: list[str], rows: list[list[str]]) -> None:
        ws.append([])
        ws.append([title])
        ws.cell(ws.max_row, 1).font = Font(bold=True, size=12)
        if not rows:
            ws.append(["None."])
            return
        ws.append(header)
        for c in ws[ws.max_row]:
            c.font = BOLD
        for row in rows:
            ws.append(row)

    block(f"RAG changes {since_text(s)}", ["Ref", "From", "To", "By", "When", "Why"], lines["changed"])
    block(f"Progress notes {since_text(s)}", ["Ref", "By", "When", "Note"], lines["notes"])
    block("Actions overdue", ["Ref", "Action", "End date", "Why"], lines["overdue"])
    block(
        f"Actions without a progress note in {lines['stale_days'][0][0]} days",
        ["Ref", "Action", "Last note"],
        lines["stale"],
    )
    ws.column_dimensions["A"].width = 50
    for col in "BCDEFG":
        ws.column_dimensions[col].width = 16
    for row in ws.iter_rows():
        for c in row:
            c.alignment = WRAP

    sheet = book.create_sheet("Plan")
    cols = columns(plan)
    sheet.append([label(plan, c) for c in cols])
    for c in sheet[1]:
        c.font = BOLD
    theme_col = "theme" in cols
    actions = list(selectors.actions_with_detail(plan.actions.all()))
    for theme in plan.themes.all():
        mine = [a for a in actions if a.theme_id == theme.pk]
        if not theme_col:
            sheet.append([f"{plan.theme_label} {theme}" if theme.number else str(theme)])
            r = sheet.max_row
            sheet.cell(r, 1).font = BOLD
            sheet.merge_cells(start_row=r, start_column=1, end_row=r, end_column=len(cols))
            if theme.description:
                sheet.append([theme.description])
                sheet.merge_cells(start_row=sheet.max_row, start_column=1, end_row=sheet.max_row, end_column=len(cols))
        for i, a in enumerate(mine):
            sheet.append([cell_text(a, c, theme_first=(i == 0)) for c in cols])
            if a.rag:
                sheet.cell(sheet.max_row, cols.index("rag") + 1).fill = PatternFill("solid", fgColor=RAG_FILL[a.rag])
    for i, c in enumerate(cols, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = WIDTH.get(c, 45)
    for row in sheet.iter_rows(min_row=2):
        for c in row:
            c.alignment = WRAP
    sheet.freeze_panes = "A2"

    hist = book.create_sheet("RAG history")
    hist.append(["Ref", "When", "From", "To", "Proposed", "Kind", "By", "Why"])
    for c in hist[1]:
        c.font = BOLD
    for c in selectors.changes(plan).order_by("at", "pk"):
        hist.append(
            [
                c.action.ref,
                _when(c.at),
                RAG_LABEL.get(c.previous, "Not rated"),
                RAG_LABEL.get(c.rag, "Not rated"),
                RAG_LABEL.get(c.proposed, "") if c.proposed else "",
                c.get_kind_display(),
                str(c.by or ""),
                c.reason,
            ]
        )
    return xlsx_bytes(book)


# --- PDF ---------------------------------------------------------------------------


SUMMARY_ROWS = 8  # rows of each list on the PDF's one-page summary


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\n", "<br/>")


def plan_pdf(plan: Plan, s: selectors.Summary) -> bytes:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.lib.units import mm
    from reportlab.platypus import KeepInFrame, PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    styles = getSampleStyleSheet()
    small = styles["BodyText"].clone("small", fontSize=7.5, leading=9)
    bold = styles["BodyText"].clone("smallbold", fontSize=7.5, leading=9, fontName="Helvetica-Bold")
    grid = [("GRID", (0, 0), (-1, -1), 0.25, colors.grey), ("VALIGN", (0, 0), (-1, -1), "TOP")]
    lines = summary_lines(s)

    def table(header: list[str], rows: list[list[str]], widths: list[float]) -> Any:
        data = [[Paragraph(_esc(h), bold) for h in header]] + [[Paragraph(_esc(v), small) for v in r] for r in rows]
        t = Table(data, colWidths=widths, repeatRows=1)
        t.setStyle(TableStyle(grid))
        return t

    story: list[Any] = [
        Paragraph(_esc(plan.title), styles["Title"]),
        Paragraph(f"Board report produced {_when(timezone.now())}; figures at {_d(s.day)}.", small),
        Spacer(1, 3 * mm),
        Paragraph(f"RAG by {plan.theme_label.lower()}", styles["Heading3"]),
    ]
    header = [plan.theme_label, *[RAG_LABEL[r] for r in RAG_ORDER], "Not rated", "Total"]
    rows = [[str(t), *[str(c[r]) for r in RAG_ORDER], str(c["none"]), str(sum(c.values()))] for t, c in s.by_theme]
    rows.append(["All", *[str(s.totals[r]) for r in RAG_ORDER], str(s.totals["none"]), str(sum(s.totals.values()))])
    counts = table(header, rows, [150 * mm] + [18 * mm] * 6)
    counts.setStyle(
        TableStyle(
            [("BACKGROUND", (i, 0), (i, 0), colors.HexColor("#" + RAG_FILL[r])) for i, r in enumerate(RAG_ORDER, 1)]
        )
    )
    story.append(counts)
    for title, head, key, widths in (
        (
            f"RAG changes {since_text(s)}",
            ["Ref", "From", "To", "By", "When", "Why"],
            "changed",
            [14 * mm, 18 * mm, 18 * mm, 35 * mm, 30 * mm, 153 * mm],
        ),
        (
            f"Progress notes {since_text(s)}",
            ["Ref", "By", "When", "Note"],
            "notes",
            [14 * mm, 35 * mm, 30 * mm, 189 * mm],
        ),
        ("Actions overdue", ["Ref", "Action", "End date", "Why"], "overdue", [14 * mm, 120 * mm, 30 * mm, 104 * mm]),
        (
            f"Actions without a progress note in {lines['stale_days'][0][0]} days",
            ["Ref", "Action", "Last note"],
            "stale",
            [14 * mm, 224 * mm, 30 * mm],
        ),
    ):
        rows = lines[key]
        story.append(Paragraph(_esc(title), styles["Heading3"]))
        story.append(table(head, rows[:SUMMARY_ROWS], widths) if rows else Paragraph("None.", small))
        if len(rows) > SUMMARY_ROWS:
            more = len(rows) - SUMMARY_ROWS
            story.append(Paragraph(f"... and {more} more: every one is in the Excel report's Summary sheet.", small))
    # The summary is one page: lists are cut to SUMMARY_ROWS and what is left is
    # shrunk to fit the page (a plan with many themes gets smaller print, not a second page).
    summary = KeepInFrame(273 * mm, 180 * mm, story, mode="shrink")
    story = [summary, PageBreak()]

    cols = columns(plan)
    weights = [WIDTH.get(c, 45) for c in cols]
    total = 273 * mm
    widths = [total * w / sum(weights) for w in weights]
    data: list[list[Any]] = [[Paragraph(_esc(label(plan, c)), bold) for c in cols]]
    style = list(grid) + [("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#DDDDDD"))]
    theme_col = "theme" in cols
    actions = list(selectors.actions_with_detail(plan.actions.all()))
    rag_at = cols.index("rag")
    for theme in plan.themes.all():
        mine = [a for a in actions if a.theme_id == theme.pk]
        if not theme_col:
            heading = f"{plan.theme_label} {theme}" if theme.number else str(theme)
            data.append([Paragraph(f"<b>{_esc(heading)}</b>", small)] + [""] * (len(cols) - 1))
            r = len(data) - 1
            style += [("SPAN", (0, r), (-1, r)), ("BACKGROUND", (0, r), (-1, r), colors.HexColor("#F3F2F1"))]
        for i, a in enumerate(mine):
            data.append([Paragraph(_esc(cell_text(a, c, theme_first=(i == 0))), small) for c in cols])
            if a.rag:
                r = len(data) - 1
                style.append(("BACKGROUND", (rag_at, r), (rag_at, r), colors.HexColor("#" + RAG_FILL[a.rag])))
    t = Table(data, colWidths=widths, repeatRows=1)
    t.setStyle(TableStyle(style))
    story.append(t)
    buffer = BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=landscape(A4),
        title=plan.title,
        leftMargin=12 * mm,
        rightMargin=12 * mm,
        topMargin=12 * mm,
        bottomMargin=12 * mm,
    )
    doc.build(story)
    return buffer.getvalue()


def response(data: bytes, fmt: str, plan: Plan) -> HttpResponse:
    kind = XLSX if fmt == "xlsx" else "application/pdf"
    resp = HttpResponse(data, content_type=kind)
    name = f"{slugify(plan.title)[:60] or 'plan'}-board-report-{timezone.localdate().isoformat()}.{fmt}"
    resp["Content-Disposition"] = f'attachment; filename="{name}"'
    return resp
