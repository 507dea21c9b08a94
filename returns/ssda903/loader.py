"""Bringing SSDA903 records into the register.

Matching, as for the CIN census (returns/cin/loader.py): the child on la_child_id (903
CHILD), with UPN as a cross-check whose conflicts are errors naming both children, never
guesses; an episode on (child, DECOM); a review on (child, REVIEW); a missing episode on
(child, the day of MIS_START); a deprivation of liberty (DoLo, from 2026-27) on (child,
DOLO_START); OC2 and OC3 on (child, the collection year's 31 March); a social worker episode on
(child, worker, SW_DECOM); UASC, previous permanence and the adoption (AD1 with PlacedAdoption,
the decision to place for adoption: decision 0051) are one per child. Rows missing from a later
file are not deleted (the register may hold them from another source). Existing rows are
read with one query per table for each chunk of children; new rows are inserted as plain
rows (no model instances: decision 0053) and their keys read back, changed ones bulk-updated,
and each gets a SourceRecord naming the file and row. With dry_run nothing is written and only
the counts are made: that is the preview.

Once a chunk's social worker episodes are synced, each of its children with one gets the
team and worker of its current involvement as the register holds it
(returns/allocation.py, decision 0009): the caseloads and oversight read Child.team and
Child.worker, not the episodes.
"""

import contextlib
import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable
from typing import Any
from zoneinfo import ZoneInfo

from django.db import connection
from django.utils import timezone

from children.models import (
    AdoptionMilestone,
    CareLeaverContact,
    Child,
    DeprivationOfLiberty,
    Involvement,
    LookedAfterEpisode,
    LookedAfterReview,
    MissingEpisode,
    OutcomesReturn,
    PreviousPermanence,
    UnaccompaniedAsylumSeeker,
)
from organisation.models import Worker
from returns.allocation import Given, allocate_current, count_moved
from returns.matching import apply_changes, check_upn, children_by_id, summary, upn_holders
from returns.problems import ProblemLog
from returns.provenance import Provenance, insert
from returns.spool import fewer_collections
from returns.ssda903.reader import FIX_RECORD, FLAGS, Child903, Rec, is_bad
from returns.ssda903.store import FirstSeen

LONDON = ZoneInfo("Europe/London")
BATCH = 1000
# SQLite's page cache while a 903 is written, in KiB (its default is 2 MB): the indexes of the tables written
# outgrow the default at a few thousand children, and each insert then reads its pages back (decision 0066).
SQLITE_CACHE_KIB = 32 * 1024
CHILD_FIELDS = ("sex", "birth_date", "ethnicity", "upn", "upn_unknown", "is_mother", "mother_birth_date")
LABELS = {
    "Child": "children",
    "LookedAfterEpisode": "looked-after episodes",
    "LookedAfterReview": "reviews",
    "UnaccompaniedAsylumSeeker": "UASC",
    "OutcomesReturn": "outcomes (OC2)",
    "CareLeaverContact": "care leavers (OC3)",
    "AdoptionMilestone": "adoption (AD1 and PlacedAdoption)",
    "PreviousPermanence": "previous permanence",
    "MissingEpisode": "missing episodes",
    "Involvement": "social worker episodes",
    "DeprivationOfLiberty": "deprivations of liberty (DoLo)",
}
# AD1's items, and PlacedAdoption's (the decision to place for adoption and its reversal), in AdoptionMilestone.
AD1_FIELDS = (
    "decision_date",
    "match_date",
    "foster_carer_adoption",
    "number_of_adopters",
    "sex_of_adopters",
    "legal_status_of_adopters",
)
PLACED_FIELDS = ("decision_reversed_date", "decision_reversed_reason")
EPISODE_FIELDS = (
    "reason_new_episode",
    "legal_status",
    "cin_category",
    "placement_type",
    "placement_provider",
    "end_date",
    "reason_ceased",
    "reason_place_change",
    "home_postcode",
    "placement_postcode",
    "urn",
)


def at_midnight(day: dt.date | None) -> dt.datetime | None:
    """A 903 date as a time: 00:00 Europe/London (docs/register-mapping.md)."""
    if day is None:
        return None
    return timezone.make_aware(dt.datetime.combine(day, dt.time()), LONDON)


def local_day(moment: dt.datetime | None) -> dt.date | None:
    return timezone.localtime(moment, LONDON).date() if moment is not None else None


class Ssda903Importer:
    dfe_rules = True  # validate_return runs them itself

    def __init__(self, log: ProblemLog, run=None, dry_run: bool = True) -> None:
        self.log = log
        self.run = run
        self.dry_run = dry_run
        self.counts: dict[str, Counter] = defaultdict(Counter)
        # UPN -> the child first given it, on disk: a dict grew with the file (deleted with the importer)
        self.seen_upns = FirstSeen()
        self.provenance = Provenance(run, dry_run)
        self.year: int | None = None
        self.today = timezone.localdate()  # the run's date: whose involvement is current
        self.unchanged: set[int] = set()  # children of the chunk counted unchanged

    # -- bookkeeping -------------------------------------------------------
    def summary(self) -> dict:
        return summary(self.counts, LABELS)

    # -- the whole return --------------------------------------------------
    def consume(self, records: Iterable[Child903]) -> None:
        with fewer_collections(), self._larger_cache():
            chunk: list[Child903] = []
            for rec in records:
                if self.year is None:
                    self.year = getattr(records, "collection_year", None)
                if is_bad(rec) or rec.header is None:
                    continue
                chunk.append(rec)
                if len(chunk) >= BATCH:
                    self.process(chunk)
                    chunk = []
            if chunk:
                self.process(chunk)
        if self.dfe_rules and not getattr(records, "fatal", False):  # the DfE's rules, set-based over the return
            from returns.rules.check import add_903_rule_findings

            add_903_rule_findings(self.log, getattr(records, "source", None), getattr(records, "collection_year", None))

    @contextlib.contextmanager
    def _larger_cache(self):
        """SQLite's page cache raised to SQLITE_CACHE_KIB for the writing, then set back: a bounded cost in
        memory (the same at any size past a few thousand children) for 13% less CPU at 100,000 children."""
        if self.dry_run or connection.vendor != "sqlite":
            yield
            return
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA cache_size")
            (before,) = cursor.fetchone()
            cursor.execute(f"PRAGMA cache_size = -{SQLITE_CACHE_KIB}")
        try:
            yield
        finally:
            with connection.cursor() as cursor:
                cursor.execute(f"PRAGMA cache_size = {int(before)}")

    @property
    def year_ending(self) -> dt.date | None:
        return dt.date(self.year, 3, 31) if self.year else None

    def process(self, chunk: list[Child903]) -> None:
        self.fresh: set[int] = set()
        self.unchanged = set()
        existing = children_by_id([r.la_child_id for r in chunk])
        self._cross_check(chunk, existing)
        pks = self._children(chunk, existing)

        def rows(table: str, build):
            return [(pks[c.la_child_id], rec, build(rec)) for c in chunk for rec in c.rows(table)]

        self._sync(
            LookedAfterEpisode,
            ("start_date",),
            EPISODE_FIELDS,
            rows("Episodes", lambda r: dict(r.values)),
        )
        self._sync(LookedAfterReview, ("review_date",), ("participation",), rows("Reviews", lambda r: dict(r.values)))
        year_ending = self.year_ending
        self._sync(
            OutcomesReturn,
            ("year_ending",),
            ("sdq_score", "sdq_reason", *(f.lower() for f in FLAGS)),
            rows("OC2", lambda r: {**r.values, "year_ending": year_ending}),
        )
        self._sync(
            CareLeaverContact,
            ("year_ending",),
            ("in_touch", "activity", "accommodation"),
            rows("OC3", lambda r: {**r.values, "year_ending": year_ending}),
        )
        self._sync(UnaccompaniedAsylumSeeker, (), ("date_ceased",), rows("UASC", lambda r: dict(r.values)))
        self._adoption([(pks[c.la_child_id], c.rows("PlacedAdoption"), c.rows("AD1")) for c in chunk])
        self._sync(
            PreviousPermanence,
            (),
            ("previous_permanence", "la_code", "date_raw"),
            rows("PrevPerm", lambda r: dict(r.values)),
        )
        self._missing(rows("Missing", lambda r: dict(r.values)))
        self._sync(DeprivationOfLiberty, ("start_date",), ("end_date",), rows("DoLo", lambda r: dict(r.values)))
        self._social_workers(chunk, pks)
        self.provenance.flush()

    # -- children ----------------------------------------------------------
    def _cross_check(self, chunk: list[Child903], existing: dict) -> None:
        """UPN is a cross-check on CHILD: conflicts are reported as errors naming both, never guessed."""
        holders = upn_holders(
            {c.header.values["upn"]: c.la_child_id for c in chunk if c.header and c.header.values.get("upn")}
        )
        for rec in chunk:
            assert rec.header is not None
            upn = rec.header.values.get("upn")
            if upn:
                where = {
                    "child_id": rec.la_child_id,
                    "location": rec.header.path,
                    "file": rec.header.file,
                    "field": "UPN",
                }
                child = existing.get(rec.la_child_id)
                check_upn(self.log, self.seen_upns, rec.la_child_id, upn, child, holders.get(upn), where)

    def _children(self, chunk: list[Child903], existing: dict) -> dict[str, int | None]:
        new: list[tuple[dict, Rec]] = []
        changed: list[tuple[Child, Rec]] = []
        pks: dict[str, int | None] = {}
        for rec in chunk:
            assert rec.header is not None
            values = {f: rec.header.values.get(f) for f in CHILD_FIELDS}
            values["upn"] = values["upn"] or ""
            values["upn_unknown"] = values["upn_unknown"] or ""
            child = existing.get(rec.la_child_id)
            if child is None:
                new.append(({"la_child_id": rec.la_child_id, **values}, rec.header))
                pks[rec.la_child_id] = None
                continue
            if apply_changes(child, values, CHILD_FIELDS):
                changed.append((child, rec.header))
            else:
                self.counts["Child"]["unchanged"] += 1
                self.unchanged.add(child.pk)
            pks[rec.la_child_id] = child.pk
        self.counts["Child"]["new"] += len(new)
        self.counts["Child"]["changed"] += len(changed)
        if not self.dry_run:
            if new:
                insert(Child, [values for values, _h in new])
                ids = [values["la_child_id"] for values, _h in new]
                # Each is new: no child in the register had its ID (children_by_id), so the ID finds it.
                found = dict(Child.objects.filter(la_child_id__in=ids).values_list("la_child_id", "pk"))
                created = [found[la_id] for la_id in ids]
                pks.update(zip(ids, created, strict=True))
                self.fresh.update(created)
                self.provenance.add_created(Child, created, [header.path for _v, header in new])
            if changed:
                Child.objects.bulk_update([c for c, _ in changed], CHILD_FIELDS, batch_size=BATCH)
            for child, header in changed:
                self.provenance.add(child, header.path, False)
        return pks

    # -- the child's rows --------------------------------------------------
    def _sync(self, model, key: tuple[str, ...], fields: tuple[str, ...], items: list) -> None:
        """items: (child pk or None, Rec, values). Matched on (child, *key); the file's values
        replace the register's for `fields`."""
        name = model.__name__
        lookup = [pk for pk, _r, _v in items if pk and pk not in self.fresh]
        have: dict[tuple, object] = {}
        if lookup:
            query = model.objects.filter(child_id__in=lookup)
            if model is CareLeaverContact:
                query = query.filter(year_ending__isnull=False)
            for obj in query.order_by("pk"):
                k = (obj.child_id, *(getattr(obj, f) for f in key))
                have.setdefault(k, obj)
        seen: dict[tuple, str] = {}
        new: list[tuple[dict, Rec]] = []
        changed: list[tuple[object, Rec]] = []
        for child_pk, rec, values in items:
            k = (child_pk, *(values[f] for f in key))
            if child_pk is not None and k in seen:
                self.log.error(
                    "903.duplicate-row",
                    f"{LABELS[name]}: this row has the same key as {seen[k]}. {FIX_RECORD}",
                    location=rec.path,
                    file=rec.file,
                )
                continue
            seen[k] = rec.path
            obj = have.get(k) if child_pk else None
            if obj is None:
                new.append(({"child_id": child_pk, **{f: values[f] for f in (*key, *fields)}}, rec))
                continue
            if apply_changes(obj, values, fields):
                changed.append((obj, rec))
            else:
                self.counts[name]["unchanged"] += 1
        self._save(model, key, new, changed, list(fields))

    def _adoption(self, items: list) -> None:
        """PlacedAdoption and AD1 both describe the child's adoption (AdoptionMilestone): DATE_PLACED is the
        date of the decision that the child should be placed for adoption, the same decision as AD1's
        DATE_INT (rule 523), not the day the child moved in (PlacedForAdoption, from Annex A and the SSD);
        DATE_PLACED_CEASED and REASON_PLACED_CEASED are that decision's reversal (decision 0051). Only the
        values the file gives are written, so a PlacedAdoption row alone keeps the AD1 items the register holds.
        items: (child pk or None, PlacedAdoption Recs, AD1 Recs)."""
        given: list[tuple[Any, Rec, dict]] = []  # child pk, or None for a child new in a preview
        for child_pk, placed, ad1 in items:
            values: dict = {}
            rec = None
            if placed:  # several decisions in the year: the latest is the one in force
                latest = max(placed, key=lambda r: r.values["date_placed"] or dt.date.min)
                values |= {
                    "decision_date": latest.values["date_placed"],
                    "decision_reversed_date": latest.values["date_ceased"],
                    "decision_reversed_reason": latest.values["reason_ceased"] or "",
                }
                rec = latest
            if ad1:
                values |= {f: ad1[0].values[f] for f in AD1_FIELDS}
                rec = ad1[0]
            if rec is not None:
                given.append((child_pk, rec, values))
        if not given:
            return
        lookup = [pk for pk, _r, _v in given if pk and pk not in self.fresh]
        have = {a.child_id: a for a in AdoptionMilestone.objects.filter(child_id__in=lookup)}
        new: list[tuple[dict, Rec]] = []
        changed: list[tuple[object, Rec]] = []
        for child_pk, rec, values in given:
            obj = have.get(child_pk) if child_pk else None
            if obj is None:
                new.append(({"child_id": child_pk, **values}, rec))
            elif apply_changes(obj, values):
                changed.append((obj, rec))
            else:
                self.counts["AdoptionMilestone"]["unchanged"] += 1
        self._save(AdoptionMilestone, (), new, changed, [*AD1_FIELDS, *PLACED_FIELDS])

    def _save(self, model, key: tuple[str, ...], new: list, changed: list, fields: list[str]) -> None:
        """Count the new rows ((values, Rec) pairs: a dict of attname -> value) and the changed ones
        ((row, Rec) pairs) and, unless previewing, write them with their provenance."""
        self.counts[model.__name__]["new"] += len(new)
        self.counts[model.__name__]["changed"] += len(changed)
        if self.dry_run:
            return
        self._create(model, key, new)
        if changed:
            model.objects.bulk_update([o for o, _ in changed], fields, batch_size=BATCH)
        for obj, rec in changed:
            self.provenance.add(obj, rec.path, False)

    def _create(self, model, key: tuple[str, ...], new: list[tuple[dict, Rec]]) -> None:
        """Insert the new rows as they are, without building model instances (Django's bulk_create cost
        about 40% of the import: decision 0053), read their primary keys back by (child, key) and record
        their provenance, in the order given. (child, key) finds each: the matching created a row only
        where none of the child's rows had its key, and only one row per key (the others are errors)."""
        if not new:
            return
        given = dict.fromkeys(name for values, _rec in new for name in values)
        if any(len(values) < len(given) for values, _rec in new):  # an adoption gives only some of its items
            blank = {name: model._meta.get_field(name).get_default() for name in given}
            insert(model, [{**blank, **values} for values, _rec in new])
        else:
            insert(model, [values for values, _rec in new])
        names = ("child_id", *key)
        children = {values["child_id"] for values, _rec in new}
        found = {row[:-1]: row[-1] for row in model.objects.filter(child_id__in=children).values_list(*names, "pk")}
        pks = [found[tuple(values[n] for n in names)] for values, _rec in new]
        self.provenance.add_created(model, pks, [rec.path for _values, rec in new])

    def _missing(self, items: list) -> None:
        """Matched on the day the child went missing, so that a time the tracker holds is kept."""
        name = "MissingEpisode"
        lookup = [pk for pk, _r, _v in items if pk and pk not in self.fresh]
        have: dict[tuple, MissingEpisode] = {}
        for obj in MissingEpisode.objects.filter(child_id__in=lookup).order_by("pk"):
            have.setdefault((obj.child_id, local_day(obj.started_at)), obj)
        seen: set = set()
        new: list[tuple[dict, Rec]] = []
        changed: list[tuple[MissingEpisode, Rec]] = []
        for child_pk, rec, values in items:
            start, end = values["started_at"], values["returned_at"]
            k = (child_pk, start)
            if child_pk is not None and k in seen:
                continue  # reported by the reader's duplicate check
            seen.add(k)
            found = have.get(k) if child_pk else None
            if found is None:
                began = at_midnight(start)
                assert began is not None  # MIS_START is required: the reader rejects a row without it
                row = {
                    "child_id": child_pk,
                    "kind": values["kind"],
                    "started_at": began,
                    "returned_at": at_midnight(end),
                }
                new.append((row, rec))
                continue
            obj = found
            diff = False
            if obj.kind != values["kind"]:
                obj.kind, diff = values["kind"], True
            if local_day(obj.returned_at) != end:
                obj.returned_at, diff = at_midnight(end), True
            if diff:
                changed.append((obj, rec))
            else:
                self.counts[name]["unchanged"] += 1
        self._save(MissingEpisode, ("started_at",), new, changed, ["kind", "returned_at"])

    def _social_workers(self, chunk: list[Child903], pks: dict) -> None:
        """SWEpisodes: SW_ID is organisation.Worker.staff_id; the involvement's team is the worker's team.
        Then the children's team and worker follow their current involvement (returns/allocation.py);
        a child whose episodes were all skipped keeps its own."""
        wanted = {rec.values["staff_id"] for c in chunk for rec in c.rows("SWEpisodes")}
        if not wanted:
            return
        workers = {w.staff_id: w for w in Worker.objects.filter(staff_id__in=wanted)}
        items = []
        for c in chunk:
            for rec in c.rows("SWEpisodes"):
                worker = workers.get(rec.values["staff_id"])
                if worker is None:
                    # A warning, not an error: a council goes live before every worker is set up,
                    # and the rest of the return should not wait; re-importing adds the episode.
                    self.log.warning(
                        "903.worker-unknown",
                        f"SW_ID {rec.values['staff_id']} is not the staff ID of any worker in Line of Sight, so "
                        "this social worker episode was not imported; add the worker (with their team) under "
                        "organisation and import the return again.",
                        child_id=c.la_child_id,
                        location=rec.path,
                        file=rec.file,
                        field="SW_ID",
                    )
                    continue
                values = {
                    "worker_id": worker.pk,
                    "team_id": worker.team_id,
                    "start_date": rec.values["start_date"],
                    "end_date": rec.values["end_date"],
                    "change_reason": rec.values["change_reason"],
                }
                items.append((pks[c.la_child_id], rec, values))
        self._sync(Involvement, ("worker_id", "start_date"), ("team_id", "end_date", "change_reason"), items)
        given: dict[int, list[Given]] = defaultdict(list)
        for child_pk, rec, values in items:
            if child_pk is not None:  # None: a child the preview would create, with no allocation yet to change
                given[child_pk].append(Given(values["worker_id"], values["start_date"], values, rec.path))
        moved = allocate_current(given, self.today, self.provenance, self.dry_run)
        count_moved(self.counts["Child"], moved, self.unchanged)
