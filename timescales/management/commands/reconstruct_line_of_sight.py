import datetime as dt

from django.core.management.base import BaseCommand
from django.db import transaction

from timescales.snapshots import backfill


class Command(BaseCommand):
    help = (
        "Work out the line of sight's monthly trend for the past months never recorded (up to 11 before the month "
        "running) from the stored timescales: overdue, due soon and in timescale; drift and caseloads are left "
        "not recorded. Run after recompute_timescales. A month already recorded is left as it is."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--as-of", type=dt.date.fromisoformat, default=None, help="the day of the month running (default: today)"
        )

    def handle(self, *args, as_of=None, **options):
        with transaction.atomic():
            months = backfill(as_of or dt.date.today())
        self.stdout.write(
            f"Reconstructed {len(months)} month{'s' if len(months) != 1 else ''}"
            + (f": {months[0]:%b %Y} to {months[-1]:%b %Y}" if months else " (every month was recorded)")
        )
