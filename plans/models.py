"""Improvement plans: a plan has themes (areas, recommendations, points), each
with actions; an action has milestones, leads, progress notes, evidence and a
RAG status whose every change is kept (RagChange).

Plans hold no child-level personal data. Edits are audited with
audit.services.record; the RAG history is its own table so that "what did the
board see in March?" is one query."""

from django.conf import settings
from django.db import models

# The fields a plan's columns can show, with the label used when the plan names none.
FIELDS = {
    "ref": "Ref",
    "summary": "Action",
    "outcomes": "Outcomes sought",
    "evidence_base": "Evidence base for improvement",
    "future_ambition": "Future ambition",
    "milestones": "Milestones",
    "leads": "Lead",
    "end_date": "End date",
    "progress": "Key points to note",
    "rag": "RAG",
}
DEFAULT_COLUMNS = ["ref", "summary", "outcomes", "milestones", "leads", "end_date", "progress", "rag"]


class Rag(models.TextChoices):
    RED = "red", "Red"
    AMBER = "amber", "Amber"
    GREEN = "green", "Green"
    BLUE = "blue", "Blue (complete)"


RAG_ORDER = [Rag.RED, Rag.AMBER, Rag.GREEN, Rag.BLUE]


class RagThresholds(models.Model):
    """The council's thresholds for proposing a RAG (one row; the latest is used)."""

    amber_due_days = models.PositiveSmallIntegerField(
        default=14, help_text="amber when a milestone is due within this many days ..."
    )
    stale_note_days = models.PositiveSmallIntegerField(
        default=30, help_text="... and no progress note has been written in this many days"
    )
    changed_at = models.DateTimeField(auto_now=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-changed_at", "-pk"]
        verbose_name_plural = "RAG thresholds"


class Plan(models.Model):
    title = models.CharField(max_length=200, unique=True)
    description = models.TextField(blank=True)
    theme_label = models.CharField(
        max_length=40, default="Theme", help_text="what the plan calls its parts: Area, Theme, Recommendation ..."
    )
    columns = models.JSONField(default=list, blank=True, help_text="the plan's columns, in order (keys of FIELDS)")
    labels = models.JSONField(default=dict, blank=True, help_text="the plan's own name for each column")
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)
    closed = models.BooleanField(default=False)
    source = models.CharField(max_length=200, blank=True, help_text="the spreadsheet it was imported from")
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title

    def shown_columns(self) -> list[str]:
        return [c for c in (self.columns or DEFAULT_COLUMNS) if c in FIELDS]

    def label(self, key: str) -> str:
        return (self.labels or {}).get(key) or FIELDS[key]


class PlanRole(models.Model):
    class Kind(models.TextChoices):
        OWNER = "owner", "Owner"
        VIEWER = "viewer", "Viewer"

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="roles")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="plan_roles")
    kind = models.CharField(max_length=10, choices=Kind.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["plan", "user"], name="one_role_per_plan_user")]


class Theme(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="themes")
    number = models.CharField(max_length=20, blank=True)
    title = models.TextField()
    description = models.TextField(blank=True)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["plan", "order", "pk"]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}" if self.number else self.title


class PlanMeasure(models.Model):
    """A headline measure of the plan (seed 002's key performance obsessions): an indicator code."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="measures")
    indicator = models.CharField(max_length=20)
    note = models.CharField(max_length=200, blank=True)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["plan", "order", "pk"]
        constraints = [models.UniqueConstraint(fields=["plan", "indicator"], name="one_measure_per_indicator")]


class Action(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="actions")
    theme = models.ForeignKey(Theme, on_delete=models.CASCADE, related_name="actions")
    ref = models.CharField(max_length=20)
    order = models.PositiveIntegerField(default=0)
    summary = models.TextField()
    outcomes = models.TextField(blank=True)
    evidence_base = models.TextField(blank=True)
    future_ambition = models.TextField(blank=True)
    end_date = models.DateField(null=True, blank=True)
    end_text = models.CharField(max_length=200, blank=True, help_text="the end date as the plan words it")
    complete = models.BooleanField(default=False)
    completed_on = models.DateField(null=True, blank=True)
    rag = models.CharField(max_length=10, choices=Rag.choices, blank=True)
    rag_reason = models.TextField(blank=True)
    rag_at = models.DateTimeField(null=True, blank=True)
    rag_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["plan", "theme__order", "order", "pk"]
        constraints = [models.UniqueConstraint(fields=["plan", "ref"], name="unique_action_ref")]
        indexes = [models.Index(fields=["end_date"])]

    def __str__(self) -> str:
        return f"{self.ref} {self.summary[:60]}"


class ActionLead(models.Model):
    """A lead as the plan names them; linked to a user when they have one."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="leads")
    name = models.CharField(max_length=200)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="plan_leads"
    )
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["action", "order", "pk"]

    def __str__(self) -> str:
        return self.name


class Milestone(models.Model):
    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="milestones")
    text = models.TextField()
    due_date = models.DateField(null=True, blank=True)
    due_text = models.CharField(max_length=100, blank=True, help_text="the date as the plan words it")
    done_on = models.DateField(null=True, blank=True)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["action", "order", "pk"]

    def __str__(self) -> str:
        return self.text


class ProgressNote(models.Model):
    """A "key point to note": what has happened, written by a lead."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="notes")
    text = models.TextField()
    written_on = models.DateField()
    written_at = models.DateTimeField(auto_now_add=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    imported = models.BooleanField(default=False)

    class Meta:
        ordering = ["action", "-written_on", "-pk"]


class RagChange(models.Model):
    """Every change (or confirmation) of an action's RAG: who, when, why, and what the system proposed."""

    class Kind(models.TextChoices):
        IMPORTED = "imported", "Imported"
        CONFIRMED = "confirmed", "Confirmed the proposal"
        OVERRIDDEN = "overridden", "Overrode the proposal"

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="rag_changes")
    rag = models.CharField(max_length=10, choices=Rag.choices, blank=True)
    previous = models.CharField(max_length=10, choices=Rag.choices, blank=True)
    proposed = models.CharField(max_length=10, choices=Rag.choices, blank=True)
    proposal_reason = models.TextField(blank=True)
    kind = models.CharField(max_length=12, choices=Kind.choices)
    reason = models.TextField()
    at = models.DateTimeField(db_index=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["action", "at"])]


class Evidence(models.Model):
    """What evidences an action: an indicator (code), an audit (title, date, grading or
    outcome, link) or a document (title and link, or an uploaded file). Audits are
    generic until the audits app exists."""

    class Kind(models.TextChoices):
        INDICATOR = "indicator", "Performance indicator"
        AUDIT = "audit", "Audit"
        DOCUMENT = "document", "Document"

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="evidence")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    indicator = models.CharField(max_length=20, blank=True)
    title = models.CharField(max_length=200, blank=True)
    url = models.URLField(max_length=500, blank=True)
    file = models.FileField(upload_to="plans/evidence/%Y/%m/", blank=True)
    dated = models.DateField(null=True, blank=True)
    outcome = models.CharField(max_length=300, blank=True, help_text="an audit's grading or outcome")
    note = models.TextField(blank=True)
    added_at = models.DateTimeField(auto_now_add=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["action", "kind", "-dated", "pk"]
        verbose_name_plural = "evidence"


class BoardReport(models.Model):
    """Each board report produced: "what changed since the last report" starts from here."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="reports")
    produced_at = models.DateTimeField(db_index=True)
    produced_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    fmt = models.CharField(max_length=10)

    class Meta:
        ordering = ["-produced_at", "-pk"]


class PlanImport(models.Model):
    """One spreadsheet on its way in: uploaded, mapped, previewed, then committed (or not)."""

    class Status(models.TextChoices):
        UPLOADED = "uploaded", "Uploaded"
        COMMITTED = "committed", "Imported"
        FAILED = "failed", "Failed"

    filename = models.CharField(max_length=200)
    content = models.BinaryField()
    sheet = models.CharField(max_length=100, blank=True)
    header_row = models.PositiveIntegerField(default=0)
    mapping = models.JSONField(default=dict, blank=True)
    title = models.CharField(max_length=200, blank=True)
    theme_label = models.CharField(max_length=40, default="Theme")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.UPLOADED)
    plan = models.ForeignKey(Plan, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    message = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
