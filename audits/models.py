"""Quality assurance: audit tools, the audit programme, case audits, moderation and
actions arising.

A grading scale (the council's own, e.g. Outstanding / Good / Requires improvement /
Inadequate) has grades ranked best first. An audit tool has sections of questions,
each graded on the tool's scale, plus an overall grade. An audit round (monthly
casework, thematic, multi-agency, deep dive) uses one tool, has a due date and may be
the re-audit of a baseline round. Each sampled child is one CaseAudit with its
auditor; each question's grade and comment is an Answer; the auditor's overall grade
stays as given, and moderation (a second person) sets the agreed grade with a
reason, each decision kept as a Moderation row. Actions arising have an owner, a due
date and the day they were done.

Every view and change of a case audit is written to the audit log by the views
(audit.services.record), like other pages about a child."""

import datetime as dt

from django.conf import settings
from django.db import models


def theme_tags(text: str) -> list[str]:
    """Themes from comma-separated text, each once (ignoring case), as first written."""
    tags: dict[str, str] = {}
    for tag in (t.strip() for t in text.split(",")):
        if tag:
            tags.setdefault(tag.lower(), tag)
    return list(tags.values())


class GradingScale(models.Model):
    name = models.CharField(max_length=120, unique=True)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Grade(models.Model):
    """One point of a scale. rank 1 is the best; a higher rank is worse."""

    scale = models.ForeignKey(GradingScale, on_delete=models.CASCADE, related_name="grades")
    label = models.CharField(max_length=60)
    rank = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["scale", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["scale", "rank"], name="audits_grade_unique_rank"),
            models.UniqueConstraint(fields=["scale", "label"], name="audits_grade_unique_label"),
        ]

    def __str__(self) -> str:
        return self.label


class ToolUse(models.TextChoices):
    CASE = "case", "Case audits (rounds)"
    SECTION11 = "section11", "Section 11 self-assessments"


class AuditTool(models.Model):
    name = models.CharField(max_length=160, unique=True)
    use = models.CharField(max_length=10, choices=ToolUse.choices, default=ToolUse.CASE)
    description = models.TextField(blank=True)
    scale = models.ForeignKey(GradingScale, on_delete=models.PROTECT, related_name="tools")
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ToolSection(models.Model):
    tool = models.ForeignKey(AuditTool, on_delete=models.CASCADE, related_name="sections")
    order = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=200)

    class Meta:
        ordering = ["tool", "order", "pk"]

    def __str__(self) -> str:
        return self.title


class Question(models.Model):
    section = models.ForeignKey(ToolSection, on_delete=models.CASCADE, related_name="questions")
    order = models.PositiveSmallIntegerField()
    text = models.CharField(max_length=400)
    guidance = models.TextField(blank=True, help_text="what the auditor looks for")

    class Meta:
        ordering = ["section__order", "order", "pk"]

    def __str__(self) -> str:
        return self.text


class RoundKind(models.TextChoices):
    CASEWORK = "casework", "Monthly casework audit"
    THEMATIC = "thematic", "Thematic audit"
    MULTI_AGENCY = "multi_agency", "Multi-agency audit"
    DEEP_DIVE = "deep_dive", "Deep dive"


class AuditRound(models.Model):
    title = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=20, choices=RoundKind.choices)
    tool = models.ForeignKey(AuditTool, on_delete=models.PROTECT, related_name="rounds")
    due_date = models.DateField()
    theme = models.CharField(max_length=200, blank=True, help_text="for a thematic or multi-agency audit")
    baseline = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reaudits",
        help_text="the round this one re-audits (same children)",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-due_date", "-pk"]

    def __str__(self) -> str:
        return self.title


class CaseAudit(models.Model):
    """One child's audit in a round. practitioner and manager are the register's
    allocated worker and that worker's team manager when the child was sampled;
    their names are kept as text so the record reads the same after staff leave."""

    class Status(models.TextChoices):
        ASSIGNED = "assigned", "Not started"
        IN_PROGRESS = "in_progress", "In progress"
        COMPLETED = "completed", "Completed"

    round = models.ForeignKey(AuditRound, on_delete=models.CASCADE, related_name="case_audits")
    child = models.ForeignKey("children.Child", on_delete=models.PROTECT, related_name="case_audits")
    auditor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="case_audits")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.ASSIGNED)
    team = models.ForeignKey("organisation.Team", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    practitioner = models.ForeignKey(
        "organisation.Worker", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    practitioner_name = models.CharField(max_length=120, blank=True)
    manager = models.ForeignKey(
        "organisation.Worker", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    manager_name = models.CharField(max_length=120, blank=True)
    auditor_grade = models.ForeignKey(Grade, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    agreed_grade = models.ForeignKey(
        Grade,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="the grade after moderation; the auditor's grade until moderated",
    )
    summary = models.TextField(blank=True)
    themes = models.CharField(max_length=400, blank=True, help_text="learning themes, separated by commas")
    completed_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["round", "child__last_name", "child__first_name", "pk"]
        constraints = [models.UniqueConstraint(fields=["round", "child"], name="audits_one_audit_per_child")]
        indexes = [models.Index(fields=["auditor", "status"])]

    def __str__(self) -> str:
        return f"{self.round} – {self.child.la_child_id}"

    @property
    def moderated(self) -> bool:
        return self.moderations.exists()

    def theme_list(self) -> list[str]:
        return theme_tags(self.themes)


class Answer(models.Model):
    case_audit = models.ForeignKey(CaseAudit, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers")
    grade = models.ForeignKey(Grade, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    comment = models.TextField(blank=True)

    class Meta:
        ordering = ["question__section__order", "question__order", "pk"]
        constraints = [models.UniqueConstraint(fields=["case_audit", "question"], name="audits_one_answer")]


class Moderation(models.Model):
    case_audit = models.ForeignKey(CaseAudit, on_delete=models.CASCADE, related_name="moderations")
    moderator = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    grade_before = models.ForeignKey(Grade, on_delete=models.PROTECT, related_name="+")
    grade = models.ForeignKey(Grade, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField()
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "pk"]

    @property
    def agreed(self) -> bool:
        return self.grade_before_id == self.grade_id


class AuditAction(models.Model):
    """An action arising from a case audit, tracked to completion."""

    case_audit = models.ForeignKey(CaseAudit, on_delete=models.CASCADE, related_name="actions")
    text = models.CharField(max_length=400)
    owner = models.CharField(max_length=120)
    due_date = models.DateField()
    done_date = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["done_date", "due_date", "pk"]

    def __str__(self) -> str:
        return self.text


class Section11Assessment(models.Model):
    """A partner agency's Section 11 self-assessment (Children Act 2004) against the
    standards of a Section 11 tool (its questions), on the partnership's rolling
    schedule: submitted by the agency, then scrutinised at a panel. No child data."""

    agency = models.ForeignKey("organisation.PartnerAgency", on_delete=models.PROTECT, related_name="section11")
    tool = models.ForeignKey(AuditTool, on_delete=models.PROTECT, related_name="section11")
    due_date = models.DateField()
    submitted_on = models.DateField(null=True, blank=True)
    scrutinised_on = models.DateField(null=True, blank=True, help_text="the Section 11 panel")
    panel_notes = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["due_date", "agency__name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "due_date"], name="audits_s11_one_per_agency_and_date")
        ]

    def __str__(self) -> str:
        return f"Section 11: {self.agency} due {self.due_date:%d %b %Y}"

    def status(self, today: dt.date) -> str:
        if self.scrutinised_on:
            return "Scrutinised"
        if self.submitted_on:
            return "Submitted, awaiting panel"
        return "Overdue" if self.due_date < today else "Due"


class Section11Rating(models.Model):
    assessment = models.ForeignKey(Section11Assessment, on_delete=models.CASCADE, related_name="ratings")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="+")
    grade = models.ForeignKey(Grade, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    evidence = models.TextField(blank=True)

    class Meta:
        ordering = ["question__section__order", "question__order", "pk"]
        constraints = [models.UniqueConstraint(fields=["assessment", "question"], name="audits_s11_one_rating")]


class Section11Action(models.Model):
    """An action the panel agreed with the agency, reviewed at the next submission."""

    assessment = models.ForeignKey(Section11Assessment, on_delete=models.CASCADE, related_name="actions")
    text = models.CharField(max_length=400)
    owner = models.CharField(max_length=120)
    due_date = models.DateField()
    done_date = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["done_date", "due_date", "pk"]
