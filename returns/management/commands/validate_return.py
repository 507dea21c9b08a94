"""Check a statutory return without loading it: the DfE's validation rules and the format checks.

manage.py validate_return PATH [PATH ...] --kind cin|ssda903|annex_a|ssd [--year 2025-26]
    [--format json|csv|xlsx] [--output FILE] [--previous PATH]

--year is the year of the whole check: the DfE's rules, and the CIN schema or the 903 code lists the format
checks apply (decision 0080); by default the file's own year.

For a 903 return the rules that compare with last year's return (rules/lastyear.py) read the file given with
--previous (a file or a folder of CSV tables) or, without it, the register's latest committed 903
import of the year before; when there is neither, a note says they were not checked.

Writes nothing to the database. Exit status: 0 when no error was found, 1 when there is one,
2 when the file could not be read. JSON is a list with one object per finding: rule (the DfE's
code as the DfE prints it, e.g. "8500"; our own checks have their own codes), child, kind
(error, query or warning), fields, location and message.
"""

import io
import json
import re
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from returns.models import Kind
from returns.rules.check import check_return

COLUMNS = ("rule", "child", "kind", "fields", "location", "message")


def parse_year(text: str | None) -> int | None:
    """'2025-26' (or '2026') -> 2026, the year in which the collection ends."""
    if text is None:
        return None
    match = re.fullmatch(r"(\d{4})-(\d{2})|(\d{4})", text.strip())
    if not match:
        raise CommandError(f"--year {text}: give the collection year as 2025-26.")
    if match.group(3):
        return int(match.group(3))
    first, second = int(match.group(1)), int(match.group(2))
    if (first + 1) % 100 != second:
        raise CommandError(f"--year {text}: the two years must follow each other, as in 2025-26.")
    return first + 1


class Command(BaseCommand):
    requires_system_checks: list[str] = []
    help = "Check a return against the DfE's validation rules and the format checks, without loading it."

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="+", help="a file, a folder of CSV tables, or several files")
        parser.add_argument("--kind", required=True, choices=[k for k in Kind.values])
        parser.add_argument("--year", default=None, help="collection year, e.g. 2025-26 (default: from the file)")
        parser.add_argument("--format", default="json", choices=["json", "csv", "xlsx"])
        parser.add_argument("--output", default=None, help="file to write (default: standard output; xlsx needs one)")
        parser.add_argument(
            "--previous", default=None, help="last year's 903 return (default: the register's committed import)"
        )

    def handle(self, path, kind, year, format, output, previous=None, **options):
        if format == "xlsx" and not output:
            raise CommandError("--format xlsx needs --output FILE.")
        if previous and not Path(previous).exists():
            raise CommandError(f"--previous {previous}: no such file or folder.")
        checked = check_return([Path(p) for p in path], kind, parse_year(year), Path(previous) if previous else None)
        for note in checked.notes:
            self.stderr.write(note)
        if checked.unreadable:
            self.stderr.write(f"Could not read the return: {checked.unreadable}")
            sys.exit(2)
        rows = [f.as_dict() for f in checked.findings]
        self._write(rows, format, output)
        errors = sum(r["kind"] == "error" for r in rows)
        self.stderr.write(f"{len(rows)} findings, {errors} errors.")
        sys.exit(1 if errors else 0)

    def _write(self, rows: list[dict], format: str, output: str | None) -> None:
        if format == "xlsx":
            from exports.writer import workbook

            book = workbook(write_only=True)
            sheet = book.create_sheet("Findings")
            sheet.append(list(COLUMNS))
            for r in rows:
                sheet.append([r["rule"], r["child"], r["kind"], ", ".join(r["fields"]), r["location"], r["message"]])
            book.save(output)
            return
        if format == "json":
            text = json.dumps(rows, indent=1, ensure_ascii=False) + "\n"
        else:
            from exports.writer import csv_writer  # here, not at the top: it loads openpyxl, which json does not need

            buffer = io.StringIO()
            writer = csv_writer(buffer)  # a child ID or message from the file could read as a formula
            writer.writerow(COLUMNS)
            for r in rows:
                writer.writerow([r["rule"], r["child"], r["kind"], "; ".join(r["fields"]), r["location"], r["message"]])
            text = buffer.getvalue()
        if output:
            Path(output).write_text(text, encoding="utf-8")
        else:
            self.stdout.write(text, ending="")
