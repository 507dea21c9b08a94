import datetime as dt
import time

from django.core.management.base import BaseCommand
from tqdm import tqdm

from operations.services import beat
from timescales.services import recompute_all


class Command(BaseCommand):
    help = "Recompute every open case's statutory timescales and drift flags."

    def add_arguments(self, parser):
        parser.add_argument(
            "--as-of", type=dt.date.fromisoformat, default=None, help="the day to compute for (default: today)"
        )

    def handle(self, *args, as_of=None, **options):
        today = as_of or dt.date.today()
        started = time.perf_counter()
        counts = recompute_all(today, progress=lambda items: tqdm(items, desc="Children", unit="child"))
        seconds = time.perf_counter() - started
        beat()  # the worker has run: the health endpoint's heartbeat (decision 0024)
        self.stdout.write(
            f"{counts['children']} children, {counts['obligations']} obligations, "
            f"{counts['drift_flags']} drift flags as of {today:%d/%m/%Y} in {seconds:.1f} s"
        )
