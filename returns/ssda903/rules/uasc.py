"""SSDA903 rules on the UASC status item of the XML form's header (105, 303). In the CSV tables a
child's UASC status is the UASC table itself (a row there is the status), so these rules find nothing
in CSV returns; `uasc_status` (returns/ssda903/tables.py) holds the XML header's UASC and DUC, one row
per child. See docs/validation-rules-903-lastyear.md."""

from returns.ssda903.rules.common import error

RULES = [
    error(
        "105",
        "Data entry for Unaccompanied Asylum-Seeking Children (UASC) status of child is invalid or has not been "
        "completed.",
        ("UASC",),
        # 0 or 1, read as a number as Data to Insight reads it ("1.0" is 1); blank or absent is not completed.
        "SELECT CHILD, location FROM uasc_status WHERE coalesce(TRY_CAST(UASC AS DOUBLE) NOT IN (0, 1), true)",
    ),
    error(
        "303",
        "If date Unaccompanied Asylum-Seeking Child (UASC) status ceased is not null, UASC status must be coded 1.",
        ("DUC", "UASC"),
        # A status left out is not coded 1 either (Data to Insight looks only at children whose header has one).
        "SELECT CHILD, location FROM uasc_status WHERE DUC IS NOT NULL AND TRY_CAST(UASC AS DOUBLE) IS DISTINCT FROM 1",
    ),
]
