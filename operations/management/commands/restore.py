from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from operations.backup import BackupError, restore


class Command(BaseCommand):
    help = "Restore a backup archive into an empty database and empty upload folders (README 'Backup and restore')."

    def add_arguments(self, parser):
        parser.add_argument("archive", type=Path, help="an archive written by `manage.py backup`")
        parser.add_argument(
            "--database-url",
            default=None,
            help="restore into this empty database instead of DATABASE_URL's (to check a backup, or to switch over)",
        )
        parser.add_argument(
            "--force", action="store_true", help="replace a database and upload folders that already hold data"
        )

    def handle(self, *args, archive: Path, database_url=None, force=False, **options):
        if not archive.is_file():
            raise CommandError(f"{archive}: no such file")
        try:
            manifest = restore(archive, database_url=database_url, force=force)
        except BackupError as exc:
            raise CommandError(f"{archive}: {exc}. Nothing was restored.") from exc
        self.stdout.write(f"Restored the backup of {manifest['created_at']} ({manifest['vendor']} database, files).")
