"""Forms for the few facts of a child's record that no return carries and a manager records by hand."""

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone

from plans.forms import DateInput, GovukForm

from .models import CareProceedings, PlacementRegulation

NEITHER = ""


class ExtensionForm(GovukForm):
    """A court's extension of the 26 weeks (Children Act 1989 s. 32(5)); each up to 8 weeks (s. 32(8))."""

    granted_on = forms.DateField(
        label="Date the court granted the extension",
        widget=DateInput(),
        error_messages={"required": "Enter the date the court granted the extension", "invalid": "Enter a real date"},
    )
    weeks = forms.IntegerField(
        label="Weeks",
        min_value=1,
        max_value=8,
        help_text="Up to 8 weeks at a time (Children Act 1989 s. 32(8))",
        error_messages={
            "required": "Enter how many weeks the court extended by",
            "invalid": "Enter the weeks as a whole number, like 4",
            "min_value": "The weeks must be 1 or more",
            "max_value": "A court extends by up to 8 weeks at a time (s. 32(8)); record each extension separately",
        },
    )
    reason = forms.CharField(label="Why the court extended (optional)", max_length=200, required=False)

    def __init__(self, *args: Any, proceedings: CareProceedings, **kwargs: Any) -> None:
        self.proceedings = proceedings
        super().__init__(*args, **kwargs)

    def clean_granted_on(self) -> dt.date:
        day: dt.date = self.cleaned_data["granted_on"]
        issued, concluded = self.proceedings.issued_date, self.proceedings.concluded_date
        if day > timezone.localdate():
            raise forms.ValidationError("The date the court granted the extension must be today or in the past")
        if issued and day < issued:
            raise forms.ValidationError(
                f"The extension must be granted on or after the day of issue, {issued:%d %B %Y}"
            )
        if concluded and day > concluded:
            raise forms.ValidationError(f"The proceedings concluded on {concluded:%d %B %Y}, before this date")
        return day


class PlacementRegulationForm(GovukForm):
    """Whether a placement was made under reg. 19 or reg. 24, which tighten the visits (CPPCR reg. 28(3), (4))."""

    placement_regulation = forms.ChoiceField(
        label="How was this placement made?",
        choices=[*PlacementRegulation.choices, (NEITHER, "Neither of these")],
        widget=forms.RadioSelect,
        required=False,
        help_text=(
            "No return carries this. Regulation 19: visits weekly until the first review, then every 6 weeks. "
            "Regulation 24: weekly until the first review, then every 4 weeks (CPPCR reg. 28(3) and (4))."
        ),
    )
