"""Excel and PDF: the seed's figures and the quarterly board pack."""

from __future__ import annotations

import datetime as dt
from io import BytesIO
from typing import Any

from django.http import HttpResponse
from openpyxl.chart import LineChart, Reference
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from exports.writer import Workbook, download, workbook, xlsx_bytes

from . import engine, periods, selectors
from .facts import Facts
from .library import LIBRARY, Indicator
from .periods import Period
from .tables import target_text

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
RAG_FILL = {"red": "F4CCCC", "amber": "FFE599", "green": "B6D7A8"}
BOLD = Font(bold=True)


def _response(data: bytes, content_type: str, filename: str) -> HttpResponse:
    return download(data, content_type, filename)


def _save(book: Workbook) -> bytes:
    return xlsx_bytes(book)


def figure_xlsx(number: str, fy: int, context: dict[str, Any]) -> HttpResponse:
    book = workbook()
    sheet = book.active
    sheet.title = f"Figure {number}"
    sheet.append([f"Figure {number} – {context['title']}"])
    sheet["A1"].font = Font(bold=True, size=13)
    if number == "12":
        fig = context["fig12"]
        sheet.append(
            [
                "Initial Category of Concern",
                f"Full Year {periods.fy_label(fy)}" if fig["period"].kind == "year" else fig["period"].label,
                None,
                *sum(([c, None] for c in fig["comparators"]), []),
            ]
        )
        sheet.append([None, "No.", "%", *(["No", "%"] * len(fig["comparators"]))])
        for row in fig["rows"]:
            cells = [row.label, row.number, _number(row.percent)]
            cells += sum(([_number(n), _number(p)] for n, p in row.benchmarks), [])
            sheet.append(cells)
        sheet.append(["Total", fig["total"], None, *sum(([_number(t), None] for t in fig["bench_totals"]), [])])
        sheet.append(["Rate per 10,000", round(fig["rate"], 2) if fig["rate"] is not None else "-"])
        for col in range(2, 4 + 2 * len(fig["comparators"]), 2):
            sheet.merge_cells(start_row=2, start_column=col, end_row=2, end_column=col + 1)
    else:
        label, last = periods.fy_label(fy), periods.fy_label(fy - 1)
        sheet.append(["Type", label, *[None] * 11, "YTD Figure", "Target", f"{last} data"])
        sheet.append([None, *sum(([f"Quarter {q}", None, None] for q in range(1, 5)), [])])
        sheet.append([None, *periods.MONTHS])
        sheet.merge_cells(start_row=2, start_column=2, end_row=2, end_column=13)
        for q in range(4):
            sheet.merge_cells(start_row=3, start_column=2 + 3 * q, end_row=3, end_column=4 + 3 * q)
        for row in context["rows"]:
            sheet.append([row.type, row.ind.name])
            sheet.cell(sheet.max_row, 2).font = BOLD
            sheet.merge_cells(start_row=sheet.max_row, start_column=2, end_row=sheet.max_row, end_column=16)
            sheet.append(
                [None, *[_figure_cell(row.ind, c) for c in row.months], _figure_cell(row.ind, row.ytd)]
                + [row.target, _figure_cell(row.ind, row.previous_year)]
            )
            for col in range(2, 17):
                cell = sheet.cell(sheet.max_row, col)
                cell.alignment = Alignment(horizontal="right", wrap_text=True)
                if isinstance(cell.value, float):
                    cell.number_format = "0.0"
                elif isinstance(cell.value, int):
                    cell.number_format = "#,##0"
    for r in sheet.iter_rows(min_row=2, max_row=4):
        for c in r:
            c.font = BOLD
            c.alignment = Alignment(horizontal="center", wrap_text=True)
    sheet.column_dimensions["A"].width = 30 if number == "12" else 8
    for col in range(2, 18):
        sheet.column_dimensions[get_column_letter(col)].width = 11
    return _response(_save(book), XLSX, f"figure-{number}-{periods.fy_label(fy)}.xlsx")


def _figure_cell(ind: Indicator, cell: Any) -> Any:
    """A number where the seed prints a number (counts, rates, averages); the seed's
    "n (x%)" text for percentages shown with their count; blank for months to come."""
    v = cell.value
    if v is None or cell.period is None:
        return cell.text or None
    if ind.measure == "count":
        return v.numerator
    if ind.measure == "percent" and ind.show_count:
        return cell.text
    return None if v.value is None else round(v.value, 1)


def _number(text: str) -> Any:
    """'3,080' -> 3080, '37%' -> 37 (a percentage, as the seed prints it), '-' stays."""
    raw = text.replace(",", "").rstrip("%")
    try:
        return int(raw)
    except ValueError:
        return text


# --- board pack -------------------------------------------------------------------


def pack_rows(f: Facts, month: Period, quarter: int) -> list[dict[str, Any]]:
    board = selectors.board(f, month)
    pops = engine.population_table()
    months = periods.months_of_year(month.fy)
    out = []
    for row in board:
        monthly = [engine.council_value(f, row.ind, p, pops) for p in months[: selectors.month_index(month)]]
        c = selectors.commentary_for(row.ind.code, month.fy, quarter)
        out.append(
            {
                "row": row,
                "monthly": monthly,
                "tells": c.data_tells_us if c else "",
                "doing": c.doing_about_it if c else "",
            }
        )
    return out


def _num(v: engine.Value) -> float | None:
    return None if v.value is None else round(v.value, 1)


def board_pack_xlsx(f: Facts, month: Period, quarter: int) -> HttpResponse:
    rows = pack_rows(f, month, quarter)
    book = workbook()
    summary = book.active
    summary.title = "Board pack"
    label = pack_period(month, quarter)[0]  # "Q3 2024-25 (provisional)" while the quarter runs
    summary.append([f"Quarterly performance dataset, {label} (to {month.end:%-d %b %Y})"])
    summary["A1"].font = Font(bold=True, size=13)
    headers = [
        "Code",
        "Indicator",
        "Unit",
        "Year to date",
        "As shown",
        "Target",
        "RAG",
        "Same period last year",
        "On last month",
        "On last year",
        "What the data tells us",
        "What we are doing about it",
        "Theme",
        "Benchmark",
        "Exception",
    ]
    summary.append(headers)
    for c in summary[2]:
        c.font = BOLD
    for item in rows:
        r = item["row"]
        summary.append(
            [
                r.ind.code,
                r.ind.name,
                r.ind.unit,
                _num(r.ytd),
                r.ytd.display(r.ind),
                float(r.target) if r.target is not None else None,
                r.rag.capitalize(),
                _num(r.last_year_ytd),
                r.vs_previous,
                r.vs_last_year,
                item["tells"],
                item["doing"],
                r.theme.title,
                selectors.benchmark_label(r.benchmark),
                _why(r),
            ]
        )
        if r.rag:
            summary.cell(summary.max_row, 7).fill = PatternFill("solid", fgColor=RAG_FILL[r.rag])
    for col, width in zip("ABCDEFGHIJKLMNO", (16, 48, 10, 12, 14, 9, 8, 14, 12, 12, 50, 50, 24, 28, 36), strict=True):
        summary.column_dimensions[col].width = width
    data = book.create_sheet("Monthly")
    months = periods.months_of_year(month.fy)[: selectors.month_index(month)]
    data.append(["Code", "Indicator", *[p.label for p in months], "Target"])
    for item in rows:
        r = item["row"]
        data.append(
            [
                r.ind.code,
                r.ind.name,
                *[_num(v) for v in item["monthly"]],
                float(r.target) if r.target is not None else None,
            ]
        )
    charts = book.create_sheet("Charts")
    n = len(months)
    for i, item in enumerate(rows):
        chart = LineChart()
        chart.title = f"{item['row'].ind.code}: {item['row'].ind.name}"[:80]
        chart.height, chart.width = 6, 14
        chart.add_data(Reference(data, min_col=3, max_col=2 + n, min_row=i + 2), from_rows=True, titles_from_data=False)
        chart.set_categories(Reference(data, min_col=3, max_col=2 + n, min_row=1))
        chart.legend = None
        charts.add_chart(chart, f"{'A' if i % 2 == 0 else 'J'}{1 + (i // 2) * 13}")
    return _response(_save(book), XLSX, f"board-pack-{periods.fy_label(month.fy)}-q{quarter}.xlsx")


def board_pack_pdf(f: Facts, month: Period, quarter: int, user: Any = None) -> HttpResponse:
    return _response(
        board_pack_pdf_bytes(f, month, quarter, user),
        "application/pdf",
        f"board-pack-{periods.fy_label(month.fy)}-q{quarter}.pdf",
    )


def pack_period(month: Period, quarter: int) -> tuple[str, str]:
    """The pack's title and its period sentence: a quarter that has ended, or one still running (provisional, to
    the last complete month)."""
    q = periods.quarter(month.fy, quarter)
    title = f"Q{quarter} {periods.fy_label(month.fy)}"
    span = f"{q.start:%-d %B} to {q.end:%-d %B %Y}"
    if month.end < q.end:
        return f"{title} (provisional)", (
            f"Quarter {quarter} {periods.fy_label(month.fy)} runs {span}; it has not ended. "
            f"These figures are provisional: they run to {month.end:%-d %B %Y}, the last complete month."
        )
    return title, f"Quarter {quarter} {periods.fy_label(month.fy)}: {span}. Year-to-date figures from 1 April."


def _why(row: selectors.BoardRow) -> str:
    reasons = (["red against target"] if row.rag == "red" else []) + (
        ["worse than the benchmark"] if row.worse_than_benchmark else []
    )
    return "; ".join(reasons).capitalize()


def board_pack_pdf_bytes(f: Facts, month: Period, quarter: int, user: Any = None) -> bytes:
    """The exceptions and the period on the first page; each theme's indicators with target, benchmark, RAG and
    trend, and the commentary written for them (nothing where none was); then timescales and drift, plans, audits
    and the exploitation tracker (indicators.pack), for the requesting user's scope."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.lib.units import mm
    from reportlab.platypus import KeepTogether, PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    from . import pack

    rows = pack_rows(f, month, quarter)
    styles = getSampleStyleSheet()
    small = styles["BodyText"].clone("small", fontSize=8, leading=10)
    title, period_text = pack_period(month, quarter)
    imported = selectors.last_import()
    grid = [
        ("FONT", (0, 0), (-1, 0), "Helvetica-Bold", 8),
        ("FONT", (0, 1), (-1, -1), "Helvetica", 7.5),
        ("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#f3f2f1")),
    ]
    story: list[Any] = [
        Paragraph(f"Performance board pack, {title}", styles["Title"]),
        Paragraph(period_text, styles["BodyText"]),
        Paragraph(
            f"Produced {dt.date.today():%-d %B %Y}. "
            + (
                f"Data last imported {imported.committed_at:%-d %B %Y} ({imported.get_kind_display()})."
                if imported
                else "No return has been imported: the figures count the records entered in Line of Sight."
            )
            + " RAG is judged against target on the year to date; an exception is red against target or worse "
            "than the latest published benchmark (England, else statistical neighbours, else region).",
            styles["BodyText"],
        ),
        Spacer(1, 3 * mm),
        Paragraph("Exceptions", styles["Heading2"]),
    ]
    exceptions = [item["row"] for item in rows if item["row"].exception]
    if exceptions:
        table = [["Theme", "Indicator", "Year to date", "Target", "Benchmark", "Why"]]
        for r in exceptions:
            table.append(
                [
                    Paragraph(r.theme.title, small),
                    Paragraph(r.ind.name, small),
                    r.ytd.display(r.ind),
                    target_text(r.ind, r.target),
                    Paragraph(selectors.benchmark_label(r.benchmark) or "-", small),
                    Paragraph(_why(r), small),
                ]
            )
        t = Table(table, colWidths=[40 * mm, 90 * mm, 26 * mm, 20 * mm, 50 * mm, 45 * mm], repeatRows=1)
        t.setStyle(TableStyle(grid))
        story.append(t)
    else:
        story.append(Paragraph("No indicator is red against its target or worse than its benchmark.", small))
    story.append(PageBreak())
    by_code = {item["row"].ind.code: item for item in rows}
    for theme, theme_rows in selectors.by_theme([item["row"] for item in rows]):
        story.append(Paragraph(theme.title, styles["Heading2"]))
        table = [
            ["Indicator", "Year to date", "Target", "Benchmark", "RAG", "Same period last year", "On last year"]
            + [f"12 months to {month.label}"]
        ]
        style = list(grid)
        for i, r in enumerate(theme_rows, start=1):
            table.append(
                [
                    Paragraph(f"{r.ind.name} <font color='#505a5f'>({r.ind.unit})</font>", small),
                    r.ytd.display(r.ind),
                    target_text(r.ind, r.target),
                    Paragraph(selectors.benchmark_label(r.benchmark) or "-", small),
                    r.rag.capitalize() or "-",
                    r.last_year_ytd.display(r.ind),
                    r.vs_last_year or "-",
                    _trend_drawing(r, month),
                ]
            )
            if r.rag:
                style.append(("BACKGROUND", (4, i), (4, i), colors.HexColor("#" + RAG_FILL[r.rag])))
        widths = [82 * mm, 24 * mm, 16 * mm, 44 * mm, 13 * mm, 26 * mm, 22 * mm, 44 * mm]
        t = Table(table, colWidths=widths, repeatRows=1)
        t.setStyle(TableStyle(style))
        story.append(t)
        for r in theme_rows:
            item = by_code[r.ind.code]
            if not (item["tells"] or item["doing"]):
                continue  # nothing written: nothing printed
            block = [Paragraph(r.ind.name, styles["Heading4"])]
            if item["tells"]:
                block.append(Paragraph(f"<b>What the data tells us:</b> {_escape(item['tells'])}", small))
            if item["doing"]:
                block.append(Paragraph(f"<b>What we are doing about it:</b> {_escape(item['doing'])}", small))
            story.append(KeepTogether(block))
        story.append(Spacer(1, 4 * mm))
    story.append(PageBreak())
    for section in pack.sections(user, periods.quarter(month.fy, quarter), month.end) if user else []:
        part: list[Any] = [Paragraph(section.title, styles["Heading2"])]
        part += [Paragraph(_escape(line), small) for line in section.lines]
        if section.table:
            cells = [section.table[0]] + [[Paragraph(_escape(c), small) for c in row] for row in section.table[1:]]
            t = Table(cells, repeatRows=1, hAlign="LEFT")
            t.setStyle(TableStyle(grid))
            part += [Spacer(1, 2 * mm), t]
        story += [KeepTogether(part[:3]), *part[3:], Spacer(1, 5 * mm)]
    story += [PageBreak(), Paragraph("Definitions", styles["Heading2"])]
    for item in rows:
        ind = item["row"].ind
        story.append(Paragraph(f"<b>{_escape(ind.name)}</b> ({_escape(ind.unit)}): {_escape(ind.definition)}", small))
    buffer = BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=landscape(A4),
        title=f"Board pack {title}",
        leftMargin=12 * mm,
        rightMargin=12 * mm,
        topMargin=12 * mm,
        bottomMargin=12 * mm,
    )
    doc.build(story)
    return buffer.getvalue()


def _trend_drawing(row: selectors.BoardRow, month: Period) -> Any:
    """The 12 months as a small line, its lowest and highest values labelled with the indicator's unit (the y axis),
    the first and last months under it (the x axis)."""
    from reportlab.graphics.shapes import Drawing, PolyLine, String
    from reportlab.lib import colors
    from reportlab.lib.units import mm

    values = [v.value for v in row.trend]
    known = [v for v in values if v is not None]
    drawing = Drawing(42 * mm, 12 * mm)
    if not known:
        drawing.add(String(0, 12, "-", fontSize=6))
        return drawing
    lo, hi = min(known), max(known)
    span = (hi - lo) or 1.0
    left, width, bottom, height = 16 * mm, 25 * mm, 3 * mm, 8 * mm
    points: list[float] = []
    for i, v in enumerate(values):
        if v is not None:
            points += [left + width * i / max(len(values) - 1, 1), bottom + height * (v - lo) / span]
    drawing.add(PolyLine(points, strokeColor=colors.HexColor("#1d70b8"), strokeWidth=1.2))
    unit = "%" if row.ind.unit == "%" else f" {row.ind.unit}"
    drawing.add(String(left - 1, bottom + height - 2, f"{hi:,.0f}{unit}", fontSize=5, textAnchor="end"))
    drawing.add(String(left - 1, bottom, f"{lo:,.0f}{unit}", fontSize=5, textAnchor="end"))
    back = month.end.year * 12 + month.end.month - 1 - 11  # the first of the 12 months
    drawing.add(String(left, 0, f"{dt.date(back // 12, back % 12 + 1, 1):%b %y}", fontSize=5))
    drawing.add(String(left + width, 0, f"{month.end:%b %y}", fontSize=5, textAnchor="end"))
    return drawing


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\n", "<br/>")


def drill_xlsx(ind: Indicator, period: Period, listed: list[Any]) -> HttpResponse:
    book = workbook(write_only=True)
    sheet = book.create_sheet(ind.code[:31])
    sheet.append(["LA child ID", "Date counted", "In numerator", "Value", "Team now", "Worker now"])
    for row, child in listed:
        sheet.append([child.la_child_id, row.day, row.num, row.value, str(child.team or ""), str(child.worker or "")])
    return _response(_save(book), XLSX, f"{ind.code}-{period.start}-{period.end}.xlsx")


__all__ = ["LIBRARY", "board_pack_pdf", "board_pack_xlsx", "drill_xlsx", "figure_xlsx"]
