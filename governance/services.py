"""The subject access file: one readable workbook and one machine-readable JSON copy (decision 0030)."""

import json
import zipfile
from io import BytesIO

from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone

from children.models import Child
from exports.writer import workbook, xlsx_bytes

from .selectors import Section, held_about


def workbook_of(child: Child, sections: list[Section]) -> bytes:
    book = workbook()
    contents = book.active
    contents.title = "Contents"
    contents.append([f"Everything Line of Sight holds about child {child.la_child_id}"])
    contents.append([f"Made {timezone.localtime():%d %B %Y %H:%M}"])
    contents.append([])
    contents.append(["Sheet", "What it holds", "Rows"])
    for n, section in enumerate(sections, start=1):
        name = f"{n} {section.title}"[:31].replace(":", "").replace("/", " ")
        contents.append([name, section.title, len(section.rows)])
        sheet = book.create_sheet(name)
        sheet.append(section.headers)
        for row in section.rows:
            sheet.append([_cell(v) for v in row])
    return xlsx_bytes(book)


def _cell(value: object) -> object:
    if hasattr(value, "tzinfo") and getattr(value, "tzinfo", None) is not None:
        return timezone.localtime(value).replace(tzinfo=None)  # type: ignore[arg-type]  # Excel has no zones
    return value


def json_of(child: Child, sections: list[Section]) -> bytes:
    data = {
        "child": child.la_child_id,
        "made_at": timezone.now(),
        "sections": [{"title": s.title, "records": s.as_records()} for s in sections],
    }
    return json.dumps(data, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False).encode()


def subject_access_zip(child: Child) -> bytes:
    """Both copies in one download: the workbook to read, the JSON for another system."""
    sections = held_about(child)
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(f"subject-access-child-{child.pk}.xlsx", workbook_of(child, sections))
        archive.writestr(f"subject-access-child-{child.pk}.json", json_of(child, sections))
    return buffer.getvalue()
