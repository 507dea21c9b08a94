from django.db import models


class PlacementRegulation(models.TextChoices):
    """How a placement was made, where that tightens the visits (CPPCR reg. 28(3) and (4)). No return
    carries it, so it is recorded by hand on the child's page (decision 0022)."""

    REG_19 = "reg19", "Placed with a parent before the assessment was complete (regulation 19)"
    REG_24 = "reg24", "Placed with a connected person approved temporarily (regulation 24)"


class LookedAfterEpisode(models.Model):
    """An SSDA903 episode: a period with one legal status and one placement.
    A new episode starts whenever either changes (RNE says why)."""

    child = models.ForeignKey("children.Child", on_delete=models.CASCADE, related_name="episodes")
    start_date = models.DateField(help_text="903 DECOM")
    reason_new_episode = models.CharField(max_length=1, help_text="903 RNE: S, L, P, T, B, U")
    legal_status = models.CharField(max_length=2, help_text="903 LS, e.g. C2, V2, E1")
    cin_category = models.CharField(max_length=2, blank=True, help_text="903 CIN: N1..N8")
    placement_type = models.CharField(max_length=3, help_text="903 PLACE, e.g. U1, K2, P1, Z11 (from 2025-26)")
    placement_provider = models.CharField(max_length=3, blank=True, help_text="903 PLACE_PROVIDER")
    provider_name = models.CharField(max_length=120, blank=True)
    in_borough = models.BooleanField(null=True, blank=True, help_text="Annex A List 8 'Placement Location'")
    placement_la = models.CharField(
        max_length=80, blank=True, help_text="Annex A List 8 'LA of Placement' (903 PL_LA, derived by the DfE)"
    )
    long_term = models.BooleanField(
        default=False, help_text="placement agreed as long-term until 18 (CPPCR reg. 28 visits)"
    )
    end_date = models.DateField(null=True, blank=True, help_text="903 DEC")
    reason_ceased = models.CharField(max_length=3, blank=True, help_text="903 REC, X1 = episode continues")
    reason_place_change = models.CharField(max_length=6, blank=True, help_text="903 REASON_PLACE_CHANGE")
    home_postcode = models.CharField(max_length=8, blank=True, help_text="903 HOME_POST")
    placement_postcode = models.CharField(max_length=8, blank=True, help_text="903 PL_POST")
    urn = models.CharField(max_length=8, blank=True, help_text="903 URN (Ofsted)")
    placement_regulation = models.CharField(
        max_length=5,
        blank=True,
        choices=PlacementRegulation.choices,
        help_text="recorded by hand (no return carries it): reg. 19 or reg. 24 placements are visited weekly",
    )

    class Meta:
        ordering = ["start_date", "pk"]
        indexes = [
            models.Index(fields=["child", "start_date"]),
            models.Index(fields=["start_date", "end_date"]),
        ]


class LookedAfterReview(models.Model):
    """903 Reviews."""

    child = models.ForeignKey("children.Child", on_delete=models.CASCADE, related_name="cla_reviews")
    review_date = models.DateField()
    participation = models.CharField(max_length=3, blank=True, help_text="903 REVIEW_CODE PN0..PN7")

    class Meta:
        ordering = ["review_date", "pk"]


class HealthAssessmentKind(models.TextChoices):
    INITIAL = "initial", "Initial health assessment"
    REVIEW = "review", "Review health assessment"
    DENTAL = "dental", "Dental check"


class HealthAssessment(models.Model):
    """Health assessments and dental checks (Annex A List 8 last health assessment / dental check)."""

    Kind = HealthAssessmentKind
    child = models.ForeignKey("children.Child", on_delete=models.CASCADE, related_name="health_assessments")
    kind = models.CharField(max_length=10, choices=HealthAssessmentKind.choices)
    assessment_date = models.DateField()

    class Meta:
        ordering = ["assessment_date", "pk"]


class PersonalEducationPlan(models.Model):
    child = models.ForeignKey("children.Child", on_delete=models.CASCADE, related_name="peps")
    pep_date = models.DateField()

    class Meta:
        ordering = ["pep_date", "pk"]


class MissingKind(models.TextChoices):
    MISSING = "M", "Missing"
    AWAY = "A", "Away without authorisation"


class MissingEpisode(models.Model):
    """903 Missing (MISSING, MIS_START, MIS_END) with the times and return home
    interview the exploitation tracker needs."""

    Kind = MissingKind
    child = models.ForeignKey("children.Child", on_delete=models.CASCADE, related_name="missing_episodes")
    kind = models.CharField(max_length=1, choices=MissingKind.choices, default=MissingKind.MISSING)
    started_at = models.DateTimeField()
    reported_at = models.DateTimeField(null=True, blank=True)
    police_notified_at = models.DateTimeField(null=True, blank=True)
    returned_at = models.DateTimeField(null=True, blank=True)
    found_location = models.CharField(max_length=120, blank=True)
    rhi_offered = models.BooleanField(
        null=True, blank=True, help_text="Annex A List 8 'offered a Return Interview' when no time is known"
    )
    rhi_offered_at = models.DateTimeField("return home interview offered", null=True, blank=True)
    rhi_accepted = models.BooleanField(null=True, blank=True)
    rhi_completed_at = models.DateTimeField("return home interview completed", null=True, blank=True)
    rhi_by = models.CharField(max_length=120, blank=True)

    class Meta:
        ordering = ["started_at", "pk"]
        indexes = [models.Index(fields=["child", "started_at"])]


class OutcomesReturn(models.Model):
    """903 OC2: outcomes for children looked after 12 months at 31 March."""

    child = models.ForeignKey("children.Child", on_delete=models.CASCADE, related_name="outcomes")
    year_ending = models.DateField(help_text="31 March of the collection year")
    sdq_score = models.PositiveSmallIntegerField(null=True, blank=True)
    sdq_reason = models.CharField(max_length=4, blank=True)
    convicted = models.BooleanField(null=True, blank=True)
    health_check = models.BooleanField(null=True, blank=True)
    immunisations = models.BooleanField(null=True, blank=True)
    teeth_check = models.BooleanField(null=True, blank=True)
    health_assessment = models.BooleanField(null=True, blank=True)
    substance_misuse = models.BooleanField(null=True, blank=True)
    intervention_received = models.BooleanField(null=True, blank=True)
    intervention_offered = models.BooleanField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["child", "year_ending"], name="unique_outcomes_per_year")]


class UnaccompaniedAsylumSeeker(models.Model):
    """903 UASC: DUC is the date the child ceases to be UASC (their 18th birthday)."""

    child = models.OneToOneField("children.Child", on_delete=models.CASCADE, related_name="uasc")
    date_ceased = models.DateField(null=True, blank=True)


class DeprivationOfLiberty(models.Model):
    """903 DoLo (from 2026-27): a period in which a looked-after child's liberty was deprived by an order
    of the court (DOLO_START, DOLO_END). Like the other 903 rows, where it came from is the import's
    SourceRecord (returns.provenance), not a column here."""

    child = models.ForeignKey("children.Child", on_delete=models.CASCADE, related_name="liberty_deprivations")
    start_date = models.DateField(help_text="903 DOLO_START")
    end_date = models.DateField(null=True, blank=True, help_text="903 DOLO_END; blank while it lasts")

    class Meta:
        ordering = ["start_date", "pk"]
        indexes = [models.Index(fields=["child", "start_date"])]
        verbose_name = "deprivation of liberty"
        verbose_name_plural = "deprivations of liberty"
