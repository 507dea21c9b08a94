"""The weekly digest: each lead's actions overdue and due soon, by e-mail."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage, get_connection

from . import selectors


def digest_for(user: Any, day: dt.date | None = None) -> str:
    found = selectors.reminders_for(user, day)
    if not (found["overdue"] or found["due"]):
        return ""
    days = selectors.thresholds().amber_due_days
    lines = [f"Hello {user.get_full_name() or user.username},", "", "Your improvement plan actions this week.", ""]
    if found["overdue"]:
        lines.append("Overdue:")
        for r in found["overdue"]:
            lines.append(f"- {r.action.plan.title}, {r.action.ref}: {r.action.summary[:120]}")
            lines.append(f"  {r.proposal.reason}")
        lines.append("")
    if found["due"]:
        lines.append(f"Due within {days} days:")
        for r in found["due"]:
            lines.append(
                f"- {r.action.plan.title}, {r.action.ref}: {r.action.summary[:120]} (due {r.next_due:%d %b %Y})"
            )
        lines.append("")
    lines.append("Update progress and RAG in Line of Sight (Improvement plans).")
    return "\n".join(lines)


def send(day: dt.date | None = None, dry_run: bool = False) -> tuple[int, int]:
    """(sent, skipped without an e-mail address)."""
    User = get_user_model()
    leads = User.objects.filter(plan_leads__action__complete=False, is_active=True).distinct().order_by("username")
    messages, skipped = [], 0
    for user in leads:
        body = digest_for(user, day)
        if not body:
            continue
        if not user.email:
            skipped += 1
            continue
        messages.append(
            EmailMessage(
                "Line of Sight: your improvement plan actions",
                body,
                getattr(settings, "DEFAULT_FROM_EMAIL", None),
                [user.email],
            )
        )
    if messages and not dry_run:
        with get_connection() as connection:
            connection.send_messages(messages)
    return len(messages), skipped
