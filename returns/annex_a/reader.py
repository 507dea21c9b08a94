"""Ofsted Annex A workbook: the template (Lists 1-11, their headers and the
variants real files use), the reading of cell values, and a streaming reader.

The workbook is opened with openpyxl in read-only mode and each sheet is read
row by row; nothing is held but the current row. Each row becomes an `AnnexRow`
of parsed values; every value that cannot be read is reported to the ProblemLog
with the sheet, row, child ID, column and rule. docs/decisions/0010-annex-a.md
says why the rules are what they are.
"""

import datetime as dt
import difflib
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openpyxl.utils import get_column_letter

from audit.logging import error_for_people
from returns import limits
from returns.formats import wrong_kind
from returns.limits import quoted
from returns.problems import ProblemLog

# -- code lists ---------------------------------------------------------------
# Annex A writes most codes with a letter and a label ("q) 6: Police"); the
# register holds the DfE code inside (docs/register-mapping.md). Each table is
# (code, label) in the template's order, which gives the letter on export.

SEXES = [("M", "Male"), ("F", "Female"), ("U", "Not stated/recorded")]
SEX_WORDS = {
    "male": "M",
    "m": "M",
    "1": "M",
    "female": "F",
    "f": "F",
    "2": "F",
    "notstatedrecorded": "U",
    "notstated": "U",
    "notrecorded": "U",
    "notknown": "U",
    "unknown": "U",
    "u": "U",
    "0": "U",
    "9": "U",
    "neither": "U",
    "indeterminate": "U",
}
ETHNICITIES = [
    ("WBRI", "WBRI"),
    ("WIRI", "WIRI"),
    ("WIRT", "WIRT"),
    ("WOTH", "WOTH"),
    ("WROM", "WROM"),
    ("MWBC", "MWBC"),
    ("MWBA", "MWBA"),
    ("MWAS", "MWAS"),
    ("MOTH", "MOTH"),
    ("AIND", "AIND"),
    ("APKN", "APKN"),
    ("ABAN", "ABAN"),
    ("AOTH", "AOTH"),
    ("BCRB", "BCRB"),
    ("BAFR", "BAFR"),
    ("BOTH", "BOTH"),
    ("CHNE", "CHNE"),
    ("OOTH", "OOTH"),
    ("NOBT", "NOBT"),
    ("REFU", "REFU"),
]
REFERRAL_SOURCES = [
    ("1A", "Individual"),
    ("1B", "Individual"),
    ("1C", "Individual"),
    ("1D", "Individual"),
    ("2A", "Schools"),
    ("2B", "Education services"),
    ("3A", "Health services"),
    ("3B", "Health services"),
    ("3C", "Health services"),
    ("3D", "Health services"),
    ("3E", "Health services"),
    ("3F", "Health services"),
    ("4", "Housing"),
    ("5A", "LA services"),
    ("5B", "LA services"),
    ("5C", "LA services"),
    ("6", "Police"),
    ("7", "Other legal agency"),
    ("8", "Other"),
    ("9", "Anonymous"),
    ("10", "Unknown"),
    ("5D", "LA services"),
]
PRIMARY_NEEDS = [(f"N{i}", "") for i in range(10)]
CLOSURE_REASONS = [(f"RC{i}", "") for i in range(1, 10)]
CATEGORIES = [
    ("NEG", "Neglect"),
    ("PHY", "Physical abuse"),
    ("SAB", "Sexual abuse"),
    ("EMO", "Emotional abuse"),
    ("MUL", "Multiple"),
]
CATEGORY_WORDS = {
    "neglect": "NEG",
    "physical": "PHY",
    "physicalabuse": "PHY",
    "sexual": "SAB",
    "sexualabuse": "SAB",
    "emotional": "EMO",
    "emotionalabuse": "EMO",
    "multiple": "MUL",
    "multiplenotrecommended": "MUL",
}
CIN_CATEGORIES = [(f"N{i}", "") for i in range(1, 9)]
LEGAL_STATUSES = [(c, "") for c in ("C1", "C2", "D1", "E1", "J1", "J2", "J3", "L1", "L2", "L3", "V2", "V3", "V4")]
PLACEMENT_TYPES = [
    (c, "")
    for c in (
        "A3 A4 A5 A6 H5 K1 K2 P1 P2 P3 Q1 Q2 R1 R2 R3 R5 S1 T0 T1 T2 T3 T4 U1 U2 U3 U4 U5 U6 Z1".split()  # noqa: SIM905
    )
]
PROVIDERS = [(f"PR{i}", "") for i in range(6)]
REASONS_CEASED = [
    (c, "")
    for c in "E11 E12 E13 E14 E15 E16 E17 E2 E3 E4A E4B E41 E45 E46 E47 E48 E5 E6 E7 E8 E9 X1".split()  # noqa: SIM905
]
PERMANENCE = [
    ("return_home", "Return to family"),
    ("adoption", "Adoption"),
    ("sgo_cao", "SGO/CAO"),
    ("supported_living", "Supported living in the community"),
    ("residential", "Long-term residential placement"),
    ("ltf", "Long-term fostering"),
    ("other", "Other"),
]
ELIGIBILITY = [
    ("relevant", "Relevant child"),
    ("former_relevant", "Former relevant child"),
    ("qualifying", "Qualifying care leaver"),
    ("eligible", "Eligible child"),
]
IN_TOUCH = [("YES", "Yes"), ("NO", "No"), ("DIED", "Died"), ("REFU", "Refused"), ("NREQ", "No longer required")]
IN_TOUCH += [("RHOM", "Returned home")]
IN_TOUCH_WORDS = {"yes": "YES", "no": "NO", "died": "DIED", "refused": "REFU", "refu": "REFU"}
ACCOMMODATION = [(c, "") for c in "B C D E G H K R S T U V W X Y Z".split()]  # noqa: SIM905
SUITABILITY = [("1", "Suitable"), ("2", "Unsuitable")]
SUITABILITY_WORDS = {"suitable": "1", "unsuitable": "2", "notsuitable": "2"}
ACTIVITIES = [(c, "") for c in "F1 P1 F2 P2 F3 P3 F4 P4 F5 P5 G4 G5 G6".split()]  # noqa: SIM905
REVERSED_REASONS = [(f"RD{i}", "") for i in range(1, 5)]
LEAVING_REASONS = [("withdrew", "Adopter withdrew from process"), ("on_hold", "Process put on hold")]
LEAVING_REASONS += [("refused", "Application refused")]
LEAVING_WORDS = {"withdrew": "withdrew", "withdrawn": "withdrew", "onhold": "on_hold", "refused": "refused"}
LOCATION_WORDS = {"in": True, "inside": True, "inborough": True, "out": False, "outside": False}
LOCATION_WORDS |= {"outofborough": False}

TABLES: dict[str, list[tuple[str, str]]] = {
    "sex": SEXES,
    "ethnicity": ETHNICITIES,
    "source": REFERRAL_SOURCES,
    "need": PRIMARY_NEEDS,
    "closure": CLOSURE_REASONS,
    "category": CATEGORIES,
    "cin_category": CIN_CATEGORIES,
    "legal_status": LEGAL_STATUSES,
    "placement": PLACEMENT_TYPES,
    "provider": PROVIDERS,
    "ceased": REASONS_CEASED,
    "permanence": PERMANENCE,
    "eligibility": ELIGIBILITY,
    "in_touch": IN_TOUCH,
    "accommodation": ACCOMMODATION,
    "suitability": SUITABILITY,
    "activity": ACTIVITIES,
    "reversed": REVERSED_REASONS,
    "leaving": LEAVING_REASONS,
}
# Words (normalised labels) accepted for tables whose codes are not written in the cell.
WORDS: dict[str, dict[str, Any]] = {
    "sex": SEX_WORDS,
    "category": CATEGORY_WORDS,
    "in_touch": IN_TOUCH_WORDS,
    "suitability": SUITABILITY_WORDS,
    "leaving": LEAVING_WORDS,
    "location": LOCATION_WORDS,
}


def lettered(table: str, code: str) -> str:
    """The template's form of a code: 'q) 6: Police', 'a) Male', 'a) WBRI'."""
    rows = TABLES[table]
    for i, (c, label) in enumerate(rows):
        if c == code:
            letter = chr(ord("a") + i) if i < 26 else "z" * (i - 24)
            if table in LABELLED:
                return f"{letter}) {label}"
            if label and label != c:
                return f"{letter}) {c}: {label}"
            return f"{letter}) {c}"
    return code


# -- the template ---------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    key: str  # register-side name used by the importer and exporter
    header: str  # the template's header
    kind: str  # id, date, sex, ethnicity, yesno, code, text, int, derived, seen_alone, location
    table: str = ""  # for kind code: which code list
    required: bool = False
    variants: tuple[str, ...] = ()  # other headers real files use


def _common(disability: bool = False) -> list[Column]:
    cols = [
        Column(
            "child_id", "Child Unique ID", "id", required=True, variants=("Child ID", "ChildUniqueID", "LA Child ID")
        ),
        Column("sex", "Gender", "sex", variants=("Sex", "Gender/Sex")),
        Column("ethnicity", "Ethnicity", "ethnicity"),
        Column("birth_date", "Date of Birth", "date", variants=("DOB", "Birth Date", "Child DOB")),
        Column("age", "Age", "derived", variants=("Age of Child (Years)", "Age (Years)", "Age of Child")),
    ]
    if disability:
        cols.append(
            Column(
                "disability",
                "Does the Child have a Disability",
                "yesno",
                variants=("Disability", "Does the child have a disability?", "Child has a disability"),
            )
        )
    return cols


TEAM = Column("team", "Allocated Team", "text", variants=("Team", "Allocated Team Name"))
WORKER = Column("worker", "Allocated Worker", "text", variants=("Worker", "Allocated Social Worker", "Social Worker"))


@dataclass(frozen=True)
class ListSpec:
    number: int
    title: str
    columns: tuple[Column, ...]

    @property
    def sheet(self) -> str:
        return f"List {self.number}"


LISTS: dict[int, ListSpec] = {
    1: ListSpec(
        1,
        "Contacts",
        (
            *_common(),
            Column("contact_date", "Date of Contact", "date", required=True, variants=("Contact Date",)),
            Column("contact_source", "Contact Source", "code", "source", variants=("Source of Contact",)),
        ),
    ),
    2: ListSpec(
        2,
        "Early help",
        (
            *_common(),
            Column(
                "assessment_start_date",
                "Assessment start date",
                "date",
                required=True,
                variants=("Early Help Assessment Start Date", "EH Assessment Start Date"),
            ),
            Column(
                "assessment_completion_date",
                "Assessment completion date",
                "date",
                variants=("Early Help Assessment Completion Date", "EH Assessment Completion Date"),
            ),
            Column(
                "organisation",
                "Organisation completing assessment",
                "text",
                variants=("Organisation completing the assessment", "Organisation"),
            ),
        ),
    ),
    3: ListSpec(
        3,
        "Referrals",
        (
            *_common(),
            Column("referral_date", "Date of Referral", "date", required=True, variants=("Referral Date",)),
            Column("source", "Referral Source", "code", "source", variants=("Source of Referral",)),
            Column("nfa", "Referral NFA?", "yesno", variants=("Referral NFA", "Referral No Further Action", "NFA")),
            Column(
                "referrals_12m",
                "Number of Referrals in Last 12 Months",
                "derived",
                variants=("Number of referrals in the last 12 months",),
            ),
            TEAM,
            WORKER,
        ),
    ),
    4: ListSpec(
        4,
        "Assessments",
        (
            *_common(True),
            Column(
                "start_date",
                "Continuous Assessment Start Date",
                "date",
                required=True,
                variants=("Assessment Start Date", "Date Assessment Started"),
            ),
            Column(
                "child_seen",
                "Child Seen During Continuous Assessment",
                "yesno",
                variants=("Child Seen During Assessment", "Was the child seen during the assessment?"),
            ),
            Column(
                "authorisation_date",
                "Continuous Assessment Date of Authorisation",
                "date",
                variants=("Assessment Date of Authorisation", "Assessment Authorisation Date", "Date of Authorisation"),
            ),
            Column(
                "requires_support",
                "Was the child assessed as requiring LA children's social care support?",
                "support",
                variants=("Was the child assessed as requiring LA childrens social care support",),
            ),
            TEAM,
            WORKER,
        ),
    ),
    5: ListSpec(
        5,
        "Section 47 enquiries and ICPCs",
        (
            *_common(True),
            Column(
                "start_date",
                "Strategy discussion initiating Section 47 Enquiry Start Date",
                "date",
                required=True,
                variants=(
                    "Section 47 Enquiry Start Date",
                    "S47 Start Date",
                    "Strategy discussion initiating S47 Start Date",
                ),
            ),
            Column(
                "icpc_not_required",
                "Was an Initial Child Protection Conference deemed unnecessary?",
                "yesno",
                variants=("ICPC deemed unnecessary", "ICPC not required"),
            ),
            Column(
                "icpc_date",
                "Date of Initial Child Protection Conference",
                "date",
                variants=("ICPC Date", "Date of ICPC"),
            ),
            Column(
                "plan_made",
                "Did the Initial Child Protection Conference Result in a Child Protection Plan",
                "yesno",
                variants=("Did the ICPC result in a Child Protection Plan", "ICPC resulted in CP plan"),
            ),
            Column(
                "s47_12m",
                "Number of Section 47 Enquiries in the last 12 months",
                "derived",
                variants=("Number of S47 Enquiries in the last 12 months",),
            ),
            Column("icpc_12m", "Number of ICPCs in the last 12 months", "derived"),
            TEAM,
            WORKER,
        ),
    ),
    6: ListSpec(
        6,
        "Children in need",
        (
            *_common(True),
            Column("referral_date", "CIN Start Date", "date", required=True, variants=("Child in Need Start Date",)),
            Column("primary_need", "Primary Need Code", "code", "need", variants=("Primary Need", "Category of Need")),
            Column("last_seen", "Date Child Was Last Seen", "date", variants=("Date Child Last Seen",)),
            Column("closure_date", "CIN Closure Date", "date", variants=("Child in Need Closure Date",)),
            Column("closure_reason", "Reason for Closure", "code", "closure", variants=("CIN Closure Reason",)),
            Column("case_status", "Case Status", "text"),
            TEAM,
            WORKER,
        ),
    ),
    7: ListSpec(
        7,
        "Child protection",
        (
            *_common(True),
            Column(
                "start_date",
                "Child Protection Plan Start Date",
                "date",
                required=True,
                variants=("CP Plan Start Date", "CPP Start Date"),
            ),
            Column("initial_category", "Initial Category of Abuse", "code", "category"),
            Column("latest_category", "Latest Category of Abuse", "code", "category"),
            Column(
                "last_visit", "Date of the Last Statutory Visit", "date", variants=("Date of Last Statutory Visit",)
            ),
            Column("seen_alone", "Was the Child Seen Alone?", "seen_alone", variants=("Child Seen Alone",)),
            Column(
                "last_review",
                "Date of latest review conference",
                "date",
                variants=("Date of last review conference", "Latest Review Conference Date"),
            ),
            Column("end_date", "Child Protection Plan End Date", "date", variants=("CP Plan End Date", "CPP End Date")),
            Column(
                "epo",
                "Subject to Emergency Protection Order or Protected Under Police Powers in Last Six Months (Y/N)",
                "yesno",
                variants=("Subject to Emergency Protection Order or Protected Under Police Powers in Last Six Months",),
            ),
            Column(
                "previous_plans",
                "Number of Previous Child Protection Plans",
                "int",
                variants=("Number of previous CP plans",),
            ),
            TEAM,
            WORKER,
        ),
    ),
    8: ListSpec(
        8,
        "Children looked after",
        (
            *_common()[:5],
            Column(
                "uasc",
                "Unaccompanied Asylum Seeking Child (UASC) within the Last 12 Months (Y/N))",
                "yesno",
                variants=(
                    "Unaccompanied Asylum Seeking Child (UASC) within the Last 12 Months (Y/N)",
                    "UASC within the last 12 months",
                    "UASC",
                ),
            ),
            _common(True)[5],
            Column("date_started", "Date Started to be Looked After", "date", variants=("Date Started Looked After",)),
            Column("cin_category", "Child's Category of Need", "code", "cin_category", variants=("Category of Need",)),
            Column(
                "second_period",
                "Is this a second or subsequent period of being a Looked After Child within the last 12 months (Y/N)",
                "derived",
            ),
            Column("ls_start", "Start date of current legal status", "date"),
            Column("legal_status", "Child's Legal Status", "code", "legal_status", variants=("Legal Status",)),
            Column(
                "last_review", "Date of Latest Statutory Review", "date", variants=("Date of Last Statutory Review",)
            ),
            Column("last_sw_visit", "Date of Last Social Work Visit", "date"),
            Column("permanence", "What is the permanence plan for this child?", "code", "permanence"),
            Column(
                "last_iro",
                "Date of Last IRO Visit / Contact to the Child",
                "date",
                variants=("Date of Last IRO Visit", "Date of Last IRO Visit/Contact to the Child"),
            ),
            Column("last_health", "Date of Last Health Assessment", "date"),
            Column("last_dental", "Date of Last Dental Check", "date"),
            Column("placements_12m", "Number of Placements in the Last 12 months", "derived"),
            Column("date_ceased", "Date Ceased to be Looked After", "date"),
            Column("reason_ceased", "Reason Ceased to be Looked After", "code", "ceased"),
            Column("placement_start", "Start Date of Most Recent Placement", "date"),
            Column("placement_type", "Placement Type", "code", "placement"),
            Column("provider", "Placement Provider", "code", "provider"),
            Column("postcode", "Placement postcode", "text", variants=("Placement Post Code",)),
            Column("urn", "URN of Placement", "text", variants=("Placement URN", "URN")),
            Column("location", "Placement Location", "location"),
            Column("placement_la", "LA of Placement", "text", variants=("Placement LA",)),
            Column(
                "missing_12m",
                "Number of Episodes the Child has been \u2018Missing\u2019 from their Placement in the last 12 months",
                "derived",
            ),
            Column(
                "absent_12m",
                "Number of Episodes the Child has been \u2018Absent\u2019 from their Placement in the last 12 months",
                "derived",
            ),
            Column(
                "rhi_offered",
                "Was the child offered a Return Interview after their last missing episode (Y/N)?",
                "yesno",
            ),
            Column(
                "rhi_accepted",
                "Did the child accept a Return Interview after their last missing episode (Y/N)?",
                "yesno",
            ),
            TEAM,
            WORKER,
        ),
    ),
    9: ListSpec(
        9,
        "Care leavers",
        (
            *_common()[:5],
            Column(
                "uasc",
                "Unaccompanied Asylum Seeking Child (UASC), or formerly UASC if 18 or over (Y/N)",
                "yesno",
                variants=("UASC, or formerly UASC if 18 or over", "UASC"),
            ),
            _common(True)[5],
            TEAM,
            WORKER,
            Column(
                "personal_adviser",
                "Allocated Personal Advisor",
                "text",
                variants=("Allocated Personal Adviser", "Personal Adviser", "Personal Advisor"),
            ),
            Column("eligibility", "Eligibility Category", "code", "eligibility"),
            Column("pathway_review", "Latest Pathway Plan Review Date", "date", variants=("Pathway Plan Review Date",)),
            Column("in_touch", "LA in Touch", "code", "in_touch", variants=("Local Authority in Touch",)),
            Column("contact_date", "Latest Date of Contact", "date", variants=("Date of Latest Contact",)),
            Column("accommodation", "Type of Accommodation", "code", "accommodation", variants=("Accommodation Type",)),
            Column(
                "suitability",
                "Suitability of Accommodation",
                "code",
                "suitability",
                variants=("Accommodation Suitability",),
            ),
            Column("activity", "Activity Status", "code", "activity", variants=("Main Activity",)),
        ),
    ),
    10: ListSpec(
        10,
        "Adoption",
        (
            _common()[0],
            Column("family_id", "Family identifier", "text", variants=("Family ID", "Adoptive family identifier")),
            *_common(True)[1:4],
            Column("age", "Age of Child (Years)", "derived", variants=("Age",)),
            _common(True)[5],
            Column("entered_care_date", "Date the Child Entered Care", "date"),
            Column("decision_date", "Date of Decision that Child Should be Placed for Adoption", "date"),
            Column("placement_order_date", "Date of Placement Order", "date"),
            Column("match_date", "Date of Matching Child and Prospective Adopters", "date"),
            Column("date_placed", "Date Placed for Adoption", "date"),
            Column("adoption_order_date", "Date of Adoption Order", "date"),
            Column(
                "decision_reversed_date", "Date of Decision that Child Should No Longer be Placed for Adoption", "date"
            ),
            Column("decision_reversed_reason", "Reason Why Child No Longer Placed for Adoption", "code", "reversed"),
            Column(
                "ffa_placement_date",
                "Date the child was placed for fostering in FFA or concurrent planning placement",
                "date",
            ),
        ),
    ),
    11: ListSpec(
        11,
        "Adopters",
        (
            Column(
                "adopter_id",
                "Individual adopter identifier",
                "id",
                required=True,
                variants=("Adopter identifier", "Adopter ID"),
            ),
            Column("family_id", "Family identifier", "text", variants=("Family ID",)),
            Column("sex", "Gender", "sex", variants=("Sex",)),
            Column("ethnicity", "Ethnicity", "ethnicity"),
            Column("disability", "Disability", "yesno", variants=("Does the adopter have a disability",)),
            Column("fostering_for_adoption", "Is the (prospective) adopter fostering for adoption?", "yesno"),
            Column("enquiry_date", "Date enquiry received", "date"),
            Column("stage1_start_date", "Date Stage 1 started", "date"),
            Column("stage1_end_date", "Date Stage 1 ended", "date"),
            Column("stage2_start_date", "Date Stage 2 started", "date"),
            Column("stage2_end_date", "Date Stage 2 ended", "date"),
            Column("application_date", "Date application submitted", "date"),
            Column("approval_date", "Date application approved", "date"),
            Column("matched_date", "Date adopter matched with child(ren)", "date"),
            Column("placed_date", "Date child/children placed with adopter(s)", "date"),
            Column("children_placed", "No. of children placed", "int", variants=("Number of children placed",)),
            Column("adoption_order_date", "Date of Adoption Order", "date"),
            Column("left_process_date", "Date of leaving adoption process", "date"),
            Column("left_process_reason", "Reason for leaving adoption process", "code", "leaving"),
        ),
    ),
}
# A register-side UPN may be added to any list by the council; it is a cross-check on the child.
UPN = Column("upn", "UPN", "text", variants=("Unique Pupil Number",))
# Lists are imported in this order, so that referrals (Lists 3 and 6) exist before
# the assessments, enquiries and plans (Lists 4, 5, 7) that hang from them.
ORDER = (1, 2, 3, 6, 4, 5, 7, 8, 9, 10, 11)


def norm(text: Any) -> str:
    """Header or label normalised for tolerant matching: case, spaces, punctuation and quotes ignored."""
    return re.sub(r"[^a-z0-9]", "", str(text).lower().replace("\xa0", " "))


def header_index(spec: ListSpec) -> dict[str, Column]:
    index: dict[str, Column] = {}
    for col in (*spec.columns, UPN):
        for text in (col.header, *col.variants):
            index.setdefault(norm(text), col)
    return index


SHEET_RE = re.compile(r"\blist\W*_?\s*0?(\d{1,2})(?!\d)", re.IGNORECASE)


def list_number(sheet_name: str) -> int | None:
    found = SHEET_RE.search(sheet_name.replace("_", " "))
    if found and 1 <= int(found.group(1)) <= 11:
        return int(found.group(1))
    return None


# -- cell values ----------------------------------------------------------------

EXCEL_ERRORS = {"#N/A", "#REF!", "#VALUE!", "#DIV/0!", "#NAME?", "#NUM!", "#NULL!", "#GETTING_DATA", "#SPILL!"}
EXCEL_EPOCH = dt.date(1899, 12, 30)
TEXT_DATES = (
    re.compile(r"^(?P<d>\d{1,2})[/.\-](?P<m>\d{1,2})[/.\-](?P<y>\d{4})$"),
    re.compile(r"^(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})(?:[ T]00:00(?::00)?)?$"),
)
LETTER = re.compile(r"^[a-z]{1,2}\)\s*", re.IGNORECASE)


# Where a wrong value in a child's record is put right (issue 13 point 5g).
FIX_IN_CMS = "Correct it in the case management system and export the list again."
FIX_EITHER = "Correct whichever is wrong in the case management system and export the list again."


class BadValue(Exception):
    def __init__(self, rule: str, message: str, severity: str = "error") -> None:
        super().__init__(message)
        self.rule, self.message, self.severity = rule, message, severity


def _show(value: Any) -> str:
    return value.strftime("%d/%m/%Y") if isinstance(value, dt.datetime | dt.date) else repr(value)


def parse_date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, bool):
        raise BadValue("annex_a.date", f"{quoted(value)} is not a date. {FIX_IN_CMS}")
    if isinstance(value, int | float):
        if not 1 <= value < 2958466:  # 31/12/9999
            raise BadValue("annex_a.date", f"{quoted(value)} is not an Excel date serial number. {FIX_IN_CMS}")
        if value != int(value):
            value = int(value)  # a time of day on the date
        return EXCEL_EPOCH + dt.timedelta(days=int(value))
    text = str(value).strip()
    for pattern in TEXT_DATES:
        found = pattern.match(text)
        if found:
            try:
                return dt.date(int(found["y"]), int(found["m"]), int(found["d"]))
            except ValueError:
                raise BadValue("annex_a.impossible-date", f"{quoted(text)} is not a real date. {FIX_IN_CMS}") from None
    raise BadValue(
        "annex_a.date",
        f"{quoted(text)} is not a date (expected dd/mm/yyyy, yyyy-mm-dd or an Excel date). {FIX_IN_CMS}",
    )


def parse_id(value: Any) -> str:
    if isinstance(value, float) and value == int(value):
        value = int(value)
    text = str(value).strip().replace("\xa0", "")
    limit = _id_limit()
    if len(text) > limit:
        raise BadValue(
            "annex_a.id-length",
            f"the identifier is {len(text):,} characters long, more than the register holds ({limit}); "
            f"it is not shown here. {FIX_IN_CMS}",
        )
    return text


def _id_limit() -> int:
    from children.models import Adopter, Child

    return min(limits.max_length(Child, "la_child_id"), limits.max_length(Adopter, "adopter_id"))


LABELLED = ("sex", "permanence", "eligibility", "in_touch", "suitability", "leaving", "category")


def _allowed(table: str) -> str:
    if table in LABELLED:
        return ", ".join(lettered(table, c) for c, _ in TABLES[table])
    return ", ".join(c for c, _ in TABLES[table])


def parse_code(value: Any, table: str) -> str:
    """The code inside a lettered Annex A value: 'q) 6: Police' -> '6', 'N1 - Abuse or Neglect' -> 'N1'."""
    if isinstance(value, float) and value == int(value):
        value = int(value)
    text = str(value).strip().replace("\xa0", " ")
    bare = LETTER.sub("", text)
    codes = {c.upper(): c for c, _ in TABLES[table]}
    words = WORDS.get(table, {})
    labels = {norm(label): c for c, label in TABLES[table] if label}
    head = re.split(r"\s*(?::|\s-\s|\s)\s*", bare, maxsplit=1)[0].upper()
    for candidate in (head, bare.upper()):
        if candidate in codes:
            return codes[candidate]
    for key in (norm(bare), norm(text)):
        if key in words:
            return words[key]
        if key in labels:
            return labels[key]
    raise BadValue(
        "annex_a.unknown-code",
        f"{quoted(text)} is not in the code list (allowed: {_allowed(table)}); the value was not stored. {FIX_IN_CMS}",
        severity="warning",
    )


YES = {"yes", "y", "ayes", "true", "1"}
NO = {"no", "n", "bno", "false", "0"}
UNKNOWN = {"unknown", "cunknown", "notknown"}


def parse_yesno(value: Any) -> bool:
    key = norm(value if not isinstance(value, float) else int(value))
    if key in YES:
        return True
    if key in NO:
        return False
    raise BadValue(
        "annex_a.unknown-code",
        f"{quoted(value)} is not yes or no (allowed: a) Yes, b) No, Yes, No, Y, N); the value was not stored. "
        + FIX_IN_CMS,
        severity="warning",
    )


def parse_int(value: Any) -> int:
    if isinstance(value, int | float) and not isinstance(value, bool) and value == int(value) and value >= 0:
        return int(value)
    text = str(value).strip()
    if text.isdigit():
        return int(text)
    raise BadValue("annex_a.number", f"{quoted(value)} is not a whole number. {FIX_IN_CMS}")


def _old_sex_code(value: Any) -> bool:
    """1 or 2, the DfE's sex codes up to 2023-24, as a number or as text."""
    return not isinstance(value, bool) and str(value).strip() in {"1", "2", "1.0", "2.0"}


def _old_sex_warning(value: Any, sex: str) -> BadValue:
    """Read as the CIN, 903 and SSD readers read 1/2 (decision 0026): one sex without doubt, with a warning."""
    shown = str(value).strip().removesuffix(".0")
    return BadValue(
        "annex_a.sex-code",
        f"{quoted(shown)} is the DfE's code up to 2023-24 (1 male, 2 female); Annex A's codes are a) Male, "
        f"b) Female and c) Not stated/recorded. Read as {sex}. Correct the code in the case management "
        "system's list.",
        severity="warning",
    )


def parse_value(col: Column, value: Any) -> Any:
    kind = col.kind
    if kind == "date":
        return parse_date(value)
    if kind == "id":
        return parse_id(value)
    if kind == "sex":
        return parse_code(value, "sex")
    if kind == "ethnicity":
        if norm(LETTER.sub("", str(value))) in {"unknown", "notknown"}:
            return ""
        return parse_code(value, "ethnicity")
    if kind == "code":
        return parse_code(value, col.table)
    if kind == "yesno":
        return parse_yesno(value)
    if kind == "seen_alone":
        if norm(value) in UNKNOWN:
            return None
        return parse_yesno(value)
    if kind == "location":
        key = norm(LETTER.sub("", str(value)))
        if key in LOCATION_WORDS:
            return LOCATION_WORDS[key]
        raise BadValue(
            "annex_a.unknown-code",
            f"{quoted(value)} is not In or Out; the value was not stored. {FIX_IN_CMS}",
            "warning",
        )
    if kind == "support":
        try:
            return parse_yesno(value)
        except BadValue:
            return str(value).strip()[:100]  # other answers are kept as text (Assessment.outcome)
    if kind == "int":
        return parse_int(value)
    if kind == "text":
        if isinstance(value, float) and value == int(value):
            value = int(value)
        if isinstance(value, dt.datetime | dt.date):
            value = value.strftime("%d/%m/%Y")
        return re.sub(r"\s+", " ", str(value).replace("\xa0", " ")).strip()
    return None  # derived: worked out from the register on export


# -- the reader -----------------------------------------------------------------


@dataclass(slots=True)
class AnnexRow:
    list_no: int
    row: int  # the spreadsheet row number
    sheet: str
    child_id: str  # the adopter identifier on List 11
    values: dict  # column key -> parsed value; a key is absent when the column is missing or the cell unusable
    blank: set = field(default_factory=set)  # keys whose cells were blank (given as nothing)

    @property
    def path(self) -> str:
        return f"List {self.list_no} row {self.row}"

    @property
    def la_child_id(self) -> str:
        """The child whose record the row is, for holding a child back (services._Skipping): none on List 11."""
        return "" if self.list_no == 11 else self.child_id


UNSAVED_FORMULA = re.compile(rb"<f\b[^>]*?(?:/>|>[^<]*</f>)(?:<v\s*/>|<v></v>)?</c>")


def _has_unsaved_formulas(handle) -> bool:
    """Whether any worksheet holds a formula cell with no saved value (<c><f>..</f></c>, no <v>).
    Reads each sheet's XML in blocks, without parsing it."""
    try:
        with zipfile.ZipFile(handle) as archive:
            for name in archive.namelist():
                if not (name.startswith("xl/worksheets/") and name.endswith(".xml")):
                    continue
                tail = b""
                with archive.open(name) as member:
                    while block := member.read(1 << 20):
                        if UNSAVED_FORMULA.search(tail + block):
                            return True
                        tail = block[-65536:]
    except zipfile.BadZipFile:
        return False
    finally:
        handle.seek(0)
    return False


def _closest(text: str, columns: list[Column], cutoff: float = 0.75) -> Column | None:
    """The expected column whose header (or a variant) an unrecognised header most resembles."""
    best, score = None, cutoff
    for col in columns:
        for header in (col.header, *col.variants):
            ratio = difflib.SequenceMatcher(None, norm(text), norm(header)).ratio()
            if ratio >= score:
                best, score = col, ratio
    return best


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip().replace("\xa0", ""))


class AnnexAReader:
    """Iterate the rows of an Annex A workbook, list by list (in ORDER). After
    iteration `header`, `count` and the problems in `log` are set."""

    HEADER_SCAN = 10  # rows searched for the header row (some files put a title above it)

    def __init__(self, source: str | Path, log: ProblemLog, progress=None, size: int = 0) -> None:
        self.source = source
        self.log = log
        self.progress = progress
        self.size = size
        self.header: dict = {}
        self.formulas: Any = None
        self.collection_year: Any = None
        self.count = 0
        self.fatal = False
        self.limits = limits.XlsxLimits.of("annex_a")

    def __iter__(self) -> Iterator[AnnexRow]:
        if other := wrong_kind(self.source, "annex_a"):
            self.log.error("file.wrong-kind", other)
            self.fatal = True
            return
        # An open handle, not the path: the stored copy's name does not end in .xlsx.
        handle = open(self.source, "rb")  # noqa: SIM115 (closed below)
        # A formula whose result was never saved (a workbook written by a program, not by Excel)
        # reads as blank. A quick scan of the sheets' XML finds such cells; only then is a second,
        # streaming view of the formulas read in step with the values to name them.
        formula_handle = open(self.source, "rb")  # noqa: SIM115 (closed below)
        try:
            try:
                limits.check_xlsx(handle, self.log.file_name, self.limits)
                book = limits.open_workbook(handle, data_only=True)
                if _has_unsaved_formulas(formula_handle):
                    self.formulas = limits.open_workbook(formula_handle, data_only=False)
            except limits.TooBig as exc:
                self.log.error("annex_a.too-big", exc.message)
                self.fatal = True
                return
            except Exception as exc:  # zipfile.BadZipFile, KeyError, ValueError...
                self.log.error(
                    "annex_a.workbook",
                    f"The file is not an Excel workbook (.xlsx) that can be read: {error_for_people(exc).rstrip('.')}."
                    + (_not_xlsx(self.source) or READ_AS_XLSX),
                )
                self.fatal = True
                return
            try:
                yield from self._read(book)
            except limits.TooBig as exc:  # a sheet over the limits: found as it streams, before it is built
                self.log.error("annex_a.too-big", exc.message)
                self.fatal = True
            except limits.Damaged as exc:  # a sheet that cannot be read to its end
                self.log.error("annex_a.workbook", exc.message)
                self.fatal = True
            finally:
                book.close()
                if self.formulas is not None:
                    self.formulas.close()
        finally:
            handle.close()
            formula_handle.close()

    def _read(self, book) -> Iterator[AnnexRow]:
        sheets: dict[int, str] = {}
        for name in book.sheetnames:
            number = list_number(name)
            if number is None:
                self.log.warning(
                    "annex_a.sheet-ignored",
                    f"Sheet {quoted(name)} is not one of Lists 1-11 (its name has no list number), so it was not read. "
                    "Nothing to correct, unless it is a list: then name it as the template does (List 1 to "
                    "List 11) and upload the workbook again.",
                    location=f"sheet {name}",
                )
            elif number in sheets:
                self.log.error(
                    "annex_a.sheet-twice",
                    f"Sheets {quoted(sheets[number])} and {quoted(name)} are both List {number}; keep one: delete or "
                    "rename the other in the workbook and upload it again.",
                    location=f"sheet {name}",
                )
                self.fatal = True
            else:
                sheets[number] = name
        if not sheets:
            self.log.error(
                "annex_a.no-lists",
                "The workbook has no sheet named List 1 to List 11. Name each list's sheet as the template does "
                "(List 1 to List 11) and upload the workbook again; nothing in the records needs correcting.",
            )
            self.fatal = True
        if self.fatal:
            return
        self.header = {"sheets": {str(n): sheets[n] for n in sorted(sheets)}}
        # Progress is by list (a sheet's row count is not known before it is read: files not
        # written by Excel have no dimension record, and counting would read the sheet twice).
        for done, number in enumerate(n for n in ORDER if n in sheets):
            for row in self._sheet(number, sheets[number], book[sheets[number]]):
                self.count += 1
                yield row
                if self.progress and self.count % 500 == 0:
                    self.progress(int(self.size * done / len(sheets)), self.count)
        if self.progress:
            self.progress(self.size, self.count)

    def _headers(self, spec: ListSpec, sheet: str, cells: tuple) -> list[Column | None] | None:
        index = header_index(spec)
        found: list[Column | None] = []
        unknown: list[tuple[int, str]] = []
        seen: dict[str, int] = {}
        for i, text in enumerate(cells):
            if _blank(text):
                found.append(None)
                continue
            col = index.get(norm(text))
            if col is not None and col.key in seen:
                self.log.error(
                    "annex_a.header-twice",
                    f"Columns {get_column_letter(seen[col.key] + 1)} and {get_column_letter(i + 1)} are both "
                    f"{quoted(col.header)}; only one may be given. Delete one in the workbook and upload it again.",
                    location=f"sheet {sheet}, column {get_column_letter(i + 1)}",
                    field=str(text),
                )
                self.fatal = True
                col = None
            elif col is not None:
                seen[col.key] = i
            else:
                unknown.append((i, str(text)))
            found.append(col)
        missing = [c for c in spec.columns if c.key not in seen]
        for i, text in unknown:
            near = _closest(text, missing)
            wanted = [c.header for c in missing if c.kind != "derived"]
            if near:
                hint = f" Did you mean {quoted(near.header)}?"
            elif wanted:
                hint = " The list's headers not found: " + "; ".join(repr(h) for h in wanted) + "."
            else:
                hint = ""
            self.log.warning(
                "annex_a.header-unknown",
                f"{sheet} column {get_column_letter(i + 1)}: header {quoted(text)} is not an Annex A "
                f"List {spec.number} header, so the column was not read.{hint} Nothing to correct if the column "
                "is an extra one; if it is one of the list's, give it the template's header and upload the "
                "workbook again.",
                location=f"sheet {sheet}, column {get_column_letter(i + 1)}",
                field=text,
            )
        for col in missing:
            if col.kind == "derived":
                continue  # worked out from the register, never read: nothing is lost without it
            severity = "error" if col.required else "warning"
            near_cols = [(i, t) for i, t in unknown if _closest(t, [col]) is col]
            hint = ""
            if near_cols:
                i, text = near_cols[0]
                hint = f" Column {get_column_letter(i + 1)} {quoted(text)} was not recognised: is it that column?"
            self.log.add(
                severity,
                "annex_a.column-missing",
                f"{sheet}: the column {quoted(col.header)} is missing"
                + (", and it is required, so the list cannot be imported." if col.required else ".")
                + hint
                + (
                    " Add the column to the workbook, or export the list again with it, and upload it again."
                    if col.required
                    else " Its values were not read: add the column to the workbook, or export the list again "
                    "with it, to have them read."
                ),
                location=f"sheet {sheet}",
                field=col.header,
            )
            if col.required:
                self.fatal = True
        return found

    def _sheet(self, number: int, name: str, sheet) -> Iterator[AnnexRow]:
        spec = LISTS[number]
        plain = limits.xlsx_rows(sheet, self.log.file_name, self.limits)
        if self.formulas is None:
            rows: Iterator[tuple] = ((number, cells, ()) for number, cells in plain)
        else:
            shown = limits.xlsx_rows(self.formulas[name], self.log.file_name, self.limits)
            rows = ((number, cells, formulas) for (number, cells), (_n, formulas) in zip(plain, shown, strict=False))
        columns: list[Column | None] | None = None
        header_row = 0
        index = header_index(spec)
        header_cells: tuple = ()
        for header_row, cells, _formulas in rows:
            if sum(1 for c in cells if not _blank(c) and norm(c) in index) >= 2:
                columns = self._headers(spec, name, cells)
                header_cells = cells
                break
            if header_row >= self.HEADER_SCAN:
                break
        if columns is None:
            self.log.error(
                "annex_a.no-header",
                f"{name}: no row of List {number} headers (such as {quoted(spec.columns[0].header)}) in the first "
                f"{self.HEADER_SCAN} rows. Put the list's header row within them and upload the workbook again; "
                "nothing in the records needs correcting.",
                location=f"sheet {name}",
            )
            self.fatal = True
            return
        if self.fatal:
            return
        id_col = spec.columns[0]
        id_at = next((i for i, col in enumerate(columns) if col is not None and col.key == id_col.key), None)
        for row_no, cells, formulas in rows:
            if all(_blank(c) for c in cells):
                continue
            if said := _not_a_record(cells, header_cells, id_at):
                rule, what, advice = said
                self.log.warning(
                    rule, f"{name} row {row_no} {what}; it was skipped. {advice}", location=f"{name} row {row_no}"
                )
                continue
            values: dict[str, Any] = {}
            blank: set[str] = set()
            raw_id = None
            for col, value in zip(columns, cells, strict=False):
                if col is not None and col.key == id_col.key:
                    raw_id = value
            child_id = ""
            # A row that names no child, and an adopter's row (List 11), is no child's: an error in it
            # leaves out that row alone (Found.skipped), never a child or the file (decision 0048).
            skipped: dict[str, Any] = {"child_id": "", "location": f"{name} row {row_no}", "skipped": True}
            if not _blank(raw_id) and str(raw_id).strip() not in EXCEL_ERRORS:
                try:
                    child_id = parse_id(raw_id)
                except BadValue as exc:
                    self._problem(exc, name, row_no, skipped, id_col, 0)
                    continue
            where: dict[str, Any] = {"child_id": child_id, "location": f"{name} row {row_no}"}
            if number == 11:
                where = skipped | {"location": f"{name} row {row_no} (adopter {child_id})"}
            if not child_id:
                self.log.error(
                    "annex_a.required",
                    f"{name} row {row_no}: {quoted(id_col.header)} is blank; every row must name the "
                    + ("adopter" if number == 11 else "child")
                    + ", so the row was not imported. Record it in the case management system and export the list "
                    "again.",
                    field=id_col.header,
                    **skipped,
                )
                continue
            errors_before = self.log.errors
            for i, (col, value) in enumerate(zip(columns, cells, strict=False)):
                if col is None or col.kind == "derived" or col.key == id_col.key:
                    continue
                formula = formulas[i] if i < len(formulas) else None
                if value is None and isinstance(formula, str) and formula.startswith("="):
                    self.log.error(
                        "annex_a.formula-without-value",
                        f"{name} row {row_no} column {get_column_letter(i + 1)} ({col.header}) holds the formula "
                        f"{formula} but not its result (the workbook was not saved by Excel). Open it in Excel and "
                        "save it, or paste the values, then upload it again.",
                        field=col.header,
                        **where,
                    )
                    continue
                if _blank(value):
                    blank.add(col.key)
                    continue
                if isinstance(value, str) and value.strip() in EXCEL_ERRORS:
                    severity = "error" if col.required else "warning"
                    self.log.add(
                        severity,
                        "annex_a.excel-error",
                        f"{name} row {row_no} column {get_column_letter(i + 1)} ({col.header}) holds the Excel "
                        f"error {value.strip()}; "
                        + ("the field is required." if col.required else "it was treated as blank.")
                        + " Correct the formula or the value in the workbook and upload it again.",
                        field=col.header,
                        **where,
                    )
                    blank.add(col.key)
                    continue
                try:
                    values[col.key] = parse_value(col, value)
                except BadValue as exc:
                    self._problem(exc, name, row_no, where, col, i)
                else:
                    if col.kind == "sex" and _old_sex_code(value):
                        self._problem(_old_sex_warning(value, values[col.key]), name, row_no, where, col, i)
            # Cells past the end of a short row are blank too.
            for col in columns[len(cells) :]:
                if col is not None and col.kind != "derived":
                    blank.add(col.key)
            for col in spec.columns:
                if col.required and col.key != id_col.key and col.key not in values and col.key in blank:
                    self.log.error(
                        "annex_a.required",
                        f"{name} row {row_no}: {quoted(col.header)} is blank; it is required. Record it in the case "
                        "management system and export the list again.",
                        field=col.header,
                        **where,
                    )
            _plausibility(self.log, number, name, row_no, columns, values, blank, where)
            if number == 11 and self.log.errors > errors_before:
                continue  # an adopter with an error: its row is left out (a child's rows go on, to be held back)
            yield AnnexRow(number, row_no, name, child_id, values, blank)

    def _problem(self, exc: BadValue, sheet: str, row: int, where: dict, col: Column, i: int) -> None:
        self.log.add(
            exc.severity,
            exc.rule,
            f"{sheet} row {row} column {get_column_letter(i + 1)} ({col.header}): {exc.message}",
            field=col.header,
            **where,
        )


# -- plausibility (issue 13 point 7): warnings, never refusals -----------------------
# A UK postcode as Royal Mail writes it: outward code (A9, A99, A9A, AA9, AA99, AA9A) and
# inward code (9AA), the space optional; GIR 0AA is the one exception.
UK_POSTCODE = re.compile(r"^(GIR ?0AA|[A-PR-UWYZ][A-HK-Y]?[0-9][0-9A-Z]? ?[0-9][ABD-HJLNP-UW-Z]{2})$", re.IGNORECASE)


def _plausibility(
    log: ProblemLog, number: int, sheet: str, row: int, columns: list, values: dict, blank: set, where: dict
) -> None:
    """Warn of a date before the child's birth or after today, a malformed postcode and a missing date
    of birth: each may be true (an unborn child, a typing slip) so the row is still read."""
    at = {col.key: i for i, col in enumerate(columns) if col is not None}

    def cell(key: str) -> str:
        col = columns[at[key]]
        return f"{sheet} row {row} column {get_column_letter(at[key] + 1)} ({col.header})"

    def warn(rule: str, key: str, message: str) -> None:
        log.warning(rule, message, field=columns[at[key]].header, **where)

    birth = values.get("birth_date")
    if number != 11 and "birth_date" in at and "birth_date" not in values:
        reason = "is blank" if "birth_date" in blank else "could not be read"
        warn(
            "annex_a.dob-missing",
            "birth_date",
            f"{cell('birth_date')}: the date of birth {reason}, so ages and dates before birth cannot be "
            "checked for this child. Record it in the case management system (or, for an unborn child, "
            "the expected date) and export the list again.",
        )
    today = dt.date.today()
    for key in at:
        value = values.get(key)
        if not isinstance(value, dt.date):
            continue
        if value > today:
            warn(
                "annex_a.date-future",
                key,
                f"{cell(key)}: {value:%d/%m/%Y} is in the future. Check the date in the case management system"
                + (" (an unborn child's expected date of birth is allowed)." if key == "birth_date" else "."),
            )
        elif birth is not None and key != "birth_date" and value < birth:
            warn(
                "annex_a.date-before-birth",
                key,
                f"{cell(key)}: {value:%d/%m/%Y} is before the child's date of birth ({birth:%d/%m/%Y}). "
                f"One of the two dates is wrong; correct it in the case management system.",
            )
    postcode = values.get("postcode")
    if isinstance(postcode, str) and postcode and not UK_POSTCODE.match(postcode.strip()):
        warn(
            "annex_a.postcode",
            "postcode",
            f"{cell('postcode')}: '{postcode[:20]}' is not a UK postcode (such as SW1A 1AA). "
            "Correct it in the case management system; a placement abroad may be left blank.",
        )


# The first bytes of the files a council may give for an Annex A workbook that is not one (.xlsx is a zip).
_OLE = bytes.fromhex("d0cf11e0a1b11ae1")  # an Excel 97-2003 workbook (.xls), or another Office document


# When the file is not recognisably something else (a damaged or unfinished file, a zip of other files).
READ_AS_XLSX = (
    " Upload the Annex A workbook as saved by Excel (.xlsx), or export it again; nothing in the records needs "
    "correcting."
)


_TOTAL = re.compile(r"(?i)^\s*(grand\s+)?(totals?|count|sum)\b")


def _not_a_record(cells: tuple, header: tuple, id_at: int | None) -> tuple[str, str, str] | None:
    """(rule, what the row is, what to do) for a row that is no child's: the header row again (two lists pasted into one
    sheet) or a total under the list (as a pivot table or a report adds); None for a record. `id_at` is the ID
    column's place. Runs on every row, so only a row whose ID cell is text is looked at further."""
    first = cells[id_at] if id_at is not None and id_at < len(cells) else None
    if not isinstance(first, str):
        return None  # an ID Excel holds as a number, or none: a record (a blank ID is reported as such)
    if id_at is not None and id_at < len(header) and norm(first) == norm(header[id_at]):
        if [norm(c) for c in cells if not _blank(c)] == [norm(c) for c in header if not _blank(c)]:
            return (
                "annex_a.header-repeated",
                "repeats the header row (as when two lists are pasted into one sheet)",
                "Nothing to correct unless the rows below it are a copy of those above.",
            )
    if _TOTAL.match(first):
        return (
            "annex_a.total-row",
            f"names no child but {quoted(first.strip())}, as a total under the list does",
            "Nothing to correct; leave totals out of the list if you can.",
        )
    return None


def _not_xlsx(source) -> str:
    """What the file seems to be instead, and what to do: an .xls to save as .xlsx, a list saved as CSV."""
    try:
        with open(source, "rb") as handle:
            head = handle.read(2048)
    except OSError:
        return ""
    if head.startswith(_OLE):
        return (
            " It is an Excel 97-2003 workbook (.xls): open it in Excel and save it as an Excel Workbook (.xlsx), "
            "then upload it again."
        )
    if head.startswith(b"PK"):
        return ""
    text = head.decode("utf-8", errors="replace")
    if "," in text.split("\n", 1)[0] and "\ufffd" not in text:
        return (
            " It looks like one list saved as CSV text. Annex A is read as the whole Ofsted workbook, one sheet a "
            "list: upload the .xlsx workbook itself."
        )
    return ""
