"""CIN census rules on the work under an episode: assessments, section 47 enquiries, CIN plans,
child protection plans and their reviews."""

from returns.cin.rules.common import IN_PERIOD, error, in_list, query

_OPEN_S47 = "s.DateOfInitialCPC IS NULL AND s.ICPCnotRequired IS DISTINCT FROM true"

ASSESSMENT_RULES = [
    error(
        "8608",
        "Assessment Start Date cannot be later than its End Date",
        ("AssessmentActualStartDate", "AssessmentAuthorisationDate"),
        "SELECT LAchildID, path FROM assessment WHERE AssessmentAuthorisationDate < AssessmentActualStartDate",
    ),
    error(
        "8614",
        "Parental or child factors at assessment should only be present for a completed assessment.",
        ("AssessmentAuthorisationDate", "AssessmentFactors"),
        """SELECT a.LAchildID, a.path FROM assessment a WHERE a.AssessmentAuthorisationDate IS NULL
        AND EXISTS (SELECT 1 FROM factor f WHERE f.assessment_row = a.assessment_row AND f.AssessmentFactors <> '')""",
    ),
    query(
        "8670Q",
        "Please check and either amend data or provide a reason: Assessment started more than 45 working days "
        "before the end of the census year. However, there is no Assessment end date.",
        ("AssessmentActualStartDate",),
        "SELECT LAchildID, path FROM assessment, census k WHERE AssessmentAuthorisationDate IS NULL "
        "AND AssessmentActualStartDate < k.ref_minus_45wd",
    ),
    error(
        "8696",
        "Assessment end date must fall within the census year",
        ("AssessmentAuthorisationDate", "ReferenceDate"),
        f"SELECT LAchildID, path FROM assessment, census k WHERE AssessmentAuthorisationDate NOT {IN_PERIOD}",
    ),
    error(
        "8736",
        "For an Assessment that has not been completed, the start date must fall within the census year",
        ("AssessmentAuthorisationDate", "AssessmentActualStartDate"),
        f"""SELECT LAchildID, path FROM assessment, census k WHERE AssessmentAuthorisationDate IS NULL
        AND AssessmentActualStartDate NOT {IN_PERIOD}""",
    ),
    query(
        "8863Q",
        "An Assessment is shown as starting when there is another Assessment ongoing.",
        ("AssessmentActualStartDate", "AssessmentAuthorisationDate"),
        """SELECT a.LAchildID, a.path FROM assessment a JOIN assessment b
            ON a.cin_row = b.cin_row AND a.assessment_row <> b.assessment_row, census k
        WHERE a.AssessmentActualStartDate BETWEEN b.AssessmentActualStartDate
              AND coalesce(b.AssessmentAuthorisationDate, k.ref_date)""",
    ),
    error(
        "8869",
        "The assessment factors code “21” cannot be used in conjunction with any other assessment factors.",
        ("AssessmentFactors",),
        """SELECT any_value(LAchildID), any_value(path) FROM factor GROUP BY assessment_row
        HAVING bool_or(AssessmentFactors = '21') AND bool_or(AssessmentFactors <> '21')""",
    ),
    query(
        "8873Q",
        "Please check and either amend data or provide a reason: When there is only one assessment on the episode "
        "and the factors code “21 No factors identified” has been used for the completed assessment, the reason "
        "for closure ‘RC8’ or 'RC9' should be used.",
        ("ReasonForClosure", "AssessmentFactors"),
        """SELECT cin.LAchildID, cin.path FROM cin
        JOIN (SELECT cin_row, any_value(assessment_row) AS assessment_row FROM assessment
              GROUP BY cin_row HAVING count(*) = 1) one USING (cin_row)
        WHERE cin.ReasonForClosure IS DISTINCT FROM 'RC8' AND cin.ReasonForClosure IS DISTINCT FROM 'RC9'
          AND EXISTS (SELECT 1 FROM factor f
                      WHERE f.assessment_row = one.assessment_row AND f.AssessmentFactors = '21')""",
    ),
    error(
        "8896",
        "Within one CINDetails group there are 2 or more open Assessments groups",
        ("AssessmentAuthorisationDate",),
        "SELECT LAchildID, path FROM assessment WHERE AssessmentAuthorisationDate IS NULL "
        "QUALIFY count(*) OVER (PARTITION BY cin_row) > 1",
    ),
    query(
        "8897Q",
        "Parental or child factors at assessment information is missing from a completed assessment",
        ("AssessmentAuthorisationDate", "AssessmentFactors"),
        f"""SELECT a.LAchildID, a.path FROM assessment a, census k WHERE a.AssessmentAuthorisationDate >= k.start_date
        AND NOT EXISTS (SELECT 1 FROM factor f WHERE f.assessment_row = a.assessment_row
                        AND {in_list("f.AssessmentFactors", "assessmentfactors")})""",
    ),
    error(
        "8898",
        " The assessment has more than one parental or child factors with the same code",
        ("AssessmentFactors",),
        "SELECT any_value(LAchildID), any_value(path) FROM factor WHERE AssessmentFactors <> '' "
        "GROUP BY assessment_row, AssessmentFactors HAVING count(*) > 1",
    ),
    query(
        "8945Q",
        "Please check and either amend data or provide a reason: the assessment factors code '18A' should not be "
        "used ('18B' or '18C' should be used instead)",
        ("AssessmentFactors",),
        "SELECT LAchildID, path FROM factor WHERE AssessmentFactors = '18A'",
    ),
    query(
        "8950Q",
        "Please check and either amend data or provide a reason: the assessment factors code '19A' should not be "
        "used ('19B' or '19C' should be used instead)",
        ("AssessmentFactors",),
        "SELECT LAchildID, path FROM factor WHERE AssessmentFactors = '19A'",
    ),
    query(
        "2991Q",
        "Please check and either amend data or provide a reason: A Section 47 module is recorded and there is no "
        "assessment on the episode",
        ("CINdetailsID",),
        "SELECT s.LAchildID, s.path FROM s47 s "
        "WHERE NOT EXISTS (SELECT 1 FROM assessment a WHERE a.cin_row = s.cin_row)",
    ),
]

SECTION47_RULES = [
    error(
        "8615",
        "Section 47 Enquiry Start Date must be present and cannot be later than the date of the initial Child "
        "Protection Conference",
        ("S47ActualStartDate", "DateOfInitialCPC"),
        "SELECT LAchildID, path FROM s47 WHERE DateOfInitialCPC IS NOT NULL "
        "AND (S47ActualStartDate IS NULL OR S47ActualStartDate > DateOfInitialCPC)",
    ),
    query(
        "8675Q",
        "Please check and either amend data or provide a reason: S47 Enquiry started more than 15 working days "
        "before the end of the census year. However, there is no date of Initial Child Protection Conference.",
        ("DateOfInitialCPC", "S47ActualStartDate", "ICPCnotRequired"),
        "SELECT LAchildID, path FROM s47, census k WHERE DateOfInitialCPC IS NULL AND ICPCnotRequired = false "
        "AND S47ActualStartDate < k.ref_minus_15wd",
    ),
    error(
        "8740",
        "For a Section 47 Enquiry that has not held the Initial Child Protection Conference by the end of the "
        "census year, the start date must fall within the census year",
        ("S47ActualStartDate", "DateOfInitialCPC", "ICPCnotRequired"),
        f"""SELECT LAchildID, path FROM s47, census k WHERE DateOfInitialCPC IS NULL AND ICPCnotRequired = false
        AND S47ActualStartDate NOT {IN_PERIOD}""",
    ),
    error(
        "8839",
        "Within one CINDetails group there are 2 or more open S47 Assessments",
        ("DateOfInitialCPC",),
        f"SELECT LAchildID, path FROM s47 s WHERE {_OPEN_S47} QUALIFY count(*) OVER (PARTITION BY cin_row) > 1",
    ),
    query(
        "8870Q",
        "Please check and either amend or provide a reason: The Target Date for Initial Child Protection "
        "Conference should not be a weekend",
        ("InitialCPCtarget",),
        "SELECT LAchildID, path FROM s47 WHERE isodow(InitialCPCtarget) >= 6",
    ),
    error(
        "8875",
        "The Date of Initial Child Protection Conference cannot be a weekend",
        ("DateOfInitialCPC",),
        "SELECT LAchildID, path FROM s47 WHERE isodow(DateOfInitialCPC) >= 6",
    ),
    error(
        "8890",
        "A Section 47 enquiry is shown as starting when there is another Section 47 Enquiry ongoing",
        ("S47ActualStartDate",),
        f"""SELECT a.LAchildID, a.path
        FROM s47 a JOIN s47 s ON a.cin_row = s.cin_row AND a.s47_row <> s.s47_row, census k
        WHERE (s.DateOfInitialCPC IS NOT NULL
               AND a.S47ActualStartDate BETWEEN s.S47ActualStartDate AND s.DateOfInitialCPC)
           OR ({_OPEN_S47} AND a.S47ActualStartDate BETWEEN s.S47ActualStartDate AND k.ref_date)""",
    ),
]

CIN_PLAN_RULES = [
    error(
        "4001",
        "A CIN Plan cannot run concurrently with a Child Protection Plan",
        ("CINPlanEndDate", "CPPendDate"),
        """SELECT p.LAchildID, p.path FROM cin_plan p JOIN cpp USING (cin_row)
        WHERE cpp.CPPendDate IS NULL AND p.CINPlanStartDate IS NOT NULL AND p.CINPlanEndDate IS NULL""",
    ),
    error(
        "4003",
        "A CPP review date is shown as being held at the same time as an open CIN Plan.",
        ("CINPlanStartDate", "CINPlanEndDate", "CPPreviewDate"),
        """SELECT r.LAchildID, r.path FROM review r JOIN cpp USING (cpp_row) JOIN cin_plan p ON p.cin_row = r.cin_row
        WHERE TRY_CAST(r.CPPreviewDate AS DATE) >= p.CINPlanStartDate
          AND TRY_CAST(r.CPPreviewDate AS DATE) < p.CINPlanEndDate
          AND TRY_CAST(r.CPPreviewDate AS DATE) IS DISTINCT FROM cpp.CPPendDate""",
    ),
    error(
        "4004",
        "This child is showing more than one open CIN Plan, i.e. with no End Date",
        ("CINPlanEndDate",),
        "SELECT LAchildID, path FROM cin_plan WHERE CINPlanEndDate IS NULL "
        "QUALIFY count(*) OVER (PARTITION BY cin_row) > 1",
    ),
    error(
        "4008",
        "CIN Plan shown as starting after the child’s Date of Death.",
        ("PersonDeathDate", "CINPlanStartDate"),
        "SELECT p.LAchildID, p.path FROM cin_plan p JOIN child c USING (child_row) "
        "WHERE p.CINPlanStartDate > c.PersonDeathDate",
    ),
    query(
        "4009Q",
        "CIN Plan cannot end after the child’s Date of Death",
        ("PersonDeathDate", "CINPlanEndDate"),
        "SELECT p.LAchildID, p.path FROM cin_plan p JOIN child c USING (child_row) "
        "WHERE p.CINPlanEndDate > c.PersonDeathDate",
    ),
    error(
        "4010",
        "CIN Plan start date is missing or out of data collection period",
        ("CINPlanStartDate",),
        "SELECT LAchildID, path FROM cin_plan, census k "
        "WHERE CINPlanStartDate IS NULL OR CINPlanStartDate > k.ref_date",
    ),
    error(
        "4011",
        "CIN Plan End Date earlier than Start Date",
        ("CINPlanEndDate", "CINPlanStartDate"),
        "SELECT LAchildID, path FROM cin_plan WHERE CINPlanEndDate < CINPlanStartDate",
    ),
    query(
        "4012Q",
        "Please check and either amend or provide a reason: CIN Plan shown as starting and ending on the same day",
        ("CINPlanStartDate", "CINPlanEndDate"),
        "SELECT LAchildID, path FROM cin_plan WHERE CINPlanEndDate = CINPlanStartDate",
    ),
    error(
        "4013",
        "CIN Plan end date must fall within the census year",
        ("CINPlanEndDate", "ReferenceDate"),
        f"SELECT LAchildID, path FROM cin_plan, census k WHERE CINPlanEndDate NOT {IN_PERIOD}",
    ),
    error(
        "4014",
        "CIN Plan data contains overlapping dates",
        ("CINPlanStartDate", "CINPlanEndDate"),
        """SELECT a.LAchildID, a.path FROM cin_plan a JOIN cin_plan b
            ON a.child_row = b.child_row AND a.plan_row <> b.plan_row, census k
        WHERE a.CINPlanStartDate >= b.CINPlanStartDate
          AND a.CINPlanStartDate <= coalesce(b.CINPlanEndDate, k.ref_date)""",
    ),
    error(
        "4016",
        "A CIN Plan has been reported as open at the same time as a Child Protection Plan.",
        ("CINPlanStartDate", "CPPstartDate", "CPPendDate"),
        """SELECT p.LAchildID, p.path FROM cin_plan p JOIN cpp ON cpp.child_row = p.child_row, census k
        WHERE p.CINPlanStartDate >= cpp.CPPstartDate
          AND (p.CINPlanStartDate < cpp.CPPendDate OR (cpp.CPPendDate IS NULL AND p.CINPlanStartDate <= k.ref_date))""",
    ),
    error(
        "4017",
        "A CIN Plan has been reported as open at the same time as a Child Protection Plan.",
        ("CINPlanStartDate", "CINPlanEndDate", "CPPstartDate"),
        """SELECT cpp.LAchildID, cpp.path FROM cpp JOIN cin_plan p ON cpp.child_row = p.child_row, census k
        WHERE cpp.CPPstartDate >= p.CINPlanStartDate
          AND (cpp.CPPstartDate < p.CINPlanEndDate OR (p.CINPlanEndDate IS NULL AND cpp.CPPstartDate <= k.ref_date))""",
    ),
]

CP_PLAN_RULES = [
    error(
        "2883",
        "There are more child protection plans starting than initial conferences taking place",
        ("CPPstartDate", "DateOfInitialCPC"),
        f"""SELECT '' AS child, 'Message/Children' AS location FROM census k
        WHERE (SELECT count(*) FROM cpp WHERE CPPstartDate {IN_PERIOD})
            > (SELECT count(*) FROM cin WHERE DateOfInitialCPC {IN_PERIOD})
            + (SELECT count(*) FROM s47 WHERE DateOfInitialCPC {IN_PERIOD})""",
    ),
    error(
        "2885",
        "Child protection plan shown as starting a different day to the initial child protection conference.",
        ("CPPstartDate", "DateOfInitialCPC"),
        f"""SELECT cpp.LAchildID, cpp.path FROM cpp JOIN cin USING (cin_row), census k
        WHERE cpp.CPPstartDate {IN_PERIOD}
          AND CASE WHEN EXISTS (SELECT 1 FROM s47 WHERE s47.cin_row = cpp.cin_row)
                   THEN NOT EXISTS (SELECT 1 FROM s47 WHERE s47.cin_row = cpp.cin_row
                                    AND s47.DateOfInitialCPC = cpp.CPPstartDate)
                   ELSE cin.DateOfInitialCPC IS DISTINCT FROM cpp.CPPstartDate END""",
    ),
    error(
        "8720",
        "Child Protection Plan Start Date missing or out of data collection period",
        ("CPPstartDate", "ReferenceDate"),
        "SELECT LAchildID, path FROM cpp, census k WHERE CPPstartDate IS NULL OR CPPstartDate > k.ref_date",
    ),
    error(
        "8730",
        "Total Number of previous Child Protection Plans missing",
        ("NumberOfPreviousCPP",),
        "SELECT LAchildID, path FROM cpp WHERE TRY_CAST(NumberOfPreviousCPP AS INTEGER) IS NULL "
        "OR TRY_CAST(NumberOfPreviousCPP AS INTEGER) < 0",
    ),
    error(
        "8840",
        "Child Protection Plan cannot start and end on the same day",
        ("CPPstartDate", "CPPendDate"),
        "SELECT LAchildID, path FROM cpp WHERE CPPstartDate = CPPendDate",
    ),
    error(
        "8841",
        "The review date cannot be on the same day or before the Child protection Plan start date.",
        ("CPPstartDate", "CPPreviewDate"),
        "SELECT r.LAchildID, r.path FROM review r JOIN cpp USING (cpp_row) "
        "WHERE TRY_CAST(r.CPPreviewDate AS DATE) <= cpp.CPPstartDate",
    ),
    query(
        "8842Q",
        "Please check and either amend or provide a reason: Review Record has a missing date",
        ("CPPreviewDate",),
        "SELECT LAchildID, path FROM review WHERE TRY_CAST(CPPreviewDate AS DATE) IS NULL",
    ),
    error(
        "8905",
        "Initial Category of Abuse code missing or invalid (see Category of Abuse table in CIN Census code set)",
        ("InitialCategoryOfAbuse",),
        f"SELECT LAchildID, path FROM cpp WHERE InitialCategoryOfAbuse IS NULL "
        f"OR NOT {in_list('InitialCategoryOfAbuse', 'categoryofabuse')}",
    ),
    error(
        "8910",
        "Latest Category of Abuse code missing or invalid (see Category of Abuse table in CIN Census code set)",
        ("LatestCategoryOfAbuse",),
        f"SELECT LAchildID, path FROM cpp WHERE LatestCategoryOfAbuse IS NULL "
        f"OR NOT {in_list('LatestCategoryOfAbuse', 'categoryofabuse')}",
    ),
    error(
        "8915",
        "Child Protection Plan shown as starting after the child’s Date of Death",
        ("CPPstartDate", "PersonDeathDate"),
        "SELECT cpp.LAchildID, cpp.path FROM cpp JOIN child c USING (child_row) "
        "WHERE cpp.CPPstartDate > c.PersonDeathDate",
    ),
    error(
        "8920",
        "Child Protection Plan cannot end after the child’s Date of Death",
        ("PersonDeathDate", "CPPendDate"),
        "SELECT cpp.LAchildID, cpp.path FROM cpp JOIN child c USING (child_row) "
        "WHERE cpp.CPPendDate > c.PersonDeathDate",
    ),
    error(
        "8925",
        "Child Protection Plan End Date earlier than Start Date",
        ("CPPstartDate", "CPPendDate"),
        "SELECT LAchildID, path FROM cpp WHERE CPPendDate < CPPstartDate",
    ),
    error(
        "8930",
        "Child Protection Plan End Date must fall within the census year",
        ("CPPendDate", "ReferenceDate"),
        f"SELECT LAchildID, path FROM cpp, census k WHERE CPPendDate NOT {IN_PERIOD}",
    ),
    error(
        "8935",
        "This child is showing more than one open Child Protection plan, i.e. with no End Date",
        ("CPPendDate",),
        "SELECT LAchildID, path FROM cpp WHERE CPPendDate IS NULL QUALIFY count(*) OVER (PARTITION BY child_row) > 1",
    ),
    error(
        "8940",
        "Child Protection Plan data contains overlapping dates",
        ("CPPstartDate", "CPPendDate"),
        """SELECT a.LAchildID, a.path
        FROM cpp a JOIN cpp b ON a.child_row = b.child_row AND a.cpp_row <> b.cpp_row, census k
        WHERE a.CPPstartDate >= b.CPPstartDate AND a.CPPstartDate <= coalesce(b.CPPendDate, k.ref_date)""",
    ),
]

RULES = ASSESSMENT_RULES + SECTION47_RULES + CIN_PLAN_RULES + CP_PLAN_RULES
