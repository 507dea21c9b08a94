"""SSDA903 rules on the child's other records: the header, UASC, missing, reviews and previous
permanence (PrevPerm), alone or with the episodes."""

from .base import Rule

RULES: list[Rule] = []
