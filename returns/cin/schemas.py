"""Which XML schema a CIN census of a collection year is checked against, and the checks an
uploaded DfE schema must pass before it is installed (decision 0039).

For a collection year, in this order: the schema an administrator installed for it (the latest
version), else the DfE schema bundled in returns/cin/xsd/, else, for 2026-27 only, Line of
Sight's provisional extension: the latest DfE schema held (installed or bundled) with the
2026-27 <PreProceedingsandFGDM> block added from returns/cin/xsd/CIN_extension_2027.xsd. A file
checked against the extension was not checked against the DfE's 2026-27 schema, and says so.
"""

import copy
import functools
import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from django.db import DatabaseError
from lxml import etree

SCHEMA_DIR = Path(__file__).resolve().parent / "xsd"
BUNDLED_YEARS = (2022, 2023, 2024, 2025, 2026)  # a schema serves the collection ending 31 March of its year
EXTENDED_YEAR = 2027  # 2026-27: the DfE's schema is not bundled (see CIN_extension_2027.xsd)
EXTENSION = SCHEMA_DIR / "CIN_extension_2027.xsd"
XS_NS = "http://www.w3.org/2001/XMLSchema"
XS = f"{{{XS_NS}}}"
MOST_BYTES = 2 * 1024 * 1024  # the DfE's CIN schemas are about 20 KB
PP_ELEMENT = "PreProceedingsandFGDM"
if TYPE_CHECKING:
    from returns.models import InstalledSchema
PP_NAMES = (  # its elements, in order (their source: CIN_extension_2027.xsd)
    "PPStartDate",
    "LBPSentDate",
    "FGDMMeetingOffer",
    "FGDMMeetingFac",
    "InitialPPMeetingDate",
    "ReviewMeetingsCount",
    "StepDecisionDate",
    "PPOutcome",
    "CourtAppDate",
    "LetterInitCPDate",
)


def label(year: int) -> str:
    return f"{year - 1}-{str(year)[2:]}"


@dataclass(frozen=True)
class SchemaSource:
    """The schema a collection year's files are checked against, and what to say about it."""

    year: int
    content: bytes
    sha256: str
    description: str  # for the run's page, e.g. "the DfE schema for 2025-26 (bundled)"
    dfe: bool  # False: Line of Sight's provisional extension, not the DfE's schema for the year
    base: str = ""  # for the extension: the DfE schema it extends


def _parser() -> etree.XMLParser:
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


@functools.cache
def _bundled(year: int) -> bytes:
    return (SCHEMA_DIR / f"CIN_schema_{year}.xsd").read_bytes()


def _installed(year: int):
    from returns.models import InstalledSchema, Kind

    try:
        return InstalledSchema.objects.filter(kind=Kind.CIN, collection_year=year, active=True).first()
    except DatabaseError:  # the table is not there yet (before migrate): only the bundled schemas
        return None


def _dfe_source(year: int) -> SchemaSource | None:
    """The DfE's own schema for the year, installed or bundled, or None."""
    installed = _installed(year)
    if installed is not None:
        return SchemaSource(
            year,
            bytes(installed.content),
            installed.sha256,
            f"the DfE schema for {label(year)} installed by {installed.uploaded_by_name or 'an administrator'} on "
            f"{installed.uploaded_at:%d %B %Y} (version {installed.version}, {installed.file_name})",
            True,
        )
    if year in BUNDLED_YEARS:
        content = _bundled(year)
        return SchemaSource(
            year,
            content,
            hashlib.sha256(content).hexdigest(),
            f"the DfE schema for {label(year)} (CIN_schema_{year}.xsd, bundled)",
            True,
        )
    return None


def _latest_before(year: int) -> SchemaSource | None:
    from returns.models import InstalledSchema, Kind

    try:
        installed = set(
            InstalledSchema.objects.filter(kind=Kind.CIN, collection_year__lt=year, active=True).values_list(
                "collection_year", flat=True
            )
        )
    except DatabaseError:
        installed = set()
    years = sorted(installed | {y for y in BUNDLED_YEARS if y < year})
    return _dfe_source(years[-1]) if years else None


def source_for(year: int) -> SchemaSource | None:
    """The schema for the collection ending 31 March `year`, or None when there is none."""
    own = _dfe_source(year)
    if own is not None or year != EXTENDED_YEAR:
        return own
    base = _latest_before(year)
    if base is None:
        return None
    content = extend(base.content)
    return SchemaSource(
        year,
        content,
        hashlib.sha256(content).hexdigest(),
        f"Line of Sight's provisional 2026-27 schema: {base.description}, extended with the 2026-27 "
        "pre-proceedings elements known from public sources (not the DfE's 2026-27 schema)",
        False,
        base.description,
    )


def provisional_warning(source: SchemaSource) -> str:
    return (
        f"Checked without the DfE's {label(source.year)} schema, which is not installed. The file was checked "
        f"against {source.base}, with the {label(source.year)} pre-proceedings block <{PP_ELEMENT}> added by "
        "Line of Sight under the element names Data to Insight's validator uses, not the DfE's. An administrator "
        "can install the DfE's schema under Statutory returns, Schemas; then upload the file again."
    )


def extend(base: bytes) -> bytes:
    """The base schema with the 2026-27 <PreProceedingsandFGDM> block added to <CINdetails>
    (unchanged when the base already declares it)."""
    doc = etree.fromstring(base, _parser())
    if doc.find(f".//{XS}element[@name='{PP_ELEMENT}']") is not None:
        return base
    details = _local_type(doc, _declaration(doc, "CINdetails"))
    if details is None or details.find(f"{XS}sequence") is None:
        raise ValueError("the base schema has no <CINdetails> sequence to extend")
    extension = etree.parse(str(EXTENSION), _parser()).getroot()
    etree.SubElement(
        details.find(f"{XS}sequence"),
        f"{XS}element",
        name=PP_ELEMENT,
        type="los_preproceedingstype",
        minOccurs="0",
        maxOccurs="unbounded",
    )
    for typ in extension:
        if isinstance(typ.tag, str):  # not the comment
            doc.append(copy.deepcopy(typ))
    return etree.tostring(doc, xml_declaration=True, encoding="UTF-8")


def _declaration(doc, name: str):
    found = doc.iter(f"{XS}element")
    return next((el for el in found if el.get("name") == name), None)


def _local_type(doc, element):
    """The complexType of an element declaration: inline, or named at the top of the schema."""
    if element is None:
        return None
    inline = element.find(f"{XS}complexType")
    if inline is not None:
        return inline
    name = (element.get("type") or "").split(":")[-1]
    return doc.find(f"{XS}complexType[@name='{name}']") if name else None


def _children_of(doc, element) -> dict:
    """The element declarations directly in an element's complex type, by name."""
    typ = _local_type(doc, element)
    if typ is None:
        return {}
    found: dict = {}
    for el in typ.iter(f"{XS}element"):
        # in this type's own sequence or choice, not in the inline type of an element inside it
        owner = next(el.iterancestors(f"{XS}complexType"), None)
        if el.get("name") and owner is typ:
            found.setdefault(el.get("name"), el)
    return found


def _compile(content: bytes, streaming: bool) -> etree.XMLSchema:
    doc = etree.fromstring(content, _parser())
    if streaming:
        # Child and Header declared at the top too, so that each can be checked on its own as it streams past.
        message = _declaration(doc, "Message")
        top = _children_of(doc, message)
        for parent, name in ((top, "Header"), (_children_of(doc, top.get("Children")), "Child")):
            local = parent.get(name)
            if local is not None and doc.find(f"{XS}element[@name='{name}']") is None:
                glob = copy.deepcopy(local)
                for attr in ("minOccurs", "maxOccurs"):
                    glob.attrib.pop(attr, None)
                doc.append(glob)
    return etree.XMLSchema(doc)


@functools.lru_cache(maxsize=32)
def _compiled(sha256: str, content: bytes, streaming: bool) -> etree.XMLSchema:
    return _compile(content, streaming)


def streaming_schema(source: SchemaSource) -> etree.XMLSchema:
    """The schema with <Child> and <Header> also declared global, for the streaming reader."""
    return _compiled(source.sha256, source.content, True)


def whole_schema(source: SchemaSource) -> etree.XMLSchema:
    return _compiled(source.sha256, source.content, False)


# -- installing a DfE schema -----------------------------------------------------


def problems_with(content: bytes) -> list[str]:
    """Why an uploaded file cannot be installed as a CIN census schema; empty when it can. It must be an
    XML Schema that compiles, on its own (no includes or imports, no namespace: census files have none),
    and declare a CIN census: <Message> holding <Header> and <Children>, <Children> holding <Child>,
    <Child> holding <ChildIdentifiers> and <CINdetails>, and the collection code CIN."""
    if len(content) > MOST_BYTES:
        return [f"The file is {len(content):,} bytes; a CIN census schema is about 20 KB (at most {MOST_BYTES:,})."]
    head = content[:4096]
    if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
        return ["The file declares a DOCTYPE or entities; a DfE schema never does, so it was not read."]
    try:
        doc = etree.fromstring(content, _parser())
    except etree.XMLSyntaxError as exc:
        return [f"The file is not well-formed XML: {exc.msg}."]
    if doc.tag != f"{XS}schema":
        return ["The file is XML but not an XML Schema (its root is not <xs:schema>)."]
    if doc.get("targetNamespace"):
        return ["The schema has a target namespace; CIN census files have none, so none would match it."]
    for kind in ("include", "import", "redefine"):
        if doc.find(f"{XS}{kind}") is not None:
            return [f"The schema uses <xs:{kind}>: install a schema that stands on its own, as the DfE's do."]
    try:
        etree.XMLSchema(doc)
    except etree.XMLSchemaParseError as exc:
        return [f"The file is not a valid XML Schema: {exc}."]
    missing = []
    message = doc.find(f"{XS}element[@name='Message']")
    top = _children_of(doc, message)
    children = _children_of(doc, top.get("Children"))
    child = _children_of(doc, children.get("Child"))
    for needed, found in (
        ("a top-level <Message> element", message is not None),
        ("<Header> in <Message>", "Header" in top),
        ("<Children> in <Message>", "Children" in top),
        ("<Child> in <Children>", "Child" in children),
        ("<ChildIdentifiers> in <Child>", "ChildIdentifiers" in child),
        ("<CINdetails> in <Child>", "CINdetails" in child),
    ):
        if not found:
            missing.append(needed)
    if missing:
        return ["It is not a CIN census schema: it does not declare " + ", ".join(missing) + "."]
    collection = _declaration(doc, "Collection")
    codes = {e.get("value") for e in collection.iter(f"{XS}enumeration")} if collection is not None else set()
    if codes and "CIN" not in codes:
        return [f"It is the schema of another collection ({', '.join(sorted(codes))}), not the CIN census."]
    try:
        _compile(content, streaming=True)
    except etree.XMLSchemaParseError as exc:
        return [f"The schema cannot be used to check one child at a time: {exc}."]
    return []


class SchemaRefused(Exception):
    """The uploaded file cannot be installed; the message says why, for the administrator."""


def install(year: int, file_name: str, content: bytes, user) -> "InstalledSchema":
    """Install an uploaded DfE schema for the CIN collection ending 31 March `year`: checked, stored whole
    as the year's next version and made the active one (the earlier versions are kept, inactive), and
    audited. That year's files are checked against it from the next upload on."""
    from django.db import transaction

    from audit.models import Action
    from audit.services import record
    from returns.models import InstalledSchema, Kind

    problems = problems_with(content)
    if problems:
        raise SchemaRefused(" ".join(problems))
    sha = hashlib.sha256(content).hexdigest()
    with transaction.atomic():
        versions = InstalledSchema.objects.select_for_update().filter(kind=Kind.CIN, collection_year=year)
        current = versions.filter(active=True).first()
        if current is not None and current.sha256 == sha:
            raise SchemaRefused(
                f"This file is already installed for {label(year)} (version {current.version}); nothing changed."
            )
        latest = max((v.version for v in versions), default=0)
        versions.update(active=False)
        schema = InstalledSchema.objects.create(
            kind=Kind.CIN,
            collection_year=year,
            version=latest + 1,
            file_name=file_name[:255],
            content=content,
            sha256=sha,
            uploaded_by=user,
            uploaded_by_name=getattr(user, "username", ""),
            active=True,
        )
        record(
            Action.CREATE,
            obj=schema,
            user=user,
            detail=f"installed CIN census schema for {label(year)}, version {schema.version} ({file_name[:80]}, "
            f"SHA-256 {sha[:16]}…)" + (f", replacing version {current.version}" if current else ""),
        )
    return schema


def years() -> list[tuple[int, str, "SchemaSource | None"]]:
    """Each collection year the CIN reader reads, newest first, with the schema its files are checked against."""
    from returns.cin.reader import FIRST_YEAR, LAST_YEAR

    return [(y, label(y), source_for(y)) for y in range(LAST_YEAR, FIRST_YEAR - 2, -1)]
