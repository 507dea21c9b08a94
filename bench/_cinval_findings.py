"""Run Data to Insight's csc-validator-be-cin on one file and print its findings as JSON:
{"findings": [[child, rule], ...], "return_level": [rule, ...], "seconds": s}.
Executed by agreement_cin.py and bench_cin_rules.py with the throwaway venv's Python, never with ours.

    python _cinval_findings.py FILE RULESET
    python _cinval_findings.py --serve     (then lines of [FILE, RULESET] on stdin: bench/_warm.py)
"""

import contextlib
import importlib
import io
import json
import sys
import time
import xml.etree.ElementTree as ET

from cin_validator import cin_validator


def validate(path: str, ruleset: str):
    with contextlib.redirect_stdout(io.StringIO()) as noise:  # it prints the exceptions of rules that crash
        root = ET.parse(path).getroot()
        data_files = cin_validator.process_data(cin_validator.convert_data(root))
        registry = importlib.import_module(f"cin_validator.rules.{ruleset}").registry
        validator = cin_validator.CinValidator(data_files, registry, selected_rules=None)
    return validator, noise.getvalue()


def pairs_of(validator) -> list:
    issues = validator.full_issue_df
    return sorted({(str(c), str(r)) for c, r in zip(issues["child_id"], issues["rule_code"], strict=True)})


def main() -> None:
    path, ruleset = sys.argv[1], sys.argv[2]
    start = time.perf_counter()
    validator, noise = validate(path, ruleset)
    seconds = time.perf_counter() - start
    return_level = sorted({str(r) for r in validator.multichild_issues["rule_code"]})
    crashed = [line for line in noise.splitlines() if line.startswith("Error with rule")]
    found = {"findings": pairs_of(validator), "return_level": return_level, "seconds": seconds, "crashed": crashed}
    print(json.dumps(found))


if __name__ == "__main__":
    if sys.argv[1:] == ["--serve"]:
        from _warm import serve

        serve(lambda args: len(pairs_of(validate(args[0], args[1])[0])))
    else:
        main()
