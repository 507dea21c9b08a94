"""Users, with the role they play and the scope of children they may see."""

from django.contrib.auth.models import AbstractUser
from django.db import models


class Role(models.TextChoices):
    SOCIAL_WORKER = "social_worker", "Social worker"
    TEAM_MANAGER = "team_manager", "Team manager"
    HEAD_OF_SERVICE = "head_of_service", "Head of service"
    DIRECTOR = "director", "Director"
    QA_OFFICER = "qa_officer", "Quality assurance officer"
    MASE_MEMBER = "mase_member", "MASE panel member"
    IRO = "iro", "IRO / child protection chair"
    BOARD_MANAGER = "board_manager", "Partnership business manager"
    LADO = "lado", "Designated officer (LADO)"
    ANALYST = "analyst", "Performance analyst"
    ADMINISTRATOR = "administrator", "System administrator"


class Scope(models.TextChoices):
    NONE = "none", "No children"
    CASELOAD = "caseload", "Own caseload"
    TEAM = "team", "Team"
    SERVICE = "service", "Service"
    COUNCIL = "council", "Whole council"
    AGENCY_COHORT = "agency_cohort", "Partner-agency cohort"


class User(AbstractUser):
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.SOCIAL_WORKER)
    scope = models.CharField(max_length=20, choices=Scope.choices, default=Scope.NONE)
    worker = models.OneToOneField(
        "organisation.Worker", null=True, blank=True, on_delete=models.SET_NULL, related_name="user"
    )
    team = models.ForeignKey("organisation.Team", null=True, blank=True, on_delete=models.SET_NULL)
    service = models.ForeignKey("organisation.Service", null=True, blank=True, on_delete=models.SET_NULL)
    agency = models.ForeignKey("organisation.PartnerAgency", null=True, blank=True, on_delete=models.SET_NULL)

    def __str__(self) -> str:
        return self.get_full_name() or self.username
