"""Reading import runs and their problems."""

from django.db.models import Count

from .models import ImportRun


def problem_groups(run: ImportRun) -> list[dict]:
    """Problems grouped by rule, errors first."""
    rows = run.problems.values("severity", "rule").annotate(count=Count("pk")).order_by("severity", "rule")
    return [dict(r) for r in rows]


def recent_runs(limit: int = 100):
    return ImportRun.objects.select_related("user")[:limit]
