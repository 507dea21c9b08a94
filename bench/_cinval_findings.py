"""Run Data to Insight's csc-validator-be-cin on one file and print its findings as JSON:
{"findings": [[child, rule], ...], "return_level": [rule, ...], "seconds": s}.
Executed by agreement_cin.py with the throwaway venv's Python, never with ours."""

import contextlib
import importlib
import io
import json
import sys
import time
import xml.etree.ElementTree as ET

from cin_validator import cin_validator

path, ruleset = sys.argv[1], sys.argv[2]
start = time.perf_counter()
with contextlib.redirect_stdout(io.StringIO()) as noise:  # it prints the exceptions of rules that crash
    root = ET.parse(path).getroot()
    data_files = cin_validator.process_data(cin_validator.convert_data(root))
    registry = importlib.import_module(f"cin_validator.rules.{ruleset}").registry
    validator = cin_validator.CinValidator(data_files, registry, selected_rules=None)
seconds = time.perf_counter() - start
issues = validator.full_issue_df
pairs = sorted({(str(c), str(r)) for c, r in zip(issues["child_id"], issues["rule_code"], strict=True)})
return_level = sorted({str(r) for r in validator.multichild_issues["rule_code"]})
crashed = [line for line in noise.getvalue().splitlines() if line.startswith("Error with rule")]
print(json.dumps({"findings": pairs, "return_level": return_level, "seconds": seconds, "crashed": crashed}))
