"""The weekly plan digest as a task on the background queue (docs/decisions/0033-task-queue.md): the worker's
scheduler queues it each week. The digest is the leads' reminders: each lead's actions overdue and due soon
(the same reminders the home page shows), by e-mail."""

from django_tasks import task

from audit.models import Action
from audit.services import record

from .digest import send


@task()
def send_plan_digest() -> dict:
    sent, skipped = send()
    record(Action.SYSTEM, detail=f"plan digest sent to {sent} lead(s)")
    return {"sent": sent, "skipped": skipped}


# Not retried when its worker dies under it: some messages may have gone, and a lead would get two. It is marked
# failed with the reason (the background work page shows it) and next week's digest is sent as usual.
