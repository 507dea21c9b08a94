"""The ONS Postcode Directory, for the SSDA903 rules that derive where a child was placed from
HOME_POST and PL_POST (decision 0057, docs/validation-rules-903-postcodes.md).

The DfE derives three items of the 903 from the postcodes, and its rules check them: PL_LA (the
local authority of the placement: the county of a two-tier district, else the district; WAL, SCO
or NIR for Wales, Scotland and Northern Ireland), PL_LOCATION (IN the council's own area, else OUT)
and PL_DISTANCE (miles between the two postcodes' grid references, to one decimal place).

An administrator installs the directory once a release (`manage.py install_postcodes`): the ONSPD
CSV (or its zip) is read as a stream, and only the postcode, district, county and grid reference of
each row are kept. The column names of both the older layout (pcd, oslaua, oscty, oseast1m,
osnrth1m) and the 2025 one (pcd7, lad25cd, cty25cd, east1m, north1m) are recognised.
"""

from __future__ import annotations

import codecs
import csv
import re
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
from django_tasks import task

from returns.ssda903 import reference

# The columns kept, each with the names the ONSPD has given it (the year in lad25cd changes).
COLUMNS: dict[str, tuple[str, ...]] = {
    "postcode": (r"pcd", r"pcd7", r"pcd2", r"pcd8", r"pcds"),
    "district": (r"oslaua", r"laua", r"lad\d\dcd"),
    "county": (r"oscty", r"cty\d\dcd"),
    "easting": (r"oseast1m", r"east1m"),
    "northing": (r"osnrth1m", r"north1m"),
}
NAMES = tuple(COLUMNS)  # the items kept, in Entry's order: the fields of the Postcode model too


class DirectoryError(Exception):
    """The file is not an ONS Postcode Directory CSV (or a zip holding one)."""


@dataclass(frozen=True, slots=True)
class Entry:
    postcode: str
    district: str
    county: str
    easting: int | None
    northing: int | None


def normalised(postcode: str | None) -> str:
    """As the rules compare postcodes: upper case, spaces removed ("ab1 2cd" -> "AB12CD")."""
    return (postcode or "").upper().replace(" ", "")


def _columns(header: list[str]) -> dict[str, int]:
    names = [h.strip().lower() for h in header]
    found = {}
    for item, patterns in COLUMNS.items():
        for pattern in patterns:  # the first listed name present wins
            at = [i for i, n in enumerate(names) if re.fullmatch(pattern, n)]
            if at:
                found[item] = at[0]
                break
    missing = [item for item in ("postcode", "district", "easting", "northing") if item not in found]
    if missing:
        raise DirectoryError(
            "not an ONS Postcode Directory CSV: no column for "
            + ", ".join(missing)
            + " (looked for "
            + "; ".join("/".join(p.replace(r"\d\d", "NN") for p in COLUMNS[m]) for m in missing)
            + ")"
        )
    return found


def _number(text: str) -> int | None:
    try:
        number = int(float(text))
    except (ValueError, OverflowError):  # "inf" is a float, not a grid reference
        return None
    # A grid reference is in metres within 0-700,000 east and 0-1,300,000 north: a larger number is a damaged
    # cell, and would not fit the integer columns it is kept in.
    return number if 0 <= number < 10_000_000 else None


def entries(lines: Iterable[str]) -> Iterator[Entry]:
    """Each postcode of the directory's CSV text, read as a stream (a row without a postcode is skipped)."""
    reader = csv.reader(lines)
    at = _columns(next(reader, []))
    county = at.get("county")
    width = max(at.values()) + 1
    for row in reader:
        if len(row) < width:  # a line cut short (or blank): no postcode to read whole, as one without a postcode
            continue
        postcode = normalised(row[at["postcode"]])
        if not postcode or len(postcode) > 8:
            continue
        yield Entry(
            postcode,
            row[at["district"]].strip().upper()[:9],
            row[county].strip().upper()[:9] if county is not None else "",
            _number(row[at["easting"]].strip()),
            _number(row[at["northing"]].strip()),
        )


def read(path: str | Path) -> Iterator[Entry]:
    """The entries of an ONSPD CSV file, or of the main CSV of the ONSPD zip (the largest CSV whose
    header names a postcode and a district: the zip also holds the per-area files and lookups)."""
    path = Path(path)
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as archive:
            candidates = sorted(
                (i for i in archive.infolist() if i.filename.lower().endswith(".csv")),
                key=lambda i: -i.file_size,
            )
            for info in candidates:
                with archive.open(info) as raw:
                    lines = codecs.iterdecode(raw, "utf-8-sig", errors="replace")
                    try:
                        yield from entries(lines)
                        return
                    except DirectoryError:
                        continue
        raise DirectoryError(f"{path.name}: no CSV in the zip is an ONS Postcode Directory")
    with open(path, encoding="utf-8-sig", errors="replace", newline="") as handle:
        try:
            yield from entries(handle)
        except DirectoryError as exc:
            raise DirectoryError(f"{path.name}: {exc}") from None


@dataclass
class Directory:
    """Postcodes for the rules: the council's own code and a way to look up a set of postcodes. The
    installed directory (`installed()`) looks them up in the database; `from_file` holds a small
    directory in memory (tests, bench/agreement_903.py)."""

    council: str
    source: str
    lookup: object = None  # Callable[[list[str]], list[Entry]]
    held: dict[str, Entry] = field(default_factory=dict)

    @classmethod
    def from_file(cls, path: str | Path, council: str) -> Directory:
        return cls(council.strip().upper(), Path(path).name, held={e.postcode: e for e in read(path)})

    def find(self, postcodes: list[str]) -> list[Entry]:
        if self.lookup is not None:
            return self.lookup(postcodes)  # type: ignore[operator]
        return [self.held[p] for p in postcodes if p in self.held]


def installed() -> Directory | None:
    """The directory the administrator installed last, or None."""
    from returns.models import Postcode, PostcodeDirectory

    latest = PostcodeDirectory.objects.first()
    if latest is None:
        return None

    lookup = reference.lookup(Postcode, "postcode", NAMES, Entry)
    return Directory(latest.council, latest.file_name, lookup=lookup)


def council_code(text: str) -> str:
    """The council's own local authority code, upper case; DirectoryError when it is not one."""
    council = text.strip().upper()
    if not re.fullmatch(r"[EWSN]\d{8}", council):
        raise DirectoryError(f"{council!r} is not a local authority code such as E09000027")
    return council


def install(path: str | Path, council: str, user=None, name: str | None = None):
    """Replace the installed postcodes with those of the ONSPD file at `path`, record the install
    (with the council's own code) and audit it. Returns the PostcodeDirectory. Raises DirectoryError."""
    from django.db import transaction

    from returns.models import Postcode, PostcodeDirectory

    council = council_code(council)
    with transaction.atomic():
        rows = (Postcode(**{n: getattr(e, n) for n in NAMES}) for e in read(path))
        # a postcode given twice in the file is kept once (its first row)
        count = reference.replace_rows(Postcode, rows, ignore_conflicts=True)
        if not count:
            raise DirectoryError(f"{Path(path).name}: the directory holds no postcodes")
        file_name = name or Path(path).name
        return reference.record_install(
            PostcodeDirectory,
            user,
            f"Installed the ONS Postcode Directory {file_name} ({count} postcodes), council {council}",
            file_name=file_name,
            council=council,
            postcodes=count,
        )


def pending_dir() -> Path:
    """Where an upload from the returns pages waits for the background worker to install it."""
    from returns.services import upload_dir

    path = upload_dir() / "postcodes"
    path.mkdir(parents=True, exist_ok=True)
    return path


def pending() -> list[str]:
    """The names of the uploads waiting to be installed (or being installed)."""
    return sorted(p.name.split("-", 1)[1] for p in pending_dir().iterdir() if "-" in p.name)


def queue_install(chunks: Iterable[bytes], name: str, council: str, user=None) -> Path:
    """Store an upload from the returns pages and queue its install for the background worker: the
    whole directory takes minutes, longer than a web request may. Its columns are checked first, so a
    file that is not the directory is refused at once (DirectoryError)."""
    import time

    council = council_code(council)
    path = reference.save_upload(chunks, pending_dir() / f"{time.time_ns()}-{Path(name).name}")
    try:
        next(read(path), None)
    except DirectoryError:
        path.unlink()
        raise
    install_task.enqueue(str(path), council, getattr(user, "pk", None), Path(name).name)
    return path


@task()
def install_task(path: str, council: str, user_id: int | None, name: str) -> int:
    """The worker's install of an upload queued from the returns pages; the upload is removed after."""
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.filter(pk=user_id).first() if user_id else None
    try:
        return install(path, council, user, name=name).postcodes
    finally:
        Path(path).unlink(missing_ok=True)


def stage(con: duckdb.DuckDBPyConnection, directory: Directory, tables: list[str]) -> None:
    """The table `postcodes` (postcode, district, county, easting, northing) holding the directory's
    entries for every HOME_POST and PL_POST of the given episode tables, looked up once."""
    wanted: set[str] = set()
    for table in tables:
        for (code,) in con.execute(
            f"SELECT DISTINCT upper(replace(p, ' ', '')) FROM (SELECT HOME_POST AS p FROM {table} "
            f"UNION SELECT PL_POST FROM {table}) WHERE p IS NOT NULL"
        ).fetchall():
            wanted.add(code)
    found = directory.find(sorted(wanted))
    con.execute(
        "CREATE TABLE postcodes AS SELECT unnest($1::VARCHAR[]) AS postcode, unnest($2::VARCHAR[]) AS district, "
        "unnest($3::VARCHAR[]) AS county, unnest($4::INTEGER[]) AS easting, unnest($5::INTEGER[]) AS northing",
        [[getattr(e, n) for e in found] for n in NAMES],
    )


# Where a district code puts a placement outside England: the DfE's PL_LA codes for them.
COUNTRIES = {"W": "WAL", "S": "SCO", "N": "NIR"}


def local_authority(entry: str) -> str:
    """SQL: the DfE's code of the local authority of a postcode looked up as `entry` (a row of
    `postcodes`): its county when a two-tier English county (E10...), else its district; WAL, SCO or
    NIR outside England; NULL when not found or none of these."""
    countries = " ".join(f"WHEN {entry}.district LIKE '{c}%' THEN '{code}'" for c, code in COUNTRIES.items())
    return (
        f"CASE {countries} WHEN {entry}.district LIKE 'E%' THEN "
        f"CASE WHEN {entry}.county LIKE 'E10%' THEN {entry}.county ELSE {entry}.district END END"
    )


def derive(con: duckdb.DuckDBPyConnection, council: str, table: str, out: str) -> None:
    """`out`: the rows of the episode table `table` with the items the DfE derives from the
    postcodes: home_found and pl_found (the postcode is in the directory), PL_LA, PL_LOCATION and
    PL_DISTANCE. PL_LA is the placement's county when its district is in a two-tier English county
    (a county code E10...), else its district; WAL, SCO or NIR outside England; blank when the
    postcode is not found (or has no English, Welsh, Scottish or Northern Irish district, as in the
    Channel Islands and the Isle of Man). PL_LOCATION is IN when PL_LA is the council's own code,
    OUT otherwise, blank when the postcode has no district. PL_DISTANCE is the straight line between
    the home and placement postcodes' grid references, in miles (metres / 1000 / 1.6093, the DfE's
    formula), to one decimal place; blank unless both are found with a grid reference. The council's
    own code is staged as the one-row table `council` (1015 reads it)."""
    con.execute("CREATE OR REPLACE TABLE council AS SELECT $1::VARCHAR AS council", [council])
    con.execute(
        f"""CREATE TABLE {out} AS SELECT *,
            CASE WHEN pl_district IS NULL OR pl_district = '' THEN NULL
                 WHEN PL_LA IS NOT DISTINCT FROM $1 THEN 'IN' ELSE 'OUT' END AS PL_LOCATION
        FROM (SELECT e.*, h.postcode IS NOT NULL AS home_found, p.postcode IS NOT NULL AS pl_found,
                p.district AS pl_district,
                {local_authority("p")} AS PL_LA,
                round(sqrt(pow(h.easting - p.easting, 2) + pow(h.northing - p.northing, 2)) / 1000 / 1.6093, 1)
                    AS PL_DISTANCE
            FROM {table} e
            LEFT JOIN postcodes h ON h.postcode = upper(replace(e.HOME_POST, ' ', ''))
            LEFT JOIN postcodes p ON p.postcode = upper(replace(e.PL_POST, ' ', '')))""",
        [council],
    )
