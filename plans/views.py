"""Improvement plan pages. Thin: selectors decide who sees what, services change data."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from accounts.http import AuthedRequest
from audit.models import Action as AuditAction
from audit.services import record

from . import exports, selectors, services
from .evidence import latest_values, may_open_indicators
from .forms import (
    ActionForm,
    EvidenceForm,
    LeadsForm,
    MappingForm,
    MeasureForm,
    PlanForm,
    RoleForm,
    ThemeForm,
    ThresholdsForm,
    UpdateForm,
    UploadForm,
)
from .importer import TARGETS, SheetError, guess_mapping, read_sheet
from .models import FIELDS, RAG_ORDER, Action, Evidence, Plan, PlanImport, PlanMeasure, Rag, RagThresholds, Theme


def _plan(request: AuthedRequest, pk: int) -> Plan:
    plan = get_object_or_404(Plan, pk=pk)
    if not selectors.can_view(request.user, plan):
        record(AuditAction.FORBIDDEN, request=request, obj=plan, detail="plan: no role on it")
        raise PermissionDenied
    return plan


def _owner(request: AuthedRequest, plan: Plan) -> None:
    if not selectors.is_owner(request.user, plan):
        record(AuditAction.FORBIDDEN, request=request, obj=plan, detail="plan: not an owner")
        raise PermissionDenied


def _action(request: AuthedRequest, pk: int, edit: bool = False) -> Action:
    action = get_object_or_404(selectors.actions_with_detail(Action.objects.all()), pk=pk)
    _plan(request, action.plan_id)
    if edit and not selectors.can_update(request.user, action):
        record(AuditAction.FORBIDDEN, request=request, obj=action, detail="action: not a lead or owner")
        raise PermissionDenied
    return action


def plan_list(request: AuthedRequest) -> HttpResponse:
    plans = list(selectors.plans_for(request.user).prefetch_related("actions"))
    listed = [(p, selectors.counts([a.rag for a in p.actions.all()])) for p in plans]
    return render(
        request,
        "plans/plan_list.html",
        {"listed": listed, "can_create": request.user.role in selectors.CREATE_ROLES, "rags": RAG_ORDER},
    )


def plan_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    plan = _plan(request, pk)
    actions = list(selectors.actions_with_detail(plan.actions.all()))
    rows = selectors.rows_for(actions)
    themes = []
    for theme in plan.themes.all():
        themes.append((theme, [r for r in rows if r.action.theme_id == theme.pk]))
    measures = list(plan.measures.all())
    values = latest_values([m.indicator for m in measures]) if measures else {}
    record(AuditAction.VIEW, request=request, obj=plan, detail="plan")
    return render(
        request,
        "plans/plan_detail.html",
        {
            "plan": plan,
            "themes": themes,
            "totals": selectors.counts([a.rag for a in actions]),
            "measures": [(m, values.get(m.indicator)) for m in measures],
            "is_owner": selectors.is_owner(request.user, plan),
            "role": selectors.role_on(request.user, plan),
            "rags": RAG_ORDER,
            "open_indicators": may_open_indicators(request.user),
            "theme_label": plan.theme_label,
            "summary_label": plan.label("summary") if "summary" in (plan.columns or []) else "Action",
        },
    )


def plan_summary(request: AuthedRequest, pk: int) -> HttpResponse:
    plan = _plan(request, pk)
    since = _since(request)
    s = selectors.summary(plan, since=since)
    return render(request, "plans/summary.html", {"plan": plan, "s": s, "rags": RAG_ORDER})


def _since(request: AuthedRequest) -> dt.datetime | None:
    raw = request.GET.get("since", "")
    try:
        return services.as_of(dt.date.fromisoformat(raw)) if raw else None
    except ValueError:
        return None


def plan_history(request: AuthedRequest, pk: int) -> HttpResponse:
    plan = _plan(request, pk)
    on_raw = request.GET.get("on", "")
    on = None
    try:
        on = dt.date.fromisoformat(on_raw) if on_raw else None
    except ValueError:
        messages.error(request, "Give the date as YYYY-MM-DD")
    snapshot = None
    if on:
        at = selectors.rag_at(plan, services.as_of(on))
        snapshot = [(a, at.get(a.pk, "")) for a in plan.actions.select_related("theme")]
    return render(
        request,
        "plans/history.html",
        {
            "plan": plan,
            "points": selectors.history(plan),
            "on": on,
            "snapshot": snapshot,
            "snapshot_counts": selectors.counts([r for _, r in snapshot]) if snapshot else None,
            "changes": selectors.changes(plan)[:200],
            "rags": RAG_ORDER,
            "reports": plan.reports.select_related("produced_by")[:20],
        },
    )


def plan_report(request: AuthedRequest, pk: int, fmt: str) -> HttpResponse:
    plan = _plan(request, pk)
    if fmt not in ("xlsx", "pdf"):
        raise Http404
    s = selectors.summary(plan, since=_since(request))
    data = exports.plan_xlsx(plan, s) if fmt == "xlsx" else exports.plan_pdf(plan, s)
    services.report_produced(plan, fmt, request.user)
    return exports.response(data, fmt, plan)


def plan_roles(request: AuthedRequest, pk: int) -> HttpResponse:
    plan = _plan(request, pk)
    _owner(request, plan)
    form = RoleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        User = get_user_model()
        target = User.objects.filter(username=form.cleaned_data["username"]).first()
        if target is None:
            form.add_error("username", "No user has this username")
        elif target == request.user and form.cleaned_data["kind"] != "owner":
            form.add_error("kind", "You cannot remove your own ownership; ask another owner")
        else:
            services.set_role(plan, target, form.cleaned_data["kind"], request.user)
            messages.success(request, f"Role of {target.username} saved")
            return redirect("plan_roles", pk=plan.pk)
    roles = plan.roles.select_related("user").order_by("kind", "user__username")
    return render(request, "plans/roles.html", {"plan": plan, "form": form, "roles": roles})


def plan_measures(request: AuthedRequest, pk: int) -> HttpResponse:
    plan = _plan(request, pk)
    _owner(request, plan)
    form = MeasureForm(request.POST or None)
    if request.method == "POST":
        remove = request.POST.get("remove")
        if remove:
            measure = get_object_or_404(PlanMeasure, pk=remove, plan=plan)
            services.remove_measure(measure, request.user)
            return redirect("plan_measures", pk=plan.pk)
        if form.is_valid():
            services.add_measure(plan, form.cleaned_data["indicator"], request.user, form.cleaned_data["note"])
            messages.success(request, "Headline measure added")
            return redirect("plan_measures", pk=plan.pk)
    return render(request, "plans/measures.html", {"plan": plan, "form": form, "measures": plan.measures.all()})


def action_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    action = _action(request, pk)
    row = selectors.rows_for([action])[0]
    evidence = list(action.evidence.select_related("added_by"))
    codes = [e.indicator for e in evidence if e.kind == Evidence.Kind.INDICATOR]
    values = latest_values(codes) if codes else {}
    record(AuditAction.VIEW, request=request, obj=action, detail=f"action {action.ref}")
    plan = action.plan
    return render(
        request,
        "plans/action_detail.html",
        {
            "plan": plan,
            "action": action,
            "row": row,
            "fields": [(k, plan.label(k)) for k in ("outcomes", "evidence_base", "future_ambition")],
            "evidence": [(e, values.get(e.indicator)) for e in evidence],
            "changes": action.rag_changes.select_related("by"),
            "notes": action.notes.select_related("author"),
            "can_update": selectors.can_update(request.user, action),
            "is_owner": selectors.is_owner(request.user, plan),
            "open_indicators": may_open_indicators(request.user),
        },
    )


def action_update(request: AuthedRequest, pk: int) -> HttpResponse:
    action = _action(request, pk, edit=True)
    proposal = selectors.proposal(action)
    milestones = list(action.milestones.all())
    form = UpdateForm(request.POST or None, milestones=milestones, proposed=proposal.rag)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        services.update_progress(
            action,
            request.user,
            note=d["note"],
            done_milestones=[int(x) for x in d.get("milestones_done") or []],
            complete=d["complete"],
            rag=d["rag"],
            reason=d["reason"],
        )
        messages.success(request, f"Progress on {action.ref} saved")
        return redirect("plan_action", pk=action.pk)
    if request.method == "GET":
        form.initial["complete"] = action.complete
    return render(
        request,
        "plans/action_update.html",
        {"plan": action.plan, "action": action, "form": form, "proposal": proposal},
    )


def action_leads(request: AuthedRequest, pk: int) -> HttpResponse:
    action = _action(request, pk)
    _owner(request, action.plan)
    form = LeadsForm(request.POST or None, initial={"leads": "\n".join(lead.name for lead in action.leads.all())})
    if request.method == "POST" and form.is_valid():
        names = [n.strip() for n in form.cleaned_data["leads"].splitlines() if n.strip()]
        services.set_leads(action, names, request.user)
        messages.success(request, "Leads saved")
        return redirect("plan_action", pk=action.pk)
    return render(request, "plans/form.html", {"plan": action.plan, "action": action, "form": form, "title": "Leads"})


def evidence_add(request: AuthedRequest, pk: int) -> HttpResponse:
    action = _action(request, pk, edit=True)
    form = EvidenceForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        kind = d["kind"]
        fields = {"kind": kind, "note": d["note"]}
        if kind == Evidence.Kind.INDICATOR:
            fields["indicator"] = d["indicator"]
        else:
            fields.update(title=d["title"], url=d["url"], dated=d["dated"], outcome=d["outcome"])
            if d.get("file"):
                fields["file"] = d["file"]
        services.add_evidence(action, request.user, **fields)
        messages.success(request, "Evidence added")
        return redirect("plan_action", pk=action.pk)
    return render(
        request,
        "plans/form.html",
        {"plan": action.plan, "action": action, "form": form, "title": "Add evidence", "multipart": True},
    )


def evidence_file(request: AuthedRequest, pk: int) -> FileResponse:
    item = get_object_or_404(Evidence, pk=pk)
    _action(request, item.action_id)
    if not item.file:
        raise Http404
    record(AuditAction.VIEW, request=request, obj=item, detail="evidence file")
    return FileResponse(
        item.file.open("rb"), as_attachment=True, filename=(item.file.name or "file").rsplit("/", 1)[-1]
    )


def evidence_remove(request: AuthedRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(Evidence, pk=pk)
    action = _action(request, item.action_id, edit=True)
    if request.method == "POST":
        services.remove_evidence(item, request.user)
        messages.success(request, "Evidence removed")
    return redirect("plan_action", pk=action.pk)


# --- typing a plan in -------------------------------------------------------------


def plan_create(request: AuthedRequest) -> HttpResponse:
    _may_create(request)
    form = PlanForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        plan = services.create_plan(
            request.user,
            title=form.cleaned_data["title"],
            theme_label=form.cleaned_data["theme_label"].strip(),
            columns=form.chosen_columns(),
            labels=form.chosen_labels(),
        )
        messages.success(request, f"Plan created. Add its first {plan.theme_label.lower()}.")
        return redirect("plan_theme_add", pk=plan.pk)
    return render(request, "plans/plan_create.html", {"form": form})


def _theme(request: AuthedRequest, pk: int) -> Theme:
    """A theme of a plan the user owns."""
    theme = get_object_or_404(Theme.objects.select_related("plan"), pk=pk)
    _owner(request, _plan(request, theme.plan_id))
    return theme


def theme_add(request: AuthedRequest, pk: int) -> HttpResponse:
    plan = _plan(request, pk)
    _owner(request, plan)
    form = ThemeForm(request.POST or None, theme_label=plan.theme_label, initial={"number": plan.themes.count() + 1})
    if request.method == "POST" and form.is_valid():
        theme = services.add_theme(plan, request.user, **form.cleaned_data)
        messages.success(request, f"{plan.theme_label} added")
        return redirect(reverse("plan_detail", args=[plan.pk]) + f"#theme-{theme.pk}")
    return render(
        request, "plans/form.html", {"plan": plan, "form": form, "title": f"Add a {plan.theme_label.lower()}"}
    )


def theme_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    theme = _theme(request, pk)
    plan = theme.plan
    initial = {"number": theme.number, "title": theme.title, "description": theme.description}
    form = ThemeForm(request.POST or None, theme_label=plan.theme_label, initial=initial)
    if request.method == "POST" and form.is_valid():
        changed = services.change_theme(theme, request.user, **form.cleaned_data)
        messages.success(request, f"{plan.theme_label} saved" if changed else "Nothing changed")
        return redirect(reverse("plan_detail", args=[plan.pk]) + f"#theme-{theme.pk}")
    title = f"Change {plan.theme_label.lower()} {theme.number}".strip()
    return render(request, "plans/form.html", {"plan": plan, "form": form, "title": title})


def action_add(request: AuthedRequest, pk: int) -> HttpResponse:
    theme = _theme(request, pk)
    plan = theme.plan
    form = ActionForm(request.POST or None, plan=plan)
    if request.method == "POST" and form.is_valid():
        action = services.add_action(
            theme, request.user, **form.values(), milestones=form.milestones, leads=form.leads or []
        )
        messages.success(request, f"Action {action.ref} added")
        return redirect("plan_action", pk=action.pk)
    return render(
        request,
        "plans/action_form.html",
        {"plan": plan, "theme": theme, "form": form, "title": f"Add an action to {plan.theme_label.lower()} {theme}"},
    )


def action_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    """Leads and owners change the action's fields and milestones; owners also its leads. Not the RAG."""
    action = _action(request, pk, edit=True)
    plan = action.plan
    form = ActionForm(request.POST or None, plan=plan, action=action, with_leads=selectors.is_owner(request.user, plan))
    if request.method == "POST" and form.is_valid():
        changed = services.change_action(
            action, request.user, **form.values(), milestones=form.milestones, leads=form.leads
        )
        messages.success(request, f"Action {action.ref} saved" if changed else "Nothing changed")
        return redirect("plan_action", pk=action.pk)
    return render(
        request,
        "plans/action_form.html",
        {"plan": plan, "action": action, "form": form, "title": f"Change action {action.ref}"},
    )


# --- import --------------------------------------------------------------------


def _may_create(request: AuthedRequest) -> None:
    if request.user.role not in selectors.CREATE_ROLES:
        record(AuditAction.FORBIDDEN, request=request, detail="plans: may not import or create a plan")
        raise PermissionDenied


def _run(request: AuthedRequest, pk: int) -> PlanImport:
    run = get_object_or_404(PlanImport, pk=pk)
    if run.created_by_id != request.user.pk:
        raise PermissionDenied
    return run


def import_upload(request: AuthedRequest) -> HttpResponse:
    _may_create(request)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        content = form.cleaned_data["file"].read()
        try:
            sheet = read_sheet(content)
        except SheetError as exc:
            form.add_error("file", str(exc))
        else:
            title = form.cleaned_data["title"] or sheet.title or form.cleaned_data["file"].name
            if Plan.objects.filter(title=title[:200]).exists():
                form.add_error("title", "A plan with this name already exists; give another name")
            else:
                run = PlanImport.objects.create(
                    filename=form.cleaned_data["file"].name[:200],
                    content=content,
                    sheet=sheet.name,
                    title=title[:200],
                    theme_label=form.cleaned_data["theme_label"],
                    mapping={"targets": {str(k): v for k, v in guess_mapping(sheet.headers).items()}},
                    created_by=request.user,
                )
                return redirect("plan_import_mapping", pk=run.pk)
    return render(request, "plans/import_upload.html", {"form": form})


def import_mapping(request: AuthedRequest, pk: int) -> HttpResponse:
    run = _run(request, pk)
    sheet = read_sheet(bytes(run.content), run.sheet)
    kwargs = {
        "headers": sheet.headers,
        "sheets": sheet.sheet_names,
        "targets": run.mapping.get("targets", {}),
        "labels": run.mapping.get("labels", {}),
        "sheet": run.sheet,
    }
    form = MappingForm(request.POST or None, **kwargs)
    if request.method == "POST" and form.is_valid():
        chosen = form.cleaned_data.get("sheet") or run.sheet
        if chosen != run.sheet:
            run.sheet = chosen
            run.mapping = {
                "targets": {str(k): v for k, v in guess_mapping(read_sheet(bytes(run.content), chosen).headers).items()}
            }
            run.save(update_fields=["sheet", "mapping"])
            return redirect("plan_import_mapping", pk=run.pk)
        run.mapping = {"targets": form.targets(), "labels": form.labels()}
        run.save(update_fields=["mapping"])
        return redirect("plan_import_preview", pk=run.pk)
    samples = [[str(v or "")[:80] for v in values] for _, values in sheet.rows[:3]]
    columns = []
    for i, (target, label) in enumerate(form.columns):
        columns.append((target, label, [s[i] if i < len(s) else "" for s in samples]))
    return render(request, "plans/import_mapping.html", {"run": run, "form": form, "sheet": sheet, "columns": columns})


def import_preview(request: AuthedRequest, pk: int) -> HttpResponse:
    run = _run(request, pk)
    if run.status == PlanImport.Status.COMMITTED and run.plan_id:
        return redirect("plan_detail", pk=run.plan_id)
    parsed = services.preview(run)
    if request.method == "POST" and not parsed.errors:
        try:
            plan = services.commit_import(run, request.user)
        except services.ImportFailed as exc:
            parsed = exc.parsed
        else:
            messages.success(request, f"Imported {len(parsed.actions)} actions")
            return redirect("plan_detail", pk=plan.pk)
    return render(
        request,
        "plans/import_preview.html",
        {"run": run, "parsed": parsed, "targets": TARGETS, "fields": FIELDS},
    )


def thresholds(request: AuthedRequest) -> HttpResponse:
    if request.user.role not in selectors.SEE_ALL_ROLES:
        raise PermissionDenied
    current = selectors.thresholds()
    form = ThresholdsForm(
        request.POST or None,
        initial={"amber_due_days": current.amber_due_days, "stale_note_days": current.stale_note_days},
    )
    if request.method == "POST" and form.is_valid():
        row = RagThresholds.objects.create(changed_by=request.user, **form.cleaned_data)
        record(
            AuditAction.CHANGE,
            request=request,
            obj=row,
            detail=f"RAG thresholds: amber within {row.amber_due_days} days, stale after {row.stale_note_days} days",
        )
        messages.success(request, "Thresholds saved")
        return redirect("plan_thresholds")
    return render(request, "plans/form.html", {"form": form, "title": "RAG thresholds"})


__all__ = ["Prefetch", "Rag", "Theme", "reverse", "timezone"]
