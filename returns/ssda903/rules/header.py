"""SSDA903 rules on the header (the child), the reviews and the missing episodes."""

from returns.ssda903.rules.common import error, invalid_code, invalid_date

# A UPN: a check letter (not I, O or S), then 12 digits or 11 digits and a letter; or UN1-UN5.
UPN_PATTERN = r"^(([A-HJ-NP-RT-Z](\d{12}|\d{11}[A-Z]))|UN[1-5])$"

RULES = [
    invalid_code("101", "The child or young person’s reported sex is not valid.", "header", "SEX", blank_ok=False),
    invalid_date("102", "Date of birth is not a valid date.", "header", "DOB", blank_ok=False),
    invalid_code(
        "103", "The ethnicity code is either not valid or has not been entered.", "header", "ETHNIC", blank_ok=False
    ),
    error(
        "168",
        "Unique Pupil Number (UPN) is not valid. If unknown, default codes should be UN1, UN2, UN3, UN4 or UN5.",
        ("UPN",),
        f"SELECT CHILD, location FROM header WHERE UPN IS NOT NULL AND NOT regexp_matches(UPN, '{UPN_PATTERN}')",
    ),
    invalid_date("171", "Date of birth of mother's child is not a valid date.", "header", "MC_DOB"),
    invalid_date("166", "Date of review is invalid or blank.", "reviews", "REVIEW", blank_ok=False),
    error(
        "167",
        "Data entry for participation is invalid or blank.",
        ("REVIEW_CODE",),
        """SELECT CHILD, location FROM reviews WHERE NOT coalesce(
            (REVIEW IS NOT NULL AND REVIEW_CODE IN (SELECT code FROM codelist WHERE list = 'REVIEW_CODE'))
            OR (REVIEW IS NULL AND REVIEW_CODE IS NULL), false)""",
    ),
    error(
        "564",
        "Child was missing or away from placement without authorisation and the date started is blank.",
        ("MISSING", "MIS_START"),
        "SELECT CHILD, location FROM missing WHERE upper(MISSING) IN ('M', 'A') AND MIS_START IS NULL",
    ),
    error(
        "565",
        "The date that the child started to be missing or away from placement without authorisation has been "
        "completed but whether the child was missing or away from placement without authorisation has not been "
        "completed.",
        ("MISSING", "MIS_START"),
        "SELECT CHILD, location FROM missing WHERE MIS_START IS NOT NULL AND MISSING IS NULL",
    ),
    error(
        "570",
        "The date that the child started to be missing or away from placement without authorisation is after the "
        "end of the collection year.",
        ("MIS_START",),
        "SELECT CHILD, location FROM missing, collection k WHERE d(MIS_START) > k.end_date",
    ),
]
