"""CIN census rules on the child: identifiers, characteristics, disabilities, and the return as a whole."""

from returns.cin.rules.common import IN_PERIOD, error, in_list, query

# DfE rule 1530: "characters 2-4 of <UPN> must be a valid post April 1998 LA code or a recognised 'pseudo LA' code";
# from 2023-24 the list has 942 and 943 (Cumberland, Westmorland and Furness, created 1 April 2023).
LA_CODE_RANGES = (
    "001-005, 201-213, 301-320, 330-336, 340-344, 350-359, 370-373, 380-384, 390-394, 420, 660-681, 701-708, "
    "800-803, 805-808, 810-813, 815, 816, 820-823, 825, 826, 830, 831, 835-837, 838-839, 840, 841, 845, 846, "
    "850-852, 855-857, 860, 861, 865-896, 908, 909, 916, 919, 921, 925, 926, 928, 929, 931, 933, 935-938, 940-941, "
    "942, 943"
)


def _la_codes() -> list[str]:
    out: list[str] = []
    for part in LA_CODE_RANGES.split(","):
        first, _, last = part.strip().partition("-")
        out.extend(f"{n:03d}" for n in range(int(first), int(last or first) + 1))
    return out


LA_CODES = "(" + ", ".join(f"'{c}'" for c in _la_codes()) + ")"
CHECK_LETTERS = "ABCDEFGHJKLMNPQRTUVWXYZ"
# UPN check letter: digits 2-13 weighted 2-13, summed, remainder on division by 23 indexes CHECK_LETTERS.
_WEIGHTED = " + ".join(f"(ascii(substr(UPN, {i}, 1)) - 48) * {i}" for i in range(2, 14))

RULES = [
    error(
        "100",
        "Reference Date is incorrect",
        ("ReferenceDate",),
        """SELECT '' AS child, 'Message/Header/CollectionDetails/ReferenceDate' AS location FROM header, census k
        WHERE TRY_CAST(ReferenceDate AS DATE) IS NULL
           OR TRY_CAST(ReferenceDate AS DATE) IS DISTINCT FROM make_date(TRY_CAST(Year AS INTEGER), 3, 31)
           OR TRY_CAST(ReferenceDate AS DATE) IS DISTINCT FROM k.collection_end""",
    ),
    error(
        "1510",
        "UPN invalid (wrong check letter at character 1)",
        ("UPN",),
        f"""SELECT LAchildID, path FROM child
        WHERE length(UPN) = 13 AND regexp_full_match(substr(UPN, 2), '[0-9]{{12}}')
        AND substr(UPN, 1, 1) <> substr('{CHECK_LETTERS}', (({_WEIGHTED}) % 23) + 1, 1)""",
    ),
    error(
        "1520",
        "More than one record with the same UPN.",
        ("UPN",),
        "SELECT LAchildID, path FROM child WHERE UPN IS NOT NULL QUALIFY count(*) OVER (PARTITION BY UPN) > 1",
    ),
    error(
        "1530",
        "UPN invalid (characters 2-4 not a recognised LA code)",
        ("UPN",),
        f"SELECT LAchildID, path FROM child WHERE length(UPN) = 13 AND substr(UPN, 2, 3) NOT IN {LA_CODES}",
    ),
    error(
        "1540",
        "UPN invalid (characters 5-12 not all numeric)",
        ("UPN",),
        "SELECT LAchildID, path FROM child "
        "WHERE UPN IS NOT NULL AND NOT regexp_full_match(substr(UPN, 5, 8), '[0-9]+')",
    ),
    error(
        "1550",
        "UPN invalid (character 13 not a recognised value)",
        ("UPN",),
        "SELECT LAchildID, path FROM child WHERE length(UPN) = 13 AND NOT regexp_full_match(substr(UPN, 13, 1), "
        "'[A-HJ-NP-RT-Z0-9]')",
    ),
    query(
        "1560Q",
        "Please check and either amend or provide a reason: Former UPN wrongly formatted",
        ("FormerUPN",),
        "SELECT LAchildID, path FROM child WHERE FormerUPN IS NOT NULL "
        "AND NOT regexp_full_match(FormerUPN, '[A-Za-z][0-9]{12}')",
    ),
    error(
        "1570",
        "LA Child ID must not be longer than 20 characters",
        ("LAchildID",),
        "SELECT LAchildID, path FROM child WHERE length(LAchildID) > 20",
    ),
    error(
        "1580",
        "LA Child ID must not contain any non-alphanumeric characters",
        ("LAchildID",),
        "SELECT LAchildID, path FROM child WHERE NOT regexp_full_match(LAchildID, '[A-Za-z0-9]+')",
    ),
    error(
        "4180",
        "Sex must be provided and equal M, F, or U",
        ("Sex",),
        f"SELECT LAchildID, path FROM child WHERE Sex IS NULL OR NOT {in_list('Sex', 'sex')}",
    ),
    error(
        "4220",
        "Ethnicity is missing or invalid (see Ethnicity table)",
        ("Ethnicity",),
        f"SELECT LAchildID, path FROM child WHERE Ethnicity IS NULL OR NOT {in_list('Ethnicity', 'ethnicity')}",
    ),
    error("8500", "LA Child ID missing", ("LAchildID",), "SELECT LAchildID, path FROM child WHERE LAchildID IS NULL"),
    error(
        "8510",
        "More than one child record with the same LA Child ID",
        ("LAchildID",),
        "SELECT LAchildID, path FROM child WHERE LAchildID IS NOT NULL "
        "QUALIFY count(*) OVER (PARTITION BY LAchildID) > 1",
    ),
    error(
        "8520",
        "Date of Birth is after data collection period (must be on or before the end of the census period)",
        ("PersonBirthDate", "ReferenceDate"),
        "SELECT LAchildID, path FROM child, census k WHERE PersonBirthDate > k.ref_date",
    ),
    query(
        "8525Q",
        "Either Date of Birth or Expected Date of Birth must be provided (but not both)",
        ("PersonBirthDate", "ExpectedPersonBirthDate"),
        "SELECT LAchildID, path FROM child WHERE (PersonBirthDate IS NULL) = (ExpectedPersonBirthDate IS NULL)",
    ),
    query(
        "8530Q",
        "Please check and either amend data or provide a reason: Expected Date of Birth is outside the expected "
        "range for this census (March to December of the Census Year end)",
        ("ExpectedPersonBirthDate",),
        # "Between" read as strictly between, as Data to Insight does: the DfE's wording does not say.
        "SELECT LAchildID, path FROM child, census k WHERE ExpectedPersonBirthDate <= k.ref_date - INTERVAL 30 DAY "
        "OR ExpectedPersonBirthDate >= k.ref_date + INTERVAL 9 MONTH",
    ),
    query(
        "8535Q",
        "Please check and either amend data or provide a reason: Child’s date of death should not be prior to "
        "the date of birth",
        ("PersonDeathDate", "PersonBirthDate"),
        "SELECT LAchildID, path FROM child WHERE PersonDeathDate < PersonBirthDate",
    ),
    error(
        "8540",
        "Child’s disability is missing or invalid (see Disability table)",
        ("Disability", "PersonBirthDate", "ReferralNFA"),
        f"""SELECT c.LAchildID, c.path FROM child c
        WHERE c.PersonBirthDate IS NOT NULL
          AND EXISTS (SELECT 1 FROM cin WHERE cin.child_row = c.child_row AND cin.ReferralNFA = false)
          AND (NOT EXISTS (SELECT 1 FROM disability d WHERE d.child_row = c.child_row)
               OR EXISTS (SELECT 1 FROM disability d WHERE d.child_row = c.child_row
                          AND (d.Disability IS NULL OR NOT {in_list("d.Disability", "disability")})))""",
    ),
    query(
        "8545Q",
        "Please check and either amend data or provide a reason: Child's date of death should be within the "
        "census year",
        ("PersonDeathDate",),
        f"SELECT LAchildID, path FROM child, census k WHERE PersonDeathDate NOT {IN_PERIOD}",
    ),
    error(
        "8750",
        "Sex must equal U for an unborn child",
        ("Sex", "PersonBirthDate", "ExpectedPersonBirthDate"),
        "SELECT LAchildID, path FROM child WHERE PersonBirthDate IS NULL AND ExpectedPersonBirthDate IS NOT NULL "
        "AND Sex IS DISTINCT FROM 'U'",
    ),
    query(
        "8770Q",
        "Please check and either amend data or provide a reason: UPN is missing or reason UPN is missing or is "
        "UN1 for a child who is of school age.",
        ("UPN", "UPNunknown"),
        # School age: born on or before 31 August six years before the 31 August after the reference date.
        """SELECT c.LAchildID, c.path FROM child c, census k
        WHERE c.PersonBirthDate <= k.ref_date + INTERVAL 4 MONTH + INTERVAL 31 DAY - INTERVAL 6 YEAR
          AND EXISTS (SELECT 1 FROM cin WHERE cin.child_row = c.child_row AND cin.ReferralNFA = false)
          AND c.UPN IS NULL
          AND (c.UPNunknown IS NULL OR upper(c.UPNunknown) NOT IN ('UN2', 'UN3', 'UN4', 'UN5', 'UN6', 'UN7'))""",
    ),
    error(
        "8772",
        "UPN unknown reason is UN7 (Referral with no further action) but at least one CIN details is a referral "
        "going on to further action",
        ("UPNunknown", "ReferralNFA"),
        """SELECT c.LAchildID, c.path FROM child c WHERE c.UPNunknown = 'UN7'
        AND EXISTS (SELECT 1 FROM cin WHERE cin.child_row = c.child_row AND cin.ReferralNFA IS DISTINCT FROM true)""",
    ),
    query(
        "8775Q",
        "Please check and either amend data or provide a reason: Child is over 25 years old",
        ("PersonBirthDate", "CINclosureDate"),
        """SELECT cin.LAchildID, cin.path FROM child c JOIN cin USING (child_row), census k
        WHERE c.PersonBirthDate < k.ref_date - INTERVAL 25 YEAR
          AND (cin.CINclosureDate IS NULL OR cin.CINclosureDate > c.PersonBirthDate + INTERVAL 25 YEAR)""",
    ),
    error(
        "8790",
        "Disability information includes both None and other values",
        ("Disability",),
        """SELECT any_value(LAchildID), any_value(path) FROM disability GROUP BY child_row
        HAVING bool_or(Disability = 'NONE') AND bool_or(Disability IS DISTINCT FROM 'NONE')""",
    ),
    error(
        "8794",
        "Child has two or more disabilities with the same code",
        ("Disability",),
        "SELECT any_value(LAchildID), any_value(path) FROM disability WHERE Disability IS NOT NULL "
        "GROUP BY child_row, Disability HAVING count(*) > 1",
    ),
    error(
        "8590",
        "Child does not have a recorded CIN episode.",
        ("LAchildID",),
        "SELECT LAchildID, path FROM child c WHERE NOT EXISTS (SELECT 1 FROM cin WHERE cin.child_row = c.child_row)",
    ),
    query(
        "2886Q",
        "Please check and either amend or provide a reason: Percentage of children with no sex recorded is more "
        "than 2% (excluding unborns)",
        ("Sex", "ExpectedPersonBirthDate"),
        """SELECT '' AS child, 'Message/Children' AS location FROM child
        HAVING count(*) > 0 AND count(*) FILTER ((Sex IS NULL OR Sex = 'U') AND ExpectedPersonBirthDate IS NULL)
               > 0.02 * count(*)""",
    ),
    query(
        "2887Q",
        "Please check and either amend or provide a reason: Less than 8 disability codes have been used in your return",
        ("Disability",),
        """SELECT '' AS child, 'Message/Children' AS location FROM disability
        HAVING count(DISTINCT Disability) FILTER (Disability <> 'NONE') < 8""",
    ),
    query(
        "2888Q",
        "Please check and either amend or provide a reason: Only one disability code is recorded per child and "
        "multiple disabilities should be recorded where possible.",
        ("Disability",),
        """SELECT '' AS child, 'Message/Children' AS location FROM (
            SELECT child_row, count(*) AS n FROM disability WHERE Disability <> 'NONE' GROUP BY child_row)
        HAVING max(n) <= 1""",  # no child with a disability at all: 2887Q's concern, not this rule's
    ),
]
