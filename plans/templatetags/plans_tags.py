from typing import Any

from django import template

from .. import selectors

register = template.Library()


@register.filter
def attr_of(obj: Any, name: str) -> Any:
    return getattr(obj, name, "")


@register.inclusion_tag("plans/_home_reminders.html")
def plan_reminders(user: Any) -> dict[str, Any]:
    """The actions the user leads that are overdue or due soon: for the home page."""
    found = selectors.reminders_for(user)
    shown = 10
    return {
        "overdue": found["overdue"][:shown],
        "due": found["due"][:shown],
        "more": max(0, len(found["overdue"]) - shown) + max(0, len(found["due"]) - shown),
        "days": selectors.thresholds().amber_due_days,
    }
