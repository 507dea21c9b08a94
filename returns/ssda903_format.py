"""The SSDA903 looked-after children return in the registry of import formats."""

from .formats import Format, register
from .models import Kind


def _reader(run, problems, progress):
    from .ssda903 import Ssda903Reader

    return Ssda903Reader(run.stored_path, problems, file_name=run.file_name, progress=progress)


def _importer(problems, run=None, dry_run=True):
    from .ssda903_import import Ssda903Importer

    return Ssda903Importer(problems, run=run, dry_run=dry_run)


# No suffix: a .zip or .csv may be another return's tables and the XML form ends in .xml as the
# CIN census does, so the kind is chosen on the upload form or with --kind ssda903.
register(Format(Kind.SSDA903, _reader, _importer))
