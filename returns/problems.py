"""Problems found while reading a return: each names the file, the record, the field and what is wrong."""

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, fields
from operator import attrgetter
from typing import Any


@dataclass(slots=True)
class Found:
    severity: str  # "error" or "warning"
    rule: str
    message: str
    child_id: str = ""
    location: str = ""
    field: str = ""
    file: str = ""  # the file within a set of files (e.g. one CSV table); blank: the uploaded file
    # An error that names no child but costs only its own row, which was not imported (an Annex A row
    # with no child ID, an adopter's row): it holds no child back and does not reject the file (decision 0048).
    skipped: bool = False


# A problem's fields as a tuple, as dataclasses.astuple gives them but without its deep copy of each
# value (50,000 problems in a large return).
_every_field = attrgetter(*(f.name for f in fields(Found)))


@dataclass(frozen=True, slots=True)
class Mark:
    """Where the log stood at one moment, to go back to (services._write's second attempt)."""

    items: int
    errors: int
    warnings: int
    file_errors: int
    rows_skipped: int
    error_children: Counter


class ProblemLog:
    """Collects problems; keeps at most `limit` of them in full, but counts all. It also counts,
    in full, the errors by child they name (`error_children`) and the errors that name no child
    (`file_errors`): per-child acceptance holds back the one and rejects the whole file for the
    other (docs/decisions/0028-per-child-acceptance.md). Errors that name no child but whose row
    alone was left out (`Found.skipped`) are counted apart, in `rows_skipped` (decision 0048)."""

    def __init__(self, file_name: str, limit: int = 50_000) -> None:
        self.file_name = file_name
        self.limit = limit
        self.items: list[Found] = []
        self.errors = 0
        self.warnings = 0
        self.file_errors = 0
        self.rows_skipped = 0
        self.error_children: Counter[str] = Counter()

    def add(self, severity: str, rule: str, message: str, **where: Any) -> None:
        self._keep(Found(severity, rule, message, **where))

    def _keep(self, found: Found) -> None:
        if found.severity == "error":
            self.errors += 1
            if found.child_id:
                self.error_children[found.child_id] += 1
            elif found.skipped:
                self.rows_skipped += 1
            else:
                self.file_errors += 1
        else:
            self.warnings += 1
        if len(self.items) < self.limit:
            self.items.append(found)

    def error(self, rule: str, message: str, **where: Any) -> None:
        self.add("error", rule, message, **where)

    def warning(self, rule: str, message: str, **where: Any) -> None:
        self.add("warning", rule, message, **where)

    def mark(self) -> Mark:
        return Mark(
            len(self.items),
            self.errors,
            self.warnings,
            self.file_errors,
            self.rows_skipped,
            Counter(self.error_children),
        )

    def rewind(self, mark: Mark, keep: Callable[[Found], bool]) -> None:
        """Forget what was added since `mark`, except the problems `keep` accepts."""
        kept = [p for p in self.items[mark.items :] if keep(p)]
        del self.items[mark.items :]
        self.errors, self.warnings, self.file_errors = mark.errors, mark.warnings, mark.file_errors
        self.rows_skipped = mark.rows_skipped
        self.error_children = Counter(mark.error_children)
        for found in kept:
            self._keep(found)

    def drop_repeats(self) -> None:
        """Remove problems reported twice word for word (a second attempt that found again what
        the first kept), and take them off the counts."""
        seen: set[tuple] = set()
        unique = []
        for found in self.items:
            key = _every_field(found)
            if key in seen:
                self._uncount(found)
            else:
                seen.add(key)
                unique.append(found)
        self.items = unique

    def _uncount(self, found: Found) -> None:
        if found.severity != "error":
            self.warnings -= 1
            return
        self.errors -= 1
        if not found.child_id:
            if found.skipped:
                self.rows_skipped -= 1
            else:
                self.file_errors -= 1
            return
        self.error_children[found.child_id] -= 1
        if self.error_children[found.child_id] <= 0:
            del self.error_children[found.child_id]
