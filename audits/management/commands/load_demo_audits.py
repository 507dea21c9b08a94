"""Load the demonstration audit programme (scale, casework tool, baseline, re-audit, this month).

    python manage.py load_demo_audits

Run it after create_demo_users. A second run changes nothing."""

from typing import Any

from django.core.management.base import BaseCommand

from audits.demo_audits import load


class Command(BaseCommand):
    help = "Load the demonstration audit programme (idempotent)."

    def handle(self, *args: Any, **options: Any) -> None:
        load(log=self.stdout.write)
