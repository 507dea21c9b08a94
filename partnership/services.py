"""Changing partnership business. Every change to an allegation is in the audit log,
with the linked child when there is one (and the child it was unlinked from)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction

from audit.models import Action
from audit.services import record

from .models import Allegation, Attendance, CourseSession, Delegate, LadoSettings, Meeting

ALLEGATION_FIELDS = [
    "reference",
    "referral_date",
    "adult_name",
    "adult_role",
    "employer",
    "sector",
    "agency",
    "category",
    "source",
    "children_count",
    "child",
    "summary",
    "employer_aware_date",
    "initial_consideration_date",
    "strategy_meeting_date",
    "evaluation_date",
    "employer_action",
    "suspended",
    "dismissed",
    "left_employment",
    "convicted_or_cautioned",
    "outcome",
    "closed_date",
    "last_chased",
]


@transaction.atomic
def create_allegation(user: Any, **values: Any) -> Allegation:
    allegation = Allegation(created_by=user, **values)
    allegation.full_clean()
    allegation.save()
    record(Action.CREATE, user=user, child=allegation.child, obj=allegation, detail="allegation")
    return allegation


@transaction.atomic
def update_allegation(user: Any, allegation: Allegation, **values: Any) -> list[str]:
    """Sets the given fields; returns the names of those that changed (audited)."""
    before = Allegation.objects.select_for_update().get(pk=allegation.pk)
    changed = [k for k, v in values.items() if getattr(before, k) != v]
    if not changed:
        return []
    for k, v in values.items():
        setattr(allegation, k, v)
    allegation.full_clean()
    allegation.save()
    detail = "allegation: " + ", ".join(changed)
    record(Action.CHANGE, user=user, child=allegation.child, obj=allegation, detail=detail)
    if before.child_id and before.child_id != allegation.child_id:
        record(Action.CHANGE, user=user, child=before.child_id, obj=allegation, detail="allegation: child unlinked")
    return changed


def chase(user: Any, allegation: Allegation, on: dt.date) -> None:
    """The designated officer asked the employer for the outcome on `on`."""
    update_allegation(user, allegation, last_chased=on)


def set_target_months(user: Any, months: int) -> LadoSettings:
    row = LadoSettings.objects.first() or LadoSettings()
    row.target_months = months
    row.full_clean()
    row.save()
    record(Action.CHANGE, user=user, obj=row, detail=f"allegation target: {months} months")
    return row


# --- training -----------------------------------------------------------------


def add_delegate(user: Any, session: CourseSession, **values: Any) -> Delegate:
    delegate = Delegate(session=session, **values)
    delegate.full_clean()
    delegate.save()
    record(Action.CREATE, user=user, obj=delegate, detail=f"delegate on {session}")
    return delegate


def update_delegate(user: Any, delegate: Delegate, **values: Any) -> Delegate:
    for k, v in values.items():
        setattr(delegate, k, v)
    delegate.full_clean()
    delegate.save()
    record(Action.CHANGE, user=user, obj=delegate, detail="delegate: " + ", ".join(values))
    return delegate


# --- meetings -------------------------------------------------------------------


@transaction.atomic
def record_attendance(user: Any, meeting: Meeting, statuses: dict[int, str]) -> None:
    """statuses: agency pk -> Attendance.Status; an empty status removes the row."""
    for agency_id, status in statuses.items():
        if status:
            Attendance.objects.update_or_create(meeting=meeting, agency_id=agency_id, defaults={"status": status})
        else:
            Attendance.objects.filter(meeting=meeting, agency_id=agency_id).delete()
    record(Action.CHANGE, user=user, obj=meeting, detail="meeting attendance")


@transaction.atomic
def record_scores(user: Any, session: CourseSession, values: dict[int, dict[str, Any]]) -> int:
    """Attended and scores for many delegates of one session; returns how many changed."""
    changed = 0
    for delegate in session.delegates.select_for_update().filter(pk__in=values):
        new = values[delegate.pk]
        if any(getattr(delegate, k) != v for k, v in new.items()):
            for k, v in new.items():
                setattr(delegate, k, v)
            delegate.full_clean()
            delegate.save()
            changed += 1
    record(Action.CHANGE, user=user, obj=session, detail=f"scores: {changed} delegates changed")
    return changed


def remove_delegate(user: Any, delegate: Delegate) -> None:
    """A booking made in error (a delegate who did not come stays, with attended unticked)."""
    record(Action.DELETE, user=user, obj=delegate, detail=f"delegate {delegate.name} removed from {delegate.session}")
    delegate.delete()
