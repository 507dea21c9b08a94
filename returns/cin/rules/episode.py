"""CIN census rules on the episode (<CINdetails>): referral, need, closure, and what may sit under it."""

from returns.cin.rules.common import IN_PERIOD, error, in_list, query
from returns.rules.base import Rule

# An episode's dated activity, one row per date, for 8565 (activity after closure).
_ACTIVITY = """
    SELECT cin_row, path, AssessmentActualStartDate AS day FROM assessment
    UNION ALL SELECT cin_row, path, AssessmentAuthorisationDate FROM assessment
    UNION ALL SELECT cin_row, path, S47ActualStartDate FROM s47
    UNION ALL SELECT cin_row, path, DateOfInitialCPC FROM s47
    UNION ALL SELECT cin_row, path, DateOfInitialCPC FROM cin
    UNION ALL SELECT cin_row, path, CPPendDate FROM cpp
    UNION ALL SELECT cin_row, path, CINPlanStartDate FROM cin_plan
    UNION ALL SELECT cin_row, path, CINPlanEndDate FROM cin_plan"""


def _before_referral(code: str, message: str, table: str, column: str) -> Rule:
    return error(
        code,
        message,
        (column, "CINreferralDate"),
        f"SELECT t.LAchildID, t.path FROM {table} t JOIN cin USING (cin_row) WHERE t.{column} < cin.CINreferralDate",
    )


RULES = [
    _before_referral(
        "1103",
        "The assessment start date cannot be before the referral date",
        "assessment",
        "AssessmentActualStartDate",
    ),
    _before_referral(
        "1104",
        "The date of the initial child protection conference cannot be before the referral date",
        "s47",
        "DateOfInitialCPC",
    ),
    _before_referral(
        "1105", "The child protection plan start date cannot be before the referral date", "cpp", "CPPstartDate"
    ),
    _before_referral("2889", "The S47 start date cannot be before the referral date.", "s47", "S47ActualStartDate"),
    _before_referral(
        "4015", "The CIN Plan start date cannot be before the referral date", "cin_plan", "CINPlanStartDate"
    ),
    error(
        "2990",
        "Activity is recorded against a case marked as ‘Case closed after assessment, no further action’ or "
        "'case closed after assessment, referred to early help'.",
        ("ReasonForClosure",),
        """SELECT cin.LAchildID, cin.path FROM cin WHERE cin.ReasonForClosure IN ('RC8', 'RC9') AND (
            cin.DateOfInitialCPC IS NOT NULL
            OR EXISTS (SELECT 1 FROM s47 WHERE s47.cin_row = cin.cin_row)
            OR EXISTS (SELECT 1 FROM cpp WHERE cpp.cin_row = cin.cin_row)
            OR EXISTS (SELECT 1 FROM cin_plan p WHERE p.cin_row = cin.cin_row))""",
    ),
    error(
        "2884",
        "An initial child protection conference is recorded at both the S47 and CIN Details level and it should "
        "only be recorded in one",
        ("DateOfInitialCPC",),
        """SELECT s47.LAchildID, s47.path FROM s47 JOIN cin USING (cin_row)
        WHERE s47.DateOfInitialCPC = cin.DateOfInitialCPC""",
    ),
    error(
        "4000",
        "CIN Plan details provided for a referral with no further action",
        ("ReferralNFA",),
        "SELECT p.LAchildID, p.path FROM cin_plan p JOIN cin USING (cin_row) WHERE cin.ReferralNFA = true",
    ),
    error(
        "8565",
        "Activity shown after a case has been closed",
        (
            "CINclosureDate",
            "DateOfInitialCPC",
            "AssessmentActualStartDate",
            "AssessmentAuthorisationDate",
            "S47ActualStartDate",
            "CPPendDate",
            "CINPlanStartDate",
            "CINPlanEndDate",
        ),
        f"""SELECT cin.LAchildID, a.path FROM cin JOIN ({_ACTIVITY}) a USING (cin_row)
        WHERE a.day > cin.CINclosureDate""",
    ),
    error(
        "8568",
        "RNFA flag is missing or invalid",
        ("ReferralNFA",),
        "SELECT LAchildID, path FROM cin WHERE ReferralNFA IS NULL",
    ),
    query(
        "8569Q",
        "A case with referral date before one working day prior to the collection start date must not be flagged "
        "as a no further action case",
        ("ReferralNFA",),
        "SELECT LAchildID, path FROM cin, census k WHERE CINreferralDate < k.start_minus_1wd AND ReferralNFA = true",
    ),
    query(
        "8555Q",
        "Child cannot be referred after its recorded date of death",
        ("PersonDeathDate", "CINreferralDate"),
        "SELECT cin.LAchildID, cin.path FROM cin JOIN child c USING (child_row) "
        "WHERE cin.CINreferralDate > c.PersonDeathDate",
    ),
    query(
        "8585Q",
        "Please check and either amend or provide a reason: CIN episode shows Died as the Closure Reason, however "
        "child has no recorded Date of Death",
        ("ReasonForClosure", "PersonDeathDate"),
        "SELECT cin.LAchildID, cin.path FROM cin JOIN child c USING (child_row) "
        "WHERE cin.ReasonForClosure = 'RC2' AND c.PersonDeathDate IS NULL",
    ),
    error(
        "8600",
        "Child referral date missing or after data collection period",
        ("CINreferralDate",),
        "SELECT LAchildID, path FROM cin, census k WHERE CINreferralDate IS NULL OR CINreferralDate > k.ref_date",
    ),
    error(
        "8606",
        "Child referral date is more than 40 weeks before DOB or expected DOB",
        ("CINreferralDate", "PersonBirthDate", "ExpectedPersonBirthDate"),
        """SELECT cin.LAchildID, cin.path FROM cin JOIN child c USING (child_row)
        WHERE cin.CINreferralDate < c.PersonBirthDate - INTERVAL 280 DAY
           OR cin.CINreferralDate < c.ExpectedPersonBirthDate - INTERVAL 280 DAY""",
    ),
    error(
        "8610",
        "Primary Need code is missing for a referral which led to further action.",
        ("ReferralNFA", "PrimaryNeedCode"),
        "SELECT LAchildID, path FROM cin WHERE ReferralNFA = false AND PrimaryNeedCode IS NULL",
    ),
    error(
        "8620",
        "CIN Closure Date present and does not fall within the Census year",
        ("CINclosureDate",),
        f"SELECT LAchildID, path FROM cin, census k WHERE CINclosureDate NOT {IN_PERIOD}",
    ),
    error(
        "8630",
        "CIN Closure Date is before CIN Referral Date for the same CIN episode",
        ("CINreferralDate", "CINclosureDate"),
        "SELECT LAchildID, path FROM cin WHERE CINclosureDate < CINreferralDate",
    ),
    error(
        "8640",
        "CIN Reason for closure code invalid (see Reason for Closure table in CIN Census code set)",
        ("ReasonForClosure",),
        f"SELECT LAchildID, path FROM cin WHERE ReasonForClosure IS NOT NULL AND NOT "
        f"{in_list('ReasonForClosure', 'reasonforclosure')}",
    ),
    error(
        "8650",
        "Primary Need Code invalid (see Primary Need table in CIN census code set)",
        ("PrimaryNeedCode",),
        f"SELECT LAchildID, path FROM cin WHERE PrimaryNeedCode IS NOT NULL AND NOT "
        f"{in_list('PrimaryNeedCode', 'primaryneedcode')}",
    ),
    error(
        "8715",
        "Date of Initial Child Protection Conference must fall within the census year",
        ("DateOfInitialCPC", "ReferenceDate"),
        f"SELECT LAchildID, path FROM s47, census k WHERE DateOfInitialCPC NOT {IN_PERIOD}",
    ),
    error(
        "8805",
        "A CIN case cannot have a CIN closure date without a Reason for Closure",
        ("CINclosureDate", "ReasonForClosure"),
        "SELECT LAchildID, path FROM cin WHERE CINclosureDate IS NOT NULL AND ReasonForClosure IS NULL",
    ),
    error(
        "8810",
        "A CIN case cannot have a Reason for Closure without a CIN Closure Date",
        ("ReasonForClosure", "CINclosureDate"),
        "SELECT LAchildID, path FROM cin WHERE ReasonForClosure IS NOT NULL AND CINclosureDate IS NULL",
    ),
    error(
        "8815",
        "More than one open CIN Details episode (a module with no CIN Closure Date) has been provided for this "
        "child and case is not a referral with no further action.",
        ("ReferralNFA", "CINclosureDate"),
        """SELECT LAchildID, path FROM cin WHERE CINclosureDate IS NULL AND ReferralNFA = false
        QUALIFY count(*) OVER (PARTITION BY child_row) > 1""",
    ),
    error(
        "8816",
        "An open CIN episode is shown and case is not a referral with no further action, but it is not the latest "
        "episode.",
        ("CINreferralDate", "ReferralNFA"),
        """SELECT LAchildID, path FROM (
            SELECT *, max(CINreferralDate) OVER (PARTITION BY child_row) AS latest FROM cin)
        WHERE CINclosureDate IS NULL AND ReferralNFA = false AND CINreferralDate < latest""",
    ),
    error(
        "8820",
        "The dates on the CIN episodes for this child overlap",
        ("CINreferralDate", "CINclosureDate"),
        # "Between" as a half-open interval: a referral on the day the other episode closed starts a new one.
        """SELECT a.LAchildID, a.path
        FROM cin a JOIN cin b ON a.child_row = b.child_row AND a.cin_row <> b.cin_row, census k
        WHERE a.CINreferralDate >= b.CINreferralDate
          AND (a.CINreferralDate < b.CINclosureDate
               OR (b.CINclosureDate IS NULL AND b.ReferralNFA = false AND a.CINreferralDate < k.ref_date))""",
    ),
    query(
        "8825Q",
        "Please check and either amend data or provide a reason: Reason for Closure code RC8 (case closed after "
        "assessment) or RC9 (case closed after assessment, referred to early help) has been returned but there is "
        "no assessment present for the episode.",
        ("ReasonForClosure",),
        """SELECT LAchildID, path FROM cin WHERE ReasonForClosure IN ('RC8', 'RC9')
        AND NOT EXISTS (SELECT 1 FROM assessment a WHERE a.cin_row = cin.cin_row)""",
    ),
    error(
        "8831",
        "Activity is recorded against a case marked as a referral with no further action",
        ("AssessmentActualStartDate", "AssessmentAuthorisationDate", "S47ActualStartDate", "DateOfInitialCPC"),
        """SELECT LAchildID, path FROM cin WHERE ReferralNFA = true AND (
            DateOfInitialCPC IS NOT NULL
            OR EXISTS (SELECT 1 FROM s47 WHERE s47.cin_row = cin.cin_row AND s47.S47ActualStartDate IS NOT NULL)
            OR EXISTS (SELECT 1 FROM assessment a WHERE a.cin_row = cin.cin_row
                       AND (a.AssessmentActualStartDate IS NOT NULL OR a.AssessmentAuthorisationDate IS NOT NULL)))""",
    ),
    error(
        "8832",
        "Child Protection details provided for a referral with no further action.",
        ("CINdetailsID", "ReferralNFA"),
        "SELECT cpp.LAchildID, cpp.path FROM cpp JOIN cin USING (cin_row) WHERE cin.ReferralNFA = true",
    ),
    error(
        "8866",
        "Source of Referral is missing or an invalid code",
        ("CINreferralDate", "ReferralSource"),
        f"""SELECT LAchildID, path FROM cin WHERE CINreferralDate >= DATE '2013-04-01'
        AND (ReferralSource IS NULL OR NOT {in_list("ReferralSource", "referralsource")})""",
    ),
    error(
        "8867",
        "CIN episode is shown as closed, however Assessment is not shown as completed",
        ("CINclosureDate", "AssessmentAuthorisationDate"),
        """SELECT a.LAchildID, a.path FROM assessment a JOIN cin USING (cin_row)
        WHERE cin.CINclosureDate IS NOT NULL AND a.AssessmentAuthorisationDate IS NULL""",
    ),
    error(
        "8868",
        "CIN episode is shown as closed, however Section 47 enquiry is not shown as completed by ICPC date or ICPC "
        "not required flag",
        ("ICPCnotRequired", "CINclosureDate", "DateOfInitialCPC"),
        """SELECT s47.LAchildID, s47.path FROM s47 JOIN cin USING (cin_row)
        WHERE cin.CINclosureDate IS NOT NULL AND s47.DateOfInitialCPC IS NULL
          AND s47.ICPCnotRequired IS DISTINCT FROM true""",
    ),
]
