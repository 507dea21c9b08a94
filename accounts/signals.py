"""Sign-ins, failed sign-ins, sign-outs and changes to a user's access go to the audit log."""

import time
from typing import Any

from django.contrib.auth.models import Group
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import m2m_changed, post_save, pre_save
from django.dispatch import receiver

from audit.models import Action
from audit.services import record

from . import access
from .middleware import SIGNED_IN_AT
from .models import User


@receiver(user_logged_in)
def on_login(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if request is not None and hasattr(request, "session"):
        request.session[SIGNED_IN_AT] = time.time()  # the start of the absolute session lifetime
    record(Action.SIGN_IN, request=request, user=user)


@receiver(user_logged_out)
def on_logout(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    record(Action.SIGN_OUT, request=request, user=user)


@receiver(user_login_failed)
def on_login_failed(sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any) -> None:
    # The username tried is kept (it is not a child's data); the password never is.
    record(Action.SIGN_IN_FAILED, request=request, detail=f"username={credentials.get('username', '')[:100]}")


# Access changes (accounts.access): refused on one's own account, recorded for everyone.
MEMBERSHIPS = {
    User.groups.through: "groups",
    User.user_permissions.through: "user_permissions",
    Group.permissions.through: "permissions",
}


@receiver(pre_save, sender=User)
def before_user_saved(sender: Any, instance: User, raw: bool = False, update_fields: Any = None, **kwargs: Any) -> None:
    if not raw:
        access.before_user_saved(instance, update_fields)


@receiver(post_save, sender=User)
def after_user_saved(sender: Any, instance: User, created: bool, raw: bool = False, **kwargs: Any) -> None:
    if not raw:
        access.after_user_saved(instance, created)


def on_membership_changed(
    sender: Any, instance: Any, action: str, reverse: bool, model: Any, pk_set: set[int] | None, **kwargs: Any
) -> None:
    field = "members" if reverse and sender is User.groups.through else MEMBERSHIPS[sender]
    if action in ("pre_add", "pre_remove", "pre_clear"):
        access.before_membership_changed(instance, field, pk_set)
    elif action in ("post_add", "post_remove", "post_clear") and (pk_set or action == "post_clear"):
        access.after_membership_changed(instance, field, action, model, pk_set)


for through in MEMBERSHIPS:
    m2m_changed.connect(on_membership_changed, sender=through, dispatch_uid=f"access-{through._meta.label}")
