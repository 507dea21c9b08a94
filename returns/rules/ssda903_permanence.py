"""SSDA903 rules on the permanence tables: OC2 (children looked after 12 months at 31 March), OC3
(care leavers), AD1 (adoption) and PlacedAdoption (decisions to place for adoption), alone or with
the header and the episodes."""

from .base import Rule

RULES: list[Rule] = []
