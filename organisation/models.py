"""The council's organisation: services, teams, workers and partner agencies."""

from django.db import models


class Service(models.Model):
    name = models.CharField(max_length=120, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class TeamType(models.TextChoices):
    FRONT_DOOR = "front_door", "Front door (MASH)"
    ASSESSMENT = "assessment", "Assessment"
    CIN_CP = "cin_cp", "Child in need / child protection"
    LOOKED_AFTER = "looked_after", "Looked after"
    LEAVING_CARE = "leaving_care", "Leaving care"
    ADOPTION = "adoption", "Adoption"
    EXPLOITATION = "exploitation", "Exploitation"


class Team(models.Model):
    name = models.CharField(max_length=120, unique=True)
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="teams")
    team_type = models.CharField(max_length=20, choices=TeamType.choices)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Employment(models.TextChoices):
    PERMANENT = "permanent", "Permanent"
    AGENCY = "agency", "Agency"


class Worker(models.Model):
    """A practitioner who can hold cases. Matches 903 SW_ID through staff_id."""

    staff_id = models.CharField(max_length=20, unique=True)
    name = models.CharField(max_length=120)
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="workers")
    fte = models.DecimalField("full-time equivalent", max_digits=3, decimal_places=2, default=1)
    qualified = models.BooleanField("qualified social worker", default=True)
    employment = models.CharField(max_length=10, choices=Employment.choices, default=Employment.PERMANENT)
    is_manager = models.BooleanField(default=False)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class AgencyKind(models.TextChoices):
    POLICE = "police", "Police"
    HEALTH = "health", "Health"
    EDUCATION = "education", "Education"
    YOUTH_OFFENDING = "youth_offending", "Youth offending"
    VOLUNTARY = "voluntary", "Voluntary sector"
    SOCIAL_CARE = "social_care", "Children's social care"


class PartnerAgency(models.Model):
    name = models.CharField(max_length=120, unique=True)
    kind = models.CharField(max_length=20, choices=AgencyKind.choices)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "partner agencies"

    def __str__(self) -> str:
        return self.name
