"""What each role's home page and lists show."""

from typing import Any

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from accounts.models import Role, Scope
from children.models import Child
from children.selectors import children_in_scope, is_partner
from organisation.models import Team, Worker

MANAGER_ROLES = {Role.TEAM_MANAGER}
SENIOR_ROLES = {Role.HEAD_OF_SERVICE, Role.DIRECTOR, Role.ANALYST, Role.QA_OFFICER, Role.IRO}


def teams_in_scope(user: Any) -> QuerySet[Team]:
    """Teams, their workers and caseloads are the council's own business: none for a
    partner-agency user, whatever its scope says (docs/entitlements.md)."""
    teams = Team.objects.all()
    if is_partner(user):
        return teams.none()
    if user.scope == Scope.COUNCIL:
        return teams
    if user.scope == Scope.SERVICE and user.service_id:
        return teams.filter(service_id=user.service_id)
    if user.scope in (Scope.TEAM, Scope.CASELOAD) and user.team_id:
        return teams.filter(pk=user.team_id)
    return teams.none()


def workers_with_caseloads(team: Team, visible: QuerySet[Any]) -> QuerySet[Worker]:
    return team.workers.filter(active=True).annotate(caseload=Count("children", filter=Q(children__in=visible)))


def team_counts(teams: QuerySet[Team]) -> QuerySet[Team]:
    """Teams with their allocated children and active workers, counted in subqueries
    so that neither count multiplies the other."""
    allocated = (
        Child.objects.filter(team=OuterRef("pk"), worker__isnull=False)
        .values("team")
        .annotate(n=Count("pk"))
        .values("n")
    )
    workers = Worker.objects.filter(team=OuterRef("pk"), active=True).values("team").annotate(n=Count("pk")).values("n")
    return teams.select_related("service").annotate(
        allocated=Coalesce(Subquery(allocated), 0),
        worker_count=Coalesce(Subquery(workers), 0),
    )


def home_summary(user: Any) -> dict[str, Any]:
    """One dictionary per page; the template only lays it out."""
    if is_partner(user) or user.role == Role.MASE_MEMBER:
        # A partner's share of the cohort, never the register (docs/entitlements.md).
        from exploitation.selectors import cohort_children

        cohort = cohort_children(user)
        return {
            "section": "cohort",
            "children_count": cohort.count(),
            "cohort": cohort.prefetch_related("cohort_entries").order_by("last_name", "first_name", "pk")[:200],
        }
    children = children_in_scope(user)
    summary: dict[str, Any] = {"section": "general", "children_count": children.count()}
    if user.role == Role.SOCIAL_WORKER and user.worker_id:
        summary["section"] = "caseload"
        summary["caseload"] = children.filter(worker_id=user.worker_id).order_by("last_name", "first_name")
    elif user.role in MANAGER_ROLES and user.team_id:
        summary["section"] = "team"
        summary["team"] = user.team
        summary["workers"] = workers_with_caseloads(user.team, children)
    elif user.role in SENIOR_ROLES:
        summary["section"] = "service"
        summary["teams"] = team_counts(teams_in_scope(user))
    elif user.role == Role.ADMINISTRATOR:
        summary["section"] = "admin"
    return summary
