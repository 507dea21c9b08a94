"""The national indicators on pooled data (a region, or England: about 650,000
children in need a year) with DuckDB, set-based SQL over Parquet files.

The same definitions as indicators/library.py (tests/test_national.py checks
that both give the same numbers on the same records), written as SQL so that
millions of rows are computed in seconds in bounded memory.

Input layout (one Parquet file, or a DuckDB table, each; ids unique across councils):
  children(child BIGINT, la INTEGER, birth_date DATE, fca BOOLEAN)  fca: adopted by foster carers
  referrals(child, referral_date DATE)
  assessments(child, referral_date DATE, start_date DATE, authorisation_date DATE)
                                                 start_date: AssessmentActualStartDate (N14 counts from it)
  section47(child, start_date DATE, icpc_date DATE)
  cp_plans(id BIGINT, child, start_date DATE, end_date DATE, previous INTEGER)
                                                 previous: CIN census NumberOfPreviousCPP (NULL when not returned)
  episodes(id BIGINT, child, start_date DATE, end_date DATE, rne VARCHAR, placement_type VARCHAR,
           legal_status VARCHAR)                 short breaks (V3, V4) are left out, as the DfE does
  missing(child, start_day DATE, kind VARCHAR)   start_day: the Europe/London day it started
  population(year INTEGER, count BIGINT)         under-18 population, mid-year of the financial year's start
"""

from __future__ import annotations

import csv
import tempfile
from pathlib import Path
from typing import Any

from timescales.calendar import WorkingCalendar

TABLES = ("children", "referrals", "assessments", "section47", "cp_plans", "episodes", "missing", "population")

MACROS = """
CREATE OR REPLACE MACRO age_on(b, d) AS
    CASE WHEN b IS NULL OR b > d THEN NULL
    ELSE year(d) - year(b) - CASE WHEN month(d) < month(b) OR (month(d) = month(b) AND day(d) < day(b))
                                  THEN 1 ELSE 0 END END;
CREATE OR REPLACE MACRO under_18(b, d) AS coalesce(age_on(b, d) < 18, true);
CREATE OR REPLACE MACRO open_at(s, e, d) AS s <= d AND (e IS NULL OR e > d);
CREATE OR REPLACE MACRO add_months(d, n) AS CAST(d + to_months(n) AS DATE);
"""


def calendar_table(con: Any, first_year: int, last_year: int) -> None:
    """wd(day): working days on or before day (England-and-Wales bank holidays), so
    working days between a and b are wd(b) - wd(a), as timescales.calendar counts them."""
    cal = WorkingCalendar(first_year=first_year, last_year=last_year)
    con.execute("CREATE OR REPLACE TABLE bank_holidays(day DATE)")
    days = [(d,) for y in range(first_year, last_year + 1) for d in cal.bank_holidays(y)]
    con.executemany("INSERT INTO bank_holidays VALUES (?)", days)
    con.execute(
        f"""
        CREATE OR REPLACE TABLE working_calendar AS
        WITH days AS (
            SELECT CAST(range AS DATE) AS day
            FROM range(DATE '{first_year}-01-01', DATE '{last_year}-12-31' + INTERVAL 1 DAY, INTERVAL 1 DAY)
        )
        SELECT day, SUM(CASE WHEN isodow(day) <= 5 AND day NOT IN (SELECT day FROM bank_holidays) THEN 1 ELSE 0 END)
                    OVER (ORDER BY day) AS wd
        FROM days
        """
    )


def attach_parquet(con: Any, folder: Path) -> None:
    for name in TABLES:
        con.execute(f"CREATE OR REPLACE VIEW {name} AS SELECT * FROM read_parquet('{folder / (name + '.parquet')}')")


def compute(con: Any, years: list[int]) -> dict[int, dict[str, tuple[int, int, float | None]]]:
    """{financial year: {indicator code: (numerator, denominator, value)}} for each year."""
    con.execute(MACROS)
    lo, hi = min(years) - 3, max(years) + 2
    calendar_table(con, lo, hi)
    con.execute("CREATE OR REPLACE TEMP TABLE fys AS SELECT unnest(?) AS fy", [years])
    con.execute(
        """CREATE OR REPLACE TEMP TABLE periods AS
           SELECT fy, make_date(fy, 4, 1) AS p_start, make_date(fy + 1, 3, 31) AS p_end FROM fys"""
    )
    out: dict[int, dict[str, tuple[int, int, float | None]]] = {y: {} for y in years}

    def put(code: str, sql: str, kind: str = "percent") -> None:
        for fy, num, den in con.execute(sql).fetchall():
            num, den = int(num or 0), int(den or 0)
            if kind == "percent":
                value = 100.0 * num / den if den else None
            else:
                value = float(num)
            out[fy][code] = (num, den, value)
        for fy in years:
            out[fy].setdefault(code, (0, 0, None if kind == "percent" else 0.0))

    # Referrals and re-referrals: the previous referral of the same child, within 12 months inclusive.
    con.execute(
        """CREATE OR REPLACE TEMP TABLE ref AS
           SELECT child, referral_date,
                  lag(referral_date) OVER (PARTITION BY child ORDER BY referral_date) AS previous
           FROM referrals"""
    )
    put(
        "RE-REF",
        """SELECT fy, count(*) FILTER (WHERE previous IS NOT NULL AND referral_date <= add_months(previous, 12)),
                  count(*)
           FROM ref JOIN periods ON referral_date BETWEEN p_start AND p_end GROUP BY fy""",
    )
    put(
        "REFERRALS",
        "SELECT fy, count(*), count(*) FROM referrals JOIN periods ON referral_date BETWEEN p_start AND p_end "
        "GROUP BY fy",
        "count",
    )
    put(
        "N14",
        """SELECT fy, count(*) FILTER (WHERE wa.wd - wr.wd <= 45), count(*)
           FROM assessments a JOIN periods ON a.authorisation_date BETWEEN p_start AND p_end
           JOIN working_calendar wa ON wa.day = a.authorisation_date
           JOIN working_calendar wr ON wr.day = a.start_date
           GROUP BY fy""",
    )
    put(
        "ICPC-15",
        """SELECT fy, count(*) FILTER (WHERE wi.wd - ws.wd <= 15), count(*)
           FROM section47 s JOIN periods ON s.icpc_date BETWEEN p_start AND p_end
           JOIN working_calendar wi ON wi.day = s.icpc_date
           JOIN working_calendar ws ON ws.day = s.start_date
           WHERE s.icpc_date >= s.start_date
           GROUP BY fy""",
    )
    put(
        "CPP-2YR",
        """SELECT fy, count(*) FILTER (WHERE end_date >= add_months(start_date, 24)), count(*)
           FROM cp_plans JOIN periods ON end_date BETWEEN p_start AND p_end GROUP BY fy""",
    )
    put(
        "CPP-2ND",
        """WITH ordered AS (
               SELECT child, start_date, previous,
                      row_number() OVER (PARTITION BY child ORDER BY start_date, id) AS n
               FROM cp_plans)
           SELECT fy, count(*) FILTER (WHERE n > 1 OR coalesce(previous, 0) >= 1), count(*)
           FROM ordered JOIN periods ON start_date BETWEEN p_start AND p_end GROUP BY fy""",
    )
    put(
        "CPP",
        """SELECT fy, count(DISTINCT p.child), count(DISTINCT p.child)
           FROM cp_plans p JOIN periods ON open_at(p.start_date, p.end_date, p_end)
           JOIN children c ON c.child = p.child
           WHERE under_18(c.birth_date, p_end) GROUP BY fy""",
        "count",
    )
    con.execute("CREATE OR REPLACE TEMP VIEW care AS SELECT * FROM episodes WHERE legal_status NOT IN ('V3', 'V4')")
    con.execute(
        """CREATE OR REPLACE TEMP TABLE cla_end AS
           SELECT DISTINCT fy, p_end, e.child
           FROM care e JOIN periods ON open_at(e.start_date, e.end_date, p_end)
           JOIN children c ON c.child = e.child
           WHERE under_18(c.birth_date, p_end)"""
    )
    put("CLA", "SELECT fy, count(*), count(*) FROM cla_end GROUP BY fy", "count")
    # Short-term stability: the placement held when the 12 months began, plus each move in them
    # (RNE S, P, B, or a new period of care; not L, nor T or U with the same carers; a placement for
    # adoption with the child's foster carer is not a move).
    put(
        "CLA-STAB-S",
        """WITH eps AS (
               SELECT e.*, lag(e.placement_type) OVER w AS prev_type, lag(e.end_date) OVER w AS prev_end,
                      lag(e.id) OVER w AS prev_id, c.fca
               FROM care e JOIN children c ON c.child = e.child
               WINDOW w AS (PARTITION BY e.child ORDER BY e.start_date, e.id)),
           counted AS (
               SELECT l.fy, l.child,
                      max(CASE WHEN e.start_date <= add_months(l.p_end, -12)
                                    AND open_at(e.start_date, e.end_date, add_months(l.p_end, -12) + 1)
                               THEN 1 ELSE 0 END)
                      + count(*) FILTER (WHERE e.start_date > add_months(l.p_end, -12) AND e.start_date <= l.p_end
                                          AND ((e.prev_id IS NULL OR e.prev_end < e.start_date)
                                               OR e.rne IN ('S', 'P', 'B')
                                                  AND NOT (e.prev_id IS NOT NULL AND coalesce(e.fca, false)
                                                   AND e.placement_type IN ('A3', 'A4', 'A5', 'A6')
                                                   AND e.prev_type IN ('U1', 'U2', 'U3', 'U4', 'U5', 'U6')
                                                   AND e.prev_end = e.start_date))) AS placements
               FROM cla_end l JOIN eps e ON e.child = l.child AND e.start_date <= l.p_end
               GROUP BY l.fy, l.child)
           SELECT fy, count(*) FILTER (WHERE placements >= 3), count(*) FROM counted GROUP BY fy""",
    )
    put(
        "CLA-MISS",
        """WITH in_care AS (
               SELECT DISTINCT fy, p_start, p_end, e.child
               FROM care e JOIN periods ON e.start_date <= p_end AND (e.end_date IS NULL OR e.end_date >= p_start)
               JOIN children c ON c.child = e.child
               WHERE under_18(c.birth_date, greatest(e.start_date, p_start))),
           went AS (
               SELECT DISTINCT fy, m.child
               FROM missing m JOIN periods ON m.start_day BETWEEN p_start AND p_end
               WHERE m.kind = 'M' AND EXISTS (
                   SELECT 1 FROM care e WHERE e.child = m.child
                   AND (open_at(e.start_date, e.end_date, m.start_day) OR e.start_date = m.start_day)))
           SELECT i.fy, count(w.child), count(*) FROM in_care i
           LEFT JOIN went w ON w.fy = i.fy AND w.child = i.child GROUP BY i.fy""",
    )
    # Rates per 10,000 under-18s.
    pops = dict(con.execute("SELECT year, sum(count) FROM population GROUP BY year").fetchall())
    for fy in years:
        earlier = [y for y in pops if y <= fy]
        pop = pops[max(earlier)] if earlier else (pops[min(pops)] if pops else None)
        for code, base in (("REF-RATE", "REFERRALS"), ("N19", "CPP"), ("CLA-RATE", "CLA")):
            n = out[fy].get(base, (0, 0, None))[0]
            out[fy][code] = (n, int(pop or 0), 10_000.0 * n / pop if pop else None)
    return out


def from_facts(con: Any, f: Any) -> None:
    """Load the register (as read by indicators.facts) into DuckDB tables of the layout above."""
    from .library import local_day

    fca = {a.child_id for a in f.tables.get("adoption", ()) if a.foster_carer_adoption}
    rows: dict[str, list[tuple[Any, ...]]] = {
        "children": [(c.id, 0, c.birth_date, c.id in fca) for c in f.children.values()],
        "referrals": [(r.child_id, r.referral_date) for r in f.referrals],
        "assessments": [(a.child_id, a.referral_date, a.start_date, a.authorisation_date) for a in f.assessments],
        "section47": [(s.child_id, s.start_date, s.icpc_date) for s in f.section47s],
        "cp_plans": [(p.id, p.child_id, p.start_date, p.end_date, p.number_of_previous_plans) for p in f.cp_plans],
        "episodes": [
            (e.id, e.child_id, e.start_date, e.end_date, e.reason_new_episode, e.placement_type, e.legal_status)
            for e in f.episodes
        ],
        "missing": [(x.child_id, local_day(x.started_at), x.kind) for x in f.missing],
    }
    schema = {
        "children": "child BIGINT, la INTEGER, birth_date DATE, fca BOOLEAN",
        "referrals": "child BIGINT, referral_date DATE",
        "assessments": "child BIGINT, referral_date DATE, start_date DATE, authorisation_date DATE",
        "section47": "child BIGINT, start_date DATE, icpc_date DATE",
        "cp_plans": "id BIGINT, child BIGINT, start_date DATE, end_date DATE, previous INTEGER",
        "episodes": "id BIGINT, child BIGINT, start_date DATE, end_date DATE, rne VARCHAR, placement_type VARCHAR, "
        "legal_status VARCHAR",
        "missing": "child BIGINT, start_day DATE, kind VARCHAR",
    }
    with tempfile.TemporaryDirectory() as tmp:
        for name, cols in schema.items():
            con.execute(f"CREATE OR REPLACE TABLE {name} ({cols})")
            if rows[name]:
                # Through a CSV file: DuckDB's executemany inserts row by row.
                path = Path(tmp) / f"{name}.csv"
                with path.open("w", newline="") as out:
                    csv.writer(out).writerows([["" if v is None else v for v in r] for r in rows[name]])
                con.execute(f"COPY {name} FROM '{path}' (HEADER false, NULLSTR '')")
    con.execute("CREATE OR REPLACE TABLE population (year INTEGER, count BIGINT)")
