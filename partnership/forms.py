"""Forms for partnership business, in GOV.UK Frontend markup. They work without JavaScript."""

from __future__ import annotations

from typing import Any

from django import forms

from children.selectors import children_in_scope
from web.forms import DateInput, GovukModelForm
from web.forms import govuk_style as style

from .models import Allegation, Attendance, Body, Course, CourseSession, Delegate, Meeting, Membership


class AllegationForm(GovukModelForm):
    child_ref = forms.CharField(
        label="LA child ID of the child on the register (optional)",
        required=False,
        max_length=36,
        help_text="Only a child you may see can be linked. Leave blank for a child not known to children's social care",
    )

    class Meta:
        model = Allegation
        fields = [
            "reference",
            "referral_date",
            "employer_aware_date",
            "source",
            "adult_name",
            "adult_role",
            "employer",
            "sector",
            "agency",
            "category",
            "summary",
            "children_count",
            "initial_consideration_date",
            "strategy_meeting_date",
            "employer_action",
            "evaluation_date",
            "outcome",
            "suspended",
            "dismissed",
            "left_employment",
            "convicted_or_cautioned",
            "last_chased",
            "closed_date",
        ]

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.order_fields([*self.Meta.fields[:12], "child_ref", *self.Meta.fields[12:]])
        style(self)
        child = self.instance.child if self.instance.pk else None
        if child is not None:
            if children_in_scope(user).filter(pk=child.pk).exists():
                self.initial["child_ref"] = child.la_child_id
            else:
                # Someone outside the child's scope can neither see nor change the link.
                del self.fields["child_ref"]

    def clean_child_ref(self) -> Any:
        ref = self.cleaned_data["child_ref"].strip()
        if not ref:
            return None
        child = children_in_scope(self.user).filter(la_child_id=ref).first()
        if child is None:
            raise forms.ValidationError("There is no child with that ID that you may see")
        return child

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        referred = data.get("referral_date")
        for name in (
            "initial_consideration_date",
            "strategy_meeting_date",
            "evaluation_date",
            "closed_date",
            "last_chased",
        ):
            day = data.get(name)
            if referred and day and day < referred:
                label = str(self.fields[name].label)
                self.add_error(name, f"{label} must be the same as or after the referral date")
        aware = data.get("employer_aware_date")
        if referred and aware and aware > referred:
            self.add_error(
                "employer_aware_date", "The employer became aware of it after it was referred: check both dates"
            )
        if data.get("closed_date") and not data.get("outcome"):
            self.add_error("outcome", "Give the outcome before closing the allegation")
        return data

    def values(self) -> dict[str, Any]:
        values = {k: self.cleaned_data[k] for k in self.Meta.fields}
        if "child_ref" in self.fields:
            values["child"] = self.cleaned_data["child_ref"]
        return values


class TargetForm(forms.Form):
    target_months = forms.IntegerField(label="Target for closing an allegation, in months", min_value=1, max_value=24)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style(self)


class PeriodForm(forms.Form):
    start = forms.DateField(label="From", widget=DateInput())
    end = forms.DateField(label="To", widget=DateInput())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style(self)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", "The end of the period must be the same as or after its start")
        return data


class CourseForm(GovukModelForm):
    class Meta:
        model = Course
        fields = ["title", "level", "refresher"]


class SessionForm(GovukModelForm):
    class Meta:
        model = CourseSession
        fields = ["date", "places", "trainer"]


class DelegateForm(GovukModelForm):
    class Meta:
        model = Delegate
        fields = ["name", "agency", "attended", "pre_score", "post_score", "follow_up_score"]


class MeetingForm(GovukModelForm):
    class Meta:
        model = Meeting
        fields = ["date"]


class MembershipForm(GovukModelForm):
    class Meta:
        model = Membership
        fields = ["agency", "member_name", "start_date", "end_date"]
        labels = {"member_name": "Member's name (optional)", "end_date": "Left on (leave blank while a member)"}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("start_date") and data.get("end_date") and data["end_date"] < data["start_date"]:
            self.add_error("end_date", "The seat ends before it starts")
        return data


class AttendanceForm(forms.Form):
    """One radio group per member agency of the body on the meeting's date."""

    def __init__(self, *args: Any, agencies: list[Any], current: dict[int, str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for agency in agencies:
            self.fields[f"agency_{agency.pk}"] = forms.ChoiceField(
                label=agency.name,
                choices=Attendance.Status.choices,
                widget=forms.RadioSelect,
                required=False,
                initial=current.get(agency.pk, ""),
            )
        style(self)

    def statuses(self) -> dict[int, str]:
        return {int(k.removeprefix("agency_")): v for k, v in self.cleaned_data.items()}


class BodyForm(GovukModelForm):
    class Meta:
        model = Body
        fields = ["name", "is_board"]


class SessionScoresForm(forms.Form):
    """Every delegate of a session on one page: attended, and the three scores (1-5), so
    the two-month follow-up can be keyed in one go."""

    KINDS = (("pre_score", "before"), ("post_score", "after"), ("follow_up_score", "at follow-up"))

    def __init__(self, *args: Any, delegates: list[Delegate], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.delegates = delegates
        for d in delegates:
            self.fields[f"attended_{d.pk}"] = forms.BooleanField(
                label=f"{d.name} attended", required=False, initial=d.attended
            )
            for name, words in self.KINDS:
                self.fields[f"{name}_{d.pk}"] = forms.IntegerField(
                    label=f"{d.name}: confidence {words}",
                    required=False,
                    min_value=1,
                    max_value=5,
                    initial=getattr(d, name),
                )
        style(self)
        for name, field in self.fields.items():
            if not name.startswith("attended_"):
                field.widget.attrs["class"] = "govuk-input govuk-input--width-2"

    def rows(self) -> list[tuple[Delegate, list[Any]]]:
        """Each delegate with its bound fields (attended, before, after, follow-up) for the table."""
        return [
            (d, [self[f"attended_{d.pk}"], *[self[f"{name}_{d.pk}"] for name, _ in self.KINDS]]) for d in self.delegates
        ]

    def values(self) -> dict[int, dict[str, Any]]:
        return {
            d.pk: {
                "attended": self.cleaned_data[f"attended_{d.pk}"],
                **{name: self.cleaned_data[f"{name}_{d.pk}"] for name, _ in self.KINDS},
            }
            for d in self.delegates
        }
