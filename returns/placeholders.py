"""Referrals the Annex A import made up, settled when a return brings the real ones.

Annex A Lists 4, 5 and 7 name no referral, so an assessment, section 47 enquiry or CP plan
whose child has no referral on or before its start hangs from a referral made up on that date
(`Referral.placeholder`; docs/decisions/0010-annex-a.md). Every importer matches referrals on
(child, referral date) and what hangs from them on (referral, start date), so when a CIN census,
SSD extract or later Annex A workbook gives the child's real referral:

- on the made-up referral's own date, the importer updates that row: it is a real referral
  now (its provenance names a record that is not the made-up mark) and loses the flag;
- on an earlier date, each event of the made-up referral that starts on or after it moves to
  the child's latest real referral on or before its start (the rule the Annex A import itself
  follows). When a real referral of the child already holds the same event (the same kind,
  start date), the return has brought it again: the made-up copy's values fill the real row's
  blanks (Annex A's team, worker, child seen ...), its conferences, core groups and factors
  move over unless the real row has the same, and the copy is deleted;
- a made-up referral from which nothing hangs any more is deleted, with its provenance.

`settle()` does this for the whole register in a few queries (there are few made-up
referrals); the Annex A importer calls it at the end of its transaction (so its preview
counts it) and services._write after every other import.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models

from children.models import (
    Assessment,
    AssessmentFactor,
    ChildProtectionConference,
    ChildProtectionPlan,
    CoreGroupMeeting,
    Referral,
    Section47Enquiry,
)
from returns.models import SourceRecord
from returns.provenance import Provenance

HOLDER = "referral made up to hold"  # the provenance mark of a made-up referral (also in Referral.placeholder)
EVENTS: tuple[type[models.Model], ...] = (Assessment, Section47Enquiry, ChildProtectionPlan)
# What hangs from each event: (model, its foreign key to the event, the fields that make two the same).
DEPENDENTS: dict[type[models.Model], tuple[tuple[type[models.Model], str, tuple[str, ...]], ...]] = {
    Assessment: ((AssessmentFactor, "assessment", ("code",)),),
    Section47Enquiry: ((ChildProtectionConference, "section47", ("kind",)),),
    ChildProtectionPlan: (
        (ChildProtectionConference, "plan", ("kind", "conference_date")),
        (CoreGroupMeeting, "plan", ("meeting_date",)),
    ),
}
LABELS = {Assessment: "assessments", Section47Enquiry: "section 47 enquiries", ChildProtectionPlan: "plans"}
KEEP = {"id", "referral_id", "child_id", "start_date"}


@dataclass
class Settled:
    given: set[int] = field(default_factory=set)  # made-up referrals a return has given since: real now
    moved: dict[type, set[int]] = field(default_factory=lambda: defaultdict(set))  # events now on a real referral
    filled: dict[type, set[int]] = field(default_factory=lambda: defaultdict(set))  # real events given the copy's
    merged: dict[type, set[int]] = field(default_factory=lambda: defaultdict(set))  # made-up copies deleted
    dropped: set[int] = field(default_factory=set)  # made-up referrals deleted: nothing hung from them
    children: set[int] = field(default_factory=set)  # whose records any of this changed: their timescales change

    def __bool__(self) -> bool:
        return bool(self.given or self.dropped or any(self.moved.values()) or any(self.merged.values()))

    def summary(self) -> dict[str, dict[str, int]]:
        """For a run's summary: what the settling changed, in the new/changed/removed counts."""
        out: dict[str, dict[str, int]] = {}
        referrals = {"changed": len(self.given), "removed": len(self.dropped)}
        if any(referrals.values()):
            out["made-up referrals"] = {k: v for k, v in referrals.items() if v}
        for model, label in LABELS.items():
            counts = {"changed": len(self.moved[model] | self.filled[model]), "removed": len(self.merged[model])}
            if any(counts.values()):
                out[f"{label} moved to a real referral"] = {k: v for k, v in counts.items() if v}
        return out


def _blank(value: Any) -> bool:
    return value is None or value == ""


def settle(provenance: Provenance) -> Settled:
    """Settle every made-up referral the register holds against the real referrals it now has."""
    done = Settled()
    held = {r.pk: r for r in Referral.objects.filter(placeholder=True)}
    if not held:
        return done
    ct = ContentType.objects.get_for_model(Referral)
    done.given = set(
        SourceRecord.objects.filter(content_type=ct, object_id__in=list(held))
        .exclude(record_path__contains=HOLDER)
        .values_list("object_id", flat=True)
    )
    if done.given:
        Referral.objects.filter(pk__in=list(done.given)).update(placeholder=False)
    for pk in done.given:
        done.children.add(held.pop(pk).child_id)
    if not held:
        return done
    children = {r.child_id for r in held.values()}
    real: dict[int, list[Referral]] = defaultdict(list)
    for r in Referral.objects.filter(child__in=children, placeholder=False).order_by("referral_date", "pk"):
        real[r.child_id].append(r)
    for model in EVENTS:
        _settle_events(model, held, real, provenance, done)
    _drop_empty(held, ct, done)
    return done


def _settle_events(
    model: type[Any],
    held: dict[int, Referral],
    real: dict[int, list[Referral]],
    provenance: Provenance,
    done: Settled,
) -> None:
    events = list(model.objects.filter(referral__in=list(held)).order_by("start_date", "pk"))
    if not events:
        return
    # The same event under a real referral of the child: the return brought it again.
    same: dict[tuple[int, dt.date], Any] = {}
    real_pks = [r.pk for refs in real.values() for r in refs]
    for obj in model.objects.filter(referral__in=real_pks).select_related("referral").order_by("pk"):
        same.setdefault((obj.referral.child_id, obj.start_date), obj)
    moves = []
    for event in events:
        child = held[event.referral_id].child_id
        target = [r for r in real.get(child, ()) if r.referral_date <= event.start_date]
        if not target:
            continue  # still no real referral to hang from: the made-up one stays
        twin = same.get((child, event.start_date))
        if twin is None:
            path = f"moved from the made-up referral of {held[event.referral_id].referral_date:%d/%m/%Y}"
            event.referral_id = target[-1].pk
            moves.append(event)
            same[(child, event.start_date)] = event
            done.moved[model].add(event.pk)
            done.children.add(child)
            provenance.add(event, f"{path} to the referral of {target[-1].referral_date:%d/%m/%Y}", False)
        else:
            if _fill(twin, event):
                done.filled[model].add(twin.pk)
                provenance.add(twin, "blanks filled from the copy a made-up referral held", False)
            _move_dependents(model, event, twin)
            done.merged[model].add(event.pk)
            done.children.add(child)
    if done.merged[model]:
        copies = list(done.merged[model])
        model.objects.filter(pk__in=copies).delete()
        SourceRecord.objects.filter(
            content_type=ContentType.objects.get_for_model(model), object_id__in=copies
        ).delete()
    if moves:
        model.objects.bulk_update(moves, ["referral"], batch_size=1000)


def _fill(kept: models.Model, copy: models.Model) -> bool:
    """Give `kept` the copy's values where it has none; True if anything changed."""
    values = {
        f.attname: getattr(copy, f.attname)
        for f in kept._meta.concrete_fields
        if f.attname not in KEEP and _blank(getattr(kept, f.attname)) and not _blank(getattr(copy, f.attname))
    }
    if values:
        type(kept)._default_manager.filter(pk=kept.pk).update(**values)  # no per-row signals, as the importers
        for name, value in values.items():
            setattr(kept, name, value)
    return bool(values)


def _move_dependents(model: type[models.Model], copy: models.Model, kept: models.Model) -> None:
    """The copy's conferences, core groups or factors go to the kept event, unless it has the same."""
    for dep, fk, key in DEPENDENTS[model]:
        manager = dep._default_manager
        have = {tuple(row) for row in manager.filter(**{fk: kept}).values_list(*key)}
        same: list[int] = []
        other: list[int] = []
        for pk, *row in manager.filter(**{fk: copy}).values_list("pk", *key):
            (same if tuple(row) in have else other).append(pk)
        if same:
            manager.filter(pk__in=same).delete()
        if other:
            manager.filter(pk__in=other).update(**{fk: kept})


def _drop_empty(held: dict[int, Referral], ct: ContentType, done: Settled) -> None:
    """Delete the made-up referrals nothing hangs from any more (and their provenance)."""
    still: set[int] = set()
    for rel in Referral._meta.related_objects:  # assessments, section 47s, plans, CIN plans ...
        manager = rel.related_model._default_manager  # type: ignore[union-attr]
        still.update(manager.filter(**{f"{rel.field.name}__in": list(held)}).values_list(rel.field.attname, flat=True))
    empty = [pk for pk in held if pk not in still]
    if empty:
        SourceRecord.objects.filter(content_type=ct, object_id__in=empty).delete()
        Referral.objects.filter(pk__in=empty).delete()
        done.dropped.update(empty)
        done.children.update(held[pk].child_id for pk in empty)
