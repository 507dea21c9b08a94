from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from operations.backup import BackupError, backup


class Command(BaseCommand):
    help = "Back up the database and the uploaded files into one archive (README 'Backup and restore')."

    def add_arguments(self, parser):
        parser.add_argument("out", type=Path, help="the archive to write, e.g. lineofsight-2026-12-04.tar")

    def handle(self, *args, out: Path, **options):
        if out.exists():
            raise CommandError(f"{out} already exists: choose a new name (a backup never overwrites one)")
        if not out.parent.is_dir():
            raise CommandError(f"{out.parent} is not a folder")
        try:
            manifest = backup(out)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        files = manifest["files"]
        self.stdout.write(
            f"Backed up the {manifest['vendor']} database, {files['returns']} returns files and "
            f"{files['media']} evidence files to {out}"
        )
