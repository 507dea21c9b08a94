"""SSDA903 rules on the episodes alone: placements, legal statuses and their combinations with the
child's age and the collection year (those not in ssda903_episode, ssda903_care and ssda903_ceased)."""

from .base import Rule

RULES: list[Rule] = []
