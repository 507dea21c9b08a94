"""Changing plans. Every change writes an audit event (audit.services.record);
every RAG change also writes a RagChange row (who, when, why, what was proposed)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from audit.models import Action as AuditAction
from audit.services import record

from . import selectors
from .importer import Parsed, parse, read_sheet
from .models import (
    Action,
    ActionLead,
    BoardReport,
    Evidence,
    Milestone,
    Plan,
    PlanImport,
    PlanMeasure,
    PlanRole,
    ProgressNote,
    RagChange,
    Theme,
)


class ImportFailed(ValueError):
    def __init__(self, parsed: Parsed):
        self.parsed = parsed
        super().__init__("; ".join(str(p) for p in parsed.errors[:5]))


def match_user(name: str) -> Any:
    """A lead named as a user: by username, or by first and last name (exactly, ignoring case)."""
    User = get_user_model()
    parts = name.split()
    query = Q(username__iexact=name)
    if len(parts) >= 2:
        query |= Q(first_name__iexact=" ".join(parts[:-1]), last_name__iexact=parts[-1])
    found = list(User.objects.filter(query, is_active=True)[:2])
    return found[0] if len(found) == 1 else None


def preview(run: PlanImport) -> Parsed:
    sheet = read_sheet(bytes(run.content), run.sheet, run.header_row)
    return parse(sheet, run.mapping.get("targets", {}), run.mapping.get("labels", {}))


def commit_import(run: PlanImport, user: Any = None) -> Plan:
    """All or nothing: errors (or any failure while saving) leave the database as it was."""
    parsed = preview(run)
    if parsed.errors:
        PlanImport.objects.filter(pk=run.pk).update(
            status=PlanImport.Status.FAILED, message="\n".join(str(p) for p in parsed.errors)
        )
        raise ImportFailed(parsed)
    try:
        with transaction.atomic():
            plan = _save(run, parsed, user)
    except Exception:
        PlanImport.objects.filter(pk=run.pk).update(status=PlanImport.Status.FAILED, message="not saved: failed")
        raise
    return plan


def _save(run: PlanImport, parsed: Parsed, user: Any) -> Plan:
    now = timezone.now()
    day = timezone.localdate()
    plan = Plan.objects.create(
        title=run.title or run.filename,
        theme_label=run.theme_label or "Theme",
        columns=parsed.columns,
        labels=parsed.labels,
        source=run.filename,
        created_by=user,
    )
    if user is not None:
        PlanRole.objects.create(plan=plan, user=user, kind=PlanRole.Kind.OWNER)
    users: dict[str, Any] = {}
    for t_order, pt in enumerate(parsed.themes):
        theme = Theme.objects.create(
            plan=plan, number=pt.number, title=pt.title, description=pt.description, order=t_order
        )
        for a_order, pa in enumerate(pt.actions):
            action = Action.objects.create(
                plan=plan,
                theme=theme,
                ref=pa.ref,
                order=a_order,
                summary=pa.summary,
                outcomes=pa.outcomes,
                evidence_base=pa.evidence_base,
                future_ambition=pa.future_ambition,
                end_date=pa.end_date,
                end_text=pa.end_text[:200],
                rag=pa.rag,
                rag_reason=f"Imported from {run.filename}, row {pa.row}" if pa.rag else "",
                rag_at=now if pa.rag else None,
                rag_by=user if pa.rag else None,
            )
            for i, name in enumerate(pa.leads):
                if name not in users:
                    users[name] = match_user(name)
                ActionLead.objects.create(action=action, name=name, user=users[name], order=i)
            Milestone.objects.bulk_create(
                Milestone(action=action, text=m.text, due_date=m.due, due_text=m.due_text[:100], order=i)
                for i, m in enumerate(pa.milestones)
            )
            for text in pa.notes:
                ProgressNote.objects.create(action=action, text=text, written_on=day, author=user, imported=True)
            if pa.rag:
                RagChange.objects.create(
                    action=action,
                    rag=pa.rag,
                    kind=RagChange.Kind.IMPORTED,
                    reason=f"Imported from {run.filename}, row {pa.row}",
                    at=now,
                    by=user,
                )
    PlanImport.objects.filter(pk=run.pk).update(status=PlanImport.Status.COMMITTED, plan=plan, message="")
    record(
        AuditAction.CREATE,
        obj=plan,
        user=user,
        detail=f"imported plan from {run.filename}: {len(parsed.actions)} actions",
    )
    return plan


def set_rag(action: Action, rag: str, reason: str, user: Any, proposal: Any = None) -> RagChange:
    """Confirm the proposal (rag == proposal.rag) or override it; the reason is kept either way."""
    proposal = proposal or selectors.proposal(action)
    kind = RagChange.Kind.CONFIRMED if rag == proposal.rag else RagChange.Kind.OVERRIDDEN
    reason = reason.strip() or (proposal.reason if kind == RagChange.Kind.CONFIRMED else "")
    if not reason:
        raise ValueError("A reason is needed to override the proposed RAG")
    now = timezone.now()
    change = RagChange.objects.create(
        action=action,
        rag=rag,
        previous=action.rag,
        proposed=proposal.rag,
        proposal_reason=proposal.reason,
        kind=kind,
        reason=reason,
        at=now,
        by=user,
    )
    previous = action.rag or "not rated"
    Action.objects.filter(pk=action.pk).update(rag=rag, rag_reason=reason, rag_at=now, rag_by=user)
    action.rag, action.rag_reason, action.rag_at, action.rag_by = rag, reason, now, user
    record(AuditAction.CHANGE, obj=action, user=user, detail=f"RAG {previous} -> {rag} ({kind}): {reason}")
    return change


def update_progress(
    action: Action,
    user: Any,
    *,
    note: str = "",
    done_milestones: list[int] | None = None,
    complete: bool | None = None,
    rag: str = "",
    reason: str = "",
) -> RagChange | None:
    """A lead's update: a progress note, milestones done, complete or not, and the RAG with a reason."""
    day = timezone.localdate()
    with transaction.atomic():
        changed = []
        if note.strip():
            ProgressNote.objects.create(action=action, text=note.strip(), written_on=day, author=user)
            changed.append("progress note")
        for m in action.milestones.filter(pk__in=done_milestones or [], done_on__isnull=True):
            m.done_on = day
            m.save(update_fields=["done_on"])
            changed.append(f"milestone {m.pk} done")
        if complete is not None and complete != action.complete:
            action.complete = complete
            action.completed_on = day if complete else None
            action.save(update_fields=["complete", "completed_on"])
            changed.append("complete" if complete else "reopened")
        if changed:
            record(AuditAction.CHANGE, obj=action, user=user, detail=f"{action.ref}: " + ", ".join(changed))
        result = None
        if rag:
            fresh = selectors.actions_with_detail(Action.objects.filter(pk=action.pk)).get()
            result = set_rag(fresh, rag, reason, user)
            action.rag = fresh.rag
    return result


def add_evidence(action: Action, user: Any, **fields: Any) -> Evidence:
    item = Evidence.objects.create(action=action, added_by=user, **fields)
    record(
        AuditAction.CREATE,
        obj=item,
        user=user,
        detail=f"evidence for {action.ref}: {item.kind} {item.title or item.indicator}",
    )
    return item


def remove_evidence(item: Evidence, user: Any) -> None:
    record(
        AuditAction.DELETE,
        obj=item,
        user=user,
        detail=f"evidence for {item.action.ref}: {item.title or item.indicator}",
    )
    if item.file:
        item.file.delete(save=False)
    item.delete()


def add_measure(plan: Plan, code: str, user: Any, note: str = "") -> PlanMeasure:
    measure, _ = PlanMeasure.objects.get_or_create(
        plan=plan, indicator=code, defaults={"note": note, "order": plan.measures.count()}
    )
    record(AuditAction.CHANGE, obj=plan, user=user, detail=f"headline measure {code} added")
    return measure


def remove_measure(measure: PlanMeasure, user: Any) -> None:
    record(AuditAction.CHANGE, obj=measure.plan, user=user, detail=f"headline measure {measure.indicator} removed")
    measure.delete()


def set_role(plan: Plan, target: Any, kind: str, user: Any) -> None:
    if kind:
        PlanRole.objects.update_or_create(plan=plan, user=target, defaults={"kind": kind})
    else:
        PlanRole.objects.filter(plan=plan, user=target).delete()
    record(AuditAction.CHANGE, obj=plan, user=user, detail=f"role of {target.username}: {kind or 'removed'}")


def set_leads(action: Action, names: list[str], user: Any) -> None:
    with transaction.atomic():
        action.leads.all().delete()
        for i, name in enumerate(names):
            ActionLead.objects.create(action=action, name=name, user=match_user(name), order=i)
    record(AuditAction.CHANGE, obj=action, user=user, detail=f"{action.ref}: leads {', '.join(names)}")


def report_produced(plan: Plan, fmt: str, user: Any) -> BoardReport:
    report = BoardReport.objects.create(plan=plan, produced_at=timezone.now(), produced_by=user, fmt=fmt)
    record(AuditAction.EXPORT, obj=plan, user=user, detail=f"board report ({fmt})")
    return report


def as_of(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.max))


# --- typing a plan in -----------------------------------------------------------


def create_plan(user: Any, *, title: str, theme_label: str, columns: list[str], labels: dict[str, str]) -> Plan:
    """A plan typed in rather than imported: its columns and labels are stored as the importer stores
    them; the creator owns it."""
    with transaction.atomic():
        plan = Plan.objects.create(
            title=title, theme_label=theme_label or "Theme", columns=columns, labels=labels, created_by=user
        )
        PlanRole.objects.create(plan=plan, user=user, kind=PlanRole.Kind.OWNER)
        record(AuditAction.CREATE, obj=plan, user=user, detail=f"created plan: columns {', '.join(columns)}")
    return plan


def add_theme(plan: Plan, user: Any, *, number: str, title: str, description: str = "") -> Theme:
    with transaction.atomic():
        last = plan.themes.order_by("-order").values_list("order", flat=True).first()
        theme = Theme.objects.create(
            plan=plan,
            number=number.strip(),
            title=title.strip(),
            description=description.strip(),
            order=0 if last is None else last + 1,
        )
        record(AuditAction.CREATE, obj=theme, user=user, detail=f"{plan.theme_label} added: {theme}"[:300])
    return theme


def change_theme(theme: Theme, user: Any, *, number: str, title: str, description: str = "") -> list[str]:
    new = {"number": number.strip(), "title": title.strip(), "description": description.strip()}
    changed = [k for k, v in new.items() if getattr(theme, k) != v]
    if changed:
        with transaction.atomic():
            for k in changed:
                setattr(theme, k, new[k])
            theme.save(update_fields=changed)
            record(AuditAction.CHANGE, obj=theme, user=user, detail=f"{theme}: changed {', '.join(changed)}"[:300])
    return changed


def _next_ref(theme: Theme) -> str:
    prefix = theme.number or str(list(theme.plan.themes.values_list("pk", flat=True)).index(theme.pk) + 1)
    n = theme.actions.count() + 1
    while Action.objects.filter(plan_id=theme.plan_id, ref=f"{prefix}.{n}").exists():
        n += 1
    return f"{prefix}.{n}"


def _leads(action: Action, leads: list[tuple[str, Any]]) -> bool:
    """Replace the leads (a name, and a user or None: matched by name as the importer does)."""
    wanted = [(name, lead_user or match_user(name)) for name, lead_user in leads]
    before = list(ActionLead.objects.filter(action=action).values_list("name", "user_id"))
    if before == [(name, getattr(u, "pk", None)) for name, u in wanted]:
        return False
    ActionLead.objects.filter(action=action).delete()
    for i, (name, lead_user) in enumerate(wanted):
        ActionLead.objects.create(action=action, name=name, user=lead_user, order=i)
    return True


def _milestones(action: Action, milestones: list[tuple[int | None, str, dt.date | None]]) -> bool:
    """(pk or None, text, due): a blank text removes the milestone; its done date is kept.
    A new due date replaces the date as the plan worded it."""
    changed = False
    existing = {m.pk: m for m in Milestone.objects.filter(action=action)}
    order = 0
    for pk, text, due in milestones:
        m = existing.get(pk) if pk is not None else None
        if m is None and pk is not None:
            continue
        if not text:
            if m is not None:
                m.delete()
                changed = True
            continue
        if m is None:
            Milestone.objects.create(action=action, text=text, due_date=due, order=order)
            changed = True
        elif (m.text, m.due_date, m.order) != (text, due, order):
            changed = changed or (m.text, m.due_date) != (text, due)
            if m.due_date != due:
                m.due_text = ""
            m.text, m.due_date, m.order = text, due, order
            m.save(update_fields=["text", "due_date", "due_text", "order"])
        order += 1
    return changed


def add_action(
    theme: Theme,
    user: Any,
    *,
    ref: str,
    summary: str,
    outcomes: str = "",
    evidence_base: str = "",
    future_ambition: str = "",
    end_date: dt.date | None = None,
    milestones: list[tuple[int | None, str, dt.date | None]] | None = None,
    leads: list[tuple[str, Any]] | None = None,
) -> Action:
    """A new action, not rated yet: its first RAG is set on the update page, with the proposal beside it."""
    with transaction.atomic():
        last = theme.actions.order_by("-order").values_list("order", flat=True).first()
        action = Action.objects.create(
            plan_id=theme.plan_id,
            theme=theme,
            ref=ref.strip() or _next_ref(theme),
            order=0 if last is None else last + 1,
            summary=summary.strip(),
            outcomes=outcomes.strip(),
            evidence_base=evidence_base.strip(),
            future_ambition=future_ambition.strip(),
            end_date=end_date,
        )
        _milestones(action, [(None, text, due) for _, text, due in milestones or []])
        _leads(action, leads or [])
        names = ", ".join(name for name, _ in leads or [])
        record(
            AuditAction.CREATE,
            obj=action,
            user=user,
            detail=f"action {action.ref} added to {theme}" + (f"; leads {names}" if names else ""),
        )
    return action


ACTION_FIELDS = ("ref", "summary", "outcomes", "evidence_base", "future_ambition", "end_date")


def change_action(
    action: Action,
    user: Any,
    *,
    milestones: list[tuple[int | None, str, dt.date | None]] | None = None,
    leads: list[tuple[str, Any]] | None = None,
    **fields: Any,
) -> list[str]:
    """An action's own fields, milestones and (None: left as they are) leads. Never its RAG or
    completion: those go through update_progress, so that every RAG change has a reason and a
    RagChange. Returns what changed; one audit event names it."""
    unknown = set(fields) - set(ACTION_FIELDS)
    if unknown:
        raise ValueError(f"not an action field here: {', '.join(sorted(unknown))}")
    new = {k: v.strip() if isinstance(v, str) else v for k, v in fields.items()}
    changed = [k for k, v in new.items() if getattr(action, k) != v]
    with transaction.atomic():
        if changed:
            for k in changed:
                setattr(action, k, new[k])
            update = list(changed)
            if "end_date" in changed and action.end_text:
                action.end_text = ""  # the plan's wording was of the old date
                update.append("end_text")
            action.save(update_fields=update)
        if milestones is not None and _milestones(action, milestones):
            changed.append("milestones")
        if leads is not None and _leads(action, leads):
            changed.append("leads")
        if changed:
            record(
                AuditAction.CHANGE,
                obj=action,
                user=user,
                detail=f"{action.ref}: changed {', '.join(c.replace('_', ' ') for c in changed)}",
            )
    return changed
