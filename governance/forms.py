from typing import Any

from django import forms

from plans.forms import GovukForm


class ErasureForm(GovukForm):
    """Erasure cannot be undone: the officer types the child's ID to confirm, and says why."""

    confirm = forms.CharField(
        label="Type the child's ID to confirm",
        max_length=60,
        error_messages={"required": "Type the child's ID to confirm the erasure"},
    )
    reason = forms.CharField(
        label="Why the record is erased",
        max_length=200,
        help_text=(
            "For example: past the retention schedule, reviewed on 5 December 2026. Do not write the child's name."
        ),
        error_messages={"required": "Say why the record is erased"},
    )

    def __init__(self, *args: Any, la_child_id: str, **kwargs: Any) -> None:
        self.la_child_id = la_child_id
        super().__init__(*args, **kwargs)

    def clean_confirm(self) -> str:
        value: str = self.cleaned_data["confirm"].strip()
        if value != self.la_child_id:
            raise forms.ValidationError("The ID typed is not this child's ID")
        return value
