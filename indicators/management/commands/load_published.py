"""Load the DfE's published local-authority figures for this council, then show them beside ours.

manage.py load_published --la E09000006 c1_referrals.csv cla_numbers.csv [...]

Each file is a CSV data file of a DfE statistics release as published (time_period, time_identifier,
geographic_level, la_name, new_la_code, old_la_code, ... measure columns). --la is the council's new
(E09000006) or old (305) LA code. A file that cannot be read loads nothing and names file, line and column."""

from django.core.management.base import BaseCommand, CommandError

from audit.models import Action
from audit.services import record

from ... import facts, published


class Command(BaseCommand):
    help = "Load the DfE's published LA figures for this council and reconcile them with Line of Sight's."

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", help="DfE CSV data files, as published")
        parser.add_argument("--la", required=True, help="the council's new (E09000006) or old (305) LA code")

    def handle(self, files, la, **options):
        try:
            figures = published.read_files(files, la)
        except published.PublishedFileError as error:
            raise CommandError(str(error)) from None
        n = published.save(figures)
        record(Action.CHANGE, detail=f"published DfE figures loaded for {la}: {n} from {len(files)} file(s)")
        self.stdout.write(f"Loaded {n} published figures for {la}.")
        for line in published.reconcile(facts.load()):
            mark = "DIFFERS" if line.differs else "same"
            self.stdout.write(
                f"{line.code:<12} {line.year_label}  published {line.published if line.published is not None else '-'}"
                f"  ours {'-' if line.ours is None else round(line.ours, 1)}  {mark}"
            )
