"""Write the SSDA903 CSV tables for a collection year from the register, as one zip.

manage.py export_ssda903 --year 2025 OUT.zip   (2025: the year ending 31 March 2025, i.e. 2024-25)
"""

from django.core.management.base import BaseCommand

from audit.models import Action
from audit.services import record
from returns.cin.reader import collection_label
from returns.ssda903.exporter import export_903


class Command(BaseCommand):
    requires_system_checks: list[str] = []
    help = "Write the SSDA903 CSV tables for a collection year (the year ending 31 March) into a zip."

    def add_arguments(self, parser):
        parser.add_argument("out", help="the zip file to write")
        parser.add_argument("--year", type=int, required=True, help="the year in which the collection ends")

    def handle(self, out, year, **options):
        notes: list[str] = []
        count = export_903(out, year, notes=notes)
        for note in notes:
            self.stderr.write(note)
        record(Action.EXPORT, detail=f"SSDA903 {collection_label(year)}: {count} children (command line)")
        self.stdout.write(f"Wrote the SSDA903 tables for {collection_label(year)} ({count} children) to {out}.")
        if notes:
            self.stderr.write(f"{len(notes)} values are not {collection_label(year)} codes and were left blank.")
