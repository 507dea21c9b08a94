"""Streaming reader of Standard Safeguarding Dataset (SSD) extracts: one CSV file per SSD table.

The tables and column names are those of data-to-insight/ssd-data-model,
data/objects/ (see docs/decisions/0011-ssd.md). An upload is a zip of the CSV
files (a folder on the command line is zipped first). Each file is read row by
row with the csv module; each row is checked (columns, dates, codes, foreign keys
to rows of other tables in the same upload) and handed on as an `SsdRow` with
values already converted to what the register holds. Rows with errors are
reported and not handed on. Only a few small maps are kept in memory: the IDs of
rows read so far (for the foreign keys) and the few facts one table lends another
(the UPN from ssd_linked_identifiers, the legal status and placement of each
looked-after episode, the ICPC dates of each section 47, care leaver eligibility,
the staff ID of each professional in ssd_professionals).
"""

import codecs
import csv
import datetime as dt
import difflib
import json
import re
import zipfile
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from returns import limits
from returns.formats import encoding_advice, not_a_header_advice, other_separator, unnamed_columns, wrong_kind
from returns.limits import shown
from returns.problems import ProblemLog

LONDON = ZoneInfo("Europe/London")
# Where a problem's fix belongs, said at the end of its message (issue 13 point 5g): a person's record is corrected
# in the case management system, the extract's form in the file or its export.
FIX_RECORD = "Correct it in the case management system and export the extract again."
FIX_EITHER = "Correct whichever is wrong in the case management system and export the extract again."
FIX_PARENT = "Nothing to correct in this row: correct the error in that one."
FIX_LONG = "Correct it in the case management system if it is wrong; if not, tell the support team."
FIX_FORM = "nothing in the records needs correcting."

# -- code lists -----------------------------------------------------------------
SEX = {"M", "F", "U"}
OLD_SEX = {"1": "M", "2": "F"}  # the DfE's sex codes up to 2023-24
ETHNICITY = {
    *"WBRI WIRI WIRT WOTH WROM MWBC MWBA MWAS MOTH AIND APKN ABAN AOTH BCRB BAFR BOTH CHNE OOTH REFU NOBT".split()
}
UPN_UNKNOWN = {f"UN{i}" for i in range(1, 11)}
DISABILITY = {*"NONE MOB HAND PC INC COMM LD HEAR VIS BEH CON AUT DDA".split()}
REFERRAL_SOURCE = {*"1A 1B 1C 1D 2A 2B 3A 3B 3C 3D 3E 3F 4 5A 5B 5C 5D 6 7 8 9 10".split()}
PRIMARY_NEED = {f"N{i}" for i in range(10)}
CLOSURE_REASON = {f"RC{i}" for i in range(1, 10)}
RNE = {*"S L P T U B".split()}
CLA_NEED = {f"N{i}" for i in range(1, 9)}
REASON_CEASED = {*"X1 E11 E12 E2 E3 E4A E4B E13 E41 E45 E46 E47 E48 E5 E6 E7 E9 E14 E15 E16 E17 E8".split()}
LEGAL_STATUS_903 = {*"C1 C2 D1 E1 J1 J2 J3 L1 L2 L3 V2 V3 V4".split()}
PLACEMENT_TYPE = {*"A3 A4 A5 A6 H5 K1 K2 P1 P2 P3 R1 R2 R3 R5 S1 T0 T1 T2 T3 T4 U1 U2 U3 U4 U5 U6 Z1".split()}
PLACEMENT_PROVIDER = {f"PR{i}" for i in range(6)}
PLACE_CHANGE = {*"CARPL CLOSE ALLEG STAND APPRR CREQB CREQO CHILD LAREQ PLACE CUSTOD OTHER".split()}
PARTICIPATION = {f"PN{i}" for i in range(8)}
IN_TOUCH = {*"YES NO DIED REFU NREQ RHOM".split()}
ACCOMMODATION = {*"B C D E G H K R S T U V W X Y Z".split()}
ACTIVITY = {*"F1 P1 F2 P2 F3 P3 F4 P4 F5 P5 G4 G5 G6".split()}
DECISION_REVERSED = {"RD1", "RD2", "RD3", "RD4"}
ADOPTER_SEX = {"MM", "FF", "MF", "M1", "F1"}
ADOPTER_LEGAL_STATUS = {"L0", "L11", "L12", "L2", "L3", "L4"}
PREVIOUS_PERMANENCE_CODES = {"P1", "P2", "P3", "P4", "Z1"}
# the 903 SW_REASON codes
WORKER_CHANGE_REASON = {*"MANAGE FCONTA LEFTRL ORGRST TSPROC ABSENC CHCHAN PCCHAN SWDIED OTHERS".split()}
# invo_professional_role_id is local text ("Worker role e.g. Allocated Case Worker"), with no SSD code list.
# The values that name the allocated worker (who holds the case), compared after role_key(): the SSD's own
# example; Liquidlogic's involvement type (description, or its code CW); Mosaic's relationship types
# (descriptions, or their codes REL.ALLWORK, REL.ALLWORKCF). Any other role (an IRO, a personal adviser,
# a team manager, a GP) is a professional involved with the child, not the case holder. See decision 0011.
ALLOCATED_ROLES = {
    "allocated case worker",
    "allocated social worker",
    "cw",
    "allocated worker",
    "c&f allocated worker",
    "rel.allwork",
    "rel.allworkcf",
}


def role_key(role: str) -> str:
    """invo_professional_role_id as compared with ALLOCATED_ROLES: case and spacing do not matter."""
    return " ".join(role.split()).casefold()


ASSESSMENT_FACTORS = {
    *"1A 1B 1C 2A 2B 2C 3A 3B 3C 4A 4B 4C 5A 5B 5C 6A 6B 6C 7A 8B 8C 8D 8E 8F 9A 10A 11A 12A".split(),
    *"13A 14A 15A 16A 17A 18A 18B 18C 19A 19B 19C 20 21 22A 23A 24A".split(),
}
ELIGIBILITY = {
    "relevant": "relevant",
    "former relevant": "former_relevant",
    "eligible": "eligible",
    "qualifying": "qualifying",
    "no current eligibility": "",
}
CATEGORY = {
    "neg": "NEG",
    "neglect": "NEG",
    "phy": "PHY",
    "physical": "PHY",
    "physical abuse": "PHY",
    "sab": "SAB",
    "sexual": "SAB",
    "sexual abuse": "SAB",
    "emo": "EMO",
    "emotional": "EMO",
    "emotional abuse": "EMO",
    "mul": "MUL",
    "multiple": "MUL",
}
MISSING_KIND = {"m": "M", "missing": "M", "a": "A", "away": "A", "absent": "A"}
FLAGS = {"y": True, "yes": True, "1": True, "1.0": True, "true": True, "n": False, "no": False, "0": False}
FLAGS |= {"0.0": False, "false": False}
HEALTH_STATUS_DONE = {"", "completed", "complete"}
HEALTH_STATUS_NOT_DONE = {"planned", "refused", "cancelled", "canceled", "declined"}
BLANKS = {"", "null"}  # SQL Server exports write NULL for an empty value


# -- the tables -------------------------------------------------------------------
@dataclass(frozen=True)
class Col:
    name: str
    kind: str = "text"  # id, text, date, datetime, flag, code, int
    required: bool = True  # the column must be in the file's header
    needed: bool = False  # the value must not be blank
    codes: frozenset = frozenset()
    aliases: tuple[str, ...] = ()  # older SSD names of the same field
    legacy: bool = False  # only older SSD versions have it: no warning when it is absent
    max_length: int = 0


@dataclass(frozen=True)
class Table:
    name: str
    columns: tuple[Col, ...]
    key: str  # the table's row ID
    person: str  # the column naming the person ('' when the person comes through a parent row)

    @property
    def file_name(self) -> str:
        return f"{self.name}.csv"


def _c(name, kind="text", **kw) -> Col:
    if "codes" in kw:
        kw["codes"] = frozenset(kw["codes"])
    return Col(name, kind, **kw)


PERSON = Table(
    "ssd_person",
    (
        _c("pers_person_id", "id", needed=True, aliases=("pers_la_person_id", "la_person_id"), max_length=36),
        _c("pers_sex", "code", codes=SEX),
        _c("pers_ethnicity", "code", codes=ETHNICITY),
        _c("pers_dob", "date"),
        _c("pers_expected_dob", "date", required=False),
        _c("pers_death_date", "date", required=False),
        _c("pers_upn", required=False, legacy=True, max_length=13),
        _c("pers_upn_unknown", "code", required=False, codes=UPN_UNKNOWN),
        _c("pers_is_mother", "flag", required=False),
    ),
    "pers_person_id",
    "pers_person_id",
)
LINKED_IDENTIFIERS = Table(
    "ssd_linked_identifiers",
    (
        _c("link_table_id", "id", needed=True),
        _c("link_person_id", "id", needed=True),
        _c("link_identifier_type", needed=True),
        _c("link_identifier_value"),
        _c("link_valid_from_date", "date", required=False),
        _c("link_valid_to_date", "date", required=False),
    ),
    "link_table_id",
    "link_person_id",
)
DISABILITY_T = Table(
    "ssd_disability",
    (
        _c("disa_table_id", "id", required=False),
        _c("disa_person_id", "id", needed=True),
        _c("disa_disability_code", "code", needed=True, codes=DISABILITY),
    ),
    "disa_table_id",
    "disa_person_id",
)
CONTACTS = Table(
    "ssd_contacts",
    (
        _c("cont_contact_id", "id", needed=True),
        _c("cont_person_id", "id", needed=True),
        _c("cont_contact_date", "date", needed=True),
        _c("cont_contact_source_code", "code", codes=REFERRAL_SOURCE),
    ),
    "cont_contact_id",
    "cont_person_id",
)
EARLY_HELP = Table(
    "ssd_early_help_episodes",
    (
        _c("earl_episode_id", "id", needed=True),
        _c("earl_person_id", "id", needed=True),
        _c("earl_episode_start_date", "date", needed=True),
        _c("earl_episode_end_date", "date"),
        _c("earl_episode_reason", max_length=100),
        _c("earl_episode_end_reason", max_length=100),
        _c("earl_episode_organisation", max_length=80),
    ),
    "earl_episode_id",
    "earl_person_id",
)
CIN_EPISODES = Table(
    "ssd_cin_episodes",
    (
        _c("cine_referral_id", "id", needed=True),
        _c("cine_person_id", "id", needed=True),
        _c("cine_referral_date", "date", needed=True),
        _c("cine_cin_primary_need_code", "code", codes=PRIMARY_NEED, aliases=("cine_cin_primary_need",)),
        _c("cine_referral_source_code", "code", codes=REFERRAL_SOURCE),
        _c("cine_referral_nfa", "flag"),
        _c("cine_close_reason", "code", codes=CLOSURE_REASON),
        _c("cine_close_date", "date"),
    ),
    "cine_referral_id",
    "cine_person_id",
)
ASSESSMENTS = Table(
    "ssd_cin_assessments",
    (
        _c("cina_assessment_id", "id", needed=True),
        _c("cina_person_id", "id", needed=True),
        _c("cina_referral_id", "id", needed=True),
        _c("cina_assessment_start_date", "date", needed=True),
        _c("cina_assessment_child_seen", "flag"),
        _c("cina_assessment_auth_date", "date"),
    ),
    "cina_assessment_id",
    "cina_person_id",
)
CIN_PLANS = Table(
    "ssd_cin_plans",
    (
        _c("cinp_cin_plan_id", "id", needed=True),
        _c("cinp_referral_id", "id", needed=True),
        _c("cinp_person_id", "id", needed=True),
        _c("cinp_cin_plan_start", "date", needed=True, aliases=("cinp_cin_plan_start_date",)),
        _c("cinp_cin_plan_end", "date", aliases=("cinp_cin_plan_end_date",)),
    ),
    "cinp_cin_plan_id",
    "cinp_person_id",
)
S47 = Table(
    "ssd_s47_enquiry",
    (
        _c("s47e_s47_enquiry_id", "id", needed=True),
        _c("s47e_referral_id", "id", needed=True),
        _c("s47e_person_id", "id", needed=True),
        _c("s47e_s47_start_date", "date", needed=True),
        _c("s47e_s47_end_date", "date", required=False),
    ),
    "s47e_s47_enquiry_id",
    "s47e_person_id",
)
ICPC = Table(
    "ssd_initial_cp_conference",
    (
        _c("icpc_icpc_id", "id", needed=True),
        _c("icpc_s47_enquiry_id", "id"),
        _c("icpc_person_id", "id", needed=True),
        _c("icpc_referral_id", "id"),
        _c("icpc_icpc_target_date", "date"),
        _c("icpc_icpc_date", "date", needed=True),
        _c("icpc_icpc_outcome_cp_flag", "flag"),
    ),
    "icpc_icpc_id",
    "icpc_person_id",
)
CP_PLANS = Table(
    "ssd_cp_plans",
    (
        _c("cppl_cp_plan_id", "id", needed=True),
        _c("cppl_referral_id", "id"),
        _c("cppl_icpc_id", "id", required=False),
        _c("cppl_person_id", "id", needed=True),
        _c("cppl_cp_plan_start_date", "date", needed=True),
        _c("cppl_cp_plan_end_date", "date"),
        _c("cppl_cp_plan_initial_category", "category"),
        _c("cppl_cp_plan_latest_category", "category"),
    ),
    "cppl_cp_plan_id",
    "cppl_person_id",
)
CP_REVIEWS = Table(
    "ssd_cp_reviews",
    (
        _c("cppr_cp_review_id", "id", needed=True),
        _c("cppr_cp_plan_id", "id", needed=True),
        _c("cppr_cp_review_date", "date"),
    ),
    "cppr_cp_review_id",
    "",
)
LEGAL_STATUS = Table(
    "ssd_legal_status",
    (
        _c("lega_legal_status_id", "id", needed=True),
        _c("lega_person_id", "id", needed=True),
        _c("lega_legal_status", needed=True),
        _c("lega_legal_status_start_date", "date", needed=True),
        _c("lega_legal_status_end_date", "date"),
    ),
    "lega_legal_status_id",
    "lega_person_id",
)
PLACEMENTS = Table(
    "ssd_cla_placement",
    (
        _c("clap_cla_placement_id", "id", needed=True),
        _c("clap_cla_episode_id", "id"),
        _c("clap_cla_placement_start_date", "date", needed=True),
        _c("clap_cla_placement_type", "code", needed=True, codes=PLACEMENT_TYPE),
        _c("clap_cla_placement_urn", required=False, max_length=8),
        _c("clap_cla_placement_la", required=False, max_length=80),
        _c("clap_cla_placement_provider", "code", codes=PLACEMENT_PROVIDER),
        _c("clap_cla_placement_postcode", required=False, max_length=8),
        _c("clap_cla_placement_end_date", "date"),
        _c("clap_cla_placement_change_reason", "code", codes=PLACE_CHANGE),
    ),
    "clap_cla_placement_id",
    "",
)
CLA_EPISODES = Table(
    "ssd_cla_episodes",
    (
        _c("clae_cla_episode_id", "id", needed=True),
        _c("clae_person_id", "id", needed=True),
        _c("clae_cla_episode_start_date", "date", needed=True),
        _c("clae_cla_episode_start_reason", "code", codes=RNE),
        _c("clae_cla_primary_need_code", "code", codes=CLA_NEED, aliases=("clae_cla_primary_need",)),
        _c("clae_cla_episode_ceased", "date", aliases=("clae_cla_episode_ceased_date",)),
        _c("clae_cla_episode_ceased_reason", "code", codes=REASON_CEASED),
        _c("clae_cla_placement_id", "id", required=False),
        _c("clae_cla_last_iro_contact_date", "date", required=False),
    ),
    "clae_cla_episode_id",
    "clae_person_id",
)
CLA_REVIEWS = Table(
    "ssd_cla_reviews",
    (
        _c("clar_cla_review_id", "id", needed=True),
        _c("clar_cla_episode_id", "id", needed=True),
        _c("clar_cla_review_date", "date"),
        _c("clar_cla_review_participation", "code", codes=PARTICIPATION),
        _c("clar_cla_review_last_iro_contact_date", "date", required=False),
    ),
    "clar_cla_review_id",
    "",
)
CLA_HEALTH = Table(
    "ssd_cla_health",
    (
        _c("clah_health_check_id", "id", needed=True),
        _c("clah_person_id", "id", needed=True),
        _c("clah_health_check_type", needed=True),
        _c("clah_health_check_date", "date", needed=True),
        _c("clah_health_check_status"),
    ),
    "clah_health_check_id",
    "clah_person_id",
)
MISSING = Table(
    "ssd_missing",
    (
        _c("miss_table_id", "id", needed=True),
        _c("miss_la_person_id", "id", needed=True, aliases=("miss_person_id",)),
        _c("miss_mis_epi_start", "datetime", needed=True),
        _c("miss_mis_epi_type", "missing"),
        _c("miss_mis_epi_end", "datetime"),
        _c("miss_mis_epi_rhi_offered", "flag"),
        _c("miss_mis_epi_rhi_accepted", "flag"),
    ),
    "miss_table_id",
    "miss_la_person_id",
)
CARE_LEAVERS = Table(
    "ssd_care_leavers",
    (
        _c("clea_table_id", "id", needed=True),
        _c("clea_person_id", "id", needed=True),
        _c("clea_care_leaver_eligibility", "eligibility"),
        _c("clea_care_leaver_in_touch", "code", needed=True, codes=IN_TOUCH),
        _c("clea_care_leaver_latest_contact", "date"),
        _c("clea_care_leaver_accommodation", "accommodation"),
        _c("clea_care_leaver_accom_suitable", "suitability"),
        _c("clea_care_leaver_activity", "code", codes=ACTIVITY),
        _c("clea_pathway_plan_review_date", "date"),
        _c("clea_care_leaver_personal_advisor", max_length=120),
    ),
    "clea_table_id",
    "clea_person_id",
)
PERMANENCE = Table(
    "ssd_permanence",
    (
        _c("perm_table_id", "id", needed=True),
        _c("perm_person_id", "id", needed=True),
        _c("perm_adm_decision_date", "date"),
        _c("perm_placement_order_date", "date"),
        _c("perm_placed_for_adoption_date", "date"),
        _c("perm_matched_date", "date"),
        _c("perm_adopted_by_carer_flag", "flag"),
        _c("perm_placed_ffa_cp_date", "date"),
        _c("perm_decision_reversed_date", "date"),
        _c("perm_decision_reversed_reason", "code", codes=DECISION_REVERSED),
        _c("perm_permanence_order_date", "date"),
        _c("perm_permanence_order_type"),
        _c("perm_adopter_sex", "code", required=False, codes=ADOPTER_SEX),
        _c("perm_adopter_legal_status", "code", required=False, codes=ADOPTER_LEGAL_STATUS),
        _c("perm_number_of_adopters", "int", required=False),
    ),
    "perm_table_id",
    "perm_person_id",
)

ASSESSMENT_FACTORS_T = Table(
    "ssd_assessment_factors",
    (
        _c("cinf_table_id", "id", required=False),
        _c("cinf_assessment_id", "id", needed=True),
        _c("cinf_assessment_factors_json", "factors"),
    ),
    "cinf_table_id",
    "",
)
CIN_VISITS = Table(
    "ssd_cin_visits",
    (
        _c("cinv_cin_visit_id", "id", needed=True),
        _c("cinv_cin_plan_id", "id", needed=True),
        _c("cinv_cin_visit_date", "date", needed=True),
        _c("cinv_cin_visit_seen", "flag"),
        _c("cinv_cin_visit_seen_alone", "flag", required=False),
    ),
    "cinv_cin_visit_id",
    "",
)
CP_VISITS = Table(
    "ssd_cp_visits",
    (
        _c("cppv_cp_visit_id", "id", aliases=("cppv_visit_id",)),
        _c("cppv_cp_plan_id", "id", needed=True),
        _c("cppv_cp_visit_date", "date", needed=True),
        _c("cppv_cp_visit_seen", "flag", required=False),
        _c("cppv_cp_visit_seen_alone", "flag"),
    ),
    "cppv_cp_visit_id",
    "",
)
CLA_VISITS = Table(
    "ssd_cla_visits",
    (
        _c("clav_cla_visit_id", "id", needed=True),
        _c("clav_cla_episode_id", "id", needed=True),
        _c("clav_cla_visit_date", "date", needed=True),
        _c("clav_cla_visit_seen", "flag", required=False),
        _c("clav_cla_visit_seen_alone", "flag", required=False),
    ),
    "clav_cla_visit_id",
    "",
)
PREVIOUS_PERMANENCE = Table(
    "ssd_cla_previous_permanence",
    (
        _c("lapp_table_id", "id", needed=True),
        _c("lapp_person_id", "id", needed=True),
        _c("lapp_previous_permanence_order_date", max_length=10),
        _c("lapp_previous_permanence_option", "code", codes=PREVIOUS_PERMANENCE_CODES),
        _c("lapp_previous_permanence_la", required=False),
    ),
    "lapp_table_id",
    "lapp_person_id",
)
IMMIGRATION = Table(
    "ssd_immigration_status",
    (
        _c("immi_immigration_status_id", "id"),
        _c("immi_person_id", "id", needed=True),
        _c("immi_immigration_status", needed=True),
        _c("immi_immigration_status_start_date", "date"),
        _c("immi_immigration_status_end_date", "date"),
    ),
    "immi_immigration_status_id",
    "immi_person_id",
)
MOTHER = Table(
    "ssd_mother",
    (
        _c("moth_table_id", "id", needed=True),
        _c("moth_person_id", "id", needed=True),
        _c("moth_childs_person_id", "id"),
        _c("moth_childs_dob", "date", needed=True),
    ),
    "moth_table_id",
    "moth_person_id",
)
PROFESSIONALS = Table(
    "ssd_professionals",
    (
        _c("prof_professional_id", "id", needed=True),
        _c("prof_staff_id"),  # organisation.Worker.staff_id; blank for external professionals (GP, agency)
    ),
    "prof_professional_id",
    "",
)
INVOLVEMENTS = Table(
    "ssd_involvements",
    (
        _c("invo_involvements_id", "id", needed=True),
        _c("invo_person_id", "id", needed=True),
        _c("invo_professional_id", "id"),
        _c("invo_professional_role_id", required=False),  # allocation or not (ALLOCATED_ROLES); not held
        _c("invo_involvement_start_date", "date", needed=True),
        _c("invo_involvement_end_date", "date"),
        _c("invo_worker_change_reason", "code", required=False, codes=WORKER_CHANGE_REASON),
    ),
    "invo_involvements_id",
    "invo_person_id",
)

# The order the tables are read in: every table after the tables it points to.
TABLES = (
    PERSON,
    DISABILITY_T,
    CONTACTS,
    EARLY_HELP,
    CIN_EPISODES,
    ASSESSMENTS,
    ASSESSMENT_FACTORS_T,
    CIN_PLANS,
    CIN_VISITS,
    S47,
    ICPC,
    CP_PLANS,
    CP_REVIEWS,
    CP_VISITS,
    CLA_EPISODES,  # ssd_cla_placement is read just before, into its episodes
    CLA_REVIEWS,
    CLA_VISITS,
    CLA_HEALTH,
    MISSING,
    CARE_LEAVERS,
    PERMANENCE,
    PREVIOUS_PERMANENCE,
    IMMIGRATION,
    INVOLVEMENTS,  # ssd_professionals is read just before, for each professional's staff ID
    MOTHER,  # also read before ssd_person, for the date of birth of a mother's first child
)
ALL_TABLES = {t.name: t for t in (*TABLES, LINKED_IDENTIFIERS, LEGAL_STATUS, PLACEMENTS, PROFESSIONALS)}


@dataclass(slots=True)
class SsdRow:
    table: str
    location: str  # e.g. "ssd_cp_plans.csv row 12"
    person_id: str
    row_id: str
    values: dict  # register-ready values, by SSD column name
    refs: dict = field(default_factory=dict)  # SSD IDs of the parent rows (referral, s47, plan, episode)

    @property
    def la_child_id(self) -> str:
        """The child whose record the row is, for holding a child back whole (services._Skipping)."""
        return self.person_id


class _Fatal(Exception):
    pass


def _norm(name: str) -> str:
    return name.strip().lstrip("\ufeff").strip().lower()


class SsdReader:
    """Iterate the rows of an SSD upload (a zip of CSV files), table by table in
    dependency order. After iteration `header` lists the files read and their row
    counts; `count` is the number of persons."""

    def __init__(self, source: str | Path, log: ProblemLog, progress=None, name: str = "") -> None:
        self.source = source
        self.name = name or Path(source).name
        self.log = log
        self.progress = progress
        self.header: dict = {}
        self.collection_year = None
        self.count = 0
        self.fatal = False
        self._members: dict[str, zipfile.ZipInfo] = {}
        self._total = 1
        self._done = 0
        self._size = Path(source).stat().st_size if Path(source).exists() else 0
        # what earlier tables lend later ones
        self.persons: set[str] = set()
        self.where: dict[str, dict[str, str]] = defaultdict(dict)  # table -> row id -> location
        self.owner: dict[str, dict[str, str]] = defaultdict(dict)  # table -> row id -> person id
        # table -> row id -> person id of the rows left out for an error: a row under one of them is left
        # out too, its error naming the same person, so that the person is held back whole (decision 0048)
        self.left_out: dict[str, dict[str, str]] = defaultdict(dict)
        # table -> row ids of the rows left out alone for an error that names no one (decision 0064): a row
        # under one of them is left out with it (its person held back when it names one)
        self.skipped_rows: dict[str, set[str]] = defaultdict(set)
        self.episode_person: dict[str, str] = {}  # clae_cla_episode_id -> person, for a placement's errors
        self.placement_person: dict[str, str] = {}  # clae_cla_placement_id -> person
        self.professional_twice: set[str] = set()  # prof_professional_id given twice with different staff IDs
        self.rows: dict[str, int] = defaultdict(int)  # table -> rows read
        self.upns: dict[str, str] = {}
        self.legal: dict[str, list] = defaultdict(list)  # person -> [(start, end, code)]
        self.placement_of: dict[str, tuple] = {}  # episode id -> (placement id, location, values)
        self.placement_by_id: dict[str, tuple] = {}
        self._placements_used: set[str] = set()
        self.icpc_of_s47: dict[str, dict] = {}
        self.eligibility: dict[str, str] = {}
        self.first_child_dob: dict[str, dt.date] = {}
        self.staff_of: dict[str, str] = {}  # prof_professional_id -> prof_staff_id
        self.referral_of: dict[str, dict[str, str]] = defaultdict(dict)  # table -> row id -> referral id
        self.present: set[str] = set()

    # -- the upload -------------------------------------------------------------
    def __iter__(self) -> Iterator[SsdRow]:
        if other := wrong_kind(self.source, "ssd"):
            self.log.error("file.wrong-kind", other)
            self.fatal = True
            return
        try:
            if not zipfile.is_zipfile(self.source) and self.name.lower().endswith(".csv"):
                limits.check_size(self.source, self.name, limits.get("ssd_unpacked"))
                archive: zipfile.ZipFile | _OneFile = _OneFile(Path(self.source), self.name)
            else:
                archive = zipfile.ZipFile(self.source)
            with archive:
                if isinstance(archive, zipfile.ZipFile):
                    limits.check_zip(archive, self.name, limits.get("ssd_unpacked"))
                self._index(archive)
                yield from self._read_all(archive)
        except limits.TooBig as exc:
            self.log.error("ssd.too-big", exc.message)
            self.fatal = True
        except zipfile.BadZipFile as exc:
            self.log.error(
                "ssd.zip",
                f"The upload is not a readable zip of SSD CSV files ({exc}). Upload a .zip holding "
                "ssd_person.csv and the other SSD tables, one CSV file per table.",
            )
            self.fatal = True
        except _Fatal:
            self.fatal = True
        if self.progress:
            self.progress(self._size, self.count)

    def _index(self, archive: Any) -> None:
        total = 0
        for info in archive.infolist():
            if info.is_dir():
                continue
            base = info.filename.replace("\\", "/").rsplit("/", 1)[-1]
            if base.startswith(".") or info.filename.startswith("__MACOSX"):
                continue
            name = base.lower()
            if not name.endswith(".csv"):
                self.log.warning(
                    "ssd.file-ignored",
                    f"{base} is not a CSV file; it was not read. Nothing to correct if it is not part of the extract.",
                    location=base,
                )
                continue
            table = name[: -len(".csv")]
            if table not in ALL_TABLES:
                self.log.warning(
                    "ssd.file-ignored",
                    f"{base} is not one of the SSD tables Line of Sight imports; it was not read. Nothing to correct "
                    "unless it is an SSD table under another name: then give it the SSD file name.",
                    location=base,
                )
                continue
            if table in self._members:
                self.log.error(
                    "ssd.file-twice",
                    f"{base} is in the upload twice ({info.filename}). Remove one and upload again; {FIX_FORM}",
                    location=info.filename,
                )
                raise _Fatal
            self._members[table] = info
            total += info.file_size
        if PERSON.name not in self._members:
            self.log.error(
                "ssd.file-missing",
                "The upload has no ssd_person.csv: every other SSD table points to a person in it. Add it to the "
                f"upload (export it again if need be); {FIX_FORM}",
                location="ssd_person.csv",
            )
            raise _Fatal
        for spec in (*TABLES, PLACEMENTS, LEGAL_STATUS, PROFESSIONALS):
            if spec is PROFESSIONALS and INVOLVEMENTS.name in self._members:
                if spec.name not in self._members:
                    self.log.warning(
                        "ssd.file-missing",
                        f"{spec.file_name} is not in the upload: the workers named in ssd_involvements.csv "
                        "cannot be matched by staff ID, so no involvements were imported. Add it to the upload to "
                        "import them.",
                        location=spec.file_name,
                    )
                continue
            if spec.name not in self._members:
                self.log.warning(
                    "ssd.file-missing",
                    f"{spec.file_name} is not in the upload: nothing was imported for that table. Nothing to correct "
                    "unless the extract has it: then add it to the upload.",
                    location=spec.file_name,
                )
        self._total = max(total, 1)

    def _read_all(self, archive) -> Iterator[SsdRow]:
        # Pass 1: who is in ssd_person, their UPNs, and the facts later tables lend earlier ones.
        for _loc, raw in self._rows(archive, PERSON, count_progress=False, quiet=True):
            if raw.get("pers_person_id"):
                self.persons.add(raw["pers_person_id"])
        self._linked_identifiers(archive)
        self._pre_read_care_leavers(archive)
        self._pre_read_mothers(archive)
        yield from self._table(archive, PERSON)
        for table in TABLES[1:]:
            if table is S47:
                self._pre_read_icpc(archive)
            if table is CLA_EPISODES:
                self._pre_read_legal_status(archive)
                self._pre_read_placements(archive)
            if table is INVOLVEMENTS:
                if PROFESSIONALS.name not in self._members:
                    continue  # warned about in _index: without the staff IDs no involvement can be matched
                self._pre_read_professionals(archive)
            yield from self._table(archive, table)
            if table is CLA_EPISODES:
                self._orphan_placements()

    # -- reading one file -------------------------------------------------------
    def _rows(self, archive, table: Table, count_progress=True, quiet=False) -> Iterator[tuple[str, dict]]:
        """(location, {canonical column: raw text}) for each data row; header problems reported once."""
        info = self._members.get(table.name)
        if info is None:
            return
        base = info.filename.rsplit("/", 1)[-1]
        with archive.open(info) as raw:
            reader = csv.reader(_decoded_lines(limits.bounded_lines(raw, base)))
            try:
                header = next(reader, None)
            except (UnicodeDecodeError, csv.Error) as exc:
                if not quiet:
                    self._unreadable(base, 1, exc)
                return
            if header is None:
                if not quiet:
                    self.log.error(
                        "ssd.file-empty",
                        f"{base} is empty: it has no header row. Export the table again; {FIX_FORM}",
                        location=base,
                    )
                return
            positions = self._columns(table, base, header, quiet)
            if positions is None:
                return
            last_pos = 0
            width = len(header)
            names = [_norm(h) for h in header]
            longest = {name: _id_limit(name) for name in positions if _is_id(table, name)}
            try:
                for cells in reader:
                    line = reader.line_num
                    if not any(c.strip() for c in cells):
                        continue
                    location = f"{base} row {line}"
                    # two exports joined in one file (the first cell alone first: this runs on every row)
                    if len(cells) == width and _norm(cells[0]) == names[0] and [_norm(c) for c in cells] == names:
                        if not quiet:
                            self.log.warning(
                                "ssd.header-repeated",
                                f"{base} row {line} repeats the header row (as when two exports are joined into one "
                                "file); it was skipped. Nothing to correct unless the rows below it are a copy.",
                                location=location,
                            )
                        continue
                    if len(cells) != width and not quiet:
                        # Whose the row is, read from the cells where the header puts the ID columns: an unquoted
                        # comma in a text column moves only the cells after it, and the IDs come first.
                        guess = {n: cells[p].strip() for n, p in positions.items() if p is not None and p < len(cells)}
                        self._row_error(
                            table,
                            guess,
                            "ssd.row-width",
                            f"The row has {len(cells)} cells but the header has {width}: a comma or quote is "
                            "out of place, so the row was not read.",
                            location,
                            "",
                            "Correct the row in the file or export the table again.",
                        )
                        continue
                    values = {}
                    for name, pos in positions.items():
                        if pos is None:
                            continue  # an optional column the file does not have
                        cell = cells[pos].strip() if pos < len(cells) else ""
                        values[name] = "" if cell.lower() in BLANKS else cell
                    if longest and self._overlong(table, values, longest, location, quiet):
                        continue
                    yield location, values
                    if count_progress and self.progress:
                        pos_now = raw.tell() if hasattr(raw, "tell") else 0
                        if pos_now - last_pos > 1 << 20:
                            self._done += pos_now - last_pos
                            last_pos = pos_now
                            self.progress(int(self._size * self._done / self._total), self.count)
            except (UnicodeDecodeError, csv.Error) as exc:
                if not quiet:
                    self._unreadable(base, reader.line_num + 1, exc)
            if count_progress:
                self._done += max(0, info.file_size - last_pos)

    def _overlong(self, table: Table, values: dict, longest: dict, location: str, quiet: bool) -> bool:
        """An identifier longer than the register (or Line of Sight) holds: the row is refused,
        and the message gives its length, not the value."""
        for name, limit in longest.items():
            value = values.get(name, "")
            if len(value) > limit:
                if not quiet:
                    self._row_error(
                        table,
                        {k: v for k, v in values.items() if k != name},
                        "ssd.too-long",
                        f"{location}: {name} is {len(value):,} characters long, more than the {limit} "
                        "an identifier may have; the value is not shown and the row was not read.",
                        location,
                        name,
                        FIX_RECORD,
                    )
                return True
        return False

    def _row_error(
        self, table: Table, raw: dict, rule: str, message: str, location: str, field: str, advice: str
    ) -> None:
        """An error in a row that could not be read whole: it names the person the row's own person
        column or parent row gives, who is held back whole; when neither gives one, the row is left out
        alone and the rest of the extract is not affected (decision 0064)."""
        pid = self._whose(table, raw)
        rid = raw.get(table.key, "")
        if pid:
            message += f" It is person {pid}'s row, so that person is held back whole."
        else:
            message += " It names no person in the extract, so it was left out alone (with any row under it)."
        message += f" {advice}"  # where to fix it, last
        self.log.error(rule, message, child_id=pid, location=location, field=field, skipped=not pid)
        self._leave_out(table, rid, pid)

    def _whose(self, table: Table, raw: dict) -> str:
        """The person of a row, from its own person column or its parent row; '' when neither names one
        in the extract."""
        pid = raw.get(table.person, "") if table.person else ""
        if pid in self.persons:
            return pid
        if table is PLACEMENTS:
            return self.episode_person.get(raw.get("clap_cla_episode_id", ""), "") or self.placement_person.get(
                raw.get(table.key, ""), ""
            )
        for column, parent, _required in self.PARENTS.get(table.name, ()):
            ref = raw.get(column, "")
            owner = (self.owner[parent].get(ref) or self.left_out[parent].get(ref)) if ref else None
            if owner:
                return owner
        return ""

    def _separated_otherwise(self, base: str, header: list[str]) -> bool:
        """A table whose header is one cell holding semicolons, tabs or bars: one error saying so (fatal)."""
        said = other_separator(header)
        if said is None:
            return False
        self.log.error(
            "ssd.file-unreadable",
            f"{base} has its columns separated by {said}, not commas, so none of them could be read. Export the SSD "
            "tables again as CSV (comma delimited).",
            location=f"{base} row 1",
        )
        self.fatal = True
        return True

    def _unreadable(self, base: str, line: int, exc: Exception) -> None:
        what = "is not UTF-8 text" if isinstance(exc, UnicodeDecodeError) else "is not well-formed CSV"
        advice = encoding_advice(exc) if isinstance(exc, UnicodeDecodeError) else "Export the SSD tables as UTF-8 CSV."
        self.log.error(
            "ssd.file-unreadable",
            f"{base} {what} near row {line} ({exc}); the rest of the file was not read. {advice}",
            location=f"{base} row {line}",
        )

    def _columns(self, table: Table, base: str, header: list[str], quiet: bool) -> dict | None:
        if not quiet and self._separated_otherwise(base, header):
            return None
        names = [_norm(h) for h in header]
        unnamed = unnamed_columns(names)
        if unnamed and not quiet:
            self.log.warning(
                "ssd.column-unnamed",
                f"{base} has {unnamed}, ignored: a spreadsheet often saves empty columns at the end. "
                "Nothing to correct.",
                location=f"{base} row 1",
            )
        known = {a for c in table.columns for a in (c.name, *c.aliases)}
        if not quiet and not known & set(names):  # not one column found: the first line is not the header row
            has = ", ".join(shown(h.strip()) for h in header[:6] if h.strip()) + (", ..." if len(header) > 6 else "")
            self.log.error(
                "ssd.column-missing",
                f"{base} has none of the SSD table {table.name}'s columns in its first line, which holds: "
                f"{has or 'nothing'}. {not_a_header_advice(header)}",
                location=f"{base} row 1",
                field=table.columns[0].name,
            )
            self.fatal = True
            return None
        index: dict[str, int] = {}
        for i, n in enumerate(names):
            if not n:
                continue
            if n in index and not quiet:
                self.log.error(
                    "ssd.column-twice",
                    f"Column {n} appears twice in the header. Remove one in the file or export the table again.",
                    location=f"{base} row 1",
                    field=n,
                )
                return None
            index[n] = i
        positions: dict[str, int | None] = {}
        strangers = [n for n in names if n not in known]
        missing_needed = False
        for col in table.columns:
            found = next((index[a] for a in (col.name, *col.aliases) if a in index), None)
            positions[col.name] = found
            if found is None and not quiet:
                near = difflib.get_close_matches(col.name, strangers, n=1, cutoff=0.8)
                hint = f" The file has {near[0]}: was the column renamed? Use the SSD name." if near else ""
                if col.required:
                    self.log.error(
                        "ssd.column-missing",
                        f"{base} has no column {col.name}, which the SSD table {table.name} must have.{hint} Export "
                        f"the table again with that column; {FIX_FORM}",
                        location=f"{base} row 1",
                        field=col.name,
                    )
                    missing_needed = True
                elif not col.legacy:
                    self.log.warning(
                        "ssd.column-missing",
                        f"{base} has no column {col.name}; that field was not imported.{hint} Nothing to correct; "
                        "export the table with that column to import the field.",
                        location=f"{base} row 1",
                        field=col.name,
                    )
        if missing_needed and not quiet:
            self.fatal = True
            return None
        if missing_needed:
            return None
        self.present.add(table.name)
        return positions

    # -- values -----------------------------------------------------------------
    def _convert(self, table: Table, location: str, pid: str, raw: dict) -> dict | None:
        ok = True
        out: dict = {}
        for col in table.columns:
            text = raw.get(col.name, "")
            # a row that names no one is left out alone (decision 0064)
            where = {"child_id": pid, "location": location, "field": col.name, "skipped": not pid}
            if col.name not in raw:
                continue
            if col.name == "pers_sex" and text.upper() == "I":
                self.log.warning(
                    "ssd.sex-indeterminate",
                    "pers_sex I (indeterminate) is held as U: the register's sex codes are M, F and U. "
                    "Nothing to correct.",
                    **where,
                )
            if col.name == "pers_sex" and text in OLD_SEX:
                # as the CIN and 903 readers read 1/2 (decision 0026): one sex without doubt, with a warning
                self.log.warning(
                    "ssd.sex-code",
                    f"pers_sex '{text}' is the DfE's code up to 2023-24 (1 male, 2 female); the codes are now "
                    f"M, F and U. Read as {OLD_SEX[text]}. Correct the code in the case management system's extract.",
                    **where,
                )
            if not text:
                if col.needed:
                    self.log.error(
                        "ssd.value-missing",
                        f"{col.name} must not be blank. Record it in the case management system and export the "
                        "extract again.",
                        **where,
                    )
                    ok = False
                out[col.name] = None if col.kind in ("date", "datetime", "flag", "int") else ""
                continue
            value, problem = _parse(col, text)
            if problem:
                rule, message = problem
                self.log.error(rule, f"{message} {FIX_RECORD}", **where)
                ok = False
                continue
            if col.max_length and isinstance(value, str) and len(value) > col.max_length:
                self.log.error(
                    "ssd.too-long",
                    f"{col.name} is {len(value):,} characters long, more than the register holds "
                    f"({col.max_length} characters); the value is not shown. {FIX_LONG}",
                    **where,
                )
                ok = False
                continue
            out[col.name] = value
        return out if ok else None

    def _table(self, archive, table: Table) -> Iterator[SsdRow]:
        seen = self.where[table.name]
        for location, raw in self._rows(archive, table):
            self.rows[table.name] += 1
            rid = raw.get(table.key, "") or ""
            pid = raw.get(table.person, "") if table.person else ""
            rid_where = {"location": location, "field": table.key}
            if table.key in raw and rid:
                if rid in seen:
                    whose = pid or self._whose(table, raw)
                    self.log.error(
                        "ssd.duplicate-id",
                        f"{table.key} {rid} is also used by {seen[rid]}: row IDs must be unique."
                        + ("" if whose else " The row names no person in the extract, so it was left out alone.")
                        + f" {FIX_RECORD}",
                        child_id=whose,
                        skipped=not whose,
                        **rid_where,
                    )
                    continue
                seen[rid] = location
            refs: dict[str, str] = {}
            pid = self._parents(table, location, raw, pid, refs)
            if pid is None:
                continue
            values = self._convert(table, location, pid, raw)
            if values is None or not self._logic(table, location, pid, values):
                self._leave_out(table, rid, pid)
                continue
            if table is PERSON:
                self.count += 1
                self._person_extras(location, pid, values)
            row = SsdRow(table.name, location, pid, rid, values, refs)
            if table is CLA_EPISODES:
                self._episode_extras(row)
            elif table is INVOLVEMENTS:
                prof = values.get("invo_professional_id") or ""
                values["_staff_id"] = self.staff_of.get(prof) if prof else ""
                if prof in self.professional_twice:
                    values["_professional_twice"] = True
            elif table is S47 and ICPC.name in self.present:
                values["_icpc"] = self.icpc_of_s47.get(rid, {"icpc_target_date": None, "icpc_date": None})
            if table is CP_PLANS and CIN_EPISODES.name not in refs:
                referral = self.referral_of[ICPC.name].get(values.get("cppl_icpc_id") or "")
                if referral is None:
                    self.log.error(
                        "ssd.cp-plan-referral",
                        "The CP plan names no referral (cppl_referral_id is blank) and no initial conference "
                        f"that leads to one; the register holds every CP plan under its referral. {FIX_RECORD}",
                        child_id=pid,
                        location=location,
                        field="cppl_referral_id",
                    )
                    self._leave_out(table, rid, pid)
                    continue
                refs[CIN_EPISODES.name] = referral
            if CIN_EPISODES.name in refs:
                self.referral_of[table.name][rid] = refs[CIN_EPISODES.name]
            self.owner[table.name][rid] = pid
            yield row
        if table.name in self._members:
            self.header[table.file_name] = self.rows[table.name]

    # -- foreign keys -----------------------------------------------------------
    PARENTS = {
        "ssd_cin_assessments": (("cina_referral_id", "ssd_cin_episodes", True),),
        "ssd_cin_plans": (("cinp_referral_id", "ssd_cin_episodes", True),),
        "ssd_s47_enquiry": (("s47e_referral_id", "ssd_cin_episodes", True),),
        "ssd_initial_cp_conference": (
            ("icpc_s47_enquiry_id", "ssd_s47_enquiry", False),
            ("icpc_referral_id", "ssd_cin_episodes", False),
        ),
        "ssd_cp_plans": (
            ("cppl_referral_id", "ssd_cin_episodes", False),
            ("cppl_icpc_id", "ssd_initial_cp_conference", False),
        ),
        "ssd_cp_reviews": (("cppr_cp_plan_id", "ssd_cp_plans", True),),
        "ssd_cla_reviews": (("clar_cla_episode_id", "ssd_cla_episodes", True),),
        "ssd_assessment_factors": (("cinf_assessment_id", "ssd_cin_assessments", True),),
        "ssd_cin_visits": (("cinv_cin_plan_id", "ssd_cin_plans", True),),
        "ssd_cp_visits": (("cppv_cp_plan_id", "ssd_cp_plans", True),),
        "ssd_cla_visits": (("clav_cla_episode_id", "ssd_cla_episodes", True),),
    }

    def _parents(self, table: Table, location: str, raw: dict, pid: str, refs: dict) -> str | None:
        """Check that the person and every parent row the row names exist in the upload, and
        agree on the person. Returns the person ID, or None when the row cannot be placed."""
        if table is not PERSON and table.person:
            if not pid:
                return self._missing_person(table, location, raw)
            if pid not in self.persons:
                self.log.error(
                    "ssd.unknown-person",
                    f"{table.person} {pid} is not in ssd_person.csv, so this {table.name} row points nowhere. "
                    f"{FIX_EITHER}",
                    child_id=pid,
                    location=location,
                    field=table.person,
                )
                self._leave_out(table, raw.get(table.key, ""), pid)
                return None
        for column, parent, _required in self.PARENTS.get(table.name, ()):
            ref = raw.get(column, "")
            if not ref:
                continue  # a blank required ID is reported as a missing value
            owner = self.owner[parent].get(ref)
            gone = self.left_out[parent].get(ref)
            if owner is None and gone is None and ref in self.skipped_rows[parent]:
                self._under_skipped(table, location, raw, pid, column, ref, parent)
                return None
            if owner is None and gone is not None:
                self.log.error(
                    "ssd.parent-left-out",
                    f"{column} {ref} is a row of {parent}.csv that has an error ({self.where[parent].get(ref, '')}), "
                    f"so this {table.name} row is left out with it. {FIX_PARENT}",
                    child_id=gone,
                    location=location,
                    field=column,
                )
                self._leave_out(table, raw.get(table.key, ""), gone)
                return None
            if owner is None:
                self.log.error(
                    "ssd.unknown-parent",
                    f"{column} {ref} is not a row of {parent}.csv (or that row was rejected), so this "
                    f"{table.name} row points nowhere." + ("" if pid else " It was left out alone.") + f" {FIX_EITHER}",
                    child_id=pid,
                    location=location,
                    field=column,
                    skipped=not pid,
                )
                self._leave_out(table, raw.get(table.key, ""), pid)
                return None
            if pid and owner != pid:
                self.log.error(
                    "ssd.person-mismatch",
                    f"{column} {ref} belongs to person {owner} in {parent}.csv, but this row names person {pid}. "
                    f"{FIX_EITHER}",
                    child_id=pid,
                    location=location,
                    field=column,
                )
                self._leave_out(table, raw.get(table.key, ""), pid)
                return None
            pid = owner
            refs[parent] = ref
            # a row under a section 47, ICPC or plan is also under that row's referral
            referral = self.referral_of[parent].get(ref)
            if referral is not None:
                if refs.get(CIN_EPISODES.name, referral) != referral:
                    self.log.error(
                        "ssd.referral-mismatch",
                        f"{column} {ref} belongs to referral {referral}, but this row names referral "
                        f"{refs[CIN_EPISODES.name]}. {FIX_EITHER}",
                        child_id=pid,
                        location=location,
                        field=column,
                    )
                    self._leave_out(table, raw.get(table.key, ""), pid)
                    return None
                refs[CIN_EPISODES.name] = referral
        if not pid and table is not PERSON:
            return self._missing_person(table, location, raw)
        return pid

    def _under_skipped(self, table: Table, location: str, raw: dict, pid: str, column: str, ref, parent) -> None:
        """A row under a row left out alone: left out with it. When it names its own person, that
        person's record would lack the parent row, so the person is held back whole."""
        text = f"{column} {ref} is a row of {parent}.csv that has an error and names no one, so this {table.name} row"
        if pid:
            message = f"{text} is left out with it, and person {pid} is held back whole."
        else:
            message = f"{text} was left out with it."
        message += f" {FIX_PARENT}"
        self.log.error("ssd.parent-left-out", message, child_id=pid, location=location, field=column, skipped=not pid)
        self._leave_out(table, raw.get(table.key, ""), pid)

    def _leave_out(self, table: Table, rid: str, pid: str) -> None:
        if rid and pid:
            self.left_out[table.name][rid] = pid
        elif rid:
            self.skipped_rows[table.name].add(rid)

    def _missing_person(self, table: Table, location: str, raw: dict) -> str | None:
        column = table.person or self.PARENTS[table.name][0][0]
        self.log.error(
            "ssd.value-missing",
            f"{column} must not be blank: without it the row belongs to no one, so it was left out alone "
            "(the other rows are not affected). Give the ID in the case management system's extract.",
            location=location,
            field=column,
            skipped=True,
        )
        self._leave_out(table, raw.get(table.key, ""), "")
        return None

    # -- checks across the fields of a row -------------------------------------------
    ORDER = {
        "ssd_person": (("pers_dob", "pers_death_date"),),
        "ssd_early_help_episodes": (("earl_episode_start_date", "earl_episode_end_date"),),
        "ssd_cin_episodes": (("cine_referral_date", "cine_close_date"),),
        "ssd_cin_assessments": (("cina_assessment_start_date", "cina_assessment_auth_date"),),
        "ssd_cin_plans": (("cinp_cin_plan_start", "cinp_cin_plan_end"),),
        "ssd_s47_enquiry": (("s47e_s47_start_date", "s47e_s47_end_date"),),
        "ssd_cp_plans": (("cppl_cp_plan_start_date", "cppl_cp_plan_end_date"),),
        "ssd_cla_episodes": (("clae_cla_episode_start_date", "clae_cla_episode_ceased"),),
        "ssd_cla_placement": (("clap_cla_placement_start_date", "clap_cla_placement_end_date"),),
        "ssd_missing": (("miss_mis_epi_start", "miss_mis_epi_end"),),
        "ssd_legal_status": (("lega_legal_status_start_date", "lega_legal_status_end_date"),),
        "ssd_involvements": (("invo_involvement_start_date", "invo_involvement_end_date"),),
    }

    def _logic(self, table: Table, location: str, pid: str, values: dict) -> bool:
        ok = True
        for start, end in self.ORDER.get(table.name, ()):
            a, b = values.get(start), values.get(end)
            if a is not None and b is not None and b < a:
                self.log.error(
                    "ssd.date-order",
                    f"{end} {b} is before {start} {a}. {FIX_EITHER}",
                    child_id=pid,
                    location=location,
                    field=end,
                    skipped=not pid,
                )
                ok = False
        if table is PERSON and values.get("pers_sex") == "":
            values["pers_sex"] = "U"
        return ok

    # -- what tables lend each other ------------------------------------------------
    def _counted(self, table: Table) -> None:
        self.rows[table.name] += 1
        self.header[table.file_name] = self.rows[table.name]

    def _linked_identifiers(self, archive) -> None:
        table = LINKED_IDENTIFIERS
        seen: dict[str, str] = {}
        for location, raw in self._rows(archive, table):
            self._counted(table)
            if raw.get("link_identifier_type", "").strip().lower() not in ("unique pupil number", "upn"):
                continue
            pid = raw.get("link_person_id", "")
            if pid not in self.persons:
                self.log.error(
                    "ssd.unknown-person",
                    f"link_person_id {pid} is not in ssd_person.csv, so this UPN points nowhere. {FIX_EITHER}",
                    child_id=pid,
                    location=location,
                    field="link_person_id",
                    skipped=not pid,
                )
                continue
            values = self._convert(table, location, pid, raw)
            if values is None:
                continue
            if values.get("link_valid_to_date"):
                continue  # a UPN that is no longer valid
            upn = values["link_identifier_value"]
            if len(upn) > 13:
                self.log.error(
                    "ssd.too-long",
                    f"UPN {shown(upn)} is longer than 13 characters. {FIX_RECORD}",
                    child_id=pid,
                    location=location,
                    field="link_identifier_value",
                )
                continue
            if pid in self.upns and self.upns[pid] != upn:
                self.log.error(
                    "ssd.upn-conflict",
                    f"Person {pid} has two current UPNs: {self.upns[pid]} ({seen[pid]}) and {upn}. {FIX_EITHER}",
                    child_id=pid,
                    location=location,
                    field="link_identifier_value",
                )
                continue
            self.upns[pid], seen[pid] = upn, location

    def _person_extras(self, location: str, pid: str, values: dict) -> None:
        upn = values.get("pers_upn")
        if upn and pid in self.upns and self.upns[pid] != upn:
            self.log.error(
                "ssd.upn-conflict",
                f"pers_upn {upn} differs from the UPN {self.upns[pid]} in ssd_linked_identifiers.csv. {FIX_EITHER}",
                child_id=pid,
                location=location,
                field="pers_upn",
            )
        if not upn and pid in self.upns:
            values["pers_upn"] = self.upns[pid]
        if "pers_upn" not in values and (self.upns or LINKED_IDENTIFIERS.name in self.present):
            values["pers_upn"] = self.upns.get(pid, "")
        if pid in self.first_child_dob:
            values["_mother_dob"] = self.first_child_dob[pid]
        if pid in self.eligibility:
            values["_eligibility"] = self.eligibility[pid]

    def _pre_read_mothers(self, archive) -> None:
        """903 MC_DOB is the date of birth of the mother's first child: the earliest moth_childs_dob."""
        for _location, raw in self._rows(archive, MOTHER, count_progress=False, quiet=True):
            pid, text = raw.get("moth_person_id", ""), raw.get("moth_childs_dob", "")
            value, problem = _parse(Col("x", "date"), text) if text else (None, None)
            if pid and value is not None and not problem:
                if pid not in self.first_child_dob or value < self.first_child_dob[pid]:
                    self.first_child_dob[pid] = value

    def _pre_read_care_leavers(self, archive) -> None:
        for _location, raw in self._rows(archive, CARE_LEAVERS, count_progress=False, quiet=True):
            text = raw.get("clea_care_leaver_eligibility", "")
            pid = raw.get("clea_person_id", "")
            value, problem = _parse(Col("x", "eligibility"), text) if text else ("", None)
            if pid and not problem:
                self.eligibility[pid] = value

    def _pre_read_icpc(self, archive) -> None:
        for _location, raw in self._rows(archive, ICPC, count_progress=False, quiet=True):
            s47 = raw.get("icpc_s47_enquiry_id", "")
            target, p1 = (
                _parse(Col("x", "date"), raw["icpc_icpc_target_date"])
                if raw.get("icpc_icpc_target_date")
                else (None, None)
            )
            date, p2 = _parse(Col("x", "date"), raw["icpc_icpc_date"]) if raw.get("icpc_icpc_date") else (None, None)
            if s47 and not p1 and not p2:
                self.icpc_of_s47[s47] = {"icpc_target_date": target, "icpc_date": date}

    def _pre_read_legal_status(self, archive) -> None:
        for location, raw in self._rows(archive, LEGAL_STATUS):
            self._counted(LEGAL_STATUS)
            pid = raw.get("lega_person_id", "")
            if pid not in self.persons:
                self.log.error(
                    "ssd.unknown-person",
                    f"lega_person_id {pid} is not in ssd_person.csv, so this legal status points nowhere. {FIX_EITHER}",
                    child_id=pid,
                    location=location,
                    field="lega_person_id",
                    skipped=not pid,
                )
                continue
            values = self._convert(LEGAL_STATUS, location, pid, raw)
            if values is None or not self._logic(LEGAL_STATUS, location, pid, values):
                continue
            code = values["lega_legal_status"].upper()
            if code in LEGAL_STATUS_903:  # the SSD also holds statuses that are not looked-after ones
                self.legal[pid].append(
                    (values["lega_legal_status_start_date"], values["lega_legal_status_end_date"], code)
                )

    def _pre_read_professionals(self, archive) -> None:
        """prof_professional_id -> prof_staff_id: ssd_involvements names the professional by the
        former, organisation.Worker holds the latter."""
        seen = self.where[PROFESSIONALS.name]
        for location, raw in self._rows(archive, PROFESSIONALS):
            self._counted(PROFESSIONALS)
            rid = raw.get("prof_professional_id", "")
            if rid in seen:
                # A professional is no child: the row is left out alone. When the two rows give different
                # staff IDs, no involvement naming the professional can tell its worker (decision 0064).
                if rid in self.staff_of and self.staff_of[rid] != raw.get("prof_staff_id", ""):
                    self.professional_twice.add(rid)
                self.log.error(
                    "ssd.duplicate-id",
                    f"prof_professional_id {rid} is also used by {seen[rid]}: row IDs must be unique. A "
                    f"professional's row names no child, so it was left out alone. {FIX_RECORD}",
                    location=location,
                    field="prof_professional_id",
                    skipped=True,
                )
                continue
            seen[rid] = location
            values = self._convert(PROFESSIONALS, location, "", raw)
            if values is not None:
                self.staff_of[rid] = values["prof_staff_id"]
        for rid in self.professional_twice:
            del self.staff_of[rid]

    def _placement_people(self, archive) -> tuple[dict[str, str], dict[str, str]]:
        """Whose each placement is, from ssd_cla_episodes (read again, quietly: it is read properly after
        the placements): episode ID -> person, and placement ID -> person for the episodes that name one.
        A placement's error then names its person, who is held back, instead of rejecting the file."""
        by_episode: dict[str, str] = {}
        by_placement: dict[str, str] = {}
        for _location, raw in self._rows(archive, CLA_EPISODES, count_progress=False, quiet=True):
            pid = raw.get("clae_person_id", "")
            if pid in self.persons:
                by_episode[raw.get("clae_cla_episode_id", "")] = pid
                by_placement[raw.get("clae_cla_placement_id", "")] = pid
        by_episode.pop("", None)
        by_placement.pop("", None)
        self.episode_person, self.placement_person = by_episode, by_placement  # for _whose
        return by_episode, by_placement

    def _pre_read_placements(self, archive) -> None:
        seen = self.where[PLACEMENTS.name]
        by_episode, by_placement = self._placement_people(archive)
        for location, raw in self._rows(archive, PLACEMENTS):
            self.rows[PLACEMENTS.name] += 1
            rid = raw.get("clap_cla_placement_id", "")
            pid = by_episode.get(raw.get("clap_cla_episode_id", ""), "") or by_placement.get(rid, "")
            if rid in seen:
                self.log.error(
                    "ssd.duplicate-id",
                    f"clap_cla_placement_id {rid} is also used by {seen[rid]}: row IDs must be unique. {FIX_RECORD}",
                    child_id=pid,
                    location=location,
                    field="clap_cla_placement_id",
                    skipped=not pid,
                )
                continue
            seen[rid] = location
            values = self._convert(PLACEMENTS, location, pid, raw)
            if values is None or not self._logic(PLACEMENTS, location, pid, values):
                continue
            entry = (rid, location, values)
            self.placement_by_id[rid] = entry
            episode = raw.get("clap_cla_episode_id", "")
            if episode:
                if episode in self.placement_of:
                    other = self.placement_of[episode][1]
                    self.log.error(
                        "ssd.placement-twice",
                        f"Episode {episode} has two placements, this one and {other}. In the register one "
                        "looked-after episode has one placement: a change of placement starts a new episode. "
                        f"{FIX_RECORD}",
                        child_id=pid,
                        location=location,
                        field="clap_cla_episode_id",
                        skipped=not pid,
                    )
                    continue
                self.placement_of[episode] = entry
        if PLACEMENTS.name in self._members:
            self.header[PLACEMENTS.file_name] = self.rows[PLACEMENTS.name]

    def _episode_extras(self, row: SsdRow) -> None:
        values = row.values
        start = values["clae_cla_episode_start_date"]
        entry = self.placement_of.get(row.row_id)
        if entry is None and values.get("clae_cla_placement_id"):
            entry = self.placement_by_id.get(values["clae_cla_placement_id"])
            if entry is None:
                self.log.error(
                    "ssd.unknown-parent",
                    f"clae_cla_placement_id {values['clae_cla_placement_id']} is not a row of ssd_cla_placement.csv. "
                    f"{FIX_EITHER}",
                    child_id=row.person_id,
                    location=row.location,
                    field="clae_cla_placement_id",
                )
        if entry is not None:
            self._placements_used.add(entry[0])
            values["_placement"] = entry[2]
        if LEGAL_STATUS.name in self.present:
            covering = [
                code for s, e, code in self.legal.get(row.person_id, ()) if s <= start and (e is None or e > start)
            ]
            if len(set(covering)) == 1:
                values["_legal_status"] = covering[0]
            elif covering:
                self.log.error(
                    "ssd.legal-status-overlap",
                    f"Legal statuses {', '.join(sorted(set(covering)))} all cover the episode start {start}; "
                    f"the register holds one legal status per episode. {FIX_EITHER}",
                    child_id=row.person_id,
                    location=row.location,
                    field="clae_cla_episode_start_date",
                )
            else:
                self.log.warning(
                    "ssd.legal-status-none",
                    f"No looked-after legal status in ssd_legal_status.csv covers the episode start {start}; "
                    "the episode's legal status was left as it was. If the child's legal status is missing, record it "
                    "in the case management system and export the extract again.",
                    child_id=row.person_id,
                    location=row.location,
                    field="clae_cla_episode_start_date",
                )

    def _orphan_placements(self) -> None:
        episodes = self.owner[CLA_EPISODES.name]
        linked = {entry[0] for entry in self.placement_of.values()}
        for episode, (_rid, location, _values) in self.placement_of.items():
            if episode not in episodes and episode in self.left_out[CLA_EPISODES.name]:
                self.log.error(
                    "ssd.parent-left-out",
                    f"clap_cla_episode_id {episode} is a row of ssd_cla_episodes.csv that has an error, so this "
                    f"placement is left out with it. {FIX_PARENT}",
                    child_id=self.left_out[CLA_EPISODES.name][episode],
                    location=location,
                    field="clap_cla_episode_id",
                )
            elif episode not in episodes:
                self.log.error(
                    "ssd.unknown-parent",
                    f"clap_cla_episode_id {episode} is not a row of ssd_cla_episodes.csv (or that row was "
                    "rejected), so this placement points nowhere. It names no person, so it was left out alone. "
                    f"{FIX_EITHER}",
                    location=location,
                    field="clap_cla_episode_id",
                    skipped=True,
                )
        for rid, (_r, location, _values) in self.placement_by_id.items():
            if rid not in self._placements_used and rid not in linked:
                self.log.error(
                    "ssd.unknown-parent",
                    f"Placement {rid} names no episode (clap_cla_episode_id is blank) and no episode names it, "
                    f"so it belongs to no one and was left out alone. {FIX_RECORD}",
                    location=location,
                    field="clap_cla_episode_id",
                    skipped=True,
                )


# -- parsing one value ------------------------------------------------------------
_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$")


def parse_datetime(text: str) -> tuple[dt.datetime | None, str]:
    """(value, problem). ISO dates and datetimes, as SSD extracts carry them."""
    m = _DATE.match(text)
    if not m:
        return None, "not an ISO date (YYYY-MM-DD, or YYYY-MM-DD hh:mm:ss)"
    y, mo, d, hh, mm, ss, tz = m.groups()
    try:
        value = dt.datetime(int(y), int(mo), int(d), int(hh or 0), int(mm or 0), int(ss or 0))
    except ValueError:
        return None, "not a real date or time"
    if not 1900 <= value.year <= 2100:
        return None, "outside 1900-2100, so not a real date for a child's record"
    if tz:
        offset = dt.UTC if tz == "Z" else _offset(tz)
        return value.replace(tzinfo=offset).astimezone(LONDON), ""
    return value.replace(tzinfo=LONDON), ""


def _offset(tz: str) -> dt.timezone:
    sign = -1 if tz[0] == "-" else 1
    digits = tz[1:].replace(":", "")
    return dt.timezone(sign * dt.timedelta(hours=int(digits[:2]), minutes=int(digits[2:])))


def _parse(col: Col, text: str):
    """(value, None) or (None, (rule, message))."""
    kind = col.kind
    if kind == "id":
        return text, None
    if kind in ("date", "datetime"):
        value, problem = parse_datetime(text)
        if problem:
            return None, ("ssd.date", f"{col.name} '{shown(text)}' is {problem}.")
        assert value is not None
        if kind == "date":
            return value.date(), None
        return value, None
    if kind == "flag":
        flag = FLAGS.get(text.lower())
        if flag is None:
            return None, ("ssd.flag", f"{col.name} '{shown(text)}' is not a yes/no value (Y, N, 1, 0).")
        return flag, None
    if kind == "int":
        try:
            return int(float(text)), None
        except ValueError:
            return None, ("ssd.number", f"{col.name} '{shown(text)}' is not a whole number.")
    if kind == "code":
        code = text.upper()
        if code == "CNHE" and "CHNE" in col.codes:
            code = "CHNE"  # the SSD guidance spells the DfE code CHNE as CNHE
        if code == "I" and col.name == "pers_sex":
            return "U", None  # indeterminate: warned about in _convert
        if code in OLD_SEX and col.name == "pers_sex":
            return OLD_SEX[code], None  # the DfE's code up to 2023-24: warned about in _convert
        if code not in col.codes:
            return None, ("ssd.code", f"{col.name} '{shown(text)}' is not in the code list ({_codes(col.codes)}).")
        return code, None
    if kind == "factors":
        return _factors(col, text)
    if kind == "category":
        return _category(col, text)
    if kind == "missing":
        kind_code = MISSING_KIND.get(text.lower())
        if kind_code is None:
            return None, (
                "ssd.code",
                f"{col.name} '{shown(text)}' is not M (missing) or A (away without authorisation).",
            )
        return kind_code, None
    if kind == "eligibility":
        category = ELIGIBILITY.get(re.sub(r"[\s_-]+", " ", text.lower()).strip())
        if category is None:
            return None, (
                "ssd.code",
                f"{col.name} '{shown(text)}' is not an eligibility category "
                "(Relevant, Former Relevant, Eligible, Qualifying, No Current Eligibility).",
            )
        return category, None
    if kind == "accommodation":
        code = text.upper()
        if code[:1] not in ACCOMMODATION or code[1:] not in ("", "1", "2"):
            return None, (
                "ssd.code",
                f"{col.name} '{shown(text)}' is not an accommodation code ({_codes(ACCOMMODATION)}).",
            )
        return code, None
    if kind == "suitability":
        lowered = text.lower()
        suitable = {"1": "1", "2": "2", "suitable": "1", "unsuitable": "2", "y": "1", "n": "2"}.get(lowered)
        if suitable is None:
            return None, ("ssd.code", f"{col.name} '{shown(text)}' is not 1 (suitable) or 2 (unsuitable).")
        return suitable, None
    return text, None


def _category(col: Col, text: str):
    head, _, rest = text.partition(":")
    code = CATEGORY.get(head.strip().lower())
    if code is None:
        return None, (
            "ssd.code",
            f"{col.name} '{shown(text)}' is not a category of abuse (Neglect, Physical abuse, Sexual abuse, "
            "Emotional abuse, Multiple: ..., or NEG, PHY, SAB, EMO, MUL).",
        )
    combination = ""
    if code == "MUL" and rest.strip():
        parts = set()
        for piece in re.split(r"[,;/|]| and ", rest):
            if not piece.strip():
                continue
            one = CATEGORY.get(piece.strip().lower())
            if one is None or one == "MUL":
                return None, ("ssd.code", f"{col.name} '{shown(text)}': '{piece.strip()}' is not a category of abuse.")
            parts.add(one)
        combination = ",".join(sorted(parts))
    elif code != "MUL":
        combination = code
    return (code, combination), None


def _factors(col: Col, text: str):
    """An assessment's factors: a JSON array ["1A", "2B"], a JSON object {"1A": "Yes", "2B": "No"}
    (both allowed by the SSD), or plain comma-separated codes."""
    try:
        found = json.loads(text)
    except ValueError:
        found = [p for p in re.split(r"[,;\s]+", text) if p]
    if isinstance(found, dict):
        found = [k for k, v in found.items() if str(v).strip().lower() in ("yes", "y", "true", "1")]
    if not isinstance(found, list):
        return None, ("ssd.factors", f"{col.name} '{shown(text)}' is not a list of assessment factor codes.")
    codes = sorted({str(c).strip().upper() for c in found if str(c).strip()})
    unknown = [c for c in codes if c not in ASSESSMENT_FACTORS]
    if unknown:
        return None, (
            "ssd.code",
            f"{col.name}: {', '.join(unknown)} not in the CIN assessment factor list (1A … 24A).",
        )
    return tuple(codes), None


def _codes(codes) -> str:
    shown = sorted(codes)
    return ", ".join(shown) if len(shown) <= 14 else ", ".join(shown[:14]) + ", …"


def _is_id(table: Table, name: str) -> bool:
    col = next((c for c in table.columns if c.name == name), None)
    return col is not None and col.kind == "id"


def _id_limit(name: str) -> int:
    """A person ID becomes Child.la_child_id; other row IDs are held only while the file is read."""
    from children.models import Child

    if name.endswith("person_id"):
        return limits.max_length(Child, "la_child_id")
    return limits.get("identifier_chars")


def _decoded_lines(raw) -> Iterator[str]:
    """The file's lines as text, decoded one at a time so that a byte that is not UTF-8 is
    reported on its own row (UTF-8 never puts a newline byte inside a character)."""
    decoder = codecs.getincrementaldecoder("utf-8-sig")()
    for line in raw:
        yield decoder.decode(line)
    yield decoder.decode(b"", final=True)


class _OneFile:
    """A single uploaded CSV file, read as if it were a zip holding just that file."""

    def __init__(self, path: Path, name: str) -> None:
        self.info = zipfile.ZipInfo(Path(name).name)
        self.info.file_size = path.stat().st_size
        self.path = path

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        return None

    def infolist(self) -> list[zipfile.ZipInfo]:
        return [self.info]

    def open(self, info):
        return open(self.path, "rb")
