"""Forms for the audit programme. They work without JavaScript."""

from __future__ import annotations

from typing import Any

from django import forms

from accounts.models import Role, User
from organisation.models import PartnerAgency, Service, Team
from plans.forms import DateInput, GovukForm

from .models import AuditTool, CaseAudit, Grade, GradingScale, RoundKind, ToolSection, ToolUse
from .services import CaseType

AUDITOR_ROLES = (Role.QA_OFFICER, Role.TEAM_MANAGER, Role.HEAD_OF_SERVICE, Role.DIRECTOR)


def auditors() -> Any:
    return User.objects.filter(is_active=True, role__in=AUDITOR_ROLES).order_by("last_name", "first_name", "username")


class UserChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj} ({obj.get_role_display()})"


class UsersChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj} ({obj.get_role_display()})"


class ScaleForm(GovukForm):
    name = forms.CharField(label="Name of the scale", max_length=120)
    grades = forms.CharField(
        label="Grades, best first",
        widget=forms.Textarea,
        help_text="One grade a line, e.g. Outstanding, Good, Requires improvement, Inadequate",
    )

    def labels(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["grades"].splitlines() if line.strip()]


class ToolForm(GovukForm):
    name = forms.CharField(label="Name of the audit tool", max_length=160)
    description = forms.CharField(label="What it is for", widget=forms.Textarea, required=False)
    scale = forms.ModelChoiceField(label="Grading scale", queryset=GradingScale.objects.all())
    use = forms.ChoiceField(label="Used for", choices=ToolUse.choices, widget=forms.RadioSelect, initial=ToolUse.CASE)


class SectionForm(GovukForm):
    title = forms.CharField(label="Section title", max_length=200)


class QuestionForm(GovukForm):
    section = forms.ModelChoiceField(label="Section", queryset=ToolSection.objects.none())
    text = forms.CharField(label="Question", max_length=400)
    guidance = forms.CharField(label="Guidance for the auditor", widget=forms.Textarea, required=False)

    def __init__(self, tool: AuditTool, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["section"].queryset = tool.sections.all()  # type: ignore[attr-defined]


class RoundForm(GovukForm):
    title = forms.CharField(label="Title", max_length=200, help_text="e.g. Casework audit March 2026")
    kind = forms.ChoiceField(label="Kind of audit", choices=RoundKind.choices, widget=forms.RadioSelect)
    tool = forms.ModelChoiceField(label="Audit tool", queryset=AuditTool.objects.filter(active=True, use=ToolUse.CASE))
    due_date = forms.DateField(label="Due date", widget=DateInput())
    theme = forms.CharField(label="Theme", max_length=200, required=False, help_text="For a thematic audit")


class SampleForm(GovukForm):
    team = forms.ModelChoiceField(label="Team", queryset=Team.objects.all(), required=False)
    service = forms.ModelChoiceField(label="Service", queryset=Service.objects.all(), required=False)
    case_type = forms.ChoiceField(
        label="Kind of case", choices=CaseType.choices, required=False, initial="", widget=forms.RadioSelect
    )
    size = forms.IntegerField(label="Number of children to sample", min_value=1, max_value=500)
    auditors = UsersChoice(label="Auditors", queryset=User.objects.none(), widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["auditors"].queryset = auditors()  # type: ignore[attr-defined]
        self.fields["team"].help_text = "Open cases of this team; leave empty for a service or the whole council"
        self.style()


class ReauditForm(GovukForm):
    title = forms.CharField(label="Title of the re-audit", max_length=200)
    due_date = forms.DateField(label="Due date", widget=DateInput())


class ReassignForm(GovukForm):
    auditor = UserChoice(label="Auditor", queryset=User.objects.none())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["auditor"].queryset = auditors()  # type: ignore[attr-defined]


def _grade_field(label: str, grades: list[Grade]) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label, choices=[(str(g.pk), g.label) for g in grades], widget=forms.RadioSelect, required=False
    )


class GradingForm(GovukForm):
    """One grade and comment per question, then the overall grade, summary and themes."""

    def __init__(self, case: CaseAudit, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.grades = list(case.round.tool.scale.grades.all())
        self.by_pk = {str(g.pk): g for g in self.grades}
        answers = {a.question_id: a for a in case.answers.all()}
        self.sections: list[tuple[Any, list[tuple[Any, str, str]]]] = []
        for section in case.round.tool.sections.prefetch_related("questions"):
            rows = []
            for q in section.questions.all():
                g, c = f"q{q.pk}_grade", f"q{q.pk}_comment"
                self.fields[g] = _grade_field(q.text, self.grades)
                self.fields[c] = forms.CharField(label=f"Comment on: {q.text}", widget=forms.Textarea, required=False)
                if q.pk in answers:
                    self.initial[g] = str(answers[q.pk].grade_id or "")
                    self.initial[c] = answers[q.pk].comment
                rows.append((q, g, c))
            self.sections.append((section, rows))
        self.fields["overall"] = _grade_field("Overall grade", self.grades)
        self.fields["summary"] = forms.CharField(label="Summary of findings", widget=forms.Textarea, required=False)
        self.fields["themes"] = forms.CharField(
            label="Themes and learning",
            required=False,
            max_length=400,
            help_text="Separate themes with commas, e.g. voice of the child, management oversight",
        )
        self.initial.update(overall=str(case.auditor_grade_id or ""), summary=case.summary, themes=case.themes)
        self.style()
        for name, field in self.fields.items():
            if name.endswith("_comment"):
                field.widget.attrs["rows"] = 2

    def grade(self, name: str) -> Grade | None:
        return self.by_pk.get(self.cleaned_data.get(name) or "")

    def answers(self) -> dict[int, tuple[Grade | None, str]]:
        result = {}
        for _, rows in self.sections:
            for q, g, c in rows:
                result[q.pk] = (self.grade(g), self.cleaned_data.get(c) or "")
        return result

    def rows(self) -> list[tuple[Any, list[tuple[Any, Any, Any]]]]:
        """For the template: each section with its questions and their bound fields."""
        return [(s, [(q, self[g], self[c]) for q, g, c in rows]) for s, rows in self.sections]


class ModerationForm(GovukForm):
    grade = forms.ChoiceField(label="Agreed grade", choices=[], widget=forms.RadioSelect)
    reason = forms.CharField(label="Reason", widget=forms.Textarea, help_text="Why you agree or change the grade")

    def __init__(self, case: CaseAudit, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.by_pk = {str(g.pk): g for g in case.round.tool.scale.grades.all()}
        self.fields["grade"].choices = [(k, g.label) for k, g in self.by_pk.items()]  # type: ignore[attr-defined]
        self.initial["grade"] = str(case.agreed_grade_id or "")


class ActionForm(GovukForm):
    text = forms.CharField(label="Action", max_length=400)
    owner = forms.CharField(label="Owner", max_length=120, help_text="Who will do it")
    due_date = forms.DateField(label="Due date", widget=DateInput())


class Section11ScheduleForm(GovukForm):
    agency = forms.ModelChoiceField(label="Agency", queryset=PartnerAgency.objects.all())
    tool = forms.ModelChoiceField(
        label="Section 11 tool", queryset=AuditTool.objects.filter(active=True, use=ToolUse.SECTION11)
    )
    due_date = forms.DateField(label="Due date", widget=DateInput())


class Section11Form(GovukForm):
    """The agency's rating and evidence against each standard."""

    def __init__(self, assessment: Any, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.by_pk = {str(g.pk): g for g in assessment.tool.scale.grades.all()}
        grades = list(self.by_pk.values())
        ratings = {r.question_id: r for r in assessment.ratings.all()}
        self.standards: list[tuple[Any, str, str]] = []
        for section in assessment.tool.sections.prefetch_related("questions"):
            for q in section.questions.all():
                g, e = f"s{q.pk}_grade", f"s{q.pk}_evidence"
                self.fields[g] = _grade_field(q.text, grades)
                self.fields[e] = forms.CharField(label=f"Evidence: {q.text}", widget=forms.Textarea, required=False)
                if q.pk in ratings:
                    self.initial[g] = str(ratings[q.pk].grade_id or "")
                    self.initial[e] = ratings[q.pk].evidence
                self.standards.append((q, g, e))
        self.style()

    def rows(self) -> list[tuple[Any, Any, Any]]:
        return [(q, self[g], self[e]) for q, g, e in self.standards]

    def ratings(self) -> dict[int, tuple[Grade | None, str]]:
        return {
            q.pk: (self.by_pk.get(self.cleaned_data.get(g) or ""), self.cleaned_data.get(e) or "")
            for q, g, e in self.standards
        }


class ScrutinyForm(GovukForm):
    scrutinised_on = forms.DateField(label="Date of the Section 11 panel", widget=DateInput())
    notes = forms.CharField(label="What the panel found", widget=forms.Textarea, required=False)
