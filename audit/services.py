"""Writing to the audit log. Every view of a child's record goes through record()."""

from collections.abc import Iterable
from typing import Any

from django.db import connection, models, transaction
from django.http import HttpRequest

from .context import current_request
from .models import Action, AuditEvent, ShownChild


def client_address(request: HttpRequest) -> str | None:
    # REMOTE_ADDR only: X-Forwarded-For is trusted solely when a deployment's
    # proxy sets it, which it does through SECURE_PROXY_SSL_HEADER's sibling config.
    return request.META.get("REMOTE_ADDR") or None


def record(
    action: str,
    *,
    request: HttpRequest | None = None,
    child: Any = None,
    obj: models.Model | None = None,
    detail: str = "",
    user: Any = None,
) -> AuditEvent:
    request = request or current_request.get()
    if user is None and request is not None and getattr(request, "user", None) is not None:
        user = request.user if request.user.is_authenticated else None
    return AuditEvent.objects.create(
        action=action,
        user=user,
        username=getattr(user, "username", "") if user else "",
        child_id=getattr(child, "pk", child),
        object_type=obj._meta.label if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        path=request.path[:300] if request is not None else "",
        ip_address=client_address(request) if request is not None else None,
        detail=detail[:300],
    )


def record_view(request: HttpRequest, child: Any, detail: str = "") -> AuditEvent:
    return record(Action.VIEW, request=request, child=child, detail=detail)


def record_shown(
    request: HttpRequest | None,
    children: Iterable[Any],
    *,
    action: str = Action.VIEW,
    detail: str = "",
    user: Any = None,
    obj: models.Model | None = None,
) -> AuditEvent:
    """A list, search or export that showed these children (instances or ids): one event and one row per
    child, inserted in one statement (decision 0017). Recorded even when it showed none: the search happened."""
    ids = sorted({int(getattr(c, "pk", c)) for c in children if c is not None})
    with transaction.atomic():
        event = record(action, request=request, detail=detail, user=user, obj=obj)
        if ids:
            _insert_shown(event.pk, ids)
    return event


def _insert_shown(event_id: int, child_ids: list[int]) -> None:
    # Raw SQL because it is the hot path of a 20,000-child export: bulk_create builds a model instance and
    # compiles a statement per batch (SQLite caps the parameters, so 40 of them); PostgreSQL takes the ids as
    # one array parameter, SQLite runs one prepared statement many times. Measured in decision 0017.
    meta = ShownChild._meta
    table = connection.ops.quote_name(meta.db_table)
    event_col = connection.ops.quote_name(meta.get_field("event").column)
    child_col = connection.ops.quote_name(meta.get_field("child").column)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            sql = f"INSERT INTO {table} ({event_col}, {child_col}) SELECT %s, unnest(%s::bigint[])"
            cursor.execute(sql, [event_id, child_ids])
        else:
            sql = f"INSERT INTO {table} ({event_col}, {child_col}) VALUES (%s, %s)"
            cursor.executemany(sql, [(event_id, i) for i in child_ids])


class Shown:
    """Collects the children of an export's rows as the rows stream past, for record_shown()."""

    def __init__(self) -> None:
        self.ids: set[int] = set()

    def add(self, child: Any) -> Any:
        self.ids.add(getattr(child, "pk", child))
        return child

    def each(self, items: Iterable[Any], attr: str = "child_id") -> Iterable[Any]:
        """The items, unchanged, noting each one's child."""
        for item in items:
            self.ids.add(getattr(item, attr))
            yield item
