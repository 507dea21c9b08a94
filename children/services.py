"""Changing the register."""

from datetime import date

from django.db import transaction

from organisation.models import Team, Worker

from .models import CareProceedings, CareProceedingsExtension, Child, Involvement, LookedAfterEpisode


@transaction.atomic
def allocate(child: Child, team: Team, worker: Worker | None, on: date) -> Involvement:
    """Hand the case to a worker (or a team, unallocated), ending the current involvement."""
    Involvement.objects.filter(child=child, end_date__isnull=True).update(end_date=on)
    involvement = Involvement.objects.create(child=child, team=team, worker=worker, start_date=on)
    child.team, child.worker = team, worker
    child.save(update_fields=["team", "worker"])
    return involvement


@transaction.atomic
def record_extension(
    proceedings: CareProceedings, granted_on: date, weeks: int, reason: str
) -> CareProceedingsExtension:
    """A court's extension of the 26 weeks (s. 32(5)): the child's proceedings deadline moves by `weeks`.
    Audited by the signal on every register change; the child's clocks are computed again at once."""
    extension = CareProceedingsExtension.objects.create(
        proceedings=proceedings, granted_on=granted_on, weeks=weeks, reason=reason
    )
    _recompute(proceedings.child_id)
    return extension


@transaction.atomic
def set_placement_regulation(episode: LookedAfterEpisode, regulation: str) -> LookedAfterEpisode:
    """Record that a placement was made under reg. 19 or reg. 24 (or neither); its visits follow."""
    episode.placement_regulation = regulation
    episode.save(update_fields=["placement_regulation"])
    _recompute(episode.child_id)
    return episode


def _recompute(child_id: int) -> None:
    """The child's timescales are recomputed on the queue once the edit commits (decision 0037): a worker
    does it within moments, and the form's request does not wait for it."""
    from timescales.tasks import recompute_after_commit  # timescales reads this app's models

    recompute_after_commit("an edit to a child's record", [child_id])
