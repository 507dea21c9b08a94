"""Reading the audit log."""

from django.db.models import Exists, OuterRef, Q, QuerySet

from .models import AuditEvent, ShownChild


def about_child(child_id: int) -> QuerySet[AuditEvent]:
    """Every event about this child: views, changes and exports of their record, and every list,
    search or export that showed them (decision 0017)."""
    shown = ShownChild.objects.filter(event=OuterRef("pk"), child_id=child_id)
    return AuditEvent.objects.filter(Q(child_id=child_id) | Exists(shown))


def who_saw(child_id: int) -> QuerySet[AuditEvent]:
    """The views and exports among them: who saw or exported this child's record, when, from where."""
    from .models import Action

    return about_child(child_id).filter(action__in=[Action.VIEW, Action.EXPORT])
