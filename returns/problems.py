"""Problems found while reading a return: each names the file, the record, the field and what is wrong."""

from dataclasses import dataclass


@dataclass(slots=True)
class Found:
    severity: str  # "error" or "warning"
    rule: str
    message: str
    child_id: str = ""
    location: str = ""
    field: str = ""
    file: str = ""  # the file within a set of files (e.g. one CSV table); blank: the uploaded file


class ProblemLog:
    """Collects problems; keeps at most `limit` of them in full, but counts all."""

    def __init__(self, file_name: str, limit: int = 50_000) -> None:
        self.file_name = file_name
        self.limit = limit
        self.items: list[Found] = []
        self.errors = 0
        self.warnings = 0

    def add(self, severity: str, rule: str, message: str, **where: str) -> None:
        if severity == "error":
            self.errors += 1
        else:
            self.warnings += 1
        if len(self.items) < self.limit:
            self.items.append(Found(severity, rule, message, **where))

    def error(self, rule: str, message: str, **where: str) -> None:
        self.add("error", rule, message, **where)

    def warning(self, rule: str, message: str, **where: str) -> None:
        self.add("warning", rule, message, **where)
