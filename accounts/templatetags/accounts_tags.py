from typing import Any

from django import template

from accounts.access import recent_access_changes

register = template.Library()


@register.inclusion_tag("accounts/_recent_access_changes.html")
def recent_access_changes_panel(limit: int = 10) -> dict[str, Any]:
    return {"events": list(recent_access_changes()[:limit])}


@register.inclusion_tag("accounts/_recent_access_changes_list.html")
def recent_access_changes_list(limit: int = 10) -> dict[str, Any]:
    """The same, in the Django admin's own markup, beside the user list where access is changed."""
    return {"events": list(recent_access_changes()[:limit])}
