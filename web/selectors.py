"""What each role's home page and lists show."""

from typing import Any

from django.db.models import QuerySet

from accounts.models import Scope
from children.selectors import children_in_scope
from organisation.models import Team


def teams_in_scope(user: Any) -> QuerySet[Team]:
    teams = Team.objects.all()
    if user.scope == Scope.COUNCIL:
        return teams
    if user.scope == Scope.SERVICE and user.service_id:
        return teams.filter(service_id=user.service_id)
    if user.scope in (Scope.TEAM, Scope.CASELOAD) and user.team_id:
        return teams.filter(pk=user.team_id)
    return teams.none()


def home_summary(user: Any) -> dict[str, Any]:
    children = children_in_scope(user)
    return {
        "children_count": children.count(),
        "allocated_count": children.filter(worker__isnull=False).count(),
        "teams": teams_in_scope(user).select_related("service")[:50],
    }
