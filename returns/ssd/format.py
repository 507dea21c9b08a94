"""Registers the Standard Safeguarding Dataset (SSD) CSV extract as an import format.

An SSD upload is a zip of the SSD tables, one CSV file per table (or the files
uploaded together, which services.create_run_from_files stores as one zip; or a
folder on the command line). See returns/ssd/reader.py and docs/decisions/0011-ssd.md.
"""

from returns.formats import Format, register
from returns.models import Kind


class _NamingLog:
    """Passes problems on to the run's ProblemLog, naming the CSV file within the upload."""

    def __init__(self, log) -> None:
        self.log = log

    def _where(self, where: dict) -> dict:
        location = where.get("location", "")
        if "file" not in where and ".csv" in location:
            where["file"] = location.split(" row ", 1)[0]
        return where

    def error(self, rule: str, message: str, **where: str) -> None:
        self.log.error(rule, message, **self._where(where))

    def warning(self, rule: str, message: str, **where: str) -> None:
        self.log.warning(rule, message, **self._where(where))

    @property
    def errors(self) -> int:
        return self.log.errors


def _reader(run, problems, progress, year=None, for_rules=None):  # no collection year, no rules' tables
    from returns.ssd.reader import SsdReader

    return SsdReader(run.stored_path, _NamingLog(problems), progress=progress, name=run.file_name)


def _importer(problems, run=None, dry_run=True):
    from returns.ssd.loader import SsdImporter

    return SsdImporter(_NamingLog(problems), run=run, dry_run=dry_run)


register(Format(Kind.SSD, _reader, _importer, suffixes=(".ssd.zip",)))
