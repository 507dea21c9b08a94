"""Changing the register."""

from datetime import date

from django.db import transaction

from organisation.models import Team, Worker

from .models import Child, Involvement


@transaction.atomic
def allocate(child: Child, team: Team, worker: Worker | None, on: date) -> Involvement:
    """Hand the case to a worker (or a team, unallocated), ending the current involvement."""
    Involvement.objects.filter(child=child, end_date__isnull=True).update(end_date=on)
    involvement = Involvement.objects.create(child=child, team=team, worker=worker, start_date=on)
    child.team, child.worker = team, worker
    child.save(update_fields=["team", "worker"])
    return involvement
