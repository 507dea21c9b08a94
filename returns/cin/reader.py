"""Streaming reader of the DfE children in need census XML.

The file is read with lxml.iterparse and each <Child> is validated against the
DfE schema for the file's collection year, then turned into plain records and
dropped, so memory stays flat whatever the size of the file. The parser never
resolves entities, never loads a DTD and never touches the network; any DOCTYPE
is refused outright (entity bombs, external entities).
"""

import datetime as dt
import re
import tempfile
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from lxml import etree

from returns import limits
from returns.cin import schemas as cin_schemas
from returns.formats import namespace_advice, wrong_kind, xml_syntax
from returns.limits import quoted, shown
from returns.problems import ProblemLog

if TYPE_CHECKING:
    from returns.cin.tables import RulesRows

RULES = {
    "SCHEMAV_CVC_ENUMERATION_VALID": "code not in the year's code list",
    "SCHEMAV_CVC_DATATYPE_VALID_1_2_1": "not a valid value (date, number) for the field",
    "SCHEMAV_ELEMENT_CONTENT": "element missing, unexpected or out of order",
    "SCHEMAV_CVC_COMPLEX_TYPE_2_3": "stray text between elements",
    "SCHEMAV_CVC_PATTERN_VALID": "value does not match the required pattern",
    "SCHEMAV_CVC_MINLENGTH_VALID": "value is empty",
}


def schema_rule(type_name: str) -> str:
    return "schema: " + RULES.get(type_name, type_name.lower().removeprefix("schemav_"))


# Where a problem is put right (issue 13 point 5g): a wrong value in a child's record in the case
# management system; the file's form in the census export, with nothing in the records to correct.
FIX_IN_CMS = "Correct it in the case management system and export the census again."
EXPORT_AGAIN = "Export the census again and upload the file as exported; nothing in the records needs correcting."
FIX_HEADER = (
    "Correct the header in the case management system's census export and export it again; nothing in the "
    "children's records needs correcting."
)


def schema_advice(type_name: str, message: str) -> str:
    """What to do about a schema error in a child's record. A missing element is a blank required value;
    text between elements, or an element out of place in a complete record, is the export's doing. A date
    has its advice from _schema_message."""
    if "'xs:date'" in message:
        return ""
    if type_name == "SCHEMAV_CVC_COMPLEX_TYPE_2_3":
        return " " + EXPORT_AGAIN
    if type_name == "SCHEMAV_ELEMENT_CONTENT" and "Missing child element" not in message:
        return (
            " Correct the record in the case management system and export the census again; if it is right "
            "there, the census export writes the elements out of order: ask the system's supplier."
        )
    if type_name == "SCHEMAV_ELEMENT_CONTENT":
        return " Record the missing value in the case management system and export the census again."
    return " " + FIX_IN_CMS


SCHEMA_DIR = cin_schemas.SCHEMA_DIR
XS = "http://www.w3.org/2001/XMLSchema"
# A bundled DfE schema serves the collection that ends on 31 March of its year. Schemas an administrator
# installs, and the provisional 2026-27 extension, come from returns/cin/schemas.py.
SCHEMA_YEARS = cin_schemas.BUNDLED_YEARS
FIRST_YEAR, LAST_YEAR = 2023, 2027  # collections 2022-23 to 2026-27
GENDER_TO_SEX = {"1": "M", "2": "F", "0": "U", "9": "U"}
SEX_TO_GENDER = {"M": "1", "F": "2", "U": "0"}
YES_NO_WORDS = {"true": "1", "false": "0"}
YES_NO_FIELDS = {"ReferralNFA", "ICPCnotRequired", "FGDMMeetingOffer", "FGDMMeetingFac"}


def collection_label(year: int) -> str:
    return f"{year - 1}-{str(year)[2:]}"


def uses_sex(year: int) -> bool:
    """From 2024-25 the census sends <Sex> M/F/U instead of <GenderCurrent> 1/2/0/9."""
    return year >= 2025


def schema_for(year: int) -> etree.XMLSchema:
    """The schema for a collection year (installed, bundled or the 2026-27 extension), with Child and
    Header declared global so that each can be validated on its own as it streams past."""
    source = cin_schemas.source_for(year)
    if source is None:
        raise LookupError(f"no CIN schema for {collection_label(year)}")
    return cin_schemas.streaming_schema(source)


def full_schema(year: int) -> etree.XMLSchema:
    source = cin_schemas.source_for(year)
    if source is None:
        raise LookupError(f"no CIN schema for {collection_label(year)}")
    return cin_schemas.whole_schema(source)


def schema_year(collection_year: int) -> int | None:
    return collection_year if collection_year in SCHEMA_YEARS else None


@dataclass(slots=True)
class Rec:
    path: str
    values: dict
    children: dict = field(default_factory=dict)  # name -> list[Rec]
    codes: list = field(default_factory=list)  # disability / assessment factor codes
    extra: dict = field(default_factory=dict)  # values kept beside the register row (PreProceedingsCensus)

    # Pickled by the spool, a million times for England: the constructor and its arguments cost a
    # third of what a slotted dataclass's generated __getstate__/__setstate__ (fields() each time) do.
    def __reduce__(self):
        return Rec, (self.path, self.values, self.children, self.codes, self.extra)


@dataclass(slots=True)
class ChildRec:
    index: int
    path: str
    la_child_id: str
    values: dict
    disabilities: list
    referrals: list  # list[Rec]

    def __reduce__(self):
        return ChildRec, (self.index, self.path, self.la_child_id, self.values, self.disabilities, self.referrals)


def _text(el, name):
    found = el.find(name)
    if found is None or found.text is None:
        return None
    return found.text.strip()


DATES_KEPT = 50_000  # distinct days remembered (a few MB at most)
_DATES: dict[str, dt.date] = {}
# How many dates _date could not read, ever: the DfE schema's xs:date also allows a time zone (2025-04-01Z,
# 2025-04-01+01:00) and a year of five digits or more, which no Python date holds. The reader compares the count
# before and after a child (an int, nothing on the happy path) and then looks for them in the child (_odd_dates).
_UNREAD = [0]


def _date(value):
    """One date object per distinct day: a census repeats the same days many times, and the Spool pickles a
    repeated object as a reference to the first (and reads it back once), not as a new date each time."""
    if not value:
        return None
    day = _DATES.get(value)
    if day is None:
        try:
            day = dt.date.fromisoformat(value)
        except ValueError:  # a date the schema passed that is not YYYY-MM-DD (see _UNREAD)
            _UNREAD[0] += 1
            return None
        if len(_DATES) < DATES_KEPT:
            _DATES[value] = day
    return day


def _readable_day(value: str) -> bool:
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        return False
    return True


def _flag(value):
    return value == "1" if value is not None else False


def _int(value):
    return int(value) if value not in (None, "") else None


class CinReader:
    """Iterate the children of a CIN census file. After iteration, `header`,
    `collection_year` and the problems in `log` are set. `progress(bytes)` is
    called every so often with the number of bytes read."""

    def __init__(
        self,
        source: str | Path | IO[bytes],
        log: ProblemLog,
        progress=None,
        for_rules: bool = False,
        year: int | None = None,
    ) -> None:
        self.source = source
        # The collection the file is checked as when one is given (validate_return --year): its schema,
        # as the DfE's rules use that year too. By default the year of the file's ReferenceDate.
        self.given_year = year
        self.log = log
        self.progress = progress
        self.header: dict = {}
        self.collection_year: Any = None
        self.schema: Any = None
        self.schema_source: cin_schemas.SchemaSource | None = None
        self.count = 0
        self.fatal = False
        from children.models import Child

        self.id_limit = limits.max_length(Child, "la_child_id")
        # With `for_rules`, the DfE rules' tables are written as the file is read (decision 0073).
        self.for_rules = for_rules
        self.rules_rows: RulesRows | None = None
        self._rules_folder: tempfile.TemporaryDirectory | None = None
        self._counting: _CountingReader | None = None

    def rules_tables(self) -> tuple[dict, dict] | None:
        """The DfE rules' header and tables (returns.cin.tables) as the file was read, when they are
        the ones the rules' own reading of the file would give: the whole file read (not fatal), with
        no comment or processing instruction in it (this reader drops comments, which joins the text
        around them; the rules' reading keeps them). None: the rules read the file themselves."""
        if self.rules_rows is None or self.fatal or self._counting is None or self._counting.marked:
            return None
        return self.rules_rows.header, self.rules_rows.tables

    def close(self) -> None:
        """Remove the rules' tables, if any were written."""
        if self._rules_folder is not None:
            self._rules_folder.cleanup()
            self._rules_folder = None

    # -- the file ----------------------------------------------------------
    def _open(self):
        if hasattr(self.source, "read"):
            return self.source, False
        return open(self.source, "rb"), True

    def __iter__(self) -> Iterator[ChildRec]:
        handle, close = self._open()
        try:
            yield from self._read(handle)
        finally:
            if close:
                handle.close()

    def _read(self, handle) -> Iterator[ChildRec]:
        if not hasattr(self.source, "read") and (other := wrong_kind(self.source, "cin")):
            self.log.error("file.wrong-kind", other)
            self.fatal = True
            return
        counting = self._counting = _CountingReader(handle)
        head = counting.peek(4096)
        if said := _compressed(head, self.source):
            self.log.error("xml.compressed", said, location="line 1")
            self.fatal = True
            return
        if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
            self.log.error(
                "xml.doctype",
                "The file declares a DOCTYPE or entities. Census files never do, and entities can be used "
                "to attack the parser (an 'entity bomb'), so the file was not read. " + EXPORT_AGAIN,
                location="line 1",
            )
            self.fatal = True
            return
        events = etree.iterparse(
            counting,
            events=("end",),
            tag=("Header", "Child"),
            resolve_entities=False,
            no_network=True,
            load_dtd=False,
            huge_tree=False,
            remove_comments=True,
        )
        last = 0
        most_children, most_errors = limits.get("cin_children"), limits.get("max_errors")
        if self.for_rules and self.rules_rows is None:
            from returns.cin.tables import RulesRows  # DuckDB's module only when the rules will run

            self._rules_folder = tempfile.TemporaryDirectory(prefix="rulescin-")
            self.rules_rows = RulesRows(Path(self._rules_folder.name))
        try:
            for _event, el in events:
                if el.tag == "Header":
                    self._header(el)
                    if self.fatal:
                        return
                else:
                    counting.child_ended()
                    self.count += 1
                    if self.count > most_children:
                        self._stop(
                            "cin.too-big",
                            f"The file has more than {most_children:,} children, more than any census (England's "
                            "has about 500,000); it was not read further. Check that it is the right file.",
                        )
                        return
                    if self.schema is None and not self.fatal:
                        self.log.error(
                            "cin.header",
                            "The <Header> with the collection details must come before the children. " + EXPORT_AGAIN,
                            location=f"line {el.sourceline}",
                        )
                        self.fatal = True
                        return
                    rec = self._child(el)
                    if rec is not None:
                        yield rec
                    el.clear()
                    parent = el.getparent()
                    while el.getprevious() is not None:
                        del parent[0]
                    if self.log.errors >= most_errors:
                        self._stop(
                            "cin.too-many-errors",
                            f"The check stopped at child {self.count:,}: the file already has {self.log.errors:,} "
                            f"errors (at most {most_errors:,} are reported). Correct these and upload it again.",
                        )
                        return
                if self.progress and counting.read_bytes - last > 1 << 20:
                    last = counting.read_bytes
                    self.progress(last, self.count)
        except etree.XMLSyntaxError as exc:
            line = exc.lineno or "?"
            self.log.error(
                "xml.syntax",
                f"{xml_syntax(exc.msg)} {EXPORT_AGAIN}",
                location=f"line {line}",
            )
            self.fatal = True
            return
        except UnicodeDecodeError as exc:
            self.log.error("xml.encoding", f"The file is not in the encoding it declares: {exc}. {EXPORT_AGAIN}")
            self.fatal = True
            return
        except limits.TooBig as exc:  # counted on the bytes as they are read, before lxml builds the elements
            self._stop("cin.too-big", exc.message.format(child=f"Message/Children/Child[{self.count + 1}]"))
            return
        finally:
            if self.rules_rows is not None:
                self.rules_rows.close()
        if self.progress:
            self.progress(counting.read_bytes, self.count)
        if self.schema is None and not self.fatal:
            self.log.error(
                "cin.header",
                "The file has no <Header> with collection details."
                + (
                    self._namespaced()
                    or " Check that it is a CIN census, as exported; nothing in the records needs correcting."
                ),
            )
            self.fatal = True
        elif self.count == 0 and not self.fatal:
            self.log.error(
                "cin.children",
                "The file has no <Child> records. Check that it is the right file and that the census export "
                "included the children.",
            )

    def _stop(self, rule: str, message: str) -> None:
        self.log.error(rule, f"{self.log.file_name}: {message}")
        self.fatal = True

    # -- the header --------------------------------------------------------
    def _header(self, el) -> None:
        if self.rules_rows is not None:
            self.rules_rows.add_header(el)
        details = el.find("CollectionDetails")
        source = el.find("Source")
        for part, names in (
            (details, ("Collection", "Year", "ReferenceDate")),
            (source, ("SourceLevel", "LEA", "SoftwareCode", "Release", "SerialNo", "DateTime")),
        ):
            for name in names:
                self.header[name] = _text(part, name) if part is not None else None
        most = limits.get("identifier_chars")  # kept on the run's row only: no register column to derive from
        for name, value in self.header.items():
            if value and len(value) > most:
                self.log.error(
                    "cin.too-long",
                    f"Header {name} is {len(value):,} characters long, more than the {most} allowed; the value "
                    "is not shown and the file was not read. " + FIX_HEADER,
                    location="Message/Header",
                    field=name,
                )
                self.header[name] = None
                self.fatal = True
        if self.fatal:
            return
        ref = self.header.get("ReferenceDate")
        if self.given_year:  # the schema check and rule 100 name a wrong or malformed reference date
            year = self.given_year
        else:
            try:
                # The reference date is 31 March of the year in which the collection ends.
                year = dt.date.fromisoformat(ref or "").year
            except ValueError:
                what = f"{quoted(ref)} is not a date" if ref else "is missing or empty"
                self._refuse(
                    "cin.header",
                    f"Header ReferenceDate {what}, so the collection year (and its schema) is unknown. " + FIX_HEADER,
                )
                return
        self.collection_year = year
        if year < SCHEMA_YEARS[0] or year > LAST_YEAR:
            said = (
                f"The file was to be checked as collection {collection_label(year)}; "
                if self.given_year
                else f"Reference date {ref} puts the file in collection {collection_label(year)}; "
            )
            self._refuse(
                "cin.year",
                f"{said}Line of Sight reads {collection_label(SCHEMA_YEARS[0])} to {collection_label(LAST_YEAR)}. "
                "Check that it is the right file and its reference date.",
            )
            return
        self._schema_check(el, year)

    def _refuse(self, rule: str, message: str) -> None:
        """An error on the header's reference date that stops the reading."""
        self.log.error(rule, message, location="Message/Header/CollectionDetails/ReferenceDate", field="ReferenceDate")
        self.fatal = True

    def _schema_check(self, el, year: int) -> None:
        source = cin_schemas.source_for(year)
        if source is None:
            self._refuse(
                "cin.schema-missing",
                f"No DfE schema for collection {collection_label(year)} is installed, so the file cannot be "
                "checked. An administrator can install the DfE's schema under Statutory returns, Schemas.",
            )
            return
        self.schema = cin_schemas.streaming_schema(source)
        self.schema_source = source
        self.header["checked_against"] = source.description
        if not source.dfe:
            self.log.warning(
                "cin.schema-provisional",
                cin_schemas.provisional_warning(source),
                location="Message/Header/CollectionDetails/ReferenceDate",
                field="ReferenceDate",
            )
        if not self.schema.validate(el):
            for e in self.schema.error_log:
                self.log.error(
                    schema_rule(e.type_name),
                    _schema_message(e.message) + ("" if "'xs:date'" in e.message else " " + FIX_HEADER),
                    location=f"Message{e.path} (line {e.line})",
                    field=e.path.rsplit("/", 1)[-1],
                )

    # -- one child ---------------------------------------------------------
    def _child(self, el) -> ChildRec | None:
        path = f"Message/Children/Child[{self.count}]"
        ids = el.find("ChildIdentifiers")
        la_id = (_text(ids, "LAchildID") or "") if ids is not None else ""
        if len(la_id) > self.id_limit:
            self.log.error(
                "cin.too-long",
                f"{path}: LAchildID is {len(la_id):,} characters long, more than the {self.id_limit} the register "
                f"holds; the value is not shown and the child was not read. {FIX_IN_CMS}",
                child_id=la_id[: self.id_limit],
                location=f"{path}/ChildIdentifiers/LAchildID (line {el.sourceline})",
                field="LAchildID",
            )
            if self.rules_rows is not None:
                self.rules_rows.add_child(el)
            return None
        kept = self._normalise(el, ids, la_id, path)
        ok = self.schema.validate(el)
        if not ok:
            for e in self.schema.error_log:
                self.log.error(
                    schema_rule(e.type_name),
                    f"Not valid against {self._against()}: "
                    + _schema_message(e.message)
                    + _stray_text(el, e)
                    + (self._too_early(e.message) or schema_advice(e.type_name, e.message)),
                    child_id=la_id,
                    location=f"{path}{e.path[len('/Child') :]} (line {e.line})",
                    field=e.path.rsplit("/", 1)[-1].split("[")[0],
                )
            if self.rules_rows is not None and not kept:
                self.rules_rows.add_child(el)
            return None
        unread = _UNREAD[0]
        record = self._record(el, ids, la_id, path, None if kept else self.rules_rows)
        if _UNREAD[0] != unread and self._odd_dates(el, la_id, path):
            return None  # the rules have its rows already, from the file's text
        return record

    def _odd_dates(self, el, la_id: str, path: str) -> bool:
        """Each date of the child that the schema passed and Python cannot read is an error: the child is not read.
        False when there is none (another reader in this process counted one)."""
        from returns.cin.tables import is_date_field  # the rules' module, imported only on this rare path

        found = False
        for node in el.iter():
            value = (node.text or "").strip() if len(node) == 0 and is_date_field(node.tag) else ""
            if value and not _readable_day(value):
                found = True
                self.log.error(
                    "cin.date",
                    f"<{node.tag}> is {quoted(value)}: the DfE schema allows a date with a time zone or a year of "
                    "more than four digits, but the census's dates are YYYY-MM-DD, so the child was not read. "
                    + FIX_IN_CMS,
                    child_id=la_id,
                    location=f"{path} (line {node.sourceline})",
                    field=node.tag,
                )
        return found

    def _namespaced(self) -> str:
        """Why no <Header> was found when the elements are in an XML namespace (the census's have none)."""
        if hasattr(self.source, "read"):
            return ""
        try:
            events = etree.iterparse(str(self.source), events=("start",), resolve_entities=False, no_network=True)
            for _event, el in events:  # the root element only
                name = etree.QName(el)
                if not name.namespace:
                    return ""
                return " " + namespace_advice(name.namespace, name.localname, "census") + "."
        except etree.XMLSyntaxError:
            return ""
        return ""

    def _too_early(self, message: str) -> str:
        """What to do when the file has the 2026-27 pre-proceedings block in an earlier year: a 2026-27
        census with the wrong reference date, or an export that added the block a year too soon."""
        year = self.collection_year
        if year >= cin_schemas.EXTENDED_YEAR or f"'{cin_schemas.PP_ELEMENT}'" not in message:
            return ""
        label, new = collection_label(year), collection_label(cin_schemas.EXTENDED_YEAR)
        seen = "this file is checked as" if self.given_year else "this file's ReferenceDate puts it in"
        return (
            f" <{cin_schemas.PP_ELEMENT}> is collected from {new}, and {seen} {label}. If it is the "
            f"{new} census, its ReferenceDate should be {cin_schemas.EXTENDED_YEAR}-03-31 (correct it in the case "
            f"management system's export); if it is the {label} census, the export should leave the block out."
        )

    def _against(self) -> str:
        if self.schema_source is not None and not self.schema_source.dfe:
            return f"Line of Sight's provisional schema for {collection_label(self.collection_year)}"
        return f"the DfE schema for {collection_label(self.collection_year)}"

    def _normalise(self, el, ids, la_id: str, path: str) -> bool:
        """Accept two known departures from the schema with a warning: the sex code
        sent in the other era's element or code set, and true/false for 0/1. The rules judge
        the file as it is: before the first change, the child's rows for them are written
        from the element as the file has it (True returned)."""
        kept = False
        if ids is not None:
            want_sex = uses_sex(self.collection_year)
            for node in list(ids):
                if node.tag not in ("Sex", "GenderCurrent"):
                    continue
                value = (node.text or "").strip()
                if want_sex:
                    new_tag, new_value = "Sex", GENDER_TO_SEX.get(value, value)
                else:
                    new_tag, new_value = "GenderCurrent", SEX_TO_GENDER.get(value, value)
                if (new_tag, new_value) != (node.tag, value) and new_value in ("M", "F", "U", "1", "2", "0", "9"):
                    self.log.warning(
                        "cin.sex-code",
                        f"<{node.tag}>{value}</{node.tag}> is not what the DfE schema for "
                        f"{collection_label(self.collection_year)} allows (it expects <{new_tag}> with "
                        f"{'M, F or U' if want_sex else '1, 2, 0 or 9'}); read as sex "
                        f"{GENDER_TO_SEX.get(new_value, new_value)}. The DfE rejects it: correct the code in "
                        "the case management system's census export.",
                        child_id=la_id,
                        location=f"{path}/ChildIdentifiers/{node.tag} (line {node.sourceline})",
                        field=node.tag,
                    )
                    kept = kept or self._keep_for_rules(el)
                    node.tag, node.text = new_tag, new_value
        for node in el.iter(*YES_NO_FIELDS):  # one walk of the child's tree for all of them
            name = node.tag
            value = (node.text or "").strip().lower()
            if value in YES_NO_WORDS:
                self.log.warning(
                    "cin.yes-no-word",
                    f"<{name}> is '{node.text}'; the DfE schema allows 0 or 1. Read as {YES_NO_WORDS[value]}. "
                    "The census export should write 0 or 1: ask the case management system's supplier; nothing "
                    "in the records needs correcting.",
                    child_id=la_id,
                    location=f"{path} (line {node.sourceline})",
                    field=name,
                )
                kept = kept or self._keep_for_rules(el)
                node.text = YES_NO_WORDS[value]
        return kept

    def _keep_for_rules(self, el) -> bool:
        if self.rules_rows is not None:
            self.rules_rows.add_child(el)
        return True

    def _record(self, el, identifiers, la_id: str, path: str, out) -> ChildRec:
        """The child's records; with `out` (RulesRows), the rules' rows too, from the same text."""
        # One pass over the child's blocks, by tag: the schema has already fixed their order
        # and cardinality. (Iterating is much cheaper than lxml's find(), a path search in Python.)
        ids = _fields(identifiers)
        if out is not None:
            out.start_child(ids)
        ethnicity, codes = None, []
        sex = ids.get("Sex") if uses_sex(self.collection_year) else GENDER_TO_SEX[ids.get("GenderCurrent") or ""]
        values = {
            "upn": ids.get("UPN") or "",
            "former_upn": ids.get("FormerUPN") or "",
            "upn_unknown": ids.get("UPNunknown") or "",
            "birth_date": _date(ids.get("PersonBirthDate")),
            "expected_birth_date": _date(ids.get("ExpectedPersonBirthDate")),
            "sex": sex,
            "death_date": _date(ids.get("PersonDeathDate")),
            "ethnicity": "",
        }
        disabilities: list[str] = []
        referrals: list[Rec] = []
        for block in el:
            tag = block.tag
            if tag == "CINdetails":
                referrals.append(_referral(block, f"{path}/CINdetails[{len(referrals) + 1}]", out))
            elif tag == "ChildCharacteristics":
                for node in block:
                    if node.tag == "Ethnicity":
                        values["ethnicity"] = ethnicity = (node.text or "").strip()
                    elif node.tag == "Disabilities":
                        codes = [(d.text or "").strip() for d in node.iterchildren("Disability")]
                        disabilities = sorted(set(codes))
        if out is not None:
            out.end_child(path, ids, ethnicity, codes)
        return ChildRec(self.count, path, la_id, values, disabilities, referrals)


def _referral(cin, rpath: str, out=None) -> Rec:
    """One <CINdetails> block: the referral's own fields, and the records under it."""
    if out is not None:
        out.start_cin()
    f = {}
    subs: dict[str, list] = {
        "assessments": [],
        "cin_plans": [],
        "section47s": [],
        "cp_plans": [],
        "pre_proceedings": [],
    }
    for node in cin:
        tag = node.tag
        sub = SUB_RECORDS.get(tag)
        if sub is None:
            text = node.text
            f[tag] = text.strip() if text else None
        else:
            name, read = sub
            rows = subs[name]
            rows.append(read(node, f"{rpath}/{tag}[{len(rows) + 1}]", out))
    if out is not None:
        out.cin(rpath, f)
    return Rec(
        rpath,
        {
            "referral_date": _date(f.get("CINreferralDate")),
            "source": f.get("ReferralSource") or "",
            "primary_need": f.get("PrimaryNeedCode") or "",
            "closure_date": _date(f.get("CINclosureDate")),
            "closure_reason": f.get("ReasonForClosure") or "",
            "initial_cpc_date": _date(f.get("DateOfInitialCPC")),
            "nfa": _flag(f.get("ReferralNFA")),
        },
        children=subs,
    )


def _cin_plan(node, ppath: str, out=None) -> Rec:
    p = _fields(node)
    if out is not None:
        out.cin_plan(ppath, p)
    return Rec(ppath, {"start_date": _date(p.get("CINPlanStartDate")), "end_date": _date(p.get("CINPlanEndDate"))})


def _section47(node, spath: str, out=None) -> Rec:
    s47 = _fields(node)
    if out is not None:
        out.section47(spath, s47)
    return Rec(
        spath,
        {
            "start_date": _date(s47.get("S47ActualStartDate")),
            "icpc_target_date": _date(s47.get("InitialCPCtarget")),
            "icpc_date": _date(s47.get("DateOfInitialCPC")),
            "icpc_not_required": _flag(s47.get("ICPCnotRequired")),
        },
    )


def _assessment(node, apath: str, out=None) -> Rec:
    a: dict = {}
    factors: list[str] = []
    for item in node:
        if item.tag == "FactorsIdentifiedAtAssessment":
            factors.extend((x.text or "").strip() for x in item.iterchildren("AssessmentFactors"))
        else:
            a[item.tag] = item.text.strip() if item.text else None
    if out is not None:
        out.assessment(apath, a, factors)
    return Rec(
        apath,
        {
            "start_date": _date(a.get("AssessmentActualStartDate")),
            "internal_review_date": _date(a.get("AssessmentInternalReviewDate")),
            "authorisation_date": _date(a.get("AssessmentAuthorisationDate")),
        },
        codes=sorted(set(factors)),
    )


def _cp_plan(node, ppath: str, out=None) -> Rec:
    p: dict = {}
    reviews: list = []
    for item in node:
        if item.tag == "Reviews":
            reviews.extend((r.text or "").strip() for r in item.iterchildren("CPPreviewDate"))
        else:
            p[item.tag] = item.text.strip() if item.text else None
    if out is not None:
        out.cp_plan(ppath, p, reviews)
    return Rec(
        ppath,
        {
            "start_date": _date(p.get("CPPstartDate")),
            "end_date": _date(p.get("CPPendDate")),
            "initial_category": p.get("InitialCategoryOfAbuse") or "",
            "latest_category": p.get("LatestCategoryOfAbuse") or "",
            "number_of_previous_plans": _int(p.get("NumberOfPreviousCPP")),
        },
        codes=sorted({_date(r) for r in reviews}),
    )


def _pre_proceedings(node, ppath: str, out=None) -> Rec:
    """<PreProceedingsandFGDM> (2026-27): the register's PreProceedings fields, and the rest kept beside
    them. The element names are provisional until the DfE's schema is installed (decision 0039)."""
    p = _fields(node)
    return Rec(
        ppath,
        {
            "decision_date": _date(p.get("PPStartDate")),
            "letter_date": _date(p.get("LBPSentDate")),
            "fgdm_offered": _maybe_flag(p.get("FGDMMeetingOffer")),
            "initial_meeting_date": _date(p.get("InitialPPMeetingDate")),
            "end_date": _date(p.get("StepDecisionDate")),
        },
        extra={
            "fgdm_facilitated": _maybe_flag(p.get("FGDMMeetingFac")),
            "review_meetings": _int(p.get("ReviewMeetingsCount")),
            "outcome_code": p.get("PPOutcome") or "",
            "court_application_date": _date(p.get("CourtAppDate")),
            "letter_to_issue_date": _date(p.get("LetterInitCPDate")),
        },
    )


def _maybe_flag(value):
    """0/1 as False/True; absent as unknown (None), not as no."""
    return None if value in (None, "") else value == "1"


# The blocks inside <CINdetails> that are records of their own: element -> (list, reader).
SUB_RECORDS = {
    "Assessments": ("assessments", _assessment),
    "CINPlanDates": ("cin_plans", _cin_plan),
    "Section47": ("section47s", _section47),
    "ChildProtectionPlans": ("cp_plans", _cp_plan),
    "PreProceedingsandFGDM": ("pre_proceedings", _pre_proceedings),
}


def _fields(el) -> dict:
    """The leaf elements directly inside el, by tag (text stripped)."""
    return {node.tag: node.text.strip() if node.text else None for node in el}


class _CountingReader:
    """A file wrapper that counts the bytes lxml has read, for the progress bar, and the
    elements: the tags are counted on the bytes as lxml asks for them (in blocks of 32 KB), so
    a file with too many elements, or a child with too many, is refused before lxml builds
    them. The count for a child runs from the end of the previous child (as the reader last
    saw it) to the block being read: a block of other children can add to it, so the limit
    per child is far above what a block holds (about 3,000 elements in a real file)."""

    def __init__(self, handle) -> None:
        self.handle = handle
        self.read_bytes = 0
        self._buffer = b""
        self.elements = 0
        self.child_mark = 0
        self.most = limits.get("cin_elements")
        self.most_per_child = limits.get("cin_elements_per_child")
        # Whether the bytes hold a comment or a processing instruction (beyond the XML declaration), or
        # are not in an encoding where '<' is the byte b'<' (UTF-16): see CinReader.rules_tables.
        self.marked = False
        self._tail = b""

    def peek(self, n: int) -> bytes:
        self._buffer = self.handle.read(n)
        return self._buffer

    def _mark(self, data: bytes) -> None:
        if not self.read_bytes:  # the first block: the declaration's own '<?' does not count
            start = data.removeprefix(b"\xef\xbb\xbf")
            if not start.startswith(b"<"):
                self.marked = True
            data = start[5:] if start.startswith(b"<?xml") else start
        seen = self._tail + data  # a mark cut across two blocks
        if b"<!--" in seen or b"<?" in seen:
            self.marked = True
        self._tail = data[-3:]

    def child_ended(self) -> None:
        self.child_mark = self.elements

    def read(self, n: int = -1) -> bytes:
        if self._buffer:
            data, self._buffer = self._buffer, b""
        else:
            data = self.handle.read(n if n and n > 0 else 1 << 16)
        if not self.marked:
            self._mark(data)
        self.read_bytes += len(data)
        # start tags (and comments, processing instructions): every '<' that does not close
        self.elements += data.count(b"<") - data.count(b"</")
        if self.elements > self.most:
            raise limits.TooBig(
                f"the file has more than {self.most:,} elements (XML tags), more than any census (England's has "
                "about 7 million); it was not read further. Check that it is the right file."
            )
        if self.elements - self.child_mark > self.most_per_child:
            raise limits.TooBig(
                f"{{child}} has more than {self.most_per_child:,} elements (XML tags), more than a child's "
                "record can need; the file was not read further. Check what repeats in that child."
            )
        return data


# A quoted value in libxml2's message ("The value 'x' is not ...") is cut to `shown_chars`.
_UK_DATE = re.compile(r"'(\d{1,2})/(\d{1,2})/(\d{4})'")
_ISO_SHAPE = re.compile(r"'\d{4}-\d{2}-\d{2}'")


def _cut_values(message: str) -> str:
    """lxml's message with each quoted value cut to what a message may show. The quoted parts are every other
    piece between apostrophes; a pattern over the whole message took the words between two values for a value."""
    pieces = message.split("'")
    return "'".join(shown(piece) if i % 2 else piece for i, piece in enumerate(pieces))


def _compressed(head: bytes, source) -> str:
    """What to do when the census came compressed (a zip or gzip of the XML, as a large file is often sent):
    the reader takes the XML file itself. "" when the file is not compressed."""
    if head.startswith(b"\x1f\x8b"):
        return (
            "The file is compressed with gzip, not the census XML itself. Decompress it and upload the .xml file; "
            "nothing in the records needs correcting."
        )
    if not head.startswith(b"PK\x03\x04"):
        return ""
    names: list[str] = []
    if not hasattr(source, "read"):
        try:
            with zipfile.ZipFile(source) as archive:
                names = [i.filename for i in archive.infolist() if not i.is_dir()][:5]
        except (zipfile.BadZipFile, OSError):
            names = []
    inside = f" (it holds {', '.join(names)})" if names else ""
    return (
        f"The file is a zip{inside}, not the census XML itself. Unzip it and upload the .xml file; nothing in the "
        "records needs correcting."
    )


def _stray_text(child, error) -> str:
    """For text between elements (a tag lost when the file was edited, or a broken export): the text and the
    element it follows, so that it can be found. `child` is the <Child> the schema checked; `error.path` is
    /Child/... within it."""
    if error.type_name != "SCHEMAV_CVC_COMPLEX_TYPE_2_3":
        return ""
    rest = error.path[len("/Child") :]
    try:
        found = child.xpath("." + rest) if rest else [child]
    except etree.XPathError:
        return ""
    if not found:
        return ""
    parent = found[0]
    if (parent.text or "").strip():
        return f" The text {quoted(parent.text.strip())} stands before the first element inside <{parent.tag}>."
    for node in parent:
        if isinstance(node.tag, str) and (node.tail or "").strip():
            return (
                f" The text {quoted(node.tail.strip())} stands after </{node.tag}> (line {node.sourceline}), where "
                "only elements may be: a tag was probably lost or broken."
            )
    return ""


def _schema_message(message: str) -> str:
    """A schema error as a message, with what to do when a date is not in the census's form."""
    said = _cut_values(message)
    if "'xs:date'" not in message:
        return said
    uk = _UK_DATE.search(message)
    if uk:
        day, month, year = uk.groups()
        return (
            f"{said} The census writes dates year first, yyyy-mm-dd: '{uk.group(0)[1:-1]}' is "
            f"{year}-{int(month):02d}-{int(day):02d} if it is day/month/year. Correct the date format in the case "
            "management system's census export."
        )
    if _ISO_SHAPE.search(message):  # the census's form, but no such day (30 February): the date itself is wrong
        return f"{said} There is no such day: correct the date in the case management system."
    return (
        f"{said} The census writes dates as yyyy-mm-dd (for example 2026-03-31): correct the date in the case "
        "management system, or its form in the system's census export."
    )
