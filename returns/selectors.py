"""Reading import runs and their problems."""

from django.db.models import Count

from returns.models import Acceptance, ImportRun, Kind, Severity


def problem_groups(run: ImportRun) -> list[dict]:
    """Problems grouped by rule, errors first."""
    rows = run.problems.values("severity", "rule").annotate(count=Count("pk")).order_by("severity", "rule")
    return [dict(r) for r in rows]


def recent_runs(limit: int = 100):
    return ImportRun.objects.select_related("user")[:limit]


def held_back_children(run: ImportRun, limit: int = 200) -> list[dict]:
    """The children the run holds (or, in a preview, would hold) back, each with its errors and,
    once a later run of the kind has committed it, that run: at most `limit` children, the rest
    are in the problems download."""
    if not run.children_held_back:
        return []
    later = dict(run.held_back.exclude(committed_by=None).values_list("la_child_id", "committed_by"))
    children: dict[str, dict] = {}
    errors = run.problems.filter(severity=Severity.ERROR).exclude(child_id="").order_by("child_id", "pk")
    for p in errors.only("child_id", "rule", "location", "field", "message").iterator():
        child = children.get(p.child_id)
        if child is None:
            if len(children) >= limit:
                break
            child = children[p.child_id] = {"child_id": p.child_id, "errors": [], "committed_by": later.get(p.child_id)}
        child["errors"].append(p)
    return list(children.values())


def held_back_ids(run: ImportRun) -> set[str]:
    """The IDs of the children the run holds back (a preview: the children its errors name)."""
    if not run.children_held_back:
        return set()
    if run.held_back.exists():
        return set(run.held_back.values_list("la_child_id", flat=True))
    return set(
        run.problems.filter(severity=Severity.ERROR).exclude(child_id="").values_list("child_id", flat=True).distinct()
    )


def acceptances() -> list[dict]:
    """Each return kind with how it is accepted (all-or-nothing or per child) and who set it last, or that
    it follows the server's setting because no administrator has set it (decision 0071)."""
    from returns import services  # services reads no selectors: imported here to keep the rule in one place

    stored = {a.kind: a for a in Acceptance.objects.all()}
    return [
        {
            "kind": kind,
            "label": label,
            "all_or_nothing": services.all_or_nothing(kind),
            "stored": stored.get(kind),
        }
        for kind, label in Kind.choices
    ]
