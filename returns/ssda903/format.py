"""The SSDA903 looked-after children return in the registry of import formats."""

from returns.formats import Format, register
from returns.models import Kind


def _reader(run, problems, progress, year=None, for_rules=None):
    from returns.ssda903.reader import Ssda903Reader

    return Ssda903Reader(run.stored_path, problems, file_name=run.file_name, progress=progress, year=year)


def _importer(problems, run=None, dry_run=True):
    from returns.ssda903.loader import Ssda903Importer

    return Ssda903Importer(problems, run=run, dry_run=dry_run)


# No suffix: a .zip or .csv may be another return's tables and the XML form ends in .xml as the
# CIN census does, so the kind is chosen on the upload form or with --kind ssda903.
register(Format(Kind.SSDA903, _reader, _importer))
