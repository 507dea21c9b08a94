"""Generate a made-up council for demonstration, development and benchmarks.

    python manage.py generate_demo --size standard --seed 2015 [--if-empty] [--years 3] [--end-date 2026-10-31]

The same size, seed, years and end date always give the same council. The end
date defaults to a fixed day (31 October 2026), not today, so that the default
is reproducible too. Volumes follow one Bromley (seed 001 section 4.1) for
`standard`, three for `large` and a twentieth for `small`."""

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from children.models import Child
from demo.generator import DEFAULT_END_DATE, DEFAULT_YEARS, SIZES, generate
from organisation.models import PartnerAgency, Service, Team, Worker


class Command(BaseCommand):
    help = "Generate a demonstration council (made-up children, journeys, teams and workers) in an empty database."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--size", choices=list(SIZES), default="standard")
        parser.add_argument("--seed", type=int, default=2015)
        parser.add_argument("--years", type=int, default=DEFAULT_YEARS, help="years of journeys up to the end date")
        parser.add_argument(
            "--end-date",
            type=date.fromisoformat,
            default=DEFAULT_END_DATE,
            help=f"last day of the generated history (default {DEFAULT_END_DATE.isoformat()}, fixed so runs repeat)",
        )
        parser.add_argument("--if-empty", action="store_true", help="do nothing if the register already holds children")
        parser.add_argument("--no-progress", action="store_true", help="no progress bars")

    def handle(self, *args: Any, **options: Any) -> None:
        if Child.objects.exists():
            if options["if_empty"]:
                self.stdout.write("The register already holds children: no demonstration council generated.")
                return
            raise CommandError(
                "The register already holds children. Generate into an empty database "
                "(manage.py flush), or pass --if-empty to leave it as it is."
            )
        clashes = [
            str(m._meta.verbose_name_plural) for m in (Service, Team, Worker, PartnerAgency) if m.objects.exists()
        ]
        if clashes:
            raise CommandError(f"The database already holds {', '.join(clashes)}: generate into an empty database.")
        if options["years"] < 1:
            raise CommandError("--years must be at least 1")
        result = generate(
            options["size"],
            options["seed"],
            end=options["end_date"],
            years=options["years"],
            progress=False if options["no_progress"] else None,
        )
        out = self.stdout
        out.write(
            f"Demonstration council: size {result.size}, seed {result.seed}, "
            f"journeys from {result.start.isoformat()} to {result.end.isoformat()}"
        )
        width = max(len(label) for label in result.rows)
        out.write(f"{'table'.ljust(width)}  {'rows':>9}  {'seconds':>8}")
        for label, n in result.rows.items():
            out.write(f"{label.ljust(width)}  {n:>9,}  {result.write_seconds[label]:>8.2f}")
        total = sum(result.rows.values())
        out.write(f"{'total'.ljust(width)}  {total:>9,}  {sum(result.write_seconds.values()):>8.2f}")
        out.write(f"built in {result.build_seconds:.1f} s; built and written in {result.total_seconds:.1f} s")
