"""A validation rule, a finding, and the register of rules by return kind."""

from __future__ import annotations

from dataclasses import dataclass, field

ERROR, QUERY, WARNING = "error", "query", "warning"


@dataclass(frozen=True)
class Rule:
    """One DfE rule. `code` is exactly as the DfE and Data to Insight print it ("8500", "2886Q").
    `sql` selects (child, location) rows, one per breach, over the tables of the return; a
    return-level rule (no child) selects '' as child. `years` are the collections (ending
    31 March of the year: 2026 is 2025-26) the rule applies to."""

    code: str
    kind: str  # error | query | warning, as the DfE classes it
    message: str
    fields: tuple[str, ...]
    sql: str
    years: tuple[int, ...]
    source: str = "DfE CIN census validation rules; wording as in Data to Insight's csc-validator-be-cin"
    needs_previous: bool = False
    needs_postcodes: bool = False  # the 903 rules on PL_LA, PL_LOCATION, PL_DISTANCE (decision 0057)
    needs_ofsted: bool = False  # the 903 rules on the placement's Ofsted URN (decision 0059)

    def applies_to(self, year: int) -> bool:
        return year in self.years


@dataclass(slots=True)
class Finding:
    rule: str
    child: str
    kind: str
    fields: list[str]
    location: str
    message: str
    file: str = ""

    def as_dict(self) -> dict:
        return {
            "rule": self.rule,
            "child": self.child,
            "kind": self.kind,
            "fields": list(self.fields),
            "location": self.location,
            "message": self.message,
        }


@dataclass
class RuleSet:
    kind: str
    rules: dict[str, Rule] = field(default_factory=dict)

    def add(self, *rules: Rule) -> None:
        for rule in rules:
            if rule.code in self.rules:
                raise ValueError(f"rule {rule.code} is defined twice for {self.kind}")
            self.rules[rule.code] = rule

    def for_year(self, year: int) -> list[Rule]:
        return [r for r in self.rules.values() if r.applies_to(year)]
