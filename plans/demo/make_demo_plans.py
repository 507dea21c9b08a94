"""Write the three demonstration plans as Excel workbooks, in the seeds' own columns.

    .venv/bin/python -m plans.demo.make_demo_plans

The data is transcribed from the seeds (seed_002.py, seed_003.py, seed_004.py); the
workbooks are what `manage.py load_demo_plans` imports through the same mapping,
preview and commit steps a user takes. Re-running writes byte-identical files."""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from io import BytesIO
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from . import seed_002, seed_003, seed_004

HERE = Path(__file__).resolve().parent
FILES = {
    "002-bcp-15-point-action-plan.xlsx": (seed_002, "Action plan"),
    "003-bscb-business-plan-2013-14.xlsx": (seed_003, "Business plan"),
    "004-southwark-post-ofsted-action-plan.xlsx": (seed_004, "Appendix 1"),
}
FIXED = dt.datetime(2026, 1, 1)


def workbook_bytes(rows: list[list[str]], sheet: str) -> bytes:
    book = Workbook()
    ws = book.active
    ws.title = sheet
    header_at = next(i for i, r in enumerate(rows, start=1) if len(r) >= 3)
    for row in rows:
        ws.append(row)
    wrap = Alignment(wrap_text=True, vertical="top")
    for row in ws.iter_rows():
        for c in row:
            c.alignment = wrap
    for c in ws[header_at]:
        c.font = Font(bold=True)
    for r in range(header_at + 1, ws.max_row + 1):
        if ws.cell(r, 1).value and all(ws.cell(r, k).value in (None, "") for k in range(2, ws.max_column + 1)):
            ws.cell(r, 1).font = Font(bold=True)
    for col in "ABCDEF":
        ws.column_dimensions[col].width = 45
    book.properties.creator = "Line of Sight demonstration data"
    book.properties.created = FIXED
    book.properties.modified = FIXED
    buffer = BytesIO()
    book.save(buffer)
    return _stable(buffer.getvalue())


def _stable(data: bytes) -> bytes:
    """Zip entries carry the time they were written: fix it, so the files do not change on every run."""
    src = zipfile.ZipFile(BytesIO(data))
    out = BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(2026, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            body = src.read(info.filename)
            if info.filename == "docProps/core.xml":  # openpyxl stamps the time of saving
                body = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>2026-01-01T00:00:00Z", body)
            dst.writestr(fixed, body)
    return out.getvalue()


def main() -> None:
    for name, (module, sheet) in FILES.items():
        (HERE / name).write_bytes(workbook_bytes(module.rows(), sheet))
        print(f"wrote plans/demo/{name}")


if __name__ == "__main__":
    main()
