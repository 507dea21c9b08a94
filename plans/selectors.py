"""Reading plans: who may see and edit what, proposals, history, reminders, the board summary."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Max, Prefetch, Q, QuerySet
from django.utils import timezone

from accounts.models import Role

from . import rag as rules
from .models import RAG_ORDER, Action, BoardReport, Milestone, Plan, PlanRole, Rag, RagChange, RagThresholds

# See every plan (read); edit only as owner or lead.
SEE_ALL_ROLES = {Role.ADMINISTRATOR, Role.HEAD_OF_SERVICE, Role.DIRECTOR}
# May import or start a plan (and so own it).
CREATE_ROLES = {
    Role.ADMINISTRATOR,
    Role.HEAD_OF_SERVICE,
    Role.DIRECTOR,
    Role.BOARD_MANAGER,
    Role.QA_OFFICER,
    Role.ANALYST,
    Role.TEAM_MANAGER,
}


def thresholds() -> rules.Thresholds:
    row = RagThresholds.objects.first()
    return rules.Thresholds(row.amber_due_days, row.stale_note_days) if row else rules.Thresholds()


def today() -> dt.date:
    return timezone.localdate()


# --- access ---------------------------------------------------------------


def plans_for(user: Any) -> QuerySet[Plan]:
    plans = Plan.objects.all()
    if not user.is_authenticated:
        return plans.none()
    if user.role in SEE_ALL_ROLES or user.is_superuser:
        return plans
    return plans.filter(Q(roles__user=user) | Q(actions__leads__user=user)).distinct()


def role_on(user: Any, plan: Plan) -> str:
    role = PlanRole.objects.filter(plan=plan, user=user).values_list("kind", flat=True).first()
    return role or ""


def is_owner(user: Any, plan: Plan) -> bool:
    return role_on(user, plan) == PlanRole.Kind.OWNER


def can_view(user: Any, plan: Plan) -> bool:
    return plans_for(user).filter(pk=plan.pk).exists()


def is_lead(user: Any, action: Action) -> bool:
    return action.leads.filter(user=user).exists()


def can_update(user: Any, action: Action) -> bool:
    """Progress, RAG and evidence: the plan's owners and the action's leads."""
    return is_owner(user, action.plan) or is_lead(user, action)


# --- proposals --------------------------------------------------------------


def milestones_of(action: Action) -> list[rules.MilestoneDue]:
    return [rules.MilestoneDue(m.text, m.due_date, m.done_on is not None) for m in action.milestones.all()]


def last_note_on(action: Action) -> dt.date | None:
    notes = list(action.notes.all())  # prefetched: ordered newest first
    return notes[0].written_on if notes else None


def proposal(action: Action, day: dt.date | None = None, limits: rules.Thresholds | None = None) -> rules.Proposal:
    return rules.propose(
        today=day or today(),
        complete=action.complete,
        end_date=action.end_date,
        milestones=milestones_of(action),
        last_note=last_note_on(action),
        thresholds=limits or thresholds(),
    )


def actions_with_detail(actions: QuerySet[Action]) -> QuerySet[Action]:
    return actions.select_related("theme", "plan", "rag_by").prefetch_related(
        "leads", "milestones", "notes", Prefetch("leads__user")
    )


@dataclass
class ActionRow:
    action: Action
    proposal: rules.Proposal
    overdue: bool
    stale: bool
    last_note: Any = None
    next_due: dt.date | None = None

    @property
    def differs(self) -> bool:
        return bool(self.action.rag) and self.action.rag != self.proposal.rag


def rows_for(actions: list[Action] | QuerySet[Action], day: dt.date | None = None) -> list[ActionRow]:
    day = day or today()
    limits = thresholds()
    out = []
    for a in actions:
        ms = milestones_of(a)
        notes = list(a.notes.all())
        last = notes[0].written_on if notes else None
        out.append(
            ActionRow(
                a,
                rules.propose(
                    today=day,
                    complete=a.complete,
                    end_date=a.end_date,
                    milestones=ms,
                    last_note=last,
                    thresholds=limits,
                ),
                rules.is_overdue(today=day, complete=a.complete, end_date=a.end_date, milestones=ms),
                not a.complete and not rules.note_is_recent(last, day, limits),
                notes[0] if notes else None,
            )
        )
    return out


# --- history ------------------------------------------------------------------


def rag_at(plan: Plan, moment: dt.datetime) -> dict[int, str]:
    """Each action's RAG as it stood at a moment, from the history: {action id: rag or ''}."""
    out = {pk: "" for pk in plan.actions.values_list("pk", flat=True)}
    changes = RagChange.objects.filter(action__plan=plan, at__lte=moment).order_by("action_id", "-at", "-pk")
    latest: dict[int, str] = {}
    for action_id, value in changes.values_list("action_id", "rag"):
        latest.setdefault(action_id, value)
    out.update({k: v for k, v in latest.items() if k in out})
    return out


def counts(values: list[str]) -> dict[str, int]:
    """{red, amber, green, blue, none (not rated): how many}."""
    c = {r.value: 0 for r in RAG_ORDER}
    c["none"] = 0
    for v in values:
        c[v if v in c and v != "none" else "none"] += 1
    return c


def history(plan: Plan, months: int = 12) -> list[dict[str, Any]]:
    """The plan's RAG counts at the end of each of the last `months` months (and now)."""
    now = timezone.now()
    points = []
    first = today().replace(day=1)
    for i in range(months, 0, -1):
        year, month = first.year, first.month - i + 1
        while month <= 0:
            month += 12
            year -= 1
        end = dt.date(year, month, 1) - dt.timedelta(days=1)
        if (
            end < plan.created_at.date() - dt.timedelta(days=1)
            and not RagChange.objects.filter(action__plan=plan, at__date__lte=end).exists()
        ):
            continue
        moment = timezone.make_aware(dt.datetime.combine(end, dt.time.max))
        points.append({"label": f"{end:%b %Y}", "day": end, "counts": counts(list(rag_at(plan, moment).values()))})
    points.append({"label": "Now", "day": today(), "counts": counts(list(rag_at(plan, now).values()))})
    return points


def changes(plan: Plan, since: dt.datetime | None = None) -> QuerySet[RagChange]:
    qs = RagChange.objects.filter(action__plan=plan).select_related("action", "by")
    return qs.filter(at__gt=since) if since else qs


def last_report(plan: Plan) -> BoardReport | None:
    return plan.reports.first()


# --- the board summary ------------------------------------------------------------


@dataclass
class Summary:
    plan: Plan
    day: dt.date
    since: dt.datetime | None
    by_theme: list[tuple[Any, dict[str, int]]]
    totals: dict[str, int]
    changed: list[RagChange]
    new_notes: list[Any]
    overdue: list[ActionRow]
    stale: list[ActionRow]
    rows: list[ActionRow] = field(default_factory=list)


def summary(plan: Plan, since: dt.datetime | None = None, day: dt.date | None = None) -> Summary:
    day = day or today()
    if since is None:
        report = last_report(plan)
        since = report.produced_at if report else None
    actions = list(actions_with_detail(plan.actions.all()))
    rows = rows_for(actions, day)
    by_theme = []
    for theme in plan.themes.all():
        by_theme.append((theme, counts([r.action.rag for r in rows if r.action.theme_id == theme.pk])))
    changed = list(changes(plan, since).order_by("at", "pk"))
    from .models import ProgressNote

    notes = ProgressNote.objects.filter(action__plan=plan, imported=False).select_related("action", "author")
    if since:
        notes = notes.filter(written_at__gt=since)
    return Summary(
        plan,
        day,
        since,
        by_theme,
        counts([r.action.rag for r in rows]),
        changed,
        list(notes.order_by("written_at")),
        [r for r in rows if r.overdue],
        [r for r in rows if r.stale],
        rows,
    )


# --- reminders --------------------------------------------------------------------


def reminders_for(user: Any, day: dt.date | None = None) -> dict[str, list[ActionRow]]:
    """The open actions a user leads that are overdue, or have a milestone or end date due within the amber window."""
    day = day or today()
    limits = thresholds()
    horizon = day + dt.timedelta(days=limits.amber_due_days)
    if not getattr(user, "is_authenticated", False):
        return {"overdue": [], "due": []}
    mine = Action.objects.filter(leads__user=user, complete=False, plan__closed=False).distinct()
    soon_ms = Milestone.objects.filter(done_on__isnull=True, due_date__lte=horizon).values("action")
    mine = mine.filter(Q(end_date__lte=horizon) | Q(pk__in=soon_ms))
    rows = rows_for(actions_with_detail(mine).order_by("end_date", "pk"), day)
    overdue = [r for r in rows if r.overdue]
    due = [r for r in rows if not r.overdue]
    for r in due:
        ms = [m for m in milestones_of(r.action) if not m.done and m.due and day <= m.due <= horizon]
        candidates: list[dt.date] = [m.due for m in ms if m.due is not None]
        if r.action.end_date and day <= r.action.end_date <= horizon:
            candidates.append(r.action.end_date)
        r.next_due = min(candidates) if candidates else r.action.end_date
    return {"overdue": overdue, "due": due}


def next_due(action: Action) -> dt.date | None:
    pending = [m.due_date for m in action.milestones.all() if m.done_on is None and m.due_date]
    return min(pending) if pending else action.end_date


def latest_note_dates(plan: Plan) -> dict[int, dt.date]:
    return dict(plan.actions.annotate(last=Max("notes__written_on")).values_list("pk", "last"))


RAG_LABELS = dict(Rag.choices)
