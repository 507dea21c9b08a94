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
    label = f"Q{quarter} {periods.fy_label(month.fy)}"
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
            ]
        )
        if r.rag:
            summary.cell(summary.max_row, 7).fill = PatternFill("solid", fgColor=RAG_FILL[r.rag])
    for col, width in zip("ABCDEFGHIJKL", (16, 48, 10, 12, 14, 9, 8, 14, 12, 12, 50, 50), strict=True):
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


def board_pack_pdf(f: Facts, month: Period, quarter: int) -> HttpResponse:
    return _response(
        board_pack_pdf_bytes(f, month, quarter),
        "application/pdf",
        f"board-pack-{periods.fy_label(month.fy)}-q{quarter}.pdf",
    )


def board_pack_pdf_bytes(f: Facts, month: Period, quarter: int) -> bytes:
    from reportlab.graphics.charts.lineplots import LinePlot
    from reportlab.graphics.shapes import Drawing, Line, String
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.lib.units import mm
    from reportlab.platypus import KeepTogether, PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    rows = pack_rows(f, month, quarter)
    styles = getSampleStyleSheet()
    small = styles["BodyText"].clone("small", fontSize=8, leading=10)
    label = f"Q{quarter} {periods.fy_label(month.fy)}"
    story: list[Any] = [
        Paragraph(f"Quarterly performance dataset, {label}", styles["Title"]),
        Paragraph(
            f"Figures to {month.end:%-d %B %Y}, produced {dt.date.today():%-d %B %Y}. "
            "RAG against target on the year to date.",
            styles["BodyText"],
        ),
        Spacer(1, 4 * mm),
    ]
    table = [["Code", "Indicator", "Year to date", "Target", "RAG", "Last year", "On last month", "On last year"]]
    style = [
        ("FONT", (0, 0), (-1, 0), "Helvetica-Bold", 8),
        ("FONT", (0, 1), (-1, -1), "Helvetica", 7.5),
        ("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ]
    for i, item in enumerate(rows, start=1):
        r = item["row"]
        table.append(
            [
                r.ind.code,
                Paragraph(r.ind.name, small),
                r.ytd.display(r.ind),
                target_text(r.ind, r.target),
                r.rag.capitalize() or "-",
                r.last_year_ytd.display(r.ind),
                r.vs_previous or "-",
                r.vs_last_year or "-",
            ]
        )
        if r.rag:
            style.append(("BACKGROUND", (4, i), (4, i), colors.HexColor("#" + RAG_FILL[r.rag])))
    t = Table(table, colWidths=[32 * mm, 89 * mm, 26 * mm, 16 * mm, 14 * mm, 26 * mm, 24 * mm, 24 * mm], repeatRows=1)
    t.setStyle(TableStyle(style))
    story += [t, PageBreak()]
    for item in rows:
        r = item["row"]
        values = [v.value for v in item["monthly"]]
        drawing = Drawing(120 * mm, 45 * mm)
        points = [(i, v) for i, v in enumerate(values) if v is not None]
        if points:
            plot = LinePlot()
            plot.x, plot.y, plot.width, plot.height = 12 * mm, 8 * mm, 100 * mm, 32 * mm
            plot.data = [points]
            plot.lines[0].strokeColor = colors.HexColor("#1d70b8")
            plot.lines[0].strokeWidth = 2
            plot.xValueAxis.valueMin, plot.xValueAxis.valueMax = 0, 11
            plot.xValueAxis.valueSteps = list(range(12))
            plot.xValueAxis.labelTextFormat = lambda i: periods.MONTHS[int(i)]  # noqa: B023
            plot.xValueAxis.labels.fontSize = 6
            plot.yValueAxis.labels.fontSize = 6
            top = max([v for _, v in points] + ([float(r.target)] if r.target is not None else []))
            plot.yValueAxis.valueMin, plot.yValueAxis.valueMax = 0, (top * 1.15) or 1
            drawing.add(plot)
            if r.target is not None:
                y = plot.y + plot.height * float(r.target) / plot.yValueAxis.valueMax
                drawing.add(Line(plot.x, y, plot.x + plot.width, y, strokeColor=colors.red, strokeDashArray=[3, 2]))
                drawing.add(String(plot.x + plot.width + 2, y - 2, "target", fontSize=6, fillColor=colors.red))
        block = [
            Paragraph(f"{r.ind.code} – {r.ind.name}", styles["Heading3"]),
            Paragraph(r.ind.definition, small),
            Paragraph(
                f"Year to date: <b>{r.ytd.display(r.ind)}</b>; target: {target_text(r.ind, r.target)}; "
                f"RAG: <b>{r.rag or '-'}</b>; same period last year: {r.last_year_ytd.display(r.ind)}; "
                f"on last month: {r.vs_previous or '-'}; on last year: {r.vs_last_year or '-'}.",
                small,
            ),
            drawing,
            Paragraph(f"<b>What the data tells us:</b> {_escape(item['tells']) or 'no commentary yet'}", small),
            Paragraph(f"<b>What we are doing about it:</b> {_escape(item['doing']) or 'no commentary yet'}", small),
            Spacer(1, 4 * mm),
        ]
        story.append(KeepTogether(block))
    buffer = BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=landscape(A4),
        title=f"Board pack {label}",
        leftMargin=12 * mm,
        rightMargin=12 * mm,
        topMargin=12 * mm,
        bottomMargin=12 * mm,
    )
    doc.build(story)
    return buffer.getvalue()


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
