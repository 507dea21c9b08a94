"""Run Data to Insight's csc-validator-be-cin on one file, as its `run` command does
(its CLI module imports pytest, so the same three calls are made here).
Executed by bench_cin_import.py with the throwaway venv's Python, never with ours."""

import importlib
import sys
import time
import xml.etree.ElementTree as ET

from cin_validator import cin_validator

path, ruleset = sys.argv[1], sys.argv[2]
start = time.perf_counter()
root = ET.parse(path).getroot()
data_files = cin_validator.process_data(cin_validator.convert_data(root))
registry = importlib.import_module(f"cin_validator.rules.{ruleset}").registry
validator = cin_validator.CinValidator(data_files, registry, selected_rules=None)
issues = len(validator.full_issue_df)
print(f"cinval issues={issues} seconds={time.perf_counter() - start:.2f}")
