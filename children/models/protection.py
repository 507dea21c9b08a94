from django.db import models


class CategoryOfAbuse(models.TextChoices):
    # CIN census codes; MUL is "multiple" (two or more categories).
    NEGLECT = "NEG", "Neglect"
    PHYSICAL = "PHY", "Physical abuse"
    SEXUAL = "SAB", "Sexual abuse"
    EMOTIONAL = "EMO", "Emotional abuse"
    MULTIPLE = "MUL", "Multiple"


class ChildProtectionPlan(models.Model):
    """CIN <ChildProtectionPlans>, Annex A List 7.

    categories holds the full combination (e.g. "EMO,NEG") so that seed 001
    Figure 12's twelve combinations can be counted; initial_category is the
    census code (MUL when more than one)."""

    referral = models.ForeignKey("children.Referral", on_delete=models.CASCADE, related_name="cp_plans")
    child = models.ForeignKey("children.Child", on_delete=models.CASCADE, related_name="cp_plans")
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)
    initial_category = models.CharField(max_length=3, choices=CategoryOfAbuse.choices)
    latest_category = models.CharField(max_length=3, choices=CategoryOfAbuse.choices, blank=True)
    categories = models.CharField(max_length=20, blank=True, help_text="comma-separated codes")
    number_of_previous_plans = models.PositiveSmallIntegerField(null=True, blank=True)
    has_contingency_plan = models.BooleanField(default=True)
    emergency_protection_recent = models.BooleanField(
        null=True,
        blank=True,
        help_text="Annex A List 7 'Subject to Emergency Protection Order or Protected Under Police Powers "
        "in Last Six Months (Y/N)', as at the extract",
    )
    # Annex A List 7 'Allocated Team' / 'Allocated Worker'.
    team = models.ForeignKey("organisation.Team", null=True, blank=True, on_delete=models.SET_NULL)
    worker = models.ForeignKey("organisation.Worker", null=True, blank=True, on_delete=models.SET_NULL)

    class Meta:
        ordering = ["start_date", "pk"]
        indexes = [models.Index(fields=["start_date"]), models.Index(fields=["end_date"])]


class ConferenceKind(models.TextChoices):
    INITIAL = "initial", "Initial child protection conference"
    REVIEW = "review", "Review child protection conference"


class ChildProtectionConference(models.Model):
    """An ICPC (linked to its section 47) or a review conference (linked to its plan;
    CIN <CPPreviewDate>)."""

    Kind = ConferenceKind
    child = models.ForeignKey("children.Child", on_delete=models.CASCADE, related_name="conferences")
    kind = models.CharField(max_length=10, choices=ConferenceKind.choices)
    conference_date = models.DateField()
    section47 = models.ForeignKey(
        "children.Section47Enquiry",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="conferences",
    )
    plan = models.ForeignKey(
        ChildProtectionPlan, null=True, blank=True, on_delete=models.CASCADE, related_name="conferences"
    )
    plan_made = models.BooleanField(default=True, help_text="for an ICPC: did it make a plan")

    class Meta:
        ordering = ["conference_date", "pk"]


class CoreGroupMeeting(models.Model):
    plan = models.ForeignKey(ChildProtectionPlan, on_delete=models.CASCADE, related_name="core_groups")
    meeting_date = models.DateField()

    class Meta:
        ordering = ["meeting_date", "pk"]
