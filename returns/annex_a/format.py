"""Registers the Ofsted Annex A workbook with the returns machinery (returns.formats)."""

from returns.formats import Format, register
from returns.models import Kind


def _reader(run, problems, progress, year=None, for_rules=None):  # no collection year, no rules' tables
    from returns.annex_a.reader import AnnexAReader

    return AnnexAReader(run.stored_path, problems, progress=progress, size=run.size)


def _importer(problems, run=None, dry_run=True):
    from returns.annex_a.loader import AnnexAImporter

    return AnnexAImporter(problems, run=run, dry_run=dry_run)


register(Format(Kind.ANNEX_A, _reader, _importer, suffixes=(".xlsx",)))
