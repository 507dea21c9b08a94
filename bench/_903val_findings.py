"""Run Data to Insight's csc-validator-be-903 (lac_validator) on one 903 return and print its
findings as JSON: {"findings": [[child, rule, table], ...], "failed": [rule, ...], "seconds": s}.
Executed by agreement_903.py with the throwaway venv's Python, never with ours.

    python _903val_findings.py RULESET COLLECTION_YEAR LA FILE [FILE ...]
    python _903val_findings.py --serve     (then lines of [RULESET, COLLECTION_YEAR, LA, FILE, ...] on stdin)
(RULESET e.g. lac2025_26; COLLECTION_YEAR the year the collection ends, e.g. 2026; FILE the
903 CSV tables or one XML file.) With LOS_RULES=code,code,... in the environment only those rules
run (bench_903_rules.py times both tools on the same rules), and with LOS_ALONE=1 each of them alone on a
fresh copy of the return; LOS_PREVIOUS (paths joined by the path
separator) gives last year's return, which their 503 rules read. With --serve the process stays up
and validates each return it is sent (bench/_warm.py), for bench_903_rules.py's warm measurement."""

import contextlib
import copy
import importlib
import io
import json
import logging
import os
import sys
import time

logging.disable(logging.CRITICAL)

from lac_validator import lac_validator  # noqa: E402
from lac_validator.utils import process_uploaded_files  # noqa: E402


def validate(ruleset: str, year: str, la: str, paths: list[str]) -> tuple[list, dict]:
    """Their validators run on the return (one, or one a rule with LOS_ALONE), and the rules run."""
    with contextlib.redirect_stdout(io.StringIO()):
        given = {"This year": list(paths)}
        if os.environ.get("LOS_PREVIOUS"):
            given["Prev year"] = os.environ["LOS_PREVIOUS"].split(os.pathsep)
        files = process_uploaded_files(given)
        registry = importlib.import_module(f"lac_validator.rules.{ruleset}").registry
        if os.environ.get("LOS_RULES"):
            wanted = set(os.environ["LOS_RULES"].split(","))
            registry = {code: rule for code, rule in registry.items() if str(code) in wanted}
        metadata = {"collectionYear": str(year), "localAuthority": la}
        if os.environ.get("LOS_ALONE"):
            # Each rule on its own copy of the return: their rules are given shallow copies of one set of
            # tables, and some change them in place (365 fills blank DECs), which later rules then read.
            validators = [
                lac_validator.LacValidator(metadata=metadata, files=copy.deepcopy(files), registry={code: rule})
                for code, rule in registry.items()
            ]
        else:
            validators = [lac_validator.LacValidator(metadata=metadata, files=files, registry=registry)]
    return validators, registry


def findings_of(validators: list) -> set:
    """(child, rule, table) of every row a rule flagged."""
    findings = set()
    for validator in validators:
        for table, frame in validator.ds_results.items():
            if table == "metadata" or not hasattr(frame, "columns"):
                continue
            for column in [c for c in frame.columns if str(c).startswith("ERR_")]:
                hit = frame[frame[column] == True]  # noqa: E712 (a pandas mask)
                for child in hit["CHILD"] if "CHILD" in hit.columns else [""] * len(hit):
                    findings.add((str(child), column[4:], table))
    return findings


def main() -> None:
    ruleset, year, la, *paths = sys.argv[1:]
    start = time.perf_counter()
    validators, registry = validate(ruleset, year, la, paths)
    seconds = time.perf_counter() - start
    print(
        json.dumps(
            {
                "findings": sorted(findings_of(validators)),
                "failed": sorted({str(c) for v in validators for c in v.fails}),
                "skipped": sorted({str(c) for v in validators for c in v.skips}),
                "rules": sorted(str(c) for c in registry),
                "seconds": seconds,
            }
        )
    )


if __name__ == "__main__":
    if sys.argv[1:] == ["--serve"]:
        from _warm import serve

        # The findings are collected, as in a cold run (their web application lists them too).
        serve(lambda args: len(findings_of(validate(args[0], args[1], args[2], args[3:])[0])))
    else:
        main()
