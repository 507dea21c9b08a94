"""The children in need census in the registry of import formats."""

from returns.formats import Format, register
from returns.models import Kind


def _cin_reader(run, problems, progress, year=None, for_rules=None):
    from django.db import connection

    from returns.cin.reader import CinReader

    # The rules' tables are written as the file is read on SQLite only (decision 0073). On PostgreSQL
    # the rules read the file themselves in a thread beside the writing (decision 0060), where that
    # reading is hidden by the server's work: the tables written in the reading instead made the
    # England-sized import ~15% slower there (5 alternated pairs, 167.6 s against 144.9 s).
    if for_rules is None:
        for_rules = connection.vendor == "sqlite"
    return CinReader(run.stored_path, problems, progress=progress, for_rules=for_rules, year=year)


def _cin_importer(problems, run=None, dry_run=True):
    from returns.cin.loader import CinImporter

    return CinImporter(problems, run=run, dry_run=dry_run)


register(Format(Kind.CIN, _cin_reader, _cin_importer, suffixes=(".xml",)))
