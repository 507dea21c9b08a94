"""The subject access file: one readable workbook and one machine-readable JSON copy (decision 0030)."""

import json
import zipfile
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone

from audit.models import Action, AuditEvent
from audit.services import record
from children.models import Child
from exports.writer import workbook, xlsx_bytes
from returns.models import ImportRun, Problem, SourceRecord

from .selectors import Section, held_about, linked


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


# -- erasure (issue 16 point 4, decision 0031) --------------------------------------------
BATCH = 500


@dataclass
class Erased:
    rows: int
    files: int


@transaction.atomic
def erase_child(child: Child, user: Any, reason: str) -> Erased:
    """Remove the child's records everywhere: every row about them (register, tracker, audits, allegations,
    timescales), the provenance of those rows, the import problems that name them, and, once the erasure is
    committed, the stored return files those rows came from. The audit log keeps that it happened, by
    whom and why (no name, no identifier), and keeps its earlier events, which hold no personal data."""
    pk, la_child_id = child.pk, child.la_child_id
    found = [(model, list(queryset.values_list("pk", flat=True))) for model, queryset in linked(child)]
    found.append((Child, [pk]))
    runs: set[int] = set()
    rows = 0
    for model, pks in found:
        content_type = ContentType.objects.get_for_model(model)
        for start in range(0, len(pks), BATCH):
            records = SourceRecord.objects.filter(content_type=content_type, object_id__in=pks[start : start + BATCH])
            runs.update(records.values_list("run_id", flat=True))
            records.delete()
    for model, pks in found:  # the rows themselves; a row already gone with its parent is skipped
        for start in range(0, len(pks), BATCH):
            rows += (
                model._default_manager.filter(pk__in=pks[start : start + BATCH]).delete()[1].get(model._meta.label, 0)
            )
    Problem.objects.filter(child_id=la_child_id).delete()
    paths = [
        Path(p)
        for p in ImportRun.objects.filter(pk__in=runs).exclude(stored_path="").values_list("stored_path", flat=True)
    ]
    transaction.on_commit(lambda: _remove_files(paths))
    detail = f"erasure of a child's record: {rows} rows and {len(paths)} stored return files; reason: {reason}"
    event = record(Action.DELETE, user=user, detail=detail[:300])
    AuditEvent.objects.filter(pk=event.pk).update(child_id=pk)  # the number only: it ties the earlier events to it
    return Erased(rows, len(paths))


def _remove_files(paths: list[Path]) -> None:
    for path in paths:
        for leftover in (path, Path(f"{path}.progress")):
            leftover.unlink(missing_ok=True)
