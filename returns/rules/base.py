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
    # reads last year's return when it is held, and runs on this year's alone when not (903: 199, 1000, 392b)
    reads_previous: bool = False
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
    """The rules of one kind of return. A code whose meaning the DfE changed between collection years
    has one version per meaning, each with its own years (which must not overlap): `versions` holds
    them all, `rules` one per code (its latest version), for listings and counts by code."""

    kind: str
    rules: dict[str, Rule] = field(default_factory=dict)
    versions: dict[str, list[Rule]] = field(default_factory=dict)

    def add(self, *rules: Rule) -> None:
        for rule in rules:
            earlier = self.versions.setdefault(rule.code, [])
            if any(set(rule.years) & set(other.years) for other in earlier):
                raise ValueError(f"rule {rule.code} is defined twice for {self.kind} in one year")
            earlier.append(rule)
            if rule.code not in self.rules or max(rule.years) > max(self.rules[rule.code].years):
                self.rules[rule.code] = rule

    def for_year(self, year: int) -> list[Rule]:
        return [r for versions in self.versions.values() for r in versions if r.applies_to(year)]

    def version(self, code: str, year: int) -> Rule | None:
        """The version of rule `code` that applies to the collection `year`, if any."""
        return next((r for r in self.versions.get(code, ()) if r.applies_to(year)), None)
