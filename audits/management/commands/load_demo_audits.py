"""Load the demonstration audit programme (scale, casework tool, baseline, re-audit, this month; Section 11).

    python manage.py load_demo_audits

Run it after create_demo_users. A second run changes nothing."""

from typing import Any

from django.core.management.base import BaseCommand

from audits.demo_audits import load, load_section11


class Command(BaseCommand):
    help = "Load the demonstration audit programme (idempotent)."

    def handle(self, *args: Any, **options: Any) -> None:
        load(log=self.stdout.write)
        load_section11(log=self.stdout.write)
