from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models


class CareLeaverContact(models.Model):
    """903 OC3, measured around the young person's 17th to 21st birthdays, and
    Annex A List 9 (LA in touch, latest contact, accommodation, activity)."""

    child = models.ForeignKey("children.Child", on_delete=models.CASCADE, related_name="care_leaver_contacts")
    contact_date = models.DateField(null=True, blank=True, help_text="Annex A List 9 'Latest Date of Contact'")
    year_ending = models.DateField(
        null=True, blank=True, help_text="31 March of the 903 collection year an OC3 row was returned in"
    )
    in_touch = models.CharField(max_length=4, help_text="903 IN_TOUCH: YES, NO, DIED, REFU, NREQ, RHOM")
    activity = models.CharField(max_length=2, blank=True, help_text="903 ACTIV: F1, P1, F2, ... G6")
    accommodation = models.CharField(
        max_length=2,
        blank=True,
        help_text="903 ACCOM: type letter (B..Z) then suitability, 1 suitable or 2 not, e.g. U1",
    )

    class Meta:
        ordering = ["contact_date", "pk"]


class PathwayPlan(models.Model):
    child = models.ForeignKey("children.Child", on_delete=models.CASCADE, related_name="pathway_plans")
    plan_date = models.DateField(help_text="date the plan was made or last reviewed")
    personal_adviser = models.CharField(max_length=120, blank=True)

    class Meta:
        ordering = ["plan_date", "pk"]


class CareProceedings(models.Model):
    child = models.ForeignKey("children.Child", on_delete=models.CASCADE, related_name="proceedings")
    pre_proceedings_start = models.DateField("PLO pre-proceedings started", null=True, blank=True)
    issued_date = models.DateField(null=True, blank=True)
    concluded_date = models.DateField(null=True, blank=True)
    order = models.CharField(max_length=40, blank=True, help_text="final order, e.g. care order, SGO")

    class Meta:
        ordering = ["issued_date", "pk"]
        verbose_name_plural = "care proceedings"


class CareProceedingsExtension(models.Model):
    """A court's extension of the 26-week limit under Children Act 1989 s. 32(5): each ends no
    more than 8 weeks after the limit it extends (s. 32(8)), so the deadline moves by `weeks`."""

    proceedings = models.ForeignKey(CareProceedings, on_delete=models.CASCADE, related_name="extensions")
    granted_on = models.DateField("date the court granted the extension")
    weeks = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(8)])
    reason = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["granted_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(weeks__gte=1, weeks__lte=8), name="proceedings_extension_up_to_8_weeks"
            )
        ]


class PermanencePlanType(models.TextChoices):
    RETURN_HOME = "return_home", "Return home"
    SPECIAL_GUARDIANSHIP = "sgo", "Special guardianship"
    CHILD_ARRANGEMENTS = "cao", "Child arrangements order"
    ADOPTION = "adoption", "Adoption"
    LONG_TERM_FOSTERING = "ltf", "Long-term fostering"
    SGO_OR_CAO = "sgo_cao", "Special guardianship or child arrangements order"
    SUPPORTED_LIVING = "supported_living", "Supported living in the community"
    RESIDENTIAL = "residential", "Long-term residential placement"
    OTHER = "other", "Other"


class PermanencePlan(models.Model):
    """Permanence decided at the second looked-after review; Plan B is the contingency (002).
    Annex A List 8 'What is the permanence plan for this child?'."""

    child = models.ForeignKey("children.Child", on_delete=models.CASCADE, related_name="permanence_plans")
    decided_date = models.DateField()
    plan_type = models.CharField(max_length=20, choices=PermanencePlanType.choices)
    contingency = models.CharField("contingency plan (Plan B)", max_length=200, blank=True)
    achieved_date = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["decided_date", "pk"]


class AdoptionMilestone(models.Model):
    """903 AD1 plus the placement order date the A2 measure needs, and Annex A List 10."""

    child = models.OneToOneField("children.Child", on_delete=models.CASCADE, related_name="adoption")
    entered_care_date = models.DateField(
        null=True, blank=True, help_text="Annex A List 10 'Date the Child Entered Care' (else from episodes)"
    )
    decision_date = models.DateField("should be placed for adoption (DATE_INT)", null=True, blank=True)
    placement_order_date = models.DateField(null=True, blank=True)
    match_date = models.DateField("matched (DATE_MATCH)", null=True, blank=True)
    foster_carer_adoption = models.BooleanField("FOSTER_CARE", null=True, blank=True)
    number_of_adopters = models.PositiveSmallIntegerField("NB_ADOPTR", null=True, blank=True)
    sex_of_adopters = models.CharField("SEX_ADOPTR", max_length=2, blank=True)
    legal_status_of_adopters = models.CharField("LS_ADOPTR", max_length=3, blank=True)
    adoption_order_date = models.DateField(null=True, blank=True, help_text="Annex A List 10 'Date of Adoption Order'")
    decision_reversed_date = models.DateField(
        null=True,
        blank=True,
        help_text="Annex A List 10 'Date of Decision that Child Should No Longer be Placed for Adoption'",
    )
    decision_reversed_reason = models.CharField(
        max_length=3, blank=True, help_text="Annex A List 10 reason no longer placed for adoption: RD1..RD4"
    )
    ffa_placement_date = models.DateField(
        null=True,
        blank=True,
        help_text="Annex A List 10 'Date the child was placed for fostering in FFA or concurrent planning placement'",
    )
    adoptive_family_id = models.CharField(
        max_length=36,
        blank=True,
        help_text="Annex A List 10 'Family identifier': the adoptive family, matching Adopter.family_id",
    )


class PlacedForAdoption(models.Model):
    """903 PlacedAdoption (DATE_PLACED, DATE_PLACED_CEASED, REASON_PLACED_CEASED);
    Annex A List 10 'Date Placed for Adoption'."""

    child = models.ForeignKey("children.Child", on_delete=models.CASCADE, related_name="placed_for_adoption")
    date_placed = models.DateField()
    date_ceased = models.DateField(null=True, blank=True)
    reason_ceased = models.CharField(max_length=3, blank=True)


class PreviousPermanence(models.Model):
    """903 PrevPerm."""

    child = models.OneToOneField("children.Child", on_delete=models.CASCADE, related_name="previous_permanence")
    previous_permanence = models.CharField("PREV_PERM", max_length=2, blank=True)
    la_code = models.CharField("LA_PERM", max_length=3, blank=True)
    date_raw = models.CharField("DATE_PERM as given (may be partial)", max_length=10, blank=True)
