"""Ofsted's register of social care providers, for the SSDA903 rules on the placement's Ofsted URN
(decision 0059, docs/validation-rules-903-ofsted.md).

Ofsted publishes its lists as spreadsheets: the children's homes list and the social care providers
list (current and closed providers), or both in one workbook. An administrator installs them
(`manage.py install_ofsted_providers FILE ...`); each sheet is read as a stream, its header row
being the first row with a URN column, and only five items of each provider are kept: its URN, the
903 placement codes (PLACE) and placement provider codes (PLACE_PROVIDER) Ofsted gives it, its
closing or deregistration date, and its postcode.

The column names recognised (case and spacing ignored) are those of Ofsted's lists as Data to
Insight's csc-validator-be-903 reads them. A sheet with a URN and a postcode but no placement code
is the supported accommodation sheet of the combined workbook: its providers are K3 and PR4.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from returns.ssda903 import reference

# Each item kept, with the column names Ofsted's lists have given it (lower case, single spaces).
COLUMNS: dict[str, tuple[str, ...]] = {
    "urn": ("urn",),
    "placement_codes": ("placement code", "provider code"),
    "provider_codes": ("placement provider code", "provider placement code"),
    "closed": ("deregistration date", "closed date"),
    "postcode": ("setting postcode", "setting address postcode"),
}
SUPPORTED_ACCOMMODATION = ("K3", "PR4")  # what the sheet without placement codes holds
NAMES = ("urn", "placement_codes", "provider_codes", "closed", "postcode")


class RegisterError(Exception):
    """The file is not one of Ofsted's provider lists."""


@dataclass(frozen=True, slots=True)
class Provider:
    urn: str
    placement_codes: str
    provider_codes: str
    closed: datetime.date | None
    postcode: str


def _name(cell) -> str:
    return " ".join(str(cell or "").lower().split())


def _codes(value) -> str:
    """ "K1/K2", "K1, K2" -> "K1,K2"."""
    return ",".join(c for c in re.split(r"[/,;\s]+", str(value or "").upper()) if c)


def _date(value) -> datetime.date | None:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = str(value or "").strip()
    for form in ("%d/%m/%Y", "%Y-%m-%d", "%Y-%m-%d %H:%M:%S"):
        try:
            return datetime.datetime.strptime(text, form).date()
        except ValueError:
            continue
    return None


def _urn(value) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value or "").strip().upper()


def _columns(header: list[str]) -> dict[str, int] | None:
    """The position of each item in a header row; None when the row has no URN and postcode columns."""
    found = {}
    for item, names in COLUMNS.items():
        for name in names:  # the first listed name present wins
            if name in header:
                found[item] = header.index(name)
                break
    return found if "urn" in found and "postcode" in found else None


def providers(rows: Iterable[tuple]) -> Iterator[Provider]:
    """The providers of one sheet's rows (as openpyxl gives them); nothing when no row is a header."""
    at: dict[str, int] | None = None
    for row in rows:
        if at is None:
            at = _columns([_name(c) for c in row])
            continue
        cells = {item: row[i] if i < len(row) else None for item, i in at.items()}
        urn = _urn(cells["urn"])
        if not urn or len(urn) > 10:
            continue
        listed = "placement_codes" in at  # else the supported accommodation sheet
        yield Provider(
            urn,
            _codes(cells["placement_codes"]) if listed else SUPPORTED_ACCOMMODATION[0],
            _codes(cells.get("provider_codes")) if listed else SUPPORTED_ACCOMMODATION[1],
            _date(cells.get("closed")),
            str(cells["postcode"] or "").upper().replace(" ", "")[:8],
        )


def read(path: str | Path) -> Iterator[Provider]:
    """The providers of every sheet of one of Ofsted's spreadsheets, read as a stream."""
    import openpyxl

    path = Path(path)
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # not a workbook openpyxl can open
        raise RegisterError(f"{path.name}: not an Excel workbook ({exc.__class__.__name__})") from None
    try:
        any_sheet = False
        for sheet in book.worksheets:
            rows = _undamaged(sheet.iter_rows(values_only=True), f"{path.name}, sheet {sheet.title}")
            for provider in providers(rows):
                any_sheet = True
                yield provider
        if not any_sheet:
            raise RegisterError(
                f"{path.name}: no sheet of Ofsted's provider lists (a header row with URN and "
                "Setting postcode or Setting address postcode)"
            )
    finally:
        book.close()


def _undamaged(rows: Iterator[tuple], where: str) -> Iterator[tuple]:
    """The sheet's rows; a sheet openpyxl cannot read to its end is a RegisterError, not a crash."""
    from returns.limits import DAMAGE

    try:
        yield from rows
    except DAMAGE as exc:
        raise RegisterError(
            f"{where} is damaged and could not be read ({exc.__class__.__name__}); nothing was installed. "
            "Download Ofsted's spreadsheet again and install it again."
        ) from None


@dataclass
class Register:
    """Providers for the rules: a way to look up a set of URNs. The installed register
    (`installed()`) looks them up in the database; `from_files` holds a small one in memory."""

    source: str
    lookup: object = None  # Callable[[list[str]], list[Provider]]
    held: list[Provider] = field(default_factory=list)

    @classmethod
    def from_files(cls, *paths: str | Path) -> Register:
        return cls(", ".join(Path(p).name for p in paths), held=[p for path in paths for p in read(path)])

    def find(self, urns: list[str]) -> list[Provider]:
        if self.lookup is not None:
            return self.lookup(urns)  # type: ignore[operator]
        wanted = set(urns)
        return [p for p in self.held if p.urn in wanted]


def installed() -> Register | None:
    """The register the administrator installed last, or None."""
    from returns.models import OfstedProvider, OfstedRegister

    latest = OfstedRegister.objects.first()
    if latest is None:
        return None

    return Register(latest.file_names, lookup=reference.lookup(OfstedProvider, "urn", NAMES, Provider))


def install(paths: list[str | Path], user=None):
    """Replace the installed providers with those of Ofsted's spreadsheets at `paths`, record the
    install and audit it. Returns the OfstedRegister. Raises RegisterError."""
    from django.db import transaction

    from returns.models import OfstedProvider, OfstedRegister

    names = ", ".join(Path(p).name for p in paths)
    with transaction.atomic():
        rows = (OfstedProvider(**{n: getattr(p, n) for n in NAMES}) for path in paths for p in read(path))
        count = reference.replace_rows(OfstedProvider, rows)
        if not count:
            raise RegisterError(f"{names}: the lists hold no providers")
        return reference.record_install(
            OfstedRegister,
            user,
            f"Installed Ofsted's provider lists {names} ({count} providers)",
            file_names=names[:500],
            providers=count,
        )


def install_uploads(files: list[tuple[str, Iterable[bytes]]], user=None):
    """Install Ofsted's lists uploaded on the returns pages ((name, chunks) each), as `install` does.
    The lists are small (thousands of providers), so they are installed in the request."""
    import tempfile

    with tempfile.TemporaryDirectory(prefix="ofsted-") as folder:
        paths: list[str | Path] = []
        for n, (name, chunks) in enumerate(files):
            path = Path(folder) / str(n) / Path(name).name
            path.parent.mkdir()
            paths.append(reference.save_upload(chunks, path))
        return install(paths, user)


def stage(con: duckdb.DuckDBPyConnection, register: Register, directory=None) -> None:
    """The table `providers` (URN, place_codes, provider_codes as lists, closed, postcode, la)
    holding the register's providers for every URN of the return's episodes, looked up once. `la` is
    the local authority code of the provider's postcode, found in the ONS Postcode Directory
    `directory` (returns/ssda903/postcodes.py; 229 and 241 read it), NULL without one."""
    given = "SELECT DISTINCT upper(trim(URN)) FROM episodes WHERE URN IS NOT NULL"
    urns = [u for (u,) in con.execute(given).fetchall()]
    found = register.find(sorted(urns))
    con.execute(
        "CREATE TABLE providers AS SELECT unnest($1::VARCHAR[]) AS URN, "
        "string_split(unnest($2::VARCHAR[]), ',') AS place_codes, "
        "string_split(unnest($3::VARCHAR[]), ',') AS provider_codes, "
        "unnest($4::DATE[]) AS closed, unnest($5::VARCHAR[]) AS postcode, NULL::VARCHAR AS la",
        [[getattr(p, n) for p in found] for n in NAMES],
    )
    if directory is not None:
        from returns.ssda903 import postcodes

        entries = directory.find(sorted({p.postcode for p in found if p.postcode}))
        columns = ["postcode", "district", "county"]
        con.execute(
            "CREATE TABLE provider_postcodes AS SELECT unnest($1::VARCHAR[]) AS postcode, "
            "unnest($2::VARCHAR[]) AS district, unnest($3::VARCHAR[]) AS county",
            [[getattr(e, n) for e in entries] for n in columns],
        )
        con.execute(
            f"UPDATE providers SET la = ({postcodes.local_authority('pc')}) "
            "FROM provider_postcodes pc WHERE pc.postcode = providers.postcode"
        )
