"""Changes to who may see what: refused on one's own account, and every one recorded in the audit log.

A user's access is their role, scope, team, service, agency and worker link (which decide the children they
see), their staff and superuser flags, and their groups and permissions (which decide what the Django admin
lets them do). Nobody may change their own; every change by anyone else is an audit row naming the account
and what changed (ids and codes only; never the password), listed for the administrators (access_changes).
Changes made outside a request (seeding, management commands) are recorded too, without a person."""

from typing import Any

from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet

from audit.context import current_request
from audit.models import Action, AuditEvent
from audit.services import record

from .models import User

ACCESS_FIELDS = ("role", "scope", "team", "service", "agency", "worker", "is_staff", "is_superuser", "is_active")
DETAIL_PREFIX = "access "
REFUSED_ON_SELF = "You cannot change your own access. Ask another administrator."


def acting_user_pk() -> int | None:
    request = current_request.get()
    user = getattr(request, "user", None) if request is not None else None
    return user.pk if user is not None and user.is_authenticated else None


# attname (team_id, not team): comparing ids needs no query and logs no names.
ATTNAMES = {name: f"{name}_id" if name in ("team", "service", "agency", "worker") else name for name in ACCESS_FIELDS}


def access_values(user: User) -> dict[str, Any]:
    return {name: getattr(user, attname) for name, attname in ATTNAMES.items()}


def stored_access(user: User) -> dict[str, Any] | None:
    if user.pk is None:
        return None
    row = User.objects.filter(pk=user.pk).values(*ATTNAMES.values()).first()
    return None if row is None else {name: row[attname] for name, attname in ATTNAMES.items()}


def differences(before: dict[str, Any] | None, after: dict[str, Any]) -> list[str]:
    if before is None:
        return [f"{name}={value}" for name, value in after.items() if value not in (None, "", False)]
    return [f"{name}: {before[name]} -> {after[name]}" for name in ACCESS_FIELDS if before[name] != after[name]]


def check_not_self(user_pks: set[int]) -> None:
    actor = acting_user_pk()
    if actor is not None and actor in user_pks:
        raise PermissionDenied(REFUSED_ON_SELF)


def before_user_saved(user: User, update_fields: Any = None) -> None:
    """Refuse a change to one's own access; keep what it was for the audit row."""
    if update_fields is not None and not set(update_fields) & set(ACCESS_FIELDS):
        user._access_before = "unchanged"  # type: ignore[attr-defined]
        return
    before = stored_access(user)
    if before is not None and differences(before, access_values(user)):
        check_not_self({user.pk})
    user._access_before = before  # type: ignore[attr-defined]


def after_user_saved(user: User, created: bool) -> None:
    before = getattr(user, "_access_before", None)
    if before == "unchanged":
        return
    changes = differences(None if created else before, access_values(user))
    if created and current_request.get() is None:
        return  # accounts made by seeding and management commands: outside the application's access control
    if changes:
        verb = "granted to new account" if created else "changed for"
        record(
            Action.CREATE if created else Action.CHANGE,
            obj=user,
            detail=f"{DETAIL_PREFIX}{verb} {user.username}: {'; '.join(changes)}",
        )


def _labels(model: Any, pks: set[int] | None) -> str:
    if not pks:
        return "all"
    if model is Group:
        return ", ".join(sorted(Group.objects.filter(pk__in=pks).values_list("name", flat=True)))
    if model is User:
        return ", ".join(sorted(User.objects.filter(pk__in=pks).values_list("username", flat=True)))
    rows = model.objects.filter(pk__in=pks).values_list("content_type__app_label", "codename")
    return ", ".join(sorted(f"{app}.{code}" for app, code in rows))


def before_membership_changed(instance: Any, field: str, pk_set: set[int] | None) -> None:
    """Refuse changing one's own groups or permissions, one's membership of a group, or the permissions of a
    group one is in."""
    if isinstance(instance, User):
        check_not_self({instance.pk})
    elif isinstance(instance, Group):
        members = set(instance.user_set.values_list("pk", flat=True))
        check_not_self(members if field == "permissions" or pk_set is None else set(pk_set))


def after_membership_changed(instance: Any, field: str, action: str, model: Any, pk_set: set[int] | None) -> None:
    change = "-all" if action == "post_clear" else ("+" if action == "post_add" else "-") + _labels(model, pk_set)
    target = instance.username if isinstance(instance, User) else f"group {instance.name}"
    record(Action.CHANGE, obj=instance, detail=f"{DETAIL_PREFIX}changed for {target}: {field} {change}")


def recent_access_changes() -> QuerySet[AuditEvent]:
    return AuditEvent.objects.filter(
        object_type__in=("accounts.User", "auth.Group"),
        action__in=(Action.CREATE, Action.CHANGE),
        detail__startswith=DETAIL_PREFIX,
    )
