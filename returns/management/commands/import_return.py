"""Import a statutory return from the command line: check, preview, and with --commit write it.

manage.py import_return PATH [PATH ...] [--kind cin] [--commit] [--user USERNAME]

A return sent as several files (the SSDA903 CSV tables) is given as a folder or as several
paths; they are stored as one zip.
"""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from returns import services
from returns.formats import available_kinds
from returns.models import Kind, Status
from returns.selectors import problem_groups


class Command(BaseCommand):
    # The system checks import every URL module and view (about 0.45 s, a third of a
    # 10,000-child import); an import needs none of them. `manage.py check` still runs them.
    requires_system_checks: list[str] = []
    help = "Check a statutory return (CIN census XML), show the preview and problems, and with --commit import it."

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="+", help="a file, a folder of CSV tables, or several files")
        parser.add_argument("--kind", default=None, help="one of: " + ", ".join(Kind.values))
        parser.add_argument("--commit", action="store_true", help="write to the register when the file has no errors")
        parser.add_argument("--user", default=None, help="username recorded as having run the import")
        parser.add_argument("--no-progress", action="store_true")
        parser.add_argument("--problems", type=int, default=20, help="how many problems to list in full")

    def handle(self, path, kind, commit, user, no_progress, problems, **options):
        if kind is not None and kind not in available_kinds():
            known = ", ".join(available_kinds())
            raise CommandError(f"Importing '{kind}' returns is not available; available: {known}.")
        account = None
        if user:
            account = get_user_model().objects.filter(username=user).first()
            if account is None:
                raise CommandError(f"No user '{user}'.")
        try:
            run = self._create(path, kind, account)
        except (OSError, services.ImportFailed) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Run {run.pk}: {run.file_name}, {run.size:,} bytes, sha256 {run.sha256}")
        if not commit:
            run = self._with_bar(run, services.preview, "Checking", no_progress)
            self._report(run, problems)
            self.stdout.write("Preview only: nothing was written. Add --commit to import.")
            return
        # One pass: check and write in one transaction; children with errors are held back whole,
        # and an error that names no child rejects the file (docs/decisions/0028-per-child-acceptance.md).
        run = self._with_bar(run, services.check_and_commit, "Checking and importing", no_progress)
        self._report(run, problems)
        if run.status == Status.REJECTED:
            raise CommandError(f"Not imported: the file has {run.errors} errors. Nothing was written.")
        if run.status != Status.COMMITTED:
            raise CommandError(run.message or "The import failed; nothing was written.")
        self.stdout.write(self.style.SUCCESS(f"Committed run {run.pk}."))

    def _create(self, paths: list[str], kind, account):
        files = [Path(p) for p in paths]
        if len(files) == 1 and not files[0].is_dir():
            return services.create_run_from_path(files[0], kind, account)
        name = f"{files[0].name}.zip" if len(files) == 1 else None
        if len(files) == 1:
            files = sorted(p for p in files[0].iterdir() if p.is_file() and p.suffix.lower() == ".csv")
            if not files:
                raise services.ImportFailed(f"{paths[0]}: the folder holds no CSV files.")
        for file in files:
            if not file.is_file():
                raise services.ImportFailed(f"{file}: no such file.")
        return services.create_run_from_files([(f.name, _chunks(f)) for f in files], kind, account, file_name=name)

    def _with_bar(self, run, action, label, quiet):
        bar = tqdm(total=run.size, unit="B", unit_scale=True, desc=label, disable=quiet, file=self.stderr._out)
        state = {"done": 0}

        def progress(done, records):
            bar.update(done - state["done"])
            state["done"] = done
            bar.set_postfix(children=records)

        try:
            return action(run, progress=progress)
        finally:
            bar.close()

    def _summary(self, run):
        for table, counts in run.summary.items():
            parts = ", ".join(
                f"{counts.get(k, 0)} {k}" for k in ("new", "changed", "unchanged", "removed") if counts.get(k)
            )
            self.stdout.write(f"  {table}: {parts}")

    def _report(self, run, limit):
        year = (
            f"collection year ending March {run.collection_year}" if run.collection_year else "collection year unknown"
        )
        self.stdout.write(f"{run.records} children read; {year}; {run.errors} errors, {run.warnings} warnings.")
        if run.children_held_back:  # per-child acceptance: how many children were (or would be) held back
            self.stdout.write(run.message)
        self._summary(run)
        for group in problem_groups(run):
            self.stdout.write(f"{group['severity'].upper()} {group['rule']}: {group['count']}")
        for p in run.problems.all()[:limit]:
            where = ", ".join(
                x for x in (p.file_name, f"child {p.child_id}" if p.child_id else "", p.location, p.field) if x
            )
            self.stdout.write(f"  [{p.severity}] {where}: {p.message}")


def _chunks(path: Path):
    with open(path, "rb") as handle:
        while block := handle.read(1 << 20):
            yield block
