"""E-mail each lead the improvement plan actions they have overdue or due soon.

    python manage.py send_plan_digest [--dry-run]

Run it weekly (cron or a scheduler). The e-mail backend is settings.EMAIL_BACKEND
(the console by default, which prints the messages)."""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from audit.models import Action
from audit.services import record
from plans.digest import send


class Command(BaseCommand):
    help = "Send the weekly digest of improvement plan actions due and overdue."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="count the messages but send nothing")

    def handle(self, *args: Any, **options: Any) -> None:
        sent, skipped = send(dry_run=options["dry_run"])
        verb = "would send" if options["dry_run"] else "sent"
        self.stdout.write(f"Plan digest: {verb} {sent} message(s); {skipped} lead(s) without an e-mail address")
        if not options["dry_run"]:
            record(Action.SYSTEM, detail=f"plan digest sent to {sent} lead(s)")
