"""Sign-ins, failed sign-ins and sign-outs go to the audit log."""

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from audit.models import Action
from audit.services import record


@receiver(user_logged_in)
def on_login(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    record(Action.SIGN_IN, request=request, user=user)


@receiver(user_logged_out)
def on_logout(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    record(Action.SIGN_OUT, request=request, user=user)


@receiver(user_login_failed)
def on_login_failed(sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any) -> None:
    # The username tried is kept (it is not a child's data); the password never is.
    record(Action.SIGN_IN_FAILED, request=request, detail=f"username={credentials.get('username', '')[:100]}")
