"""Load populations, benchmarks and targets for the indicators.

    manage.py load_indicator_data --population pop.csv --benchmarks bench.csv
    manage.py load_indicator_data --demo standard   # demonstration council: population of that size,
                                                    # seed 001 Figure 12 benchmarks, the seed's targets
CSV layouts: docs/indicators.md."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from indicators import services
from indicators.models import Target

# Targets printed in seed 001 Figure 10 (re-referrals 15%, assessments in 45 days 75%).
SEED_TARGETS = {"RE-REF": 15, "N14": 75}


class Command(BaseCommand):
    help = "Load populations (for rates per 10,000), comparator benchmarks, and demonstration data."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--population", type=Path)
        parser.add_argument("--benchmarks", type=Path)
        parser.add_argument("--demo", choices=["small", "standard", "large"])
        parser.add_argument("--years", default="2012-2027", help="financial years for the demo population and targets")

    def handle(self, *args, **options) -> None:  # noqa: ANN002, ANN003
        try:
            if options["population"]:
                n = services.load_population(options["population"].read_text(encoding="utf-8-sig"))
                self.stdout.write(f"population: {n} cells")
            if options["benchmarks"]:
                n = services.load_benchmarks(options["benchmarks"].read_text(encoding="utf-8-sig"))
                self.stdout.write(f"benchmarks: {n} rows")
            if options["demo"]:
                from demo.generator.config import POPULATION_UNDER_18

                first, last = (int(y) for y in options["years"].split("-"))
                size = POPULATION_UNDER_18[options["demo"]]
                n = services.load_population(services.demo_population_csv(size, first, last))
                b = services.load_benchmarks(services.demo_benchmarks_csv())
                for year in range(first, last + 1):
                    for code, value in SEED_TARGETS.items():
                        Target.objects.update_or_create(indicator=code, year=year, defaults={"value": value})
                self.stdout.write(f"demo: population {size:,} under 18 ({n} cells), {b} benchmarks, targets")
        except services.LoadError as e:
            raise CommandError(str(e)) from e
