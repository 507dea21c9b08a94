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
    INFO_GOVERNANCE = "info_governance", "Information governance officer"
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
    # The provider's `sub` for accounts made by single sign-on (accounts.sso); never an e-mail address, which
    # can be reused or changed.
    oidc_subject = models.CharField(max_length=255, null=True, blank=True, unique=True, editable=False)

    def __str__(self) -> str:
        return self.get_full_name() or self.username


class GroupMapping(models.Model):
    """What membership of one of the identity provider's groups gives at single sign-on (accounts.sso).

    Entra ID sends a group's object id in the `groups` claim; other providers send a name. A user in several
    mapped groups gets the mapping with the highest priority (then the oldest); in none, no access."""

    group_id = models.CharField(
        "provider group", max_length=255, unique=True, help_text="As the provider sends it (Entra ID: the object id)"
    )
    description = models.CharField(max_length=200, blank=True, help_text="Which group this is, for people")
    priority = models.IntegerField(default=0, help_text="When a user is in several mapped groups, the highest wins")
    role = models.CharField(max_length=20, choices=Role.choices)
    scope = models.CharField(max_length=20, choices=Scope.choices)
    team = models.ForeignKey("organisation.Team", null=True, blank=True, on_delete=models.PROTECT)
    service = models.ForeignKey("organisation.Service", null=True, blank=True, on_delete=models.PROTECT)
    agency = models.ForeignKey("organisation.PartnerAgency", null=True, blank=True, on_delete=models.PROTECT)

    class Meta:
        ordering = ["-priority", "pk"]

    def __str__(self) -> str:
        return self.description or self.group_id

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        needs = {Scope.TEAM: "team", Scope.SERVICE: "service", Scope.AGENCY_COHORT: "agency"}.get(Scope(self.scope))
        if needs and getattr(self, f"{needs}_id") is None:
            raise ValidationError({needs: f"A {self.get_scope_display().lower()} scope needs a {needs}."})
