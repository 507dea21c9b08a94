"""Checking a return without loading it (manage.py validate_return) and adding the DfE rules'
findings to an import run's problems (the CIN preview)."""

from __future__ import annotations

import logging
import tempfile
import zipfile
from collections.abc import Iterable
from contextlib import nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace

from django.conf import settings
from django.db import transaction

from returns.cin.tables import UnreadableReturn
from returns.rules.base import ERROR, Finding


@dataclass
class Checked:
    findings: list[Finding] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    unreadable: str = ""  # why the file could not be read, if it could not

    @property
    def has_error(self) -> bool:
        return any(f.kind == ERROR for f in self.findings)


def check_return(paths: list[Path], kind: str, year: int | None = None, previous: Path | None = None) -> Checked:
    """The findings on a return: for a CIN census or a 903 the DfE's rules and the format checks; for
    Annex A and the SSD the checks the importers' previews make. Writes nothing: the
    dry run happens inside a transaction that is always rolled back. `previous` is last year's 903
    return (a file or folder, as `paths`); by default the register's (previous_903)."""
    checked = Checked()
    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        checked.unreadable = f"No such file: {', '.join(missing)}"
        return checked
    with tempfile.TemporaryDirectory() as folder:
        source = _one_file(paths, Path(folder), kind)
        try:
            with transaction.atomic():
                fatal = _format_checks(source, kind, checked, year)
                transaction.set_rollback(True)
        except UnreadableReturn as exc:
            checked.unreadable = str(exc)
            return checked
        if fatal:
            checked.unreadable = _why_unreadable(checked.findings)
            return checked
        if kind == "cin":
            from returns.cin.reader import collection_label
            from returns.cin.validation import check_cin

            try:
                findings, meta = check_cin(source, year=year, installed=True)
            except UnreadableReturn as exc:
                checked.unreadable = str(exc)
                return checked
            checked.findings[:0] = [
                Finding(f.rule, f.child, f.kind, f.fields, f.location, f.message, source.name) for f in findings
            ]
            checked.notes += meta["notes"]
            label = collection_label(meta["collection_year"])
            if meta["rules"]:
                checked.notes.append(
                    f"{len(meta['rules'])} DfE CIN census rules for {label} were checked "
                    "(none of them compares with last year's return)."
                )
            else:
                checked.notes.append(
                    f"Line of Sight holds the DfE's CIN census rules for 2024-25 to 2026-27, not {label}: "
                    "only the format checks were made."
                )
        elif kind == "ssda903":
            last = _one_file([previous], Path(folder) / "previous", kind) if previous else None
            _add_903(source, year, checked, last)
        else:
            from returns.models import Kind

            # Annex A is Ofsted's list and the SSD a sector standard: the DfE's validation rules are for its
            # own collections (CIN census, SSDA903), so here the importer's checks are the whole check.
            checked.notes.append(
                f"The DfE's validation rules are for the CIN census and the SSDA903; for {Kind(kind).label} "
                "Line of Sight made its own checks of the format, codes and dates."
            )
    return checked


def _why_unreadable(findings: list[Finding]) -> str:
    """The errors that stopped the reader, then the warnings on the file as a whole that may explain them (a
    table skipped because it is not UTF-8, or not a 903 table, before "the Episodes table is missing")."""
    errors = " ".join(f.message for f in findings if f.kind == ERROR)
    notes = " ".join(f.message for f in findings if f.kind != ERROR and not f.child)
    return (errors + (f" Also: {notes}" if notes else ""))[:2000]


def _add_903(source: Path, year: int | None, checked: Checked, previous: Path | None = None) -> None:
    from returns.cin.reader import collection_label
    from returns.ssda903.ofsted import installed as ofsted
    from returns.ssda903.postcodes import installed
    from returns.ssda903.reader import FIRST_LISTED, LAST_YEAR
    from returns.ssda903.tables import UnreadableReturn as Unreadable903
    from returns.ssda903.validation import SSDA903_RULES, check_903

    try:
        findings, meta = check_903(
            source, year=year, previous=previous or previous_903, postcodes=installed, ofsted=ofsted
        )
    except Unreadable903 as exc:
        checked.unreadable = str(exc)
        return
    checked.findings[:0] = [
        Finding(f.rule, f.child, f.kind, f.fields, f.location, f.message, source.name) for f in findings
    ]
    checked.notes += meta["notes"]
    label = collection_label(meta["collection_year"])
    last = meta["previous"]
    if last["checked"]:
        checked.notes.append(
            f"Rules {', '.join(last['checked'])} compared this return with last year's ({last['source']}, "
            f"{collection_label(last['year'])})."
        )
    if last["note"]:
        checked.notes.append(last["note"])
    if meta["postcodes"]["note"]:  # no ONS Postcode Directory installed (decision 0057)
        checked.notes.append(meta["postcodes"]["note"])
    if meta["ofsted"]["note"]:  # no Ofsted provider lists installed (decision 0059)
        checked.notes.append(meta["ofsted"]["note"])
    if meta["rules"]:
        checked.notes.append(
            f"{len(meta['rules'])} of the DfE's SSDA903 rules for {label} were checked (of about 300; "
            f"docs/validation-rules.md lists them)."
        )
    else:
        checked.notes.append(
            f"Line of Sight holds {len(SSDA903_RULES.rules)} of the DfE's SSDA903 rules for "
            f"{collection_label(FIRST_LISTED)} to {collection_label(LAST_YEAR)}, not for {label}: "
            "only the format checks were made."
        )


def previous_903(year: int) -> Path | None:
    """Last year's SSDA903 return as the register holds it: the file of the latest committed import
    run of the 903 for the collection year before `year`, if that file is still kept. Committed
    only: a preview that was never committed may be a wrong or superseded file (decision 0047)."""
    from returns.models import ImportRun, Kind, Status

    runs = ImportRun.objects.filter(kind=Kind.SSDA903, collection_year=year - 1, status=Status.COMMITTED)
    for stored in runs.order_by("-committed_at", "-pk").values_list("stored_path", flat=True):
        if stored and Path(stored).is_file():
            return Path(stored)
    return None


def _one_file(paths: list[Path], folder: Path, kind: str) -> Path:
    """A folder or several files (the 903 CSV tables) packed as one zip, as an upload is stored."""
    if len(paths) == 1 and paths[0].is_file():
        return paths[0]
    # A folder gives its CSV tables, as the import command takes it.
    files = [
        p
        for path in paths
        for p in (sorted(q for q in path.iterdir() if q.suffix.lower() == ".csv") if path.is_dir() else [path])
        if p.is_file()
    ]
    folder.mkdir(exist_ok=True)
    packed = folder / (f"{kind}.ssd.zip" if kind == "ssd" else f"{kind}.zip")
    with zipfile.ZipFile(packed, "w") as archive:
        for p in files:
            archive.write(p, p.name)
    return packed


def _format_checks(source: Path, kind: str, checked: Checked, year: int | None = None) -> bool:
    """The reader's and the importer's own checks, in a dry run, for the collection `year` when one is given
    (the same year as the DfE's rules: its schema or code lists); True when the file could not be read."""
    from returns.formats import format_for
    from returns.problems import ProblemLog

    fmt = format_for(kind)
    problems = ProblemLog(source.name)
    run = SimpleNamespace(stored_path=str(source), file_name=source.name, size=source.stat().st_size)
    # The CIN reader need not write the rules' tables (for_rules): check_return reads the file for the rules.
    reader = fmt.reader(run, problems, None, year=year, for_rules=False)
    importer = fmt.importer(problems, run=None, dry_run=True)
    importer.dfe_rules = False  # check_return runs them, with their own kinds
    importer.consume(reader)
    for p in problems.items:
        location = p.location if not p.file or p.location.startswith(p.file) else f"{p.file} {p.location}".strip()
        fields = [p.field] if p.field else []
        checked.findings.append(Finding(p.rule, p.child_id, p.severity, fields, location, p.message, p.file))
    return bool(getattr(reader, "fatal", False))


def add_cin_rule_findings(log, source, collection_year, started=None, read=None) -> None:
    """The hook in the CIN import: the DfE rules' findings join the run's problems, under the
    DfE's code. A DfE error blocks the child (or, until per-child acceptance, the run) only when
    settings.RETURNS_DFE_ERRORS_BLOCK is set; otherwise it is listed as a warning that says it
    is a DfE error, so that returns that import today keep importing. `started`: the same rules
    begun earlier on the same file (validation.started_check_cin), whose result is waited for here. `read`:
    the rules' header and tables the census reader wrote as it read the file (decision 0073), or None."""
    from returns.cin.validation import check_cin

    def check(source, year):  # the code lists of the schema the file was checked against (decision 0039)
        if started is not None:
            return nullcontext(started())
        return nullcontext(check_cin(source, year=year, installed=True, read=read))

    _add_findings(log, check, UnreadableReturn, source, collection_year, "")


def add_903_rule_findings(log, source, collection_year) -> None:
    """The hook in the 903 import (Ssda903Importer.consume), as add_cin_rule_findings is the CIN's:
    the DfE rules' findings join the run's problems under the DfE's code. A DfE error is an error,
    and so holds its child back (decision 0028), only when settings.RETURNS_DFE_ERRORS_BLOCK is set;
    otherwise it is listed as a warning that says it is a DfE error. The findings are added as the
    rules' database gives them, not gathered in a list first (decision 0061)."""
    from functools import partial

    from returns.ssda903.ofsted import installed as ofsted
    from returns.ssda903.postcodes import installed
    from returns.ssda903.tables import UnreadableReturn as Unreadable903
    from returns.ssda903.validation import checking_903

    # the rules that compare with last year (rules/lastyear.py) read the register's previous 903 (decision 0047);
    # those on the placement's local authority and distance the installed postcodes (decision 0057),
    # those on the placement's URN the installed Ofsted provider lists (decision 0059)
    check = partial(checking_903, previous=previous_903, postcodes=installed, ofsted=ofsted)
    _add_findings(log, check, Unreadable903, source, collection_year, "903 ")


def _add_findings(log, check, unreadable, source, collection_year, which: str) -> None:
    """Run one return's DfE rules and add their findings to the run's problems (shared by both hooks).
    `check` gives a context of (the findings, what the run knew). A fault part-way through the findings
    takes back what they had added, so that the run says only that the rules could not be run, as when
    the findings were gathered first."""
    if not isinstance(source, (str, Path)) or not isinstance(collection_year, int):
        return  # not read from a file, or the collection year was unreadable (already reported)
    before = log.mark()
    try:
        with check(source, year=collection_year) as (findings, meta):
            _add_each(log, findings, meta)
    except unreadable:
        log.rewind(before, keep=lambda _found: False)
        return  # the reader has reported why
    except Exception as exc:  # a fault in a rule must not stop an import the format checks passed
        log.rewind(before, keep=lambda _found: False)
        logging.getLogger(__name__).exception("the DfE %srules failed", which)
        log.warning(
            "dfe.rules",
            f"The DfE's {which}validation rules could not be run ({exc.__class__.__name__}); "
            "check the return with manage.py validate_return, and tell the support team.",
        )


def _add_each(log, findings: Iterable[Finding], meta: dict) -> None:
    block = getattr(settings, "RETURNS_DFE_ERRORS_BLOCK", False)
    for note in meta["notes"]:
        log.warning("dfe.rules", note)
    if meta.get("previous", {}).get("note"):  # rules left unchecked for want of last year's return
        log.warning("dfe.previous", meta["previous"]["note"])
    if meta.get("postcodes", {}).get("note"):  # rules left unchecked for want of a postcode directory
        log.warning("dfe.postcodes", meta["postcodes"]["note"])
    if meta.get("ofsted", {}).get("note"):  # rules left unchecked for want of Ofsted's provider lists
        log.warning("dfe.ofsted", meta["ofsted"]["note"])
    for f in findings:
        severity = "error" if f.kind == ERROR and block else "warning"
        log.add(
            severity,
            f.rule,
            f"DfE {f.kind}: {f.message}",
            child_id=f.child,
            location=f.location,
            field=", ".join(f.fields),
        )
