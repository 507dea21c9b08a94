"""Write the Ofsted Annex A workbook (Lists 1-11) from the register for a period.

manage.py export_annex_a OUT.xlsx --start 2023-01-15 --end 2024-01-14
manage.py export_annex_a OUT.xlsx --inspection 2024-01-15 --months 12
"""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from audit.models import Action
from audit.services import record
from returns.annex_a.exporter import export_annex_a, period_before


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"{text!r} is not a date (yyyy-mm-dd).") from None


class Command(BaseCommand):
    requires_system_checks: list[str] = []
    help = "Write the Ofsted Annex A workbook for a period: --start and --end, or --inspection and --months."

    def add_arguments(self, parser):
        parser.add_argument("out", help="the .xlsx file to write")
        parser.add_argument("--start", help="first day of the period (yyyy-mm-dd)")
        parser.add_argument("--end", help="last day of the period (yyyy-mm-dd)")
        parser.add_argument("--inspection", help="the inspection date: the period is the months before it")
        parser.add_argument("--months", type=int, choices=(6, 12), default=12)

    def handle(self, out, start, end, inspection, months, **options):
        if inspection:
            if start or end:
                raise CommandError("Give either --inspection or --start and --end, not both.")
            begin, finish = period_before(_date(inspection), months)
        elif start and end:
            begin, finish = _date(start), _date(end)
        else:
            raise CommandError("Give --start and --end, or --inspection (with --months 6 or 12).")
        if begin > finish:
            raise CommandError("The period starts after it ends.")
        counts = export_annex_a(out, begin, finish)
        detail = ", ".join(f"List {n} {rows} rows" for n, rows in counts.items())
        record(Action.EXPORT, detail=f"Ofsted Annex A {begin:%d/%m/%Y} to {finish:%d/%m/%Y}: {detail} (command line)")
        self.stdout.write(f"Wrote Annex A for {begin:%d/%m/%Y} to {finish:%d/%m/%Y} to {out}: {detail}.")
