"""Load the demonstration partnership business: allegations, training and meetings.

    python manage.py load_demo_partnership

Run it after generate_demo. A second run changes nothing."""

from typing import Any

from django.core.management.base import BaseCommand

from partnership.demo import load


class Command(BaseCommand):
    help = "Load the demonstration allegations, training and board meetings (idempotent)."

    def handle(self, *args: Any, **options: Any) -> None:
        load(log=self.stdout.write)
