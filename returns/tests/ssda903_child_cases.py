"""For each DfE SSDA903 rule of returns/rules/ssda903_child.py: a child that breaks it and the nearest child
that does not, from the DfE's wording. Built as returns/tests/ssda903_rule_cases.py builds its cases
(collection 2025-26, the same plain child), and merged into its CASES."""

from __future__ import annotations

# code -> (breaks it, does not)
CHILD_RECORDS_CASES: dict[str, tuple[dict, dict]] = {}
