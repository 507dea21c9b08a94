"""Prospective adopters: Annex A List 11.

Adopters are adults, not children, so they sit outside the child scope rules
(children.selectors): only the adoption service should see them."""

from django.db import models

from .child import Sex


class AdopterLeavingReason(models.TextChoices):
    WITHDREW = "withdrew", "Adopter withdrew from process"
    ON_HOLD = "on_hold", "Process put on hold"
    REFUSED = "refused", "Application refused"


class Adopter(models.Model):
    """An individual who contacted the council's adoption agency (one row per
    adopter; a couple share family_id, which AdoptionMilestone.adoptive_family_id
    matches)."""

    adopter_id = models.CharField("individual adopter identifier", max_length=36, unique=True)
    family_id = models.CharField("family identifier", max_length=36, blank=True)
    sex = models.CharField(max_length=1, choices=Sex.choices, default=Sex.UNKNOWN)
    ethnicity = models.CharField(max_length=4, blank=True, help_text="DfE ethnicity code, e.g. WBRI")
    has_disability = models.BooleanField(null=True, blank=True)
    fostering_for_adoption = models.BooleanField(
        null=True, blank=True, help_text="'Is the (prospective) adopter fostering for adoption?'"
    )
    enquiry_date = models.DateField(null=True, blank=True)
    stage1_start_date = models.DateField(null=True, blank=True)
    stage1_end_date = models.DateField(null=True, blank=True)
    stage2_start_date = models.DateField(null=True, blank=True)
    stage2_end_date = models.DateField(null=True, blank=True)
    application_date = models.DateField("application submitted", null=True, blank=True)
    approval_date = models.DateField("application approved", null=True, blank=True)
    matched_date = models.DateField("matched with child(ren)", null=True, blank=True)
    placed_date = models.DateField("child(ren) placed", null=True, blank=True)
    children_placed = models.PositiveSmallIntegerField(null=True, blank=True)
    adoption_order_date = models.DateField(null=True, blank=True)
    left_process_date = models.DateField(null=True, blank=True)
    left_process_reason = models.CharField(max_length=10, blank=True, choices=AdopterLeavingReason.choices)

    class Meta:
        ordering = ["enquiry_date", "pk"]

    def __str__(self) -> str:
        return self.adopter_id
