from django.db import models


class Referral(models.Model):
    """A referral and the child in need episode that follows it: one row per CIN
    census <CINdetails> block (SSD cin_episodes), Annex A List 3 / List 6."""

    # No index of its own: the (child, referral_date) index below serves lookups by child,
    # and an import of 10,000 children writes some 12,000 referrals, each index a cost.
    child = models.ForeignKey("children.Child", on_delete=models.CASCADE, related_name="referrals", db_index=False)
    referral_date = models.DateField()
    source = models.CharField(max_length=3, blank=True, help_text="CIN ReferralSource code (1A..10)")
    primary_need = models.CharField(max_length=3, blank=True, help_text="N1..N9")
    decision_date = models.DateField(null=True, blank=True, help_text="decision on the type of response")
    nfa = models.BooleanField("no further action", default=False, help_text="CIN ReferralNFA")
    cse_concern = models.BooleanField("child sexual exploitation concern", default=False)
    closure_date = models.DateField(null=True, blank=True)
    closure_reason = models.CharField(max_length=3, blank=True, help_text="RC1..RC9")
    initial_cpc_date = models.DateField(
        null=True, blank=True, help_text="CIN CINdetails/DateOfInitialCPC, as returned at episode level"
    )
    case_status = models.CharField(max_length=40, blank=True, help_text="Annex A List 6 'Case Status' as given")
    placeholder = models.BooleanField(
        "made up to hold an event",
        default=False,
        help_text="Not in any return: the Annex A import made this referral up on the date of an assessment, "
        "section 47 enquiry or CP plan (Lists 4, 5, 7 name no referral) that had none to hang from. It is not "
        "a referral: it is not counted, clocked, exported or an open case itself; what hangs from it still is "
        "(docs/decisions/0010-annex-a.md). A return that later gives a referral on that date clears it.",
    )
    # Annex A List 3 / 6 'Allocated Team' / 'Allocated Worker' (SSD cine_referral_team / _worker).
    team = models.ForeignKey("organisation.Team", null=True, blank=True, on_delete=models.SET_NULL)
    worker = models.ForeignKey("organisation.Worker", null=True, blank=True, on_delete=models.SET_NULL)

    class Meta:
        ordering = ["referral_date", "pk"]
        indexes = [
            models.Index(fields=["referral_date"]),
            models.Index(fields=["child", "referral_date"]),
            # the few made-up referrals, found after every import (returns.placeholders)
            models.Index(fields=["child"], condition=models.Q(placeholder=True), name="referral_placeholder"),
        ]


class Assessment(models.Model):
    """A child and family (single) assessment: CIN <Assessments>, Annex A List 4."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="assessments")
    start_date = models.DateField()
    internal_review_date = models.DateField(null=True, blank=True)
    authorisation_date = models.DateField(null=True, blank=True)
    child_seen = models.BooleanField(
        null=True, blank=True, help_text="Annex A List 4 'Child Seen During Continuous Assessment'"
    )
    requires_support = models.BooleanField(
        null=True,
        blank=True,
        help_text="Annex A List 4 'Was the child assessed as requiring LA children's social care support?'",
    )
    outcome = models.CharField(max_length=100, blank=True, help_text="that answer as given when it is not yes/no")
    # Annex A List 4 'Allocated Team' / 'Allocated Worker'.
    team = models.ForeignKey("organisation.Team", null=True, blank=True, on_delete=models.SET_NULL)
    worker = models.ForeignKey("organisation.Worker", null=True, blank=True, on_delete=models.SET_NULL)

    class Meta:
        ordering = ["start_date", "pk"]
        indexes = [models.Index(fields=["authorisation_date"])]


class AssessmentFactor(models.Model):
    """Factors identified at the end of assessment (CIN AssessmentFactors: 1A..24A,
    e.g. 11A child sexual exploitation, 24A child criminal exploitation)."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="factors")
    code = models.CharField(max_length=3)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["assessment", "code"], name="unique_assessment_factor")]


class ChildInNeedPlan(models.Model):
    """CIN <CINPlanDates>, Annex A List 6."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="cin_plans")
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)
    last_review_date = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["start_date", "pk"]


class StrategyDiscussion(models.Model):
    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="strategy_discussions")
    discussion_date = models.DateField()
    section47_initiated = models.BooleanField(default=True)

    class Meta:
        ordering = ["discussion_date", "pk"]


class Section47Enquiry(models.Model):
    """CIN <Section47>, Annex A List 5."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="section47s")
    strategy_discussion = models.ForeignKey(
        StrategyDiscussion, null=True, blank=True, on_delete=models.SET_NULL, related_name="section47s"
    )
    start_date = models.DateField(help_text="S47ActualStartDate: the strategy discussion that began it")
    icpc_target_date = models.DateField(null=True, blank=True)
    icpc_date = models.DateField(null=True, blank=True)
    icpc_not_required = models.BooleanField(default=False)
    outcome = models.CharField(max_length=40, blank=True)
    # Annex A List 5 'Allocated Team' / 'Allocated Worker'.
    team = models.ForeignKey("organisation.Team", null=True, blank=True, on_delete=models.SET_NULL)
    worker = models.ForeignKey("organisation.Worker", null=True, blank=True, on_delete=models.SET_NULL)

    class Meta:
        ordering = ["start_date", "pk"]
        verbose_name = "section 47 enquiry"
        verbose_name_plural = "section 47 enquiries"


class VisitKind(models.TextChoices):
    CIN = "cin", "Child in need visit"
    CP = "cp", "Child protection visit"
    CLA = "cla", "Looked-after visit"
    CARE_LEAVER = "care_leaver", "Care leaver contact"
    PRIVATE_FOSTERING = "private_fostering", "Private fostering visit"
    IRO = "iro", "IRO visit or contact"


class Visit(models.Model):
    """A statutory visit (SSD cin_visits, cp_visits, cla_visits): Annex A List 6
    'Date Child Was Last Seen', List 7 last statutory visit and seen alone, List 8
    last social work visit and last IRO visit / contact."""

    Kind = VisitKind
    child = models.ForeignKey("children.Child", on_delete=models.CASCADE, related_name="visits")
    kind = models.CharField(max_length=20, choices=VisitKind.choices)
    visit_date = models.DateField()
    seen = models.BooleanField(default=True)
    seen_alone = models.BooleanField(
        default=False, null=True, blank=True, help_text="null: not known (Annex A List 7 'c) Unknown')"
    )
    worker = models.ForeignKey("organisation.Worker", null=True, blank=True, on_delete=models.SET_NULL)

    class Meta:
        ordering = ["visit_date", "pk"]
        indexes = [models.Index(fields=["child", "kind", "visit_date"])]
