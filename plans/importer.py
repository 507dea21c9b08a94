"""Importing a plan kept in Excel: read the sheet, map its columns, preview, commit.

The same three steps serve the pages (views.import_*) and `load_demo_plans`:

    sheet = read_sheet(content)                  # header row and rows, with row numbers
    mapping = guess_mapping(sheet.headers)       # {column index: target}; the user can change it
    parsed = parse(sheet, mapping)               # themes, actions, problems; nothing saved
    plan = services.commit_import(run, parsed)   # one transaction: all or nothing

Every problem names the spreadsheet row and column. Errors stop the import;
warnings (a RAG cell that holds a sentence, an end date that is not a date) are
shown in the preview and the value is kept as written."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from io import BytesIO
from typing import Any

from openpyxl.utils import get_column_letter

from returns import limits

from . import dates

TARGETS = {
    "": "Do not import",
    "theme": "Theme, area or recommendation",
    "ref": "Reference",
    "summary": "Action (summary)",
    "outcomes": "Outcomes sought",
    "evidence_base": "Evidence base for improvement",
    "future_ambition": "Future ambition",
    "milestones": "Milestones (one a line, each with its date)",
    "leads": "Leads (one a line)",
    "end_date": "End date",
    "lead_and_end_date": "Leads and completion date in one cell",
    "progress": "Progress note (key points to note)",
    "rag": "RAG status",
}
# Header words -> target; the first that matches wins.
GUESSES = [
    (r"^ref", "ref"),
    (r"recommendation|^area|^theme|^point|^priority", "theme"),
    (r"lead.*(completion|date)", "lead_and_end_date"),
    (r"^lead|owner|responsib", "leads"),
    (r"outcome", "outcomes"),
    (r"evidence", "evidence_base"),
    (r"ambition", "future_ambition"),
    (r"milestone", "milestones"),
    (r"rag|status", "rag"),
    (r"end date|completion|timetable|due|deadline", "end_date"),
    (r"key points|progress|update|commentary|comment", "progress"),
    (r"action|summary|task", "summary"),
]
RAG_WORDS = {
    "r": "red",
    "red": "red",
    "a": "amber",
    "amber": "amber",
    "g": "green",
    "green": "green",
    "b": "blue",
    "blue": "blue",
    "c": "blue",
    "complete": "blue",
    "completed": "blue",
    "done": "blue",
}
NUMBERED = re.compile(
    r"^(?:(?:area|theme|recommendation|rec|point|priority|section)\s*)?(\d+(?:\.\d+)?)\s*[.:)]?\s*[-–:]?\s+(.+)$",
    re.I | re.S,
)


class SheetError(ValueError):
    pass


@dataclass
class Sheet:
    name: str
    sheet_names: list[str]
    header_row: int
    headers: list[str]
    rows: list[tuple[int, list[Any]]]  # (spreadsheet row number, cell values)
    title: str = ""

    def letter(self, col: int) -> str:
        return get_column_letter(col + 1)

    def column_name(self, col: int) -> str:
        header = self.headers[col] if col < len(self.headers) else ""
        return f"{self.letter(col)} ({header})" if header else self.letter(col)


@dataclass
class Problem:
    row: int
    column: str
    message: str
    error: bool = True

    def __str__(self) -> str:
        where = f"Row {self.row}" + (f", column {self.column}" if self.column else "")
        return f"{where}: {self.message}"


@dataclass
class ParsedMilestone:
    text: str
    due: dt.date | None
    due_text: str = ""


@dataclass
class ParsedAction:
    row: int
    ref: str = ""
    summary: str = ""
    outcomes: str = ""
    evidence_base: str = ""
    future_ambition: str = ""
    milestones: list[ParsedMilestone] = field(default_factory=list)
    leads: list[str] = field(default_factory=list)
    end_date: dt.date | None = None
    end_text: str = ""
    notes: list[str] = field(default_factory=list)
    rag: str = ""


@dataclass
class ParsedTheme:
    row: int
    number: str
    title: str
    description: str = ""
    actions: list[ParsedAction] = field(default_factory=list)


@dataclass
class Parsed:
    themes: list[ParsedTheme]
    problems: list[Problem]
    columns: list[str]
    labels: dict[str, str]

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.error]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if not p.error]

    @property
    def actions(self) -> list[ParsedAction]:
        return [a for t in self.themes for a in t.actions]


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def read_sheet(content: bytes, sheet: str = "", header_row: int = 0) -> Sheet:
    """The sheet's rows. The header row is the first with three or more cells filled
    (unless header_row says otherwise); a single cell above it is the plan's title."""
    bounds = limits.XlsxLimits.of("plans")
    try:
        # Before openpyxl opens it: the parts' sizes and the shared strings it would load (a bomb's).
        limits.check_xlsx(BytesIO(content), "The workbook", bounds)
        book = limits.open_workbook(BytesIO(content), data_only=True)
    except limits.TooBig as exc:
        raise SheetError(exc.message) from None
    except Exception as exc:  # openpyxl raises many kinds for a file that is not a workbook
        raise SheetError("The file is not an Excel workbook (.xlsx) that can be read.") from exc
    names = list(book.sheetnames)
    if not names:  # a workbook of chart sheets only, or one whose sheet list is damaged
        book.close()
        raise SheetError("The workbook has no sheet of rows to read.")
    ws = book[sheet] if sheet in names else book[names[0]]
    try:  # rows as written (no padding to a declared size), within the limits
        raw = [(i, list(r)) for i, r in limits.xlsx_rows(ws, "The workbook", bounds)]
    except limits.Refused as exc:  # too big, or damaged
        raise SheetError(exc.message) from None
    finally:
        book.close()
    if not header_row:
        header_row = next((i for i, r in raw if sum(1 for v in r if _text(v)) >= 3), 0)
    if not header_row:
        raise SheetError("No header row found: the sheet needs a row of column names (three or more).")
    head = next(r for i, r in raw if i == header_row)
    headers = [" ".join(_text(v).split()) for v in head]
    while headers and not headers[-1]:
        headers.pop()
    title = next((_text(v) for i, r in raw if i < header_row for v in r if _text(v)), "")
    rows = [(i, (r + [None] * len(headers))[: max(len(headers), len(r))]) for i, r in raw if i > header_row]
    return Sheet(ws.title, names, header_row, headers, rows, title)


def guess_mapping(headers: list[str]) -> dict[int, str]:
    mapping: dict[int, str] = {}
    used: set[str] = set()
    for col, header in enumerate(headers):
        h = header.lower()
        for pattern, target in GUESSES:
            if re.search(pattern, h) and target not in used:
                mapping[col] = target
                used.add(target)
                break
    return mapping


def _lines(text: str) -> list[str]:
    out = []
    for line in re.split(r"[\n\r]+", text):
        line = re.sub(r"^\s*(?:[-•*·▪]|\d+\))\s*", "", line).strip()
        if line:
            out.append(line)
    return out


def parse_rag(text: str) -> tuple[str, str, str]:
    """(rag, note, warning). "Green" -> green; "Amber - awaiting guidance" -> amber and a note;
    a sentence -> no RAG, kept as a note; "?????" -> nothing, with a warning."""
    t = text.strip()
    if not t:
        return "", "", ""
    m = re.match(r"^([a-z]+)\b[\s:.,;–—-]*(.*)$", t, re.I | re.S)
    if m and m[1].lower() in RAG_WORDS and (len(m[1]) > 1 or not m[2]):
        return RAG_WORDS[m[1].lower()], m[2].strip(), ""
    if re.search(r"[a-z]", t, re.I):
        return "", t, f"'{_short(t)}' is not a RAG colour; kept as a progress note"
    return "", "", f"'{t}' is not a RAG colour; left unrated"


def _held() -> dict[str, int]:
    """What the plan's tables hold of each short text (the model fields' max_length)."""
    from .models import Action, ActionLead, Milestone, Theme

    return {
        "ref": limits.max_length(Action, "ref"),
        "end_text": limits.max_length(Action, "end_text"),
        "lead": limits.max_length(ActionLead, "name"),
        "due_text": limits.max_length(Milestone, "due_text"),
        "number": limits.max_length(Theme, "number"),
    }


def _short(text: str, n: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 3] + "..."


def parse_milestones(text: str) -> list[ParsedMilestone]:
    out = []
    for line in _lines(text):
        body, days, tail = dates.split_dated(line)
        if days:
            for day in days:
                out.append(ParsedMilestone(body, day, tail if len(days) == 1 else f"{day:%b %Y}"))
        else:
            out.append(ParsedMilestone(body if tail else line, None, tail))
    return out


def parse_lead_and_date(text: str) -> tuple[list[str], dt.date | None, str]:
    """A "Lead & Completion Date" cell: leads one a line, and the completion date
    (the latest date in the cell) with its wording."""
    leads: list[str] = []
    found: list[dt.date] = []
    worded: list[str] = []
    for line in _lines(text):
        days = dates.parse_dates(line)
        if days:
            found += days
            worded.append(line)
        elif re.match(r"^(throughout|ongoing|agreed dates|various|tbc)\b", line, re.I):
            worded.append(line)
        elif (pair := dates.trailing_date(line)) is not None:
            leads.append(pair[0])
            found.append(pair[1])
            worded.append(line[len(pair[0]) :].strip())
        else:
            leads.append(line)
    return leads, (max(found) if found else None), " ".join(worded)


def split_theme(text: str, ordinal: int) -> tuple[str, str]:
    m = NUMBERED.match(" ".join(text.split()))
    if m:
        return m[1], m[2].strip()
    return str(ordinal), " ".join(text.split())


def parse(sheet: Sheet, mapping: dict[int, str], labels: dict[int, str] | None = None) -> Parsed:
    problems: list[Problem] = []
    mapping = {int(k): v for k, v in mapping.items() if v}
    labels = {int(k): v for k, v in (labels or {}).items()}
    by_target: dict[str, int] = {}
    for col, target in sorted(mapping.items()):
        if target not in TARGETS:
            problems.append(Problem(sheet.header_row, sheet.column_name(col), f"unknown target '{target}'"))
        elif target in by_target:
            problems.append(
                Problem(
                    sheet.header_row,
                    sheet.column_name(col),
                    f"'{TARGETS[target]}' is already mapped to column {sheet.column_name(by_target[target])}",
                )
            )
        else:
            by_target[target] = col
    if "summary" not in by_target and "outcomes" not in by_target:
        problems.append(Problem(sheet.header_row, "", "map a column to 'Action (summary)' or to 'Outcomes sought'"))
    if problems:
        return Parsed([], problems, [], {})
    columns = [t for _, t in sorted((c, t) for t, c in by_target.items())]
    col_labels = {
        t: (labels.get(c) or (sheet.headers[c] if c < len(sheet.headers) else "") or TARGETS[t])
        for t, c in by_target.items()
    }

    themes: list[ParsedTheme] = []
    theme_col = by_target.get("theme")
    content_cols = [c for t, c in by_target.items() if t != "theme"]

    def cell(values: list[Any], target: str) -> Any:
        col = by_target.get(target)
        return values[col] if col is not None and col < len(values) else None

    def new_theme(row: int, text: str) -> ParsedTheme:
        number, title = split_theme(text, len(themes) + 1)
        theme = ParsedTheme(row, number, title)
        themes.append(theme)
        return theme

    held = _held()
    current: ParsedTheme | None = None
    for row, values in sheet.rows:
        filled = [i for i, v in enumerate(values) if _text(v)]
        if not filled:
            continue
        if theme_col is not None:
            text = _text(values[theme_col]) if theme_col < len(values) else ""
            if text and (current is None or text != current.title and split_theme(text, 0)[1] != current.title):
                current = new_theme(row, text)
            if not any(c in filled for c in content_cols):
                continue
        elif len(filled) == 1 and filled[0] == 0:
            text = _text(values[0])
            if NUMBERED.match(" ".join(text.split())) or current is None or current.actions:
                current = new_theme(row, text)
            else:
                current.description = (current.description + "\n\n" + text).strip()
            continue
        if current is None:
            current = ParsedTheme(row, "", "Actions")
            themes.append(current)
        action = ParsedAction(row=row)
        action.ref = _text(cell(values, "ref"))
        for name in ("summary", "outcomes", "evidence_base", "future_ambition"):
            setattr(action, name, _text(cell(values, name)))
        if not action.summary:
            action.summary = action.outcomes
        if not action.summary:
            col = by_target["summary"] if "summary" in by_target else by_target["outcomes"]
            problems.append(Problem(row, sheet.column_name(col), "the action is empty"))
        try:
            action.milestones = parse_milestones(_text(cell(values, "milestones")))
        except dates.BadDate as exc:
            problems.append(Problem(row, sheet.column_name(by_target["milestones"]), str(exc)))
        action.leads = _lines(_text(cell(values, "leads")).replace(";", "\n"))
        if "lead_and_end_date" in by_target:
            try:
                leads, end, worded = parse_lead_and_date(_text(cell(values, "lead_and_end_date")))
                action.leads += leads
                action.end_date, action.end_text = end, worded
            except dates.BadDate as exc:
                problems.append(Problem(row, sheet.column_name(by_target["lead_and_end_date"]), str(exc)))
        if "end_date" in by_target:
            raw = cell(values, "end_date")
            where = sheet.column_name(by_target["end_date"])
            try:
                action.end_date = dates.to_date(raw)
                if action.end_date is None and isinstance(raw, str):
                    parsed = dates.parse_dates(raw)
                    action.end_date = max(parsed) if parsed else None
            except dates.BadDate as exc:
                problems.append(Problem(row, where, str(exc)))
            text = _text(raw)
            action.end_text = text if isinstance(raw, str) else ""
            if text and action.end_date is None and not any(p.row == row and p.column == where for p in problems):
                problems.append(Problem(row, where, f"'{_short(text)}' is not a date; kept as written", False))
        progress = _text(cell(values, "progress"))
        if progress:
            action.notes.append(progress)
        rag, note, warning = parse_rag(_text(cell(values, "rag")))
        action.rag = rag
        if note:
            action.notes.append(note)
        if warning:
            problems.append(Problem(row, sheet.column_name(by_target["rag"]), warning, False))
        for lead in action.leads:
            if len(lead) > held["lead"]:
                problems.append(
                    Problem(row, "", f"a lead's name is longer than {held['lead']} characters: '{_short(lead)}'")
                )
        for name, text in [("end_text", action.end_text)] + [("due_text", m.due_text) for m in action.milestones]:
            if len(text) > held[name]:
                problems.append(
                    Problem(row, "", f"'{_short(text)}' is longer than {held[name]} characters; kept in part", False)
                )
        current.actions.append(action)

    seen: dict[str, int] = {}
    for theme in themes:
        for k, action in enumerate(theme.actions, start=1):
            ref_col = sheet.column_name(by_target["ref"]) if "ref" in by_target else ""
            if not action.ref:
                action.ref = f"{theme.number}.{k}" if theme.number else str(len(seen) + 1)
            action.ref = action.ref.rstrip(".")
            if len(action.ref) > held["ref"]:
                problems.append(
                    Problem(
                        action.row,
                        ref_col,
                        f"the reference '{_short(action.ref, 15)}' is longer than {held['ref']} characters",
                    )
                )
            elif action.ref in seen:
                problems.append(
                    Problem(action.row, ref_col, f"reference {action.ref} is used twice (also row {seen[action.ref]})")
                )
            seen.setdefault(action.ref, action.row)
    for theme in themes:
        if len(theme.number) > held["number"]:
            problems.append(
                Problem(theme.row, "", f"the number '{_short(theme.number, 15)}' is longer than {held['number']}")
            )
    if not any(t.actions for t in themes):
        problems.append(Problem(sheet.header_row, "", "no actions found below the header row"))
    return Parsed(themes, problems, columns, col_labels)
