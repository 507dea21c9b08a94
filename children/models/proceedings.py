"""Pre-proceedings under the Public Law Outline, with family group decision making.

Serves the CIN census <PreProceedingsandFGDM> block from 2026-27 (no 2026-27
schema is in data/samples yet: docs/register-mapping.md lists the element names
to confirm) and the SSD pre_proceedings table."""

from django.db import models


class PreProceedingsOutcome(models.TextChoices):
    ISSUE = "issue", "Decision to issue care proceedings"
    STEP_DOWN = "step_down", "Decision to step down"


class PreProceedings(models.Model):
    child = models.ForeignKey("children.Child", on_delete=models.CASCADE, related_name="pre_proceedings")
    referral = models.ForeignKey(
        "children.Referral",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="pre_proceedings",
        help_text="the CIN episode (CINdetails) it is returned under",
    )
    decision_date = models.DateField(
        null=True, blank=True, help_text="legal gateway / panel agreed to enter pre-proceedings (SSD PREP003A)"
    )
    letter_date = models.DateField(
        null=True, blank=True, help_text="pre-proceedings letter and plan sent to parents: the start (SSD PREP011A)"
    )
    initial_meeting_date = models.DateField(null=True, blank=True, help_text="SSD PREP004A")
    end_date = models.DateField(
        null=True, blank=True, help_text="agreed to step down or issue care proceedings (SSD PREP006A)"
    )
    outcome = models.CharField(max_length=10, blank=True, choices=PreProceedingsOutcome.choices)
    fgdm_offered = models.BooleanField("family group decision making offered", null=True, blank=True)
    fgdm_offered_date = models.DateField(null=True, blank=True)
    fgdm_meeting_date = models.DateField("family group decision making meeting held", null=True, blank=True)
    proceedings = models.ForeignKey(
        "children.CareProceedings",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="pre_proceedings",
        help_text="the care proceedings issued, if any",
    )

    class Meta:
        ordering = ["decision_date", "pk"]
        verbose_name_plural = "pre-proceedings"
