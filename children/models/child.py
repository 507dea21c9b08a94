from django.db import models


class Sex(models.TextChoices):
    # CIN census to 2023-24 sends GenderCurrent 1/2/0/9 and the 903 to 2023-24
    # sends SEX 1/2; from 2024-25 both send M/F/U. We hold the newer code
    # (1->M, 2->F, 0 and 9->U); docs/register-mapping.md has the full mapping.
    MALE = "M", "Male"
    FEMALE = "F", "Female"
    UNKNOWN = "U", "Not known or not recorded"


class CareLeaverEligibility(models.TextChoices):
    RELEVANT = "relevant", "Relevant child"
    FORMER_RELEVANT = "former_relevant", "Former relevant child"
    QUALIFYING = "qualifying", "Qualifying care leaver"
    ELIGIBLE = "eligible", "Eligible child"


class Child(models.Model):
    """A child known to the council. la_child_id is the council's own identifier
    (CIN LAchildID, 903 CHILD, Annex A Child Unique ID)."""

    la_child_id = models.CharField("LA child ID", max_length=36, unique=True)
    upn = models.CharField("UPN", max_length=13, blank=True)
    former_upn = models.CharField("former UPN", max_length=13, blank=True)
    upn_unknown = models.CharField("UPN unknown reason", max_length=4, blank=True)
    first_name = models.CharField(max_length=80, blank=True)
    last_name = models.CharField(max_length=80, blank=True)
    birth_date = models.DateField(null=True, blank=True)
    expected_birth_date = models.DateField(null=True, blank=True)
    death_date = models.DateField(null=True, blank=True)
    sex = models.CharField(max_length=1, choices=Sex.choices, default=Sex.UNKNOWN)
    ethnicity = models.CharField(max_length=4, blank=True, help_text="DfE ethnicity code, e.g. WBRI")
    sen = models.BooleanField("special educational needs", default=False)
    postcode = models.CharField(max_length=8, blank=True)
    mother_birth_date = models.DateField("903 MC_DOB", null=True, blank=True)
    is_mother = models.BooleanField("903 MOTHER", null=True, blank=True)
    has_disability = models.BooleanField(
        null=True,
        blank=True,
        help_text="Annex A 'Does the Child have a Disability' as given, for children with no CIN Disability codes",
    )
    care_leaver_eligibility = models.CharField(
        max_length=16,
        blank=True,
        choices=CareLeaverEligibility.choices,
        help_text="Annex A List 9 'Eligibility Category'",
    )
    # Current or last holder of the case, kept by children.services.allocate().
    # Denormalised from Involvement so that scope checks are one indexed join.
    team = models.ForeignKey(
        "organisation.Team", null=True, blank=True, on_delete=models.SET_NULL, related_name="children"
    )
    worker = models.ForeignKey(
        "organisation.Worker", null=True, blank=True, on_delete=models.SET_NULL, related_name="children"
    )

    class Meta:
        ordering = ["last_name", "first_name"]
        verbose_name_plural = "children"
        indexes = [models.Index(fields=["upn"])]

    def __str__(self) -> str:
        # Names never reach logs: log la_child_id or pk instead (docs/decisions).
        return f"{self.first_name} {self.last_name}".strip() or self.la_child_id

    @property
    def is_bme(self) -> bool:
        # DfE ethnicity codes: white British, Irish, traveller, Gypsy/Roma and
        # any other white background are not counted as black and minority ethnic.
        return bool(self.ethnicity) and self.ethnicity not in {
            "WBRI",
            "WIRI",
            "WIRT",
            "WOTH",
            "WROM",
            "REFU",
            "NOBT",
        }


class Disability(models.Model):
    """CIN census Disability codes (MOB, HAND, PC, INC, COMM, LD, HEAR, VIS, BEH, CON, AUT, DDA; NONE)."""

    # No index of its own: the unique (child, code) constraint's index serves lookups by child.
    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="disabilities", db_index=False)
    code = models.CharField(max_length=4)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["child", "code"], name="unique_child_disability")]


class Involvement(models.Model):
    """Who held the case, when: the SSD 'involvements' table and 903 SWEpisodes
    (SW_ID is the worker's staff_id, SW_DECOM start_date, SW_DEC end_date)."""

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="involvements")
    worker = models.ForeignKey("organisation.Worker", null=True, blank=True, on_delete=models.PROTECT)
    team = models.ForeignKey("organisation.Team", on_delete=models.PROTECT)
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)
    reason_ended = models.CharField(
        max_length=10, blank=True, help_text="why this involvement ended (local; 903 SW_REASON is change_reason)"
    )
    change_reason = models.CharField(
        max_length=6,
        blank=True,
        help_text="903 SW_REASON, carried by the episode that starts: why the case moved to this worker "
        "(MANAGE, FCONTA, LEFTRL, ORGRST, TSPROC, ABSENC, CHCHAN, PCCHAN, SWDIED, OTHERS)",
    )

    class Meta:
        ordering = ["start_date", "pk"]
        indexes = [models.Index(fields=["worker", "end_date"]), models.Index(fields=["team", "end_date"])]
