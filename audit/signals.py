"""Every change to a child's record, through any form, the admin or a service,
is written to the audit log. Bulk loads (generator, importers) record one
system event per run instead, since bulk_create sends no signals."""

from typing import Any

from django.apps import apps
from django.db.models.signals import post_delete, post_save

from .models import Action
from .services import record

AUDITED_APPS = {"children", "exploitation"}


def child_of(instance: Any) -> Any:
    """The child a register row belongs to, however it is attached."""
    if instance._meta.label == "children.Child":
        return instance
    for path in ("child", "referral.child", "plan.child", "assessment.referral.child", "proceedings.child"):
        obj = instance
        try:
            for part in path.split("."):
                obj = getattr(obj, part)
        except AttributeError:
            continue
        return obj
    return None


def on_save(sender: Any, instance: Any, created: bool, raw: bool = False, **kwargs: Any) -> None:
    if raw:
        return
    record(Action.CREATE if created else Action.CHANGE, child=child_of(instance), obj=instance)


def on_delete(sender: Any, instance: Any, **kwargs: Any) -> None:
    record(Action.DELETE, child=child_of(instance), obj=instance)


for model in apps.get_models():
    if model._meta.app_label in AUDITED_APPS:
        post_save.connect(on_save, sender=model, dispatch_uid=f"audit-save-{model._meta.label}")
        post_delete.connect(on_delete, sender=model, dispatch_uid=f"audit-delete-{model._meta.label}")
