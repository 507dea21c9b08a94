from typing import Any

from django import template
from django.utils import timezone

from audit.services import record_shown

from .. import selectors

register = template.Library()


@register.inclusion_tag("audits/_home_reminders.html")
def audit_reminders(user: Any) -> dict[str, Any]:
    """The audits given to the user and not completed: for the home page."""
    mine = list(selectors.my_audits(user)[:11])
    if mine[:10]:  # the home page names these children (the request is taken from the audit context)
        record_shown(None, [c.child_id for c in mine[:10]], detail="home page: my audits")
    return {"mine": mine[:10], "more": len(mine) > 10, "today": timezone.localdate()}
