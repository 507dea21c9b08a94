"""Every indicator for the whole council over a period, as JSON or CSV, for analysts' workbooks.

manage.py indicator_values --from 2024-04-01 --to 2025-03-31 [--codes A1,CLA] --format json|csv [--output FILE]

Snapshots (children looked after, on a plan ...) are taken at the period's last day. The file is
audited as an export (audit log, action "export")."""

import datetime as dt
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from audit.models import Action
from audit.services import record

from ... import values


def _day(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"'{text}' is not a date: give it as YYYY-MM-DD (e.g. 2024-04-01)") from None


class Command(BaseCommand):
    help = "Write every indicator's council value for a period (code, name, numerator, denominator, value, unit)."

    def add_arguments(self, parser):
        parser.add_argument("--from", dest="start", required=True, help="first day of the period, YYYY-MM-DD")
        parser.add_argument("--to", dest="end", required=True, help="last day of the period, YYYY-MM-DD")
        parser.add_argument("--codes", default="", help="comma-separated indicator codes (default: all)")
        parser.add_argument("--format", dest="fmt", choices=("json", "csv"), default="json")
        parser.add_argument("--output", default="", help="file to write (default: standard output)")
        parser.add_argument("--user", default=None, help="username recorded in the audit log as having run it")

    def handle(self, start, end, codes, fmt, output, user, **options):
        try:
            period = values.period_between(_day(start), _day(end))
            wanted = values.resolve(codes.split(",") if codes else None)
        except ValueError as error:
            raise CommandError(str(error)) from None
        who = None
        if user:
            who = get_user_model().objects.filter(username=user).first()
            if who is None:
                raise CommandError(f"no user named '{user}'")
        records = values.council_values(period, wanted)
        text = values.as_json(records) if fmt == "json" else values.as_csv(records)
        if output:
            Path(output).write_text(text, encoding="utf-8")
        else:
            self.stdout.write(text, ending="")
        record(
            Action.EXPORT,
            user=who,
            detail=f"indicator values {period.label}: {len(records)} indicators ({fmt}, command line)",
        )
        if output:
            self.stderr.write(f"Wrote {len(records)} indicators for {period.label} to {output}.")
