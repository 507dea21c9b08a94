"""The administrator's forms for timescale rules and local closure days, in the shared GOV.UK
style (web/forms.py)."""

from __future__ import annotations

from typing import Any

from django import forms

from web.forms import GovukForm

from .models import TimescaleRule


class RuleForm(GovukForm):
    amount = forms.IntegerField(min_value=1, max_value=400)
    due_soon_days = forms.IntegerField(min_value=0, max_value=90, label="Show as due soon this many days before")
    active = forms.BooleanField(required=False, label="Rule is in use")
    reason = forms.CharField(max_length=300, label="Why is this changing?", widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, rule: TimescaleRule, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        amount = self.fields["amount"]
        amount.label = f"Timescale ({rule.get_unit_display()})"
        if not rule.local:  # a statutory timescale is set by law: shown, not changed
            amount.widget.attrs["readonly"] = True
            amount.help_text = "Set in statutory guidance; it cannot be changed here."
        self.style()
        for name in ("amount", "due_soon_days"):
            self.fields[name].widget.attrs["class"] = "govuk-input govuk-input--width-4"
        # Field-worded messages for numbers out of range, as the Design System writes them.
        amount.error_messages.update(
            invalid="Timescale must be a whole number",
            min_value="Timescale must be 1 or more",
            max_value="Timescale must be 400 or fewer",
        )
        self.fields["due_soon_days"].error_messages.update(
            invalid="Days before must be a whole number",
            min_value="Days before must be 0 or more",
            max_value="Days before must be 90 or fewer",
        )


class ClosureForm(GovukForm):
    day = forms.DateField(label="Date the offices are closed")
    reason = forms.CharField(max_length=120, label="Reason")
