"""SSDA903 rules on the social worker episodes (table SWEpisodes: SW_ID, SW_DECOM, SW_DEC,
SW_REASON), as the DfE's 2025-26 rules stand (Data to Insight's lac2025_26 set, which keeps them
for 2026-27). The table has been in the return since 2023-24; these rules are given for 2025-26
and 2026-27 only, because several of them changed in 2024-25 and 2025-26 (see
docs/validation-rules-903-lastyear.md). STG1 and STG2 in the codes are the DfE's stages."""

from returns.ssda903.rules.common import error, in_list, query, shared

YEARS = (2026, 2027)

# Each social worker episode with its dates and, per child, the one before it: by start, then end
# (blank and malformed dates last), then the order of the file.
_SW = """SELECT *, d(SW_DECOM) AS decom_d, d(SW_DEC) AS dec_d,
        lag(d(SW_DEC)) OVER w AS prev_dec, row_number() OVER w AS seq, count(*) OVER (PARTITION BY CHILD) AS n
    FROM swepisodes
    WINDOW w AS (PARTITION BY CHILD ORDER BY d(SW_DECOM) NULLS LAST, d(SW_DEC) NULLS LAST, row_no)"""
SW = f"SELECT * FROM {shared('sw', _SW)}"
# The window leaves its rows in no set order: the rules that read it order their findings by the file's
# rows, so that the same return gives them in the same order (and the 50,000 problems kept are the same).

# An episode that is not the child's first starts within 7 days either side of the previous one's end.
NEAR_PREVIOUS = "coalesce(decom_d BETWEEN prev_dec - INTERVAL 7 DAY AND prev_dec + INTERVAL 7 DAY, false)"

RULES = [
    error(
        "SW02STG1",
        "Social worker ID does not begin with the characters ‘SW’ or ‘XX’.",
        ("SW_ID",),
        """SELECT CHILD, location FROM swepisodes
        WHERE SW_ID IS NULL OR upper(left(SW_ID, 2)) NOT IN ('SW', 'XX') OR length(SW_ID) < 4""",
        YEARS,
    ),
    error(
        "SW04STG1",
        "Date social worker episode began is not a valid date..",
        ("SW_DECOM",),
        "SELECT CHILD, location FROM swepisodes WHERE SW_DECOM IS NOT NULL AND d(SW_DECOM) IS NULL",
        YEARS,
    ),
    error(
        "SW05STG1",
        # The DfE's wording, as Data to Insight prints it, says "began"; the rule is on the end date.
        "Date social worker episode began is not a valid date.",
        ("SW_DEC",),
        "SELECT CHILD, location FROM swepisodes WHERE SW_DEC IS NOT NULL AND d(SW_DEC) IS NULL",
        YEARS,
    ),
    error(
        "SW06STG2",
        "Social worker episode data should be within the social worker data reporting year.",
        ("SW_DECOM",),
        "SELECT CHILD, location FROM swepisodes, collection k WHERE d(SW_DECOM) > k.end_date",
        YEARS,
    ),
    error(
        "SW07STG2",
        "Social worker episode end date should be on or after the start of the social worker reporting period, "
        "and should be on or before the collection end date.",
        ("SW_DEC",),
        # The reporting period opens a year before the collection's (a child looked after at 31 March
        # has the whole previous year of social workers reported).
        """SELECT CHILD, location FROM swepisodes, collection k
        WHERE d(SW_DEC) < k.start_date - INTERVAL 1 YEAR OR d(SW_DEC) > k.end_date""",
        YEARS,
    ),
    error(
        "SW08STG2",
        "A new social worker episode has started, but the previous episode has not ended.",
        ("SW_DEC",),
        # Here the episodes are in order of start only (then of the file): of two starting the same
        # day, the one listed first is the earlier (SW19STG2 reports the pair).
        """SELECT CHILD, location FROM (SELECT *, row_number() OVER (PARTITION BY CHILD
            ORDER BY d(SW_DECOM) DESC NULLS FIRST, row_no DESC) AS from_last FROM swepisodes)
        WHERE from_last > 1 AND d(SW_DECOM) IS NOT NULL AND d(SW_DEC) IS NULL""",
        YEARS,
    ),
    query(
        "SW09STG2",
        "Social worker episode appears to have lasted for less than 24 hours.",
        ("SW_DECOM", "SW_DEC"),
        # From 2025-26 an episode "less than 24 hours" is one ending less than 3 days after it began.
        "SELECT CHILD, location FROM swepisodes WHERE d(SW_DEC) < d(SW_DECOM) + INTERVAL 3 DAY",
        YEARS,
    ),
    error(
        "SW10STG2",
        "A new social worker episode has started before the end date of the previous social worker episode.",
        ("SW_DECOM",),
        f"""SELECT CHILD, location FROM ({SW})
        WHERE seq > 1 AND SW_REASON IS DISTINCT FROM 'FCONTA' AND NOT {NEAR_PREVIOUS}
        ORDER BY row_no""",
        YEARS,
    ),
    error(
        "SW10aSTG2",
        "A new social worker episode has started and it is not within +/- 7 days of a previous episode.",
        ("SW_DECOM",),
        f"""SELECT CHILD, location FROM ({SW})
        WHERE seq > 1 AND SW_REASON IS DISTINCT FROM 'FCONTA' AND NOT {NEAR_PREVIOUS}
        ORDER BY row_no""",
        YEARS,
    ),
    error(
        "SW10bSTG2",
        "A new social worker episode has started with a reason of first contact before the previous episode has ended.",
        ("SW_DECOM", "SW_REASON"),
        f"""SELECT CHILD, location FROM ({SW}) WHERE seq > 1 AND SW_REASON = 'FCONTA' AND decom_d <= prev_dec
        ORDER BY row_no""",
        YEARS,
    ),
    error(
        "SW11bSTG2",
        "Social worker episode has ended before 31 March and no subsequent social worker episode has been provided.",
        ("SW_DEC",),
        # An episode ending in the last five days of the year with no later episode for the child.
        f"""SELECT s.CHILD, s.location FROM ({SW}) s, collection k
        WHERE s.dec_d BETWEEN k.end_date - INTERVAL 5 DAY AND k.end_date
          AND NOT EXISTS (SELECT 1 FROM swepisodes o WHERE o.CHILD = s.CHILD AND d(o.SW_DECOM) >= s.dec_d)
        ORDER BY s.row_no""",
        YEARS,
    ),
    error(
        "SW12STG2",
        "If a child is looked after on 31 March then all social worker episodes for the full previous year "
        "should be reported, even those whilst they were not looked after",
        ("SW_DECOM",),
        # When the return has social worker episodes: a child looked after on 31 March (an episode with
        # no end, not a short break) has none. The message's condition and its "even those whilst they
        # were not looked after" are followed, not Data to Insight's code (docs/validation-rules-903-lastyear.md).
        """SELECT e.CHILD, e.location FROM episodes e
        WHERE EXISTS (SELECT 1 FROM given WHERE name = 'SWEpisodes')
          AND e.DEC IS NULL AND e.LS IS DISTINCT FROM 'V3' AND e.LS IS DISTINCT FROM 'V4'
          AND NOT EXISTS (SELECT 1 FROM swepisodes s WHERE s.CHILD = e.CHILD)""",
        YEARS,
    ),
    error(
        "SW13STG1",
        "The reason for social worker change is not valid.",
        ("SW_REASON",),
        # Required for episodes beginning from 1 April 2023; any given must be in the list.
        f"""SELECT CHILD, location FROM swepisodes
        WHERE (SW_REASON IS NOT NULL AND NOT {in_list("SW_REASON", "SW_REASON")})
           OR (SW_REASON IS NULL AND d(SW_DECOM) >= DATE '2023-04-01')""",
        YEARS,
    ),
    error(
        "SW17STG2",
        "There is no social worker episode open at 31 March",
        ("SW_DEC", "SW_DECOM"),
        # The child's latest episode by start (blank and malformed starts count as earliest) has ended.
        """SELECT CHILD, location FROM (SELECT *, row_number() OVER (PARTITION BY CHILD
            ORDER BY d(SW_DECOM) DESC NULLS LAST, row_no) AS r FROM swepisodes)
        WHERE r = 1 AND SW_DEC IS NOT NULL""",
        YEARS,
    ),
    error(
        "SW18STG2",
        "The end date of the social worker episode is before the start date",
        ("SW_DEC", "SW_DECOM"),
        "SELECT CHILD, location FROM swepisodes WHERE d(SW_DEC) <= d(SW_DECOM)",
        YEARS,
    ),
    error(
        "SW19STG2",
        "There are 2 social worker episodes for the child starting on the same date.",
        ("SW_DEC", "SW_DECOM"),
        """SELECT CHILD, location FROM (SELECT *, row_number() OVER (PARTITION BY CHILD, SW_DECOM ORDER BY row_no)
            AS r FROM swepisodes) WHERE r > 1""",
        YEARS,
    ),
]
