"""Forms for plans. They work without JavaScript."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import get_user_model

from indicators.library import LIBRARY
from returns import limits
from web.forms import DateInput, GovukForm

from .importer import TARGETS
from .models import DEFAULT_COLUMNS, FIELDS, Action, ActionLead, Evidence, Plan, PlanRole, Rag


class UploadForm(GovukForm):
    file = forms.FileField(label="Spreadsheet (.xlsx)", help_text="The plan as you keep it in Excel, one row a action")
    title = forms.CharField(
        label="Name of the plan", max_length=200, required=False, help_text="Leave blank to use the title in the sheet"
    )
    theme_label = forms.CharField(
        label="What the plan calls its parts",
        max_length=40,
        initial="Theme",
        help_text="For example Area, Theme, Recommendation or Point",
    )

    def clean_file(self) -> Any:
        f = self.cleaned_data["file"]
        most = limits.get("plans_upload")
        if f.size > most:
            raise forms.ValidationError(f"The file is larger than {most // (1 << 20)} MB")
        if not f.name.lower().endswith(".xlsx"):
            raise forms.ValidationError("The file must be an Excel workbook (.xlsx)")
        return f


class MappingForm(GovukForm):
    """One choice per spreadsheet column (col_0, col_1 ...) and the label to show for it."""

    def __init__(self, *args: Any, headers: list[str], sheets: list[str], **kwargs: Any) -> None:
        initial_targets = kwargs.pop("targets", {})
        initial_labels = kwargs.pop("labels", {})
        sheet = kwargs.pop("sheet", "")
        super().__init__(*args, **kwargs)
        if len(sheets) > 1:
            self.fields["sheet"] = forms.ChoiceField(
                label="Sheet", choices=[(s, s) for s in sheets], initial=sheet or sheets[0]
            )
        self.columns = []
        for i, header in enumerate(headers):
            name = f"col_{i}"
            self.fields[name] = forms.ChoiceField(
                label=f"Column {i + 1}: {header or '(no heading)'}",
                choices=list(TARGETS.items()),
                required=False,
                initial=initial_targets.get(str(i), initial_targets.get(i, "")),
            )
            self.fields[f"label_{i}"] = forms.CharField(
                label=f"Name to show for column {i + 1}",
                required=False,
                max_length=80,
                initial=initial_labels.get(str(i), initial_labels.get(i, header)),
            )
            self.columns.append((self[name], self[f"label_{i}"]))
        for field in self.fields.values():
            field.widget.attrs.setdefault("class", "govuk-select")

    def targets(self) -> dict[str, str]:
        return {k[4:]: v for k, v in self.cleaned_data.items() if k.startswith("col_") and v}

    def labels(self) -> dict[str, str]:
        return {k[6:]: v for k, v in self.cleaned_data.items() if k.startswith("label_") and v}


class UpdateForm(GovukForm):
    note = forms.CharField(
        label="Progress note (key points to note)",
        widget=forms.Textarea,
        required=False,
        help_text="What has happened since the last note",
    )
    milestones_done = forms.MultipleChoiceField(
        label="Milestones done", required=False, widget=forms.CheckboxSelectMultiple
    )
    complete = forms.BooleanField(label="The action is complete", required=False)
    rag = forms.ChoiceField(label="RAG status", choices=Rag.choices, widget=forms.RadioSelect)
    reason = forms.CharField(
        label="Why this RAG status",
        widget=forms.Textarea,
        required=False,
        help_text="Needed when you choose a different status from the one proposed",
    )

    def __init__(self, *args: Any, milestones: list[Any], proposed: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.proposed = proposed
        pending = [
            (str(m.pk), f"{m.text} ({m.due_text or m.due_date or 'no date'})") for m in milestones if not m.done_on
        ]
        self.fields["milestones_done"].choices = pending  # type: ignore[attr-defined]
        if not pending:
            del self.fields["milestones_done"]
        self.fields["rag"].initial = proposed

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("rag") and data["rag"] != self.proposed and not (data.get("reason") or "").strip():
            self.add_error("reason", "Give a reason for choosing a different status from the one proposed")
        return data


def indicator_choices() -> list[tuple[str, str]]:
    return [("", "Choose an indicator")] + [(code, f"{code} – {ind.name}") for code, ind in LIBRARY.items()]


class EvidenceForm(GovukForm):
    kind = forms.ChoiceField(label="Kind of evidence", choices=Evidence.Kind.choices, widget=forms.RadioSelect)
    indicator = forms.ChoiceField(label="Performance indicator", required=False)
    title = forms.CharField(label="Title", required=False, max_length=200, help_text="Of the audit or document")
    dated = forms.DateField(label="Date", required=False, widget=DateInput(), help_text="When the audit was done")
    outcome = forms.CharField(
        label="Grading or outcome",
        required=False,
        max_length=300,
        help_text="For an audit, e.g. 'Requires improvement'",
    )
    url = forms.URLField(label="Link", required=False, max_length=500, assume_scheme="https")
    file = forms.FileField(label="Or upload a file", required=False)
    note = forms.CharField(label="Note", required=False, widget=forms.Textarea)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["indicator"].choices = indicator_choices()  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind = data.get("kind")
        if kind == Evidence.Kind.INDICATOR and not data.get("indicator"):
            self.add_error("indicator", "Choose the indicator")
        if kind in (Evidence.Kind.AUDIT, Evidence.Kind.DOCUMENT) and not data.get("title"):
            self.add_error("title", "Give the title")
        if kind == Evidence.Kind.DOCUMENT and not (data.get("url") or data.get("file")):
            self.add_error("url", "Give a link or upload a file")
        f = data.get("file")
        if f is not None and f.size > 20 * 1024 * 1024:
            self.add_error("file", "The file is larger than 20 MB")
        return data


class MeasureForm(GovukForm):
    indicator = forms.ChoiceField(label="Indicator")
    note = forms.CharField(label="Why it is a headline measure", required=False, max_length=200)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["indicator"].choices = indicator_choices()  # type: ignore[attr-defined]


class RoleForm(GovukForm):
    username = forms.CharField(label="Username")
    kind = forms.ChoiceField(
        label="Role on the plan", choices=[*PlanRole.Kind.choices, ("", "No role (remove)")], required=False
    )


class LeadsForm(GovukForm):
    leads = forms.CharField(
        label="Leads",
        widget=forms.Textarea,
        help_text="One a line, as the plan names them. A lead whose name or username matches a user is linked to them.",
    )

    def clean_leads(self) -> str:
        leads = self.cleaned_data["leads"]
        longest = ActionLead._meta.get_field("name").max_length or 200
        for number, name in enumerate(leads.splitlines(), start=1):
            if len(name.strip()) > longest:
                raise forms.ValidationError(f"Line {number}: a lead's name must be {longest} characters or fewer")
        return leads


class ThresholdsForm(GovukForm):
    amber_due_days = forms.IntegerField(
        label="Amber: a milestone is due within this many days", min_value=1, max_value=90
    )
    stale_note_days = forms.IntegerField(
        label="... and there has been no progress note in this many days", min_value=1, max_value=365
    )


# --- typing a plan in ---------------------------------------------------------


class PlanForm(GovukForm):
    """A new plan: its name, what it calls its parts, and its columns (FIELDS) with its own names for them."""

    title = forms.CharField(label="Name of the plan", max_length=200)
    theme_label = forms.CharField(
        label="What the plan calls its parts",
        max_length=40,
        initial="Theme",
        help_text="For example Area, Theme, Recommendation or Point",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.columns = []
        for key, default in FIELDS.items():
            self.fields[f"show_{key}"] = forms.BooleanField(
                label=f"Show the column '{default}'", required=False, initial=key in DEFAULT_COLUMNS
            )
            self.fields[f"label_{key}"] = forms.CharField(
                label=f"Name of the column '{default}' in this plan", max_length=80, required=False, initial=default
            )
            self.columns.append((self[f"show_{key}"], self[f"label_{key}"]))
        self.style()

    def clean_title(self) -> str:
        title = self.cleaned_data["title"].strip()
        if Plan.objects.filter(title=title).exists():
            raise forms.ValidationError("A plan with this name already exists; give another name")
        return title

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not self.chosen_columns():
            self.add_error("show_summary", "Show at least the action or the outcomes sought")
        return data

    def chosen_columns(self) -> list[str]:
        """In FIELDS order, as the importer stores them (keys of FIELDS)."""
        data = getattr(self, "cleaned_data", {})
        chosen = [key for key in FIELDS if data.get(f"show_{key}")]
        return chosen if {"summary", "outcomes"} & set(chosen) else []

    def chosen_labels(self) -> dict[str, str]:
        """The plan's own name for each column shown, as the importer stores them."""
        return {
            key: (self.cleaned_data.get(f"label_{key}") or "").strip() or FIELDS[key] for key in self.chosen_columns()
        }


class ThemeForm(GovukForm):
    number = forms.CharField(label="Number", max_length=20, required=False, help_text="For example 3 or 3a")
    title = forms.CharField(label="Title", widget=forms.Textarea)
    description = forms.CharField(label="Description", widget=forms.Textarea, required=False)

    def __init__(self, *args: Any, theme_label: str = "Theme", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["title"].label = f"What the {theme_label.lower()} is"


NEW_MILESTONES = 3
NEW_LEADS = 2


class ActionForm(GovukForm):
    """An action's own fields, its milestones (text and due date, a blank text removes one) and, for
    owners, its leads (a name and optionally a username). Not its RAG: that changes with a reason on
    the update page, so that the history stays whole."""

    ref = forms.CharField(label="Ref", max_length=20, required=False, help_text="Leave blank to number it, e.g. 2.3")
    summary = forms.CharField(label="Action", widget=forms.Textarea)
    outcomes = forms.CharField(label="Outcomes sought", widget=forms.Textarea, required=False)
    evidence_base = forms.CharField(label="Evidence base for improvement", widget=forms.Textarea, required=False)
    future_ambition = forms.CharField(label="Future ambition", widget=forms.Textarea, required=False)
    end_date = forms.DateField(label="End date", required=False, widget=DateInput())

    def __init__(
        self, *args: Any, plan: Plan, action: Action | None = None, with_leads: bool = True, **kwargs: Any
    ) -> None:
        self.plan, self.action = plan, action
        initial = kwargs.setdefault("initial", {})
        milestones = list(action.milestones.all()) if action else []
        leads = list(action.leads.all()) if action else []
        if action is not None:
            for key in ("ref", "summary", "outcomes", "evidence_base", "future_ambition", "end_date"):
                initial.setdefault(key, getattr(action, key))
        super().__init__(*args, **kwargs)
        for key in ("summary", "outcomes", "evidence_base", "future_ambition", "end_date"):
            self.fields[key].label = plan.label(key)
        if action is not None:
            self.fields["ref"].required = True
            self.fields["ref"].help_text = ""
            if action.end_text:
                self.fields[
                    "end_date"
                ].help_text = f"The plan words it \u201c{action.end_text}\u201d; a new date replaces that"
        self.milestone_rows = []
        for i in range(len(milestones) + NEW_MILESTONES):
            m = milestones[i] if i < len(milestones) else None
            self.fields[f"milestone_{i}_id"] = forms.IntegerField(
                required=False, widget=forms.HiddenInput, initial=m.pk if m else None
            )
            self.fields[f"milestone_{i}"] = forms.CharField(
                label=f"Milestone {i + 1}",
                required=False,
                widget=forms.Textarea,
                initial=m.text if m else "",
                help_text="Clear the text to remove it" if m else "",
            )
            self.fields[f"milestone_{i}_due"] = forms.DateField(
                label=f"Milestone {i + 1} due",
                required=False,
                widget=DateInput(),
                initial=m.due_date if m else None,
                help_text=f"The plan words it \u201c{m.due_text}\u201d" if m and m.due_text and not m.due_date else "",
            )
            self.milestone_rows.append((self[f"milestone_{i}"], self[f"milestone_{i}_due"]))
        self.lead_rows = []
        if with_leads:
            for i in range(len(leads) + NEW_LEADS):
                lead = leads[i] if i < len(leads) else None
                self.fields[f"lead_{i}"] = forms.CharField(
                    label=f"Lead {i + 1}",
                    required=False,
                    max_length=200,
                    initial=lead.name if lead else "",
                    help_text="As the plan names them, e.g. a job title",
                )
                self.fields[f"lead_{i}_user"] = forms.CharField(
                    label=f"Lead {i + 1}: username (optional)",
                    required=False,
                    max_length=150,
                    initial=lead.user.username if lead and lead.user else "",
                    help_text="Links the lead to a user, who can then update the action",
                )
                self.lead_rows.append((self[f"lead_{i}"], self[f"lead_{i}_user"]))
        self.style()
        for name, field in self.fields.items():
            if name.startswith("milestone_") and isinstance(field.widget, forms.Textarea):
                field.widget.attrs["rows"] = 2

    def clean_ref(self) -> str:
        ref = self.cleaned_data["ref"].strip()
        taken = Action.objects.filter(plan=self.plan, ref=ref)
        if self.action is not None:
            taken = taken.exclude(pk=self.action.pk)
        if ref and taken.exists():
            raise forms.ValidationError("Another action in this plan has this ref")
        return ref

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        own = set(self.action.milestones.values_list("pk", flat=True)) if self.action else set()
        self.milestones: list[tuple[int | None, str, Any]] = []
        for i in range(len(self.milestone_rows)):
            pk, text, due = (
                data.get(f"milestone_{i}_id"),
                (data.get(f"milestone_{i}") or "").strip(),
                data.get(f"milestone_{i}_due"),
            )
            if pk is not None and pk not in own:
                raise forms.ValidationError("The milestones changed while you were editing; start again")
            if due and not text:
                self.add_error(f"milestone_{i}", "Say what the milestone is, or clear its date")
            if pk is not None or text:
                self.milestones.append((pk, text, due))
        self.leads: list[tuple[str, Any]] | None = None
        if self.lead_rows:
            User = get_user_model()
            self.leads = []
            for i in range(len(self.lead_rows)):
                name = (data.get(f"lead_{i}") or "").strip()
                username = (data.get(f"lead_{i}_user") or "").strip()
                user = None
                if username:
                    user = User.objects.filter(username=username, is_active=True).first()
                    if user is None:
                        self.add_error(f"lead_{i}_user", "No user has this username")
                        continue
                    name = name or user.get_full_name() or user.username
                if name:
                    self.leads.append((name, user))
        return data

    def values(self) -> dict[str, Any]:
        d = self.cleaned_data
        return {k: d[k] for k in ("ref", "summary", "outcomes", "evidence_base", "future_ambition", "end_date")}
