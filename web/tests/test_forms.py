"""The shared GOV.UK form helpers (web/forms.py, templates/_field.html): the ``--error``
modifier on the input itself, and hint and error ids that Django's aria-describedby names."""

import re

import pytest
from django import forms
from django.template.loader import render_to_string

from web.forms import GovukForm


class Sample(GovukForm):
    name = forms.CharField(label="Child's name", help_text="As on the register")
    team = forms.ChoiceField(label="Team", choices=[("", "---------"), ("e", "East")])
    notes = forms.CharField(label="Notes", widget=forms.Textarea)
    due = forms.DateField(label="Due date")
    agreed = forms.BooleanField(label="Agreed")


def _field_html(form: forms.Form, name: str) -> str:
    return render_to_string("_field.html", {"field": form[name]})


def _input_classes(html: str, tag: str, ident: str) -> set[str]:
    found = re.search(rf'<{tag}[^>]*id="{ident}"[^>]*>', html)
    assert found, html
    classes = re.search(r'class="([^"]*)"', found.group(0))
    return set(classes.group(1).split()) if classes else set()


def test_a_field_in_error_has_the_error_modifier_on_its_input():
    form = Sample(data={"due_day": "31", "due_month": "2", "due_year": "2025"})
    assert not form.is_valid()
    assert "govuk-input--error" in _input_classes(_field_html(form, "name"), "input", "id_name")
    assert "govuk-select--error" in _input_classes(_field_html(form, "team"), "select", "id_team")
    assert "govuk-textarea--error" in _input_classes(_field_html(form, "notes"), "textarea", "id_notes")
    date_html = _field_html(form, "due")
    for box in ("id_due", "id_due_month", "id_due_year"):
        classes = _input_classes(date_html, "input", box)
        assert {"govuk-date-input__input", "govuk-input--error"} <= classes


def test_a_field_without_errors_has_no_error_modifier():
    form = Sample(data={"name": "Sam", "team": "e", "notes": "x", "due": "2025-02-28", "agreed": "on"})
    assert form.is_valid(), form.errors
    html = "".join(_field_html(form, n) for n in ("name", "team", "notes", "due"))
    assert "--error" not in html and "aria-invalid" not in html


@pytest.mark.parametrize("name", ["name", "team", "notes", "agreed"])
def test_aria_describedby_names_ids_that_are_on_the_page(name):
    form = Sample(data={})
    assert not form.is_valid()
    html = _field_html(form, name)
    described = re.search(r'aria-describedby="([^"]*)"', html)
    assert described, html
    for ident in described.group(1).split():
        assert f'id="{ident}"' in html, (ident, html)


def test_the_date_fieldset_is_described_by_its_error():
    form = Sample(data={"due_day": "x"})
    assert not form.is_valid()
    html = _field_html(form, "due")
    assert 'aria-describedby="id_due_error"' in html and 'id="id_due_error"' in html
    assert "Due date must be a real date" in html
