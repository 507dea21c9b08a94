"""The children in need census in the registry of import formats."""

from returns.formats import Format, register
from returns.models import Kind


def _cin_reader(run, problems, progress):
    from returns.cin.reader import CinReader

    return CinReader(run.stored_path, problems, progress=progress, for_rules=True)


def _cin_importer(problems, run=None, dry_run=True):
    from returns.cin.loader import CinImporter

    return CinImporter(problems, run=run, dry_run=dry_run)


register(Format(Kind.CIN, _cin_reader, _cin_importer, suffixes=(".xml",)))
