"""The child's current allocation after an import: Child.team and Child.worker.

Caseload pages and the per-worker and per-team oversight read Child.team and Child.worker
(timescales.selectors, children.selectors), which children.services.allocate keeps for an
allocation made in Line of Sight and the Annex A importer sets in bulk. The SSDA903
(SWEpisodes) and SSD (ssd_involvements) importers write Involvement rows; once a chunk's
involvements are synced they call allocate_current, so that the child's team and worker
follow the register's current involvement.

The rule (current_involvement): of the child's involvements that have started on or before
the run's date and have not ended by it (no end date, or an end date after that date), the
one with the latest start date; of two with the same start, the one with the highest
primary key (the one recorded last; an involvement a preview would create counts as
recorded after every one the register holds, in the order the return gives them, as
bulk_create would number them). Its team, or its worker's team if it has none, is the
child's team; its worker (none for a case held by a team) is the child's worker. When no
involvement is current the child's team and worker are left as they are: a return that
ends an episode without naming the next worker, or names no worker, does not unallocate.

The import's involvements (Given) are laid over the register's, matched as the importers
match them, on (child, worker, start date), the first by primary key: after a commit's
writes that changes nothing, and in a preview (dry run: nothing written) it makes the
counts those of the commit. A changed child gets a SourceRecord naming the return's record
of its current involvement (or, when that involvement is not in the return, the first of
the child's records in it, marked so): created=False, as the run changes the row's team and
worker, also for a child the same run created.
"""

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from children.models import Child, Involvement
from organisation.models import Worker
from returns.provenance import Provenance

BATCH = 1000
FROM_REGISTER = "current allocation as the register holds it"  # provenance mark: not this record's involvement
GIVEN_FIELDS = ("team_id", "end_date")  # the fields of Given.values the rule reads


@dataclass(slots=True)
class Given:
    """An involvement as a return gives it, with the return's record of it. values: the fields
    the record sets (team_id, end_date); one absent is left as the register holds it."""

    worker_id: int | None
    start_date: dt.date
    values: dict
    path: str


@dataclass(slots=True)
class Held:
    """An involvement as the rule reads it. rank orders two with the same start: (0, pk) for
    the register's, (1, n) for the n-th the return gives that the register does not hold yet."""

    worker_id: int | None
    team_id: int | None
    start_date: dt.date
    end_date: dt.date | None
    rank: tuple[int, int]
    path: str | None = field(default=None)  # the return's record, when the return gives it


def current_involvement(held: Iterable[Held], on: dt.date) -> Held | None:
    """The child's current involvement on `on`: started on or before it and not ended by it,
    the latest start, then the highest rank (primary key); None if there is none."""
    live = [h for h in held if h.start_date <= on and (h.end_date is None or h.end_date > on)]
    return max(live, key=lambda h: (h.start_date, h.rank), default=None)


def _overlay(held: list[Held], given: Sequence[Given]) -> list[Held]:
    """The register's involvements of a child with the return's laid over them."""
    first: dict[tuple, Held] = {}
    for row in held:  # in pk order: the first of a key is the one the importers match
        first.setdefault((row.worker_id, row.start_date), row)
    out = list(held)
    for n, g in enumerate(given):
        key = (g.worker_id, g.start_date)
        h = first.get(key)
        if h is None:
            h = first[key] = Held(g.worker_id, None, g.start_date, None, (1, n))
            out.append(h)
        for name in GIVEN_FIELDS:
            if name in g.values:
                setattr(h, name, g.values[name])
        h.path = g.path
    return out


def allocate_current(
    given: Mapping[int, Sequence[Given]], on: dt.date, provenance: Provenance, dry_run: bool
) -> list[int]:
    """Set the team and worker of each child in `given` (Child pk -> the involvements the return
    gives it) to its current involvement on `on` (the run's date), as the register holds it with
    the return's laid over. Returns the pks of the children whose team or worker changed: unless
    dry_run, written (one bulk_update a batch) and each given a SourceRecord through `provenance`."""
    moved: list[int] = []
    pks = sorted(given)
    for start in range(0, len(pks), BATCH):
        part = pks[start : start + BATCH]
        held: dict[int, list[Held]] = {pk: [] for pk in part}
        rows = Involvement.objects.filter(child_id__in=part).order_by("pk")
        for pk, child_id, worker_id, team, began, ended in rows.values_list(
            "pk", "child_id", "worker_id", "team_id", "start_date", "end_date"
        ):
            held[child_id].append(Held(worker_id, team, began, ended, (0, pk)))
        current = {pk: current_involvement(_overlay(held[pk], given[pk]), on) for pk in part}
        teamless = {h.worker_id for h in current.values() if h and h.team_id is None and h.worker_id is not None}
        worker_team = dict(Worker.objects.filter(pk__in=teamless).values_list("pk", "team_id")) if teamless else {}
        now = {
            pk: (team, worker)
            for pk, team, worker in Child.objects.filter(pk__in=part).values_list("pk", "team_id", "worker_id")
        }
        moves: list[tuple[Child, str]] = []
        for pk in part:
            h = current[pk]
            if h is None or pk not in now:
                continue  # no current involvement: the child keeps its team and worker
            team_id = h.team_id
            if team_id is None and h.worker_id is not None:
                team_id = worker_team.get(h.worker_id)
            if team_id is None or now[pk] == (team_id, h.worker_id):
                continue  # already so (or no team at all, which Involvement.team and Worker.team rule out)
            path = h.path or f"{given[pk][0].path}: {FROM_REGISTER}"
            moves.append((Child(pk=pk, team_id=team_id, worker_id=h.worker_id), path))
        moved.extend(child.pk for child, _path in moves)
        if moves and not dry_run:
            Child.objects.bulk_update([child for child, _path in moves], ["team", "worker"], batch_size=BATCH)
            for child, path in moves:
                provenance.add(child, path, False)
    return moved


def count_moved(counter: Counter, moved: Iterable[int], unchanged: set[int]) -> None:
    """The children's counts after allocate_current: a child the import counted unchanged whose
    team or worker moved is changed instead (and leaves `unchanged`, the pks the import counted
    unchanged); one counted new or changed stays as it is, so that each child is counted once."""
    for pk in moved:
        if pk in unchanged:
            unchanged.discard(pk)
            counter["unchanged"] -= 1
            counter["changed"] += 1
