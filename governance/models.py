"""The council's retention schedule (issue 16 point 4, decision 0031)."""

from django.db import models


class RecordKind(models.TextChoices):
    """What a child's record is, for how long it is kept: the longest that applies wins."""

    ADOPTED = "adopted", "Adopted child's case record"
    LOOKED_AFTER = "looked_after", "Looked-after child's case record"
    CHILD_IN_NEED = "child_in_need", "Child in need or child protection record (never looked after)"


class Anchor(models.TextChoices):
    BIRTH = "birth", "the child's date of birth"
    ADOPTION_ORDER = "adoption_order", "the adoption order"
    LAST_ACTIVITY = "last_activity", "the last activity on the record"


class RetentionRule(models.Model):
    kind = models.CharField(max_length=20, choices=RecordKind.choices, unique=True)
    years = models.PositiveSmallIntegerField()
    counted_from = models.CharField(max_length=20, choices=Anchor.choices)
    source = models.CharField(max_length=300, help_text="The regulation or the council's own decision")

    class Meta:
        ordering = ["kind"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.years} years from {self.get_counted_from_display()}"
