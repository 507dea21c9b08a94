"""Load the three demonstration improvement plans (seeds 002, 003, 004) from plans/demo/.

    python manage.py load_demo_plans

They go through the same import as a user's spreadsheet (mapping, preview, commit).
A plan already loaded (by its title) is left alone, so a second run changes nothing."""

from typing import Any

from django.core.management.base import BaseCommand

from plans.demo_plans import DEMO_PLANS, load


class Command(BaseCommand):
    help = "Import the demonstration improvement plans (idempotent)."

    def handle(self, *args: Any, **options: Any) -> None:
        for demo in DEMO_PLANS:
            load(demo, log=self.stdout.write)
