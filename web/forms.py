"""Forms as the GOV.UK Design System does them, written once for every app (issue 15 point 6).

- ``GovukForm`` and ``GovukModelForm`` put GOV.UK Frontend classes on every widget, start each
  dropdown with "Select ..." instead of Django's "---------", and word the "required" message
  for the field ("Enter the due date", "Select a team", "Choose a file") instead of Django's
  "This field is required."
- ``DateInput`` is the GOV.UK date input: day, month and year boxes. It also accepts a date
  posted whole as YYYY-MM-DD (the form a browser's own date picker, a script or an older page
  sends), so nothing that posted dates before breaks.
- A field in error gets the Design System's ``--error`` modifier on the input itself
  (``govuk-input--error``, ``govuk-select--error``, ...), through ``GovukBoundField``.
- Rendering: templates/_field.html (one field), templates/_error_summary.html (the summary at
  the top, each message linking to its field). The hint and the error message carry the ids
  Django's ``aria-describedby`` names (``<id>_helptext``, ``<id>_error``), so a screen reader
  reads them with the input.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.forms.boundfield import BoundField

DJANGO_BLANK = "---------"
DJANGO_REQUIRED = forms.Field.default_error_messages["required"]


class DateInput(forms.MultiWidget):
    """The GOV.UK date input. Its first box keeps the field's own id, so that a label, an error
    summary link or a script aimed at the field lands on the day."""

    template_name = "web/widgets/govuk_date.html"
    parts = ("day", "month", "year")
    is_govuk_date = True  # _field.html renders the field as a fieldset with a legend

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        widgets: dict[str, forms.Widget | type[forms.Widget]] = {
            "day": forms.TextInput(
                attrs={"inputmode": "numeric", "class": "govuk-input govuk-date-input__input govuk-input--width-2"}
            ),
            "month": forms.TextInput(
                attrs={"inputmode": "numeric", "class": "govuk-input govuk-date-input__input govuk-input--width-2"}
            ),
            "year": forms.TextInput(
                attrs={"inputmode": "numeric", "class": "govuk-input govuk-date-input__input govuk-input--width-4"}
            ),
        }
        super().__init__(widgets, attrs)

    def decompress(self, value: Any) -> list[Any]:
        if isinstance(value, dt.date):
            return [value.day, value.month, value.year]
        if isinstance(value, str) and value.count("-") == 2:  # a whole date posted back after an error
            year, month, day = value.split("-")
            return [day, month, year]
        return [None, None, None]

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        attrs = dict(attrs or {})
        in_error = attrs.pop("govuk_error", False)
        context = super().get_context(name, value, attrs)
        for sub, part in zip(context["widget"]["subwidgets"], self.parts, strict=True):
            sub["part"] = part
            sub["label"] = part.capitalize()
            if in_error:
                sub["attrs"]["class"] = with_error_modifier(sub["attrs"].get("class", ""))
            if part != "day":  # the day keeps the field's id; the others are id_x_month, id_x_year
                sub["attrs"]["id"] = f"{attrs['id']}_{part}" if attrs and attrs.get("id") else ""
            elif attrs and attrs.get("id"):
                sub["attrs"]["id"] = attrs["id"]
        return context

    def id_for_label(self, id_: str) -> str:
        return id_

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        if data.get(name):  # posted whole: YYYY-MM-DD
            return data.get(name)
        day, month, year = (str(data.get(f"{name}_{part}", "") or "").strip() for part in self.parts)
        if not (day or month or year):
            return None
        if day.isdigit() and month.isdigit() and year.isdigit() and len(year) == 4:
            return f"{year}-{int(month):02d}-{int(day):02d}"
        return f"{year}-{month}-{day}"  # not a date: the field says so in its own words

    def value_omitted_from_data(self, data: Any, files: Any, name: str) -> bool:
        return name not in data and not any(f"{name}_{part}" in data for part in self.parts)


# The Design System's error modifier for each kind of input, keyed by the input's own class.
ERROR_MODIFIERS = {
    "govuk-input": "govuk-input--error",
    "govuk-select": "govuk-select--error",
    "govuk-textarea": "govuk-textarea--error",
    "govuk-file-upload": "govuk-file-upload--error",
}


def with_error_modifier(css: str) -> str:
    classes = css.split()
    for base, modifier in ERROR_MODIFIERS.items():
        if base in classes and modifier not in classes:
            classes.append(modifier)
    return " ".join(classes)


class GovukBoundField(BoundField):
    """Adds the ``--error`` modifier to a field's input when the field has errors. The
    widget's own attrs are left alone: the same form instance may render again without
    errors (a form shown after a successful post)."""

    def build_widget_attrs(self, attrs: Any, widget: forms.Widget | None = None) -> dict[str, Any]:
        attrs = super().build_widget_attrs(attrs, widget)
        widget = widget or self.field.widget
        if self.errors and not widget.is_hidden:
            if isinstance(widget, DateInput):
                attrs["govuk_error"] = True  # DateInput marks each of its three boxes
            else:
                attrs["class"] = with_error_modifier(attrs.get("class") or widget.attrs.get("class", ""))
        return attrs


def _noun(label: str) -> str:
    label = str(label).strip().rstrip(":?")
    return label[:1].lower() + label[1:] if label[1:2].islower() or len(label) == 1 else label


def govuk_style(form: forms.BaseForm) -> None:
    """GOV.UK classes, "Select ..." first options and field-worded messages on every field.
    Call again after adding fields."""
    for field in form.fields.values():
        field.bound_field_class = GovukBoundField
        _style_widget(field.widget)
        noun = _noun(str(field.label or ""))
        if isinstance(field, forms.DateField):
            if not isinstance(field.widget, DateInput):
                field.widget = DateInput()
            if field.error_messages.get("invalid") == forms.DateField.default_error_messages["invalid"]:
                field.error_messages["invalid"] = (
                    f"{noun[:1].upper()}{noun[1:]} must be a real date, for example 27 3 2025"
                )
        if isinstance(field, forms.ModelChoiceField):
            if field.empty_label == DJANGO_BLANK:
                field.empty_label = "Select ..."
        elif isinstance(field, forms.ChoiceField):
            choices: Any = field.choices
            field.choices = [(v, "Select ..." if v == "" and label == DJANGO_BLANK else label) for v, label in choices]
        if field.error_messages.get("required") == DJANGO_REQUIRED:
            field.error_messages["required"] = _required(field, noun)


def _required(field: forms.Field, noun: str) -> str:
    if isinstance(field, forms.FileField):
        return f"Choose a file: {noun}" if noun else "Choose a file"
    if isinstance(field, forms.BooleanField):
        return f"Tick the box: {noun}" if noun else "Tick the box"
    if isinstance(field, forms.ChoiceField | forms.ModelChoiceField):
        return f"Select {noun}" if noun else "Select an option"
    return f"Enter {noun}" if noun else "Enter a value"


def _style_widget(w: forms.Widget) -> None:
    if isinstance(w, DateInput):
        return
    if isinstance(w, forms.CheckboxSelectMultiple | forms.CheckboxInput):
        w.attrs["class"] = "govuk-checkboxes__input"
    elif isinstance(w, forms.RadioSelect):
        w.attrs["class"] = "govuk-radios__input"
    elif isinstance(w, forms.Textarea):
        w.attrs["class"] = "govuk-textarea"
        w.attrs.setdefault("rows", 4)
    elif isinstance(w, forms.Select):
        w.attrs["class"] = "govuk-select"
    elif isinstance(w, forms.ClearableFileInput | forms.FileInput):
        w.attrs["class"] = "govuk-file-upload"
    elif isinstance(w, forms.NumberInput | forms.DateTimeInput):
        w.attrs["class"] = "govuk-input govuk-input--width-10"
    elif not isinstance(w, forms.HiddenInput):
        w.attrs["class"] = "govuk-input govuk-input--width-20"


class GovukForm(forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.style()

    def style(self) -> None:
        govuk_style(self)


class GovukModelForm(forms.ModelForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.style()

    def style(self) -> None:
        govuk_style(self)
