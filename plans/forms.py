"""Forms for plans. They work without JavaScript."""

from __future__ import annotations

from typing import Any

from django import forms

from indicators.library import LIBRARY

from .importer import TARGETS
from .models import Evidence, PlanRole, Rag


class DateInput(forms.DateInput):
    input_type = "date"

    def format_value(self, value: Any) -> Any:
        return value.isoformat() if hasattr(value, "isoformat") else value


class GovukForm(forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            w = field.widget
            if isinstance(w, forms.CheckboxSelectMultiple | forms.CheckboxInput):
                w.attrs["class"] = "govuk-checkboxes__input"
            elif isinstance(w, forms.RadioSelect):
                w.attrs["class"] = "govuk-radios__input"
            elif isinstance(w, forms.Textarea):
                w.attrs.update({"class": "govuk-textarea", "rows": 4})
            elif isinstance(w, forms.Select):
                w.attrs["class"] = "govuk-select"
            elif isinstance(w, forms.ClearableFileInput):
                w.attrs["class"] = "govuk-file-upload"
            else:
                w.attrs["class"] = "govuk-input govuk-input--width-20"


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
        if f.size > 10 * 1024 * 1024:
            raise forms.ValidationError("The file is larger than 10 MB")
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


class ThresholdsForm(GovukForm):
    amber_due_days = forms.IntegerField(
        label="Amber: a milestone is due within this many days", min_value=1, max_value=90
    )
    stale_note_days = forms.IntegerField(
        label="... and there has been no progress note in this many days", min_value=1, max_value=365
    )
