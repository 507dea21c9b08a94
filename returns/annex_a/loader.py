"""Bringing Ofsted Annex A lists into the register.

Rows come from returns.annex_a.reader.AnnexAReader list by list (1, 2, 3, 6, 4, 5, 7,
8, 9, 10, 11) and are handled in chunks. The child is matched on la_child_id
(Annex A "Child Unique ID"); a UPN column, where a council adds one, is a
cross-check whose conflicts are errors naming both children. Events are matched
on natural keys (docs/decisions/0010-annex-a.md has the table): a contact on
(child, date, n-th of that date), a referral on (child, referral date), an
assessment or section 47 on (referral, start date), a CP plan on (child, start
date), a looked-after episode on (child, start date), an adopter on its
identifier. Everything happens inside one transaction: the preview (dry_run)
does the same work and rolls it back, so its counts are exactly what a commit
would do (on SQLite in a snapshot of the database, returns.rehearsal). Rows are
created with bulk_create and changed with bulk_update (no
per-row signals: the run records one audit event), and every created or
changed row gets a SourceRecord naming the list and row.
"""

import datetime as dt
import hashlib
from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

from django.db import models, transaction

from children.models import (
    Adopter,
    AdoptionMilestone,
    Assessment,
    CareLeaverContact,
    Child,
    ChildProtectionConference,
    ChildProtectionPlan,
    Contact,
    EarlyHelpEpisode,
    HealthAssessment,
    Involvement,
    LookedAfterEpisode,
    LookedAfterReview,
    MissingEpisode,
    PathwayPlan,
    PermanencePlan,
    PlacedForAdoption,
    Referral,
    Section47Enquiry,
    UnaccompaniedAsylumSeeker,
    Visit,
)
from organisation.models import Service, Team, TeamType, Worker
from returns import rehearsal
from returns.annex_a.reader import FIX_EITHER, FIX_IN_CMS, LISTS, AnnexRow
from returns.limits import quoted
from returns.matching import apply_changes, check_upn, children_by_id
from returns.placeholders import HOLDER, settle
from returns.problems import ProblemLog
from returns.provenance import Provenance

CHUNK = 1000
LABELS = {
    Child: "children",
    Contact: "contacts",
    EarlyHelpEpisode: "early help episodes",
    Referral: "referrals",
    Assessment: "assessments",
    Section47Enquiry: "section 47 enquiries",
    ChildProtectionPlan: "child protection plans",
    ChildProtectionConference: "conferences",
    Visit: "visits",
    LookedAfterEpisode: "looked-after episodes",
    LookedAfterReview: "looked-after reviews",
    PermanencePlan: "permanence plans",
    HealthAssessment: "health assessments",
    UnaccompaniedAsylumSeeker: "UASC records",
    MissingEpisode: "missing episodes",
    CareLeaverContact: "care leaver contacts",
    PathwayPlan: "pathway plans",
    AdoptionMilestone: "adoption milestones",
    PlacedForAdoption: "placements for adoption",
    Adopter: "adopters",
    Involvement: "allocations",
    Team: "teams",
    Worker: "workers",
}
TEAM_TYPES = {
    3: TeamType.FRONT_DOOR,
    4: TeamType.ASSESSMENT,
    5: TeamType.CIN_CP,
    6: TeamType.CIN_CP,
    7: TeamType.CIN_CP,
    8: TeamType.LOOKED_AFTER,
    9: TeamType.LEAVING_CARE,
}
EPISODE = {
    "legal_status": "legal_status",
    "cin_category": "cin_category",
    "placement_type": "placement_type",
    "placement_provider": "provider",
    "placement_postcode": "postcode",
    "urn": "urn",
    "in_borough": "location",
    "placement_la": "placement_la",
    "end_date": "date_ceased",
    "reason_ceased": "reason_ceased",
}
PLACEMENT_FIELDS = ("placement_type", "placement_provider", "placement_postcode", "urn", "in_borough", "placement_la")
CHILD_FACTS: tuple[tuple[str, str], ...] = (
    ("sex", "Gender"),
    ("ethnicity", "Ethnicity"),
    ("birth_date", "Date of Birth"),
)
CHILD_FACTS += (("has_disability", "Does the Child have a Disability"), ("upn", "UPN"))


def _show(value: Any) -> str:
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    return "blank" if value in (None, "") else str(value)


def _blank_of(model, name: str) -> Any:
    field = model._meta.get_field(name)
    if field.null:
        return None
    if isinstance(field, models.BooleanField):
        return False
    return ""


def _max_length(model, name: str) -> int | None:
    return getattr(model._meta.get_field(name), "max_length", None)


class AnnexAImporter:
    def __init__(self, log: ProblemLog, run=None, dry_run: bool = True) -> None:
        self.log = log
        self.run = run
        self.dry_run = dry_run
        self.created: dict[type, set] = defaultdict(set)
        self.changed: dict[type, set] = defaultdict(set)
        self.removed: dict[type, set] = defaultdict(set)
        self.seen: dict[type, set] = defaultdict(set)
        self.provenance = Provenance(run, dry_run)
        self.facts: dict[tuple[str, str], tuple[Any, str]] = {}
        self.keys: dict[tuple, str] = {}  # natural key -> the row that gave it (duplicates in the file)
        self.upns: dict[str, str] = {}
        self.allocated: dict[tuple, tuple[dict, str]] = {}
        self.same_day: dict[tuple, int] = defaultdict(int)  # List 1: contacts so far per child and day
        self.teams: dict[str, Team] = {}
        self.workers: dict[str, Worker | None] = {}
        self.ambiguous: dict[str, str] = {}  # worker name (lowered) -> why it matches no one worker
        self.today = dt.date.today()

    # -- bookkeeping -----------------------------------------------------------
    def summary(self) -> dict:
        out = {}
        for model, label in LABELS.items():
            gone = self.removed[model]
            new = len(self.created[model] - gone)
            changed = len(self.changed[model] - self.created[model] - gone)
            unchanged = len(self.seen[model] - self.created[model] - self.changed[model] - gone)
            removed = len(gone - self.created[model])
            counts = {
                k: v
                for k, v in (("new", new), ("changed", changed), ("unchanged", unchanged), ("removed", removed))
                if v
            }
            if counts:
                out[label] = counts
        return out

    def _where(self, row: AnnexRow, field: str = "") -> dict:
        if row.list_no == 11:  # an adopter's row: an error in it leaves out the row, no child (decision 0048)
            location = f"{row.sheet} row {row.row} (adopter {row.child_id})"
            return {"child_id": "", "location": location, "field": field, "skipped": True}
        return {"child_id": row.child_id, "location": f"{row.sheet} row {row.row}", "field": field}

    def _header(self, row: AnnexRow, key: str) -> str:
        for col in LISTS[row.list_no].columns:
            if col.key == key:
                return col.header
        return key

    def _apply(self, model, items: Sequence[tuple[Any, dict, str]]) -> list[Any]:
        """items: (existing row or None, field values, record path). Creates the new rows in one
        bulk_create, changes the changed ones in one bulk_update, records provenance. Returns the rows."""
        out: list[models.Model] = []
        new: list[tuple[models.Model, str]] = []
        changed: list[tuple[models.Model, str]] = []
        fields: set[str] = set()
        for obj, values, path in items:
            if obj is None:
                obj = model(**values)
                new.append((obj, path))
            else:
                diff = apply_changes(obj, values)
                if diff:
                    fields.update(diff)
                    changed.append((obj, path))
            out.append(obj)
        if new:
            model.objects.bulk_create([o for o, _ in new], batch_size=1000)
            for obj, path in new:
                self.created[model].add(obj.pk)
                self.provenance.add(obj, path, True)
        if changed:
            model.objects.bulk_update([o for o, _ in changed], sorted(fields), batch_size=1000)
            for obj, path in changed:
                self.changed[model].add(obj.pk)
                self.provenance.add(obj, path, obj.pk in self.created[model])
        for obj in out:
            self.seen[model].add(obj.pk)
        return out

    def _duplicate(self, key: tuple, row: AnnexRow, what: str, field: str) -> bool:
        first = self.keys.setdefault(key, row.path)
        if first != row.path:
            self.log.error(
                "annex_a.duplicate",
                f"{row.path}: {what} is also on {first}; a list gives each record once. {FIX_IN_CMS}",
                **self._where(row, field),
            )
            return True
        return False

    def _pick(self, row: AnnexRow, model, mapping: dict[str, str]) -> dict:
        """Register field -> value for the columns the row gives: a value, or the field's blank when
        the cell is blank. A column the sheet lacks, or a value that could not be read, leaves the
        register's value as it is."""
        out: dict[str, Any] = {}
        for name, key in mapping.items():
            if key in row.values:
                field = model._meta.get_field(name)
                out[name] = self._fit(row, model, name, key) if isinstance(field, models.CharField) else row.values[key]
            elif key in row.blank:
                out[name] = _blank_of(model, name)
        return out

    def _fit(self, row: AnnexRow, model, name: str, key: str) -> Any:
        """A text value, or blank if it does not fit its register column (reported)."""
        value = row.values.get(key, "")
        limit = _max_length(model, name)
        if value and limit and len(value) > limit:
            self.log.warning(
                "annex_a.too-long",
                f"{row.path}: {self._header(row, key)} {quoted(value)} is longer than the register holds "
                f"({limit} characters); the value was not stored. {FIX_IN_CMS}",
                **self._where(row, self._header(row, key)),
            )
            return ""
        return value

    # -- the whole file --------------------------------------------------------
    def consume(self, rows: Iterable[AnnexRow]) -> None:
        with transaction.atomic(using=rehearsal.alias()):  # a preview on SQLite: in a snapshot
            chunk: list[AnnexRow] = []
            for row in rows:
                if chunk and (row.list_no != chunk[0].list_no or len(chunk) >= CHUNK):
                    self._process(chunk)
                    chunk = []
                chunk.append(row)
            if chunk:
                self._process(chunk)
            self._settle()
            self.provenance.flush()
            if self.dry_run:
                transaction.set_rollback(True, using=rehearsal.alias())  # the preview: same work, nothing kept

    def _settle(self) -> None:
        """Referrals made up by an earlier import that this workbook's Lists 3 and 6 now give
        (returns.placeholders): their events move to the real referral, in this transaction,
        so that the preview counts it too."""
        done = settle(self.provenance)
        self.settled_children = done.children  # for the recompute of the children the run touched
        for model, pks in done.moved.items():
            self.changed[model] |= pks
        for model, pks in done.filled.items():
            self.changed[model] |= pks
        for model, pks in done.merged.items():
            self.removed[model] |= pks
        self.changed[Referral] |= done.given
        self.removed[Referral] |= done.dropped

    def _process(self, rows: list[AnnexRow]) -> None:
        number = rows[0].list_no
        if number == 11:
            self._adopters(rows)
        else:
            children = self._children(rows)
            rows = [r for r in rows if r.child_id in children]
            getattr(self, f"_list{number}")(rows, children)
        self.provenance.flush()

    # -- children --------------------------------------------------------------
    def _children(self, rows: list[AnnexRow]) -> dict[str, Child]:
        ids = list({r.child_id for r in rows})
        existing = children_by_id(ids)
        upns = {r.values["upn"]: r for r in rows if r.values.get("upn")}
        holders = dict(Child.objects.filter(upn__in=list(upns)).exclude(upn="").values_list("upn", "la_child_id"))
        wanted: dict[str, dict] = {}
        paths: dict[str, str] = {}
        bad: set[str] = set()
        for row in rows:
            values = wanted.setdefault(row.child_id, {})
            paths.setdefault(row.child_id, row.path)
            upn = row.values.get("upn")
            if upn:
                holder = holders.get(upn, row.child_id)
                if check_upn(
                    self.log,
                    self.upns,
                    row.child_id,
                    upn,
                    existing.get(row.child_id),
                    None if holder == row.child_id else holder,
                    self._where(row, "UPN"),
                    prefix=f"{row.path}: ",
                ):
                    bad.add(row.child_id)
            for name, header in CHILD_FACTS:
                key = "disability" if name == "has_disability" else name
                if key not in row.values:
                    continue
                value = row.values[key]
                if name == "upn" and len(value) > 13:
                    self.log.warning(
                        "annex_a.too-long",
                        f"{row.path}: UPN {quoted(value)} is longer than 13 characters; it was not stored. "
                        + FIX_IN_CMS,
                        **self._where(row, "UPN"),
                    )
                    continue
                first = self.facts.setdefault((row.child_id, name), (value, row.path))
                if first[0] != value:
                    self.log.warning(
                        "annex_a.child-differs",
                        f"{row.path}: {header} of child {row.child_id} is {_show(value)}, but {first[1]} gave "
                        f"{_show(first[0])}; the register keeps the first. {FIX_EITHER}",
                        **self._where(row, header),
                    )
                    continue
                if first[1] == row.path:
                    values[name] = value
        items: list[tuple[Any, dict, str]] = []
        for child_id, values in wanted.items():
            if child_id in bad:
                continue
            child = existing.get(child_id)
            if child is None:
                items.append((None, {"la_child_id": child_id, **values}, paths[child_id]))
            else:
                items.append((child, values, paths[child_id]))
        return {c.la_child_id: c for c in self._apply(Child, items)}  # type: ignore[attr-defined]

    # -- teams and workers -----------------------------------------------------
    def _team(self, name: str, number: int) -> Team | None:
        if not name:
            return None
        key = " ".join(name.split()).lower()
        if key not in self.teams:
            found = [t for t in Team.objects.filter(name__iexact=" ".join(name.split()))]
            if found:
                self.teams[key] = found[0]
            else:
                service, _ = Service.objects.get_or_create(name="Teams named in Annex A imports")
                team = Team(name=" ".join(name.split())[:120], service=service, team_type=TEAM_TYPES[number])
                Team.objects.bulk_create([team])
                self.created[Team].add(team.pk)
                self.teams[key] = team
        self.seen[Team].add(self.teams[key].pk)
        return self.teams[key]

    def _worker(self, row: AnnexRow, team: Team | None) -> Worker | None:
        name = row.values.get("worker", "")
        if not name:
            return None
        clean = " ".join(name.split())
        key = clean.lower()
        if key in self.ambiguous:
            # Every row that names the worker has the error: each of those children is held back, in one attempt.
            self.log.error(
                "match.worker-ambiguous", f"{row.path}: {self.ambiguous[key]}", **self._where(row, "Allocated Worker")
            )
        if key not in self.workers:
            found = list(Worker.objects.filter(name__iexact=clean))
            if len(found) > 1:
                self.ambiguous[key] = (
                    f"{len(found)} workers in the register are called {quoted(clean)} "
                    f"(staff IDs {', '.join(w.staff_id for w in found)}); cannot tell which holds the case. "
                    "Annex A gives no staff ID: give the two workers different names, the same in Line of Sight's "
                    "admin pages (Workers) as in the case management system."
                )
                self.log.error(
                    "match.worker-ambiguous",
                    f"{row.path}: {self.ambiguous[key]}",
                    **self._where(row, "Allocated Worker"),
                )
                self.workers[key] = None
            elif found:
                self.workers[key] = found[0]
            else:
                home = team or self._team("Workers named in Annex A imports", row.list_no)
                worker = Worker(
                    staff_id="AA" + hashlib.sha256(key.encode()).hexdigest()[:16].upper(),
                    name=clean[:120],
                    team=home,
                )
                Worker.objects.bulk_create([worker])
                self.created[Worker].add(worker.pk)
                self.workers[key] = worker
        found_worker: Worker | None = self.workers[key]
        if found_worker is not None:
            self.seen[Worker].add(found_worker.pk)
        return found_worker

    def _allocation(self, row: AnnexRow) -> dict:
        """team_id / worker_id for an event row (Lists 3-7); blank cells clear them, missing columns leave them."""
        if not {"team", "worker"} & (set(row.values) | row.blank):
            return {}
        team = self._team(row.values.get("team", ""), row.list_no)
        worker = self._worker(row, team)
        return {"team_id": team.pk if team else None, "worker_id": worker.pk if worker else None}

    def _first_allocation(self, key: tuple, row: AnnexRow, alloc: dict) -> dict:
        """A child on Lists 8 and 9, or a referral on Lists 3 and 6, is allocated by the first row
        that names a team: a later row that names another is reported and not applied (so that
        importing the same workbook again changes nothing)."""
        if not alloc:
            return alloc
        first = self.allocated.setdefault(key, (alloc, row.path))
        if first[1] == row.path or first[0] == alloc:
            return alloc
        if alloc.get("team_id") is None and alloc.get("worker_id") is None:
            return {}  # a blank (often #N/A) leaves the first row's allocation
        self.log.warning(
            "annex_a.allocation-differs",
            f"{row.path}: the allocated team or worker differs from {first[1]}; the first is kept. If it is not "
            "the current one, correct the allocation in the case management system and export the list again.",
            **self._where(row, "Allocated Team"),
        )
        return {}

    def _allocate_child(self, rows: list[AnnexRow], children: dict[str, Child]) -> None:
        """Lists 8 and 9: the child's team and worker (children.services.allocate, in bulk)."""
        moves = []
        for row in rows:
            child = children[row.child_id]
            alloc = self._first_allocation(("child", child.pk), row, self._allocation(row))
            if alloc.get("team_id") is None:
                continue
            if (child.team_id, child.worker_id) != (alloc["team_id"], alloc["worker_id"]):
                moves.append((child, alloc, row.path))
        if not moves:
            return
        Involvement.objects.filter(child__in=[c for c, _a, _p in moves], end_date__isnull=True).update(
            end_date=self.today
        )
        self._apply(
            Involvement,
            [
                (None, {"child_id": c.pk, "start_date": self.today, **a}, p + ": allocated team and worker")
                for c, a, p in moves
            ],
        )
        self._apply(Child, [(c, a, p) for c, a, p in moves])

    # -- referrals and what hangs from them -------------------------------------
    def _referrals_of(self, children: Iterable[Child]) -> dict[int, dict[dt.date, Referral]]:
        out: dict[int, dict[dt.date, Referral]] = defaultdict(dict)
        for ref in Referral.objects.filter(child__in=list(children)):
            out[ref.child_id][ref.referral_date] = ref
        return out

    def _holder(self, rows_dates: list[tuple[AnnexRow, dt.date]], children: dict[str, Child], what: str) -> dict:
        """The referral each row hangs from: the child's latest referral on or before the date;
        when the register has none, a referral is made up on that date: Referral.placeholder,
        and the HOLDER mark in its provenance. (When a made-up referral is the latest, the row
        hangs from it, so that an event it already holds is matched; settle() then moves the
        event to a real referral if there is one on or before its date.)"""
        refs = self._referrals_of(children.values())
        out: dict[str, Referral] = {}
        for row, date in sorted(rows_dates, key=lambda item: item[1]):
            child = children[row.child_id]
            before = [d for d in refs[child.pk] if d <= date]
            if not before:
                (ref,) = self._apply(
                    Referral,
                    [
                        (
                            None,
                            {"child_id": child.pk, "referral_date": date, "placeholder": True},
                            f"{row.path}: {HOLDER} the {what}",
                        )
                    ],
                )
                refs[child.pk][date] = ref
                before = [date]
            out[row.path] = refs[child.pk][max(before)]
        return out

    def _list1(self, rows: list[AnnexRow], children: dict[str, Child]) -> None:
        have: dict[tuple[int, dt.date], list[Contact]] = defaultdict(list)
        for c in Contact.objects.filter(child__in=list(children.values())).order_by("contact_date", "pk"):
            have[(c.child_id, c.contact_date)].append(c)
        items: list[tuple[Any, dict, str]] = []
        for row in rows:
            date = row.values.get("contact_date")
            if date is None:
                continue
            child = children[row.child_id]
            # Two contacts about one child on one day are possible: the n-th row of the day
            # matches the n-th contact of that day in the register.
            n = self.same_day[(child.pk, date)]
            self.same_day[(child.pk, date)] = n + 1
            same_day = have[(child.pk, date)]
            obj = same_day[n] if n < len(same_day) else None
            values = self._pick(row, Contact, {"source": "contact_source"})
            if obj is None:
                values |= {"child_id": child.pk, "contact_date": date}
            items.append((obj, values, row.path))
        self._apply(Contact, items)

    def _list2(self, rows: list[AnnexRow], children: dict[str, Child]) -> None:
        have = {
            (e.child_id, e.assessment_start_date): e
            for e in EarlyHelpEpisode.objects.filter(child__in=list(children.values()))
        }
        items: list[tuple[Any, dict, str]] = []
        for row in rows:
            start = row.values.get("assessment_start_date")
            child = children[row.child_id]
            if start is None or self._duplicate(
                ("L2", child.pk, start), row, "the same early help assessment", "Assessment start date"
            ):
                continue
            obj = have.get((child.pk, start))
            values = self._pick(
                row,
                EarlyHelpEpisode,
                {"assessment_completion_date": "assessment_completion_date", "organisation": "organisation"},
            )
            if obj is None:
                values |= {"child_id": child.pk, "start_date": start, "assessment_start_date": start}
            items.append((obj, values, row.path))
        self._apply(EarlyHelpEpisode, items)

    def _referral_rows(self, rows, children, date_key: str, mapping: dict[str, str]) -> None:
        refs = self._referrals_of(children.values())
        items: list[tuple[Any, dict, str]] = []
        for row in rows:
            date = row.values.get(date_key)
            child = children[row.child_id]
            if date is None or self._duplicate(
                (row.list_no, child.pk, date), row, "the same referral", self._header(row, date_key)
            ):
                continue
            obj = refs[child.pk].get(date)
            alloc = self._first_allocation(("referral", child.pk, date), row, self._allocation(row))
            # A row of List 3 or 6 gives the referral: one made up to hold an event is real now.
            values = self._pick(row, Referral, mapping) | alloc | {"placeholder": False}
            if obj is None:
                values |= {"child_id": child.pk, "referral_date": date}
            items.append((obj, values, row.path))
        self._apply(Referral, items)

    def _list3(self, rows, children) -> None:
        self._referral_rows(rows, children, "referral_date", {"source": "source", "nfa": "nfa"})

    def _list6(self, rows, children) -> None:
        self._referral_rows(
            rows,
            children,
            "referral_date",
            {
                "primary_need": "primary_need",
                "closure_date": "closure_date",
                "closure_reason": "closure_reason",
                "case_status": "case_status",
            },
        )
        self._visits(rows, children, "last_seen", Visit.Kind.CIN)

    def _list4(self, rows, children) -> None:
        rows = [r for r in rows if r.values.get("start_date")]
        holders = self._holder([(r, r.values["start_date"]) for r in rows], children, "assessment")
        have = {
            (a.referral_id, a.start_date): a
            for a in Assessment.objects.filter(referral__in={h.pk for h in holders.values()})
        }
        items: list[tuple[Any, dict, str]] = []
        for row in rows:
            start, ref = row.values["start_date"], holders[row.path]
            child = children[row.child_id]
            if self._duplicate(("L4", child.pk, start), row, "the same assessment", self._header(row, "start_date")):
                continue
            values = self._pick(
                row, Assessment, {"child_seen": "child_seen", "authorisation_date": "authorisation_date"}
            )
            if "requires_support" in row.values or "requires_support" in row.blank:
                support = row.values.get("requires_support")
                values["requires_support"] = support if isinstance(support, bool) else None
                values["outcome"] = support if isinstance(support, str) else ""
            values |= self._allocation(row)
            obj: Any = have.get((ref.pk, start))
            if obj is None:
                values |= {"referral_id": ref.pk, "start_date": start}
            items.append((obj, values, row.path))
        self._apply(Assessment, items)

    def _list5(self, rows, children) -> None:
        rows = [r for r in rows if r.values.get("start_date")]
        holders = self._holder([(r, r.values["start_date"]) for r in rows], children, "section 47 enquiry")
        have = {
            (s.referral_id, s.start_date): s
            for s in Section47Enquiry.objects.filter(referral__in={h.pk for h in holders.values()})
        }
        items: list[tuple[Any, dict, str]] = []
        kept: list[AnnexRow] = []
        for row in rows:
            start, ref = row.values["start_date"], holders[row.path]
            child = children[row.child_id]
            if self._duplicate(
                ("L5", child.pk, start), row, "the same section 47 enquiry", self._header(row, "start_date")
            ):
                continue
            values = self._pick(
                row, Section47Enquiry, {"icpc_not_required": "icpc_not_required", "icpc_date": "icpc_date"}
            ) | self._allocation(row)
            obj: Any = have.get((ref.pk, start))
            if obj is None:
                values |= {"referral_id": ref.pk, "start_date": start}
            items.append((obj, values, row.path))
            kept.append(row)
        enquiries = self._apply(Section47Enquiry, items)
        # The ICPC is also a conference (kind=initial) linked to its enquiry.
        confs = {
            c.section47_id: c for c in ChildProtectionConference.objects.filter(section47__in=enquiries, kind="initial")
        }
        conf_items: list[tuple[Any, dict, str]] = []
        for row, s47 in zip(kept, enquiries, strict=True):
            date = row.values.get("icpc_date")
            if date is None:
                continue
            values = {"conference_date": date}
            if "plan_made" in row.values or "plan_made" in row.blank:
                values["plan_made"] = row.values.get("plan_made", True) is not False
            obj = confs.get(s47.pk)
            if obj is None:
                values |= {"child_id": children[row.child_id].pk, "kind": "initial", "section47_id": s47.pk}
            conf_items.append((obj, values, row.path))
        self._apply(ChildProtectionConference, conf_items)

    def _list7(self, rows, children) -> None:
        rows = [r for r in rows if r.values.get("start_date")]
        have = {
            (p.child_id, p.start_date): p for p in ChildProtectionPlan.objects.filter(child__in=list(children.values()))
        }
        need_holder = [
            (r, r.values["start_date"]) for r in rows if (children[r.child_id].pk, r.values["start_date"]) not in have
        ]
        holders = self._holder(need_holder, children, "child protection plan") if need_holder else {}
        items: list[tuple[Any, dict, str]] = []
        kept: list[AnnexRow] = []
        for row in rows:
            start = row.values["start_date"]
            child = children[row.child_id]
            if self._duplicate(
                ("L7", child.pk, start), row, "the same child protection plan", self._header(row, "start_date")
            ):
                continue
            initial = row.values.get("initial_category", "")
            latest = row.values.get("latest_category", "")
            values = self._pick(
                row,
                ChildProtectionPlan,
                {
                    "end_date": "end_date",
                    "initial_category": "initial_category",
                    "latest_category": "latest_category",
                    "emergency_protection_recent": "epo",
                    "number_of_previous_plans": "previous_plans",
                },
            ) | self._allocation(row)
            obj = have.get((child.pk, start))
            if obj is None:
                single = latest or initial
                values |= {
                    "child_id": child.pk,
                    "referral_id": holders[row.path].pk,
                    "start_date": start,
                    "categories": single if single and single != "MUL" else "",
                }
            items.append((obj, values, row.path))
            kept.append(row)
        plans = self._apply(ChildProtectionPlan, items)
        reviews = {
            (plan_id, date): pk
            for pk, plan_id, date in ChildProtectionConference.objects.filter(
                plan__in=plans, kind="review"
            ).values_list("pk", "plan_id", "conference_date")
        }
        conf_items: list[tuple[Any, dict, str]] = []
        for row, plan in zip(kept, plans, strict=True):
            date = row.values.get("last_review")
            if date is None:
                continue
            if (plan.pk, date) in reviews:
                if reviews[(plan.pk, date)]:
                    self.seen[ChildProtectionConference].add(reviews[(plan.pk, date)])
                continue
            reviews[(plan.pk, date)] = 0
            conf_items.append(
                (
                    None,
                    {"child_id": plan.child_id, "plan_id": plan.pk, "kind": "review", "conference_date": date},  # type: ignore[attr-defined]
                    row.path,
                )
            )
        self._apply(ChildProtectionConference, conf_items)
        self._visits(kept, children, "last_visit", Visit.Kind.CP, seen_alone="seen_alone")

    def _visits(self, rows, children, key: str, kind: str, seen_alone: str = "") -> None:
        """'Date child was last seen' and the like: a visit on that date, created when the register has none."""
        have = {
            (v.child_id, v.visit_date): v for v in Visit.objects.filter(child__in=list(children.values()), kind=kind)
        }
        items: list[tuple[Any, dict, str]] = []
        done: set = set()
        for row in rows:
            date = row.values.get(key)
            child = children[row.child_id]
            if date is None or (child.pk, date) in done:
                continue
            done.add((child.pk, date))
            values: dict[str, Any] = {}
            if seen_alone and (seen_alone in row.values or seen_alone in row.blank):
                values["seen_alone"] = row.values.get(seen_alone)
            obj = have.get((child.pk, date))
            if obj is None:
                values |= {"child_id": child.pk, "kind": kind, "visit_date": date, "seen": True}
            items.append((obj, values, row.path))
        self._apply(Visit, items)

    # -- looked after, care leavers, adoption -------------------------------------
    def _uasc(self, rows, children) -> None:
        have = {u.child_id: u for u in UnaccompaniedAsylumSeeker.objects.filter(child__in=list(children.values()))}
        items: list[tuple[Any, dict, str]] = []
        done: set[int] = set()
        for row in rows:
            child = children[row.child_id]
            # "Yes" means the child is or was UASC; "No" removes nothing (the 903 may know better).
            if row.values.get("uasc") is True and child.pk not in done:
                done.add(child.pk)
                obj = have.get(child.pk)
                items.append((obj, {} if obj else {"child_id": child.pk}, row.path))
        self._apply(UnaccompaniedAsylumSeeker, items)

    def _list8(self, rows, children) -> None:
        self._uasc(rows, children)
        episodes: dict[int, list[LookedAfterEpisode]] = defaultdict(list)
        for e in LookedAfterEpisode.objects.filter(child__in=list(children.values())).order_by("start_date", "pk"):
            episodes[e.child_id].append(e)
        items: list[tuple[Any, dict, str]] = []
        for row in rows:
            child = children[row.child_id]
            v = row.values
            started, ls_start, pl_start = v.get("date_started"), v.get("ls_start"), v.get("placement_start")
            dates = [d for d in (started, ls_start, pl_start) if d]
            if not dates:
                self.log.error(
                    "annex_a.required",
                    f"{row.path}: none of 'Date Started to be Looked After', 'Start date of current legal status' "
                    "and 'Start Date of Most Recent Placement' is given, so the episode cannot be placed. Record them "
                    "in the case management system and export the list again.",
                    **self._where(row, "Date Started to be Looked After"),
                )
                continue
            if self._duplicate(("L8", child.pk), row, "the same child", "Child Unique ID"):
                continue
            first = started or min(dates)
            if any(d < first for d in dates):
                self.log.error(
                    "annex_a.date-order",
                    f"{row.path}: the current legal status or placement starts before the child started to be "
                    f"looked after ({_show(first)}). {FIX_EITHER}",
                    **self._where(row, "Date Started to be Looked After"),
                )
                continue
            # The row describes the current episode and, by its dates, the start of the period of
            # care and of the current legal status and placement. Episodes the register lacks are made
            # up so that the exporter can give those dates back: before a change, the legal status or
            # placement that is not known is left blank.
            bounds = sorted(set(dates))
            current = bounds[-1]
            by_start = {e.start_date: e for e in episodes[child.pk]}
            earlier = [e for e in episodes[child.pk] if first <= e.start_date < current]
            for i, start in enumerate(bounds):
                last = i == len(bounds) - 1
                obj = by_start.get(start)
                if not last and (obj is not None or earlier):
                    continue  # the register has its own history for the period: keep it
                ls_known = ls_start is None or start >= ls_start
                pl_known = pl_start is None or start >= pl_start
                if i == 0:
                    rne = "S"
                else:
                    ls_changes, pl_changes = start == ls_start, start == pl_start
                    rne = "B" if ls_changes and pl_changes else ("L" if ls_changes else "P")
                values = self._pick(row, LookedAfterEpisode, EPISODE if last else {"cin_category": "cin_category"})
                if not last:
                    known = self._pick(row, LookedAfterEpisode, EPISODE)
                    for name in ("legal_status",):
                        values[name] = known.get(name, "") if ls_known else ""
                    for name in PLACEMENT_FIELDS:
                        values[name] = (
                            known.get(name, _blank_of(LookedAfterEpisode, name))
                            if pl_known
                            else _blank_of(LookedAfterEpisode, name)
                        )
                    values |= {"end_date": bounds[i + 1], "reason_ceased": "X1"}
                if obj is None:
                    values |= {"child_id": child.pk, "start_date": start, "reason_new_episode": rne}
                if obj is None and last:
                    # A new current episode ends the one that was open before it (the 903's X1).
                    for e in episodes[child.pk]:
                        if e.start_date < start and (e.end_date is None or e.end_date > start):
                            items.append((e, {"end_date": start, "reason_ceased": "X1"}, row.path + ": episode ended"))
                path = row.path if last else f"{row.path}: earlier episode made up from its dates"
                items.append((obj, values, path))
        self._apply(LookedAfterEpisode, items)
        self._dated(rows, children, LookedAfterReview, "review_date", "last_review")
        self._visits(rows, children, "last_sw_visit", Visit.Kind.CLA)
        self._visits(rows, children, "last_iro", Visit.Kind.IRO)
        self._health(rows, children)
        self._permanence(rows, children)
        self._return_interviews(rows, children)
        self._allocate_child(rows, children)

    def _dated(self, rows, children, model, date_field: str, key: str, extra=None) -> None:
        """A row per (child, date), created when the register has none on that date."""
        have = {
            (o.child_id, getattr(o, date_field)): o
            for o in model.objects.filter(child__in=list(children.values()), **(extra or {}))
        }
        items: list[tuple[Any, dict, str]] = []
        done: set = set()
        for row in rows:
            date = row.values.get(key)
            child = children[row.child_id]
            if date is None or (child.pk, date) in done:
                continue
            done.add((child.pk, date))
            obj = have.get((child.pk, date))
            items.append((obj, {} if obj else {"child_id": child.pk, date_field: date, **(extra or {})}, row.path))
        self._apply(model, items)

    def _health(self, rows, children) -> None:
        self._dated(rows, children, HealthAssessment, "assessment_date", "last_dental", {"kind": "dental"})
        have: dict[int, dict[dt.date, HealthAssessment]] = defaultdict(dict)
        for h in HealthAssessment.objects.filter(child__in=list(children.values()), kind__in=("initial", "review")):
            have[h.child_id][h.assessment_date] = h
        items: list[tuple[Any, dict, str]] = []
        for row in rows:
            date = row.values.get("last_health")
            child = children[row.child_id]
            if date is None:
                continue
            obj = have[child.pk].get(date)
            if obj is None:
                # The first health assessment the register knows of is taken as the initial one.
                kind = "initial" if not any(d < date for d in have[child.pk]) else "review"
                values = {"child_id": child.pk, "assessment_date": date, "kind": kind}
                items.append((None, values, row.path))
            else:
                items.append((obj, {}, row.path))
        self._apply(HealthAssessment, items)

    def _permanence(self, rows, children) -> None:
        latest: dict[int, PermanencePlan] = {}
        for p in PermanencePlan.objects.filter(child__in=list(children.values())).order_by("decided_date", "pk"):
            latest[p.child_id] = p
        items: list[tuple[Any, dict, str]] = []
        for row in rows:
            plan = row.values.get("permanence")
            child = children[row.child_id]
            if not plan:
                continue
            obj = latest.get(child.pk)
            if obj is not None and obj.plan_type == plan:
                items.append((obj, {}, row.path))
                continue
            # The list gives no decision date: the latest review (or the current episode's start) stands in.
            decided = row.values.get("last_review") or row.values.get("ls_start") or row.values.get("date_started")
            if decided is None:
                decided = self.today
            items.append((None, {"child_id": child.pk, "decided_date": decided, "plan_type": plan}, row.path))
        self._apply(PermanencePlan, items)

    def _return_interviews(self, rows, children) -> None:
        latest: dict[int, MissingEpisode] = {}
        for m in MissingEpisode.objects.filter(child__in=list(children.values())).order_by("started_at", "pk"):
            latest[m.child_id] = m
        items: list[tuple[Any, dict, str]] = []
        for row in rows:
            offered, accepted = row.values.get("rhi_offered"), row.values.get("rhi_accepted")
            if offered is None and accepted is None:
                continue
            obj = latest.get(children[row.child_id].pk)
            if obj is None:
                self.log.warning(
                    "annex_a.no-missing-episode",
                    f"{row.path}: a return interview answer is given but the register holds no missing episode "
                    "for the child to attach it to; it was not stored. Import the 903 or SSD that gives the "
                    "child's missing episodes, then the list again; if the child was never missing, correct the "
                    "answer in the case management system.",
                    **self._where(
                        row, "Was the child offered a Return Interview after their last missing episode (Y/N)?"
                    ),
                )
                continue
            items.append((obj, {"rhi_offered": offered, "rhi_accepted": accepted}, row.path))
        self._apply(MissingEpisode, items)

    def _list9(self, rows, children) -> None:
        self._uasc(rows, children)
        self._allocate_child(rows, children)
        child_items = []
        for row in rows:
            values = self._pick(row, Child, {"care_leaver_eligibility": "eligibility"})
            if values:
                child_items.append((children[row.child_id], values, row.path))
        self._apply(Child, child_items)
        # Pathway plan: its latest review date, with the personal adviser.
        plans: dict[int, dict[dt.date, PathwayPlan]] = defaultdict(dict)
        for p in PathwayPlan.objects.filter(child__in=list(children.values())):
            plans[p.child_id][p.plan_date] = p
        items: list[tuple[Any, dict, str]] = []
        for row in rows:
            date, adviser = (
                row.values.get("pathway_review"),
                self._fit(row, PathwayPlan, "personal_adviser", "personal_adviser"),
            )
            child = children[row.child_id]
            if date is None:
                if adviser:
                    self.log.warning(
                        "annex_a.no-pathway-plan",
                        f"{row.path}: a personal adviser is named but no pathway plan review date is given, "
                        "so the adviser was not stored. Record the review date in the case management system and "
                        "export the list again.",
                        **self._where(row, "Allocated Personal Advisor"),
                    )
                continue
            obj: Any = plans[child.pk].get(date)
            values = {"personal_adviser": adviser}
            if obj is None:
                values |= {"child_id": child.pk, "plan_date": date}
            items.append((obj, values, row.path))
        self._apply(PathwayPlan, items)
        # Contact: in touch, accommodation and activity, on the latest date of contact (may be blank).
        contacts = {
            (c.child_id, c.contact_date): c
            for c in CareLeaverContact.objects.filter(child__in=list(children.values()), year_ending__isnull=True)
        }
        items = []
        for row in rows:
            v = row.values
            if not any(k in v for k in ("in_touch", "contact_date", "accommodation", "suitability", "activity")):
                continue
            child = children[row.child_id]
            values = self._pick(row, CareLeaverContact, {"in_touch": "in_touch", "activity": "activity"})
            if "accommodation" in v or "accommodation" in row.blank:
                values["accommodation"] = v.get("accommodation", "") + (
                    v.get("suitability", "") if v.get("accommodation") else ""
                )
            obj = contacts.get((child.pk, v.get("contact_date")))
            if obj is None:
                values |= {"child_id": child.pk, "contact_date": v.get("contact_date")}
            items.append((obj, values, row.path))
        self._apply(CareLeaverContact, items)

    def _list10(self, rows, children) -> None:
        have = {a.child_id: a for a in AdoptionMilestone.objects.filter(child__in=list(children.values()))}
        items: list[tuple[Any, dict, str]] = []
        for row in rows:
            child = children[row.child_id]
            if self._duplicate(("L10", child.pk), row, "the same child", "Child Unique ID"):
                continue
            fields = (
                "entered_care_date",
                "decision_date",
                "placement_order_date",
                "match_date",
                "adoption_order_date",
                "decision_reversed_date",
                "ffa_placement_date",
                "decision_reversed_reason",
            )
            values = self._pick(row, AdoptionMilestone, {"adoptive_family_id": "family_id", **{k: k for k in fields}})
            obj = have.get(child.pk)
            if obj is None:
                values |= {"child_id": child.pk}
            items.append((obj, values, row.path))
        self._apply(AdoptionMilestone, items)
        self._dated(rows, children, PlacedForAdoption, "date_placed", "date_placed")

    def _adopters(self, rows: list[AnnexRow]) -> None:
        have = {a.adopter_id: a for a in Adopter.objects.filter(adopter_id__in=[r.child_id for r in rows])}
        dates = (
            "enquiry_date",
            "stage1_start_date",
            "stage1_end_date",
            "stage2_start_date",
            "stage2_end_date",
            "application_date",
            "approval_date",
            "matched_date",
            "placed_date",
            "adoption_order_date",
            "left_process_date",
        )
        items: list[tuple[Any, dict, str]] = []
        for row in rows:
            if self._duplicate(("L11", row.child_id), row, "the same adopter", "Individual adopter identifier"):
                continue
            v = row.values
            values = self._pick(
                row,
                Adopter,
                {
                    "family_id": "family_id",
                    "has_disability": "disability",
                    "fostering_for_adoption": "fostering_for_adoption",
                    "children_placed": "children_placed",
                    "left_process_reason": "left_process_reason",
                    "ethnicity": "ethnicity",
                    **{k: k for k in dates},
                },
            )
            if "sex" in v:  # a blank sex leaves what the register holds
                values["sex"] = v["sex"]
            obj = have.get(row.child_id)
            if obj is None:
                values |= {"adopter_id": row.child_id}
            items.append((obj, values, row.path))
        self._apply(Adopter, items)
