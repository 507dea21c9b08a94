"""Bringing CIN census records into the register.

Records are matched on natural keys: the child on la_child_id (UPN is a
cross-check), a referral on (child, referral date), an assessment, CIN plan,
section 47 or CP plan on (referral, start date), a review conference on (plan,
date), the initial conference on its section 47. Existing rows are loaded in one
query per table for each chunk of children; new rows are bulk-created and changed
ones bulk-updated. With dry_run nothing is written and only the counts are made:
that is the preview.
"""

import contextlib
import operator
from collections import Counter, defaultdict
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from django.db import connection

from children.models import (
    Assessment,
    AssessmentFactor,
    Child,
    ChildInNeedPlan,
    ChildProtectionConference,
    ChildProtectionPlan,
    Disability,
    PreProceedings,
    Referral,
    Section47Enquiry,
)
from returns.cin.reader import FIX_IN_CMS, ChildRec
from returns.matching import apply_changes, check_upn, children_by_id, summary, upn_holders
from returns.models import PreProceedingsCensus
from returns.problems import ProblemLog
from returns.provenance import Provenance, insert
from returns.spool import fewer_collections

CHILD_FIELDS = (
    "upn",
    "former_upn",
    "upn_unknown",
    "birth_date",
    "expected_birth_date",
    "sex",
    "death_date",
    "ethnicity",
)
TABLES = {
    "assessments": (Assessment, "start_date"),
    "cin_plans": (ChildInNeedPlan, "start_date"),
    "section47s": (Section47Enquiry, "start_date"),
    "cp_plans": (ChildProtectionPlan, "start_date"),
    "pre_proceedings": (PreProceedings, "decision_date"),  # 2026-27 on (decision 0039)
}
LABELS = {
    "Child": "children",
    "Disability": "disabilities",
    "Referral": "referrals",
    "Assessment": "assessments",
    "AssessmentFactor": "assessment factors",
    "ChildInNeedPlan": "child in need plans",
    "Section47Enquiry": "section 47 enquiries",
    "ChildProtectionPlan": "child protection plans",
    "ChildProtectionConference": "conferences",
    "PreProceedings": "pre-proceedings",
    "PreProceedingsCensus": "pre-proceedings census details",
}
BATCH = 2000
PARENTS = {"child": Child, "referral": Referral, "assessment": Assessment, "pre_proceedings": PreProceedings}


def _keys(model, key: tuple[str, ...], values: list) -> list[tuple]:
    """(key..., pk) of the rows whose first key column is in values: plain SQL, as the
    ORM's IN-lookup preparation costs more than the query at this volume."""
    meta = model._meta
    qn = connection.ops.quote_name
    columns = ", ".join(qn(meta.get_field(f).column) for f in key)
    out = []
    select = (
        f"SELECT {columns}, {qn(meta.pk.column)} FROM {qn(meta.db_table)} WHERE {qn(meta.get_field(key[0]).column)}"
    )
    with connection.cursor() as cursor:
        for start in range(0, len(values), BATCH):
            part = values[start : start + BATCH]
            if connection.vendor == "postgresql":  # one array parameter: no 2,000-parameter statement to parse
                cursor.execute(f"{select} = ANY(%s)", [part])
            else:
                cursor.execute(f"{select} IN ({', '.join(['%s'] * len(part))})", part)
            out.extend(cursor.fetchall())
    return out


def _repeated(values: Iterable) -> list[tuple[Any, int]]:
    """The values that occur more than once, with their counts. Most lists hold one
    value or none, so a Counter (58,000 of them in a 10,000-child census) is skipped."""
    values = list(values)
    if len(values) < 2:
        return []
    return [(v, n) for v, n in Counter(values).items() if n > 1]


def _rules_tables(records) -> tuple[dict, dict] | None:
    """The DfE rules' tables the reader wrote as it read the file, if it did (decision 0073)."""
    tables = getattr(records, "rules_tables", None)
    return tables() if callable(tables) else None


class CinImporter:
    dfe_rules = True  # validate_return runs them itself

    def __init__(self, log: ProblemLog, run=None, dry_run: bool = True) -> None:
        self.log = log
        self.run = run
        self.dry_run = dry_run
        self.counts: dict[str, Counter] = defaultdict(Counter)
        self.seen_ids: set[str] = set()
        self.seen_upns: dict[str, str] = {}
        self.provenance = Provenance(run, dry_run)

    # -- bookkeeping -------------------------------------------------------
    def summary(self) -> dict:
        return summary(self.counts, LABELS)

    def _create(self, model, rows: list[tuple[dict, str]], key: tuple[str, ...]) -> list[int]:
        """Insert new rows (dicts of attname -> value) in bulk, with the primary keys the database
        gives (or, failing that, read back by natural key); record their provenance. Returns the pks
        in order."""
        if not rows:
            return []
        pks = insert(model, [values for values, _path in rows], pks=True)
        if pks is None:  # the database could not say them: found by natural key
            keys = _keys(model, key, list({v[key[0]] for v, _ in rows}))
            # The natural key as one value for one column, a tuple for several, on both sides (as itemgetter gives).
            found = dict(keys) if len(key) == 1 else {tuple(r[:-1]): r[-1] for r in keys}
            pick = operator.itemgetter(*key)
            pks = [found[pick(v)] for v, _ in rows]
        self.fresh[model].update(pks)
        self.provenance.add_created(model, pks, [path for _v, path in rows])
        return pks

    # -- the whole file ----------------------------------------------------
    def consume(self, records: Iterable[ChildRec]) -> None:
        started = self._start_rules(records)
        try:
            with fewer_collections():
                chunk: list[ChildRec] = []
                for rec in records:
                    chunk.append(rec)
                    if len(chunk) >= BATCH:
                        self.process(chunk)
                        chunk = []
                if chunk:
                    self.process(chunk)
        except BaseException:
            if started is not None:  # the rules' thread is let finish (and remove its files) before this fails
                with contextlib.suppress(Exception):
                    started()
            raise
        if self.dfe_rules and not getattr(records, "fatal", False):  # the DfE's rules, set-based over the file
            from returns.rules.check import add_cin_rule_findings

            source, year = getattr(records, "source", None), getattr(records, "collection_year", None)
            add_cin_rule_findings(self.log, source, year, started, read=_rules_tables(records))

    def _start_rules(self, records):
        """The DfE's rules begun now, beside the matching and writing, when the file has been read to the
        end already (a commit's Spool: its collection year and whether it could be read are known); their
        findings are still added after the importer's own problems, in the same order (decision 0060).
        Only on PostgreSQL, where the importer waits on the server: on SQLite, alternated at 50,000
        children, the thread cost 11-20% more CPU and 6-10% more time than the rules run after."""
        source, year = getattr(records, "source", None), getattr(records, "collection_year", None)
        if not self.dfe_rules or getattr(records, "spooled", None) is None or getattr(records, "fatal", False):
            return None
        if not isinstance(source, (str, Path)) or not isinstance(year, int):
            return None
        if connection.vendor == "sqlite":  # measured: the writing is Python on the CPU, the thread competes for it
            return None
        from returns.cin.validation import started_check_cin

        return started_check_cin(source, year, installed=True, read=_rules_tables(records))

    def process(self, chunk: list[ChildRec]) -> None:
        # Rows created in this chunk have nothing under them in the register yet: skip looking.
        self.fresh: dict = defaultdict(set)
        chunk = self._check(chunk)
        if not chunk:
            return
        existing = children_by_id([r.la_child_id for r in chunk])
        self._cross_check(chunk, existing)
        children = self._children(chunk, existing)
        self._disabilities(chunk, children)
        referral_items = [(children[r.la_child_id], ref) for r in chunk for ref in r.referrals]
        referrals = self._sync(Referral, "child", "referral_date", referral_items)
        items: dict[str, list] = {name: [] for name in TABLES}
        for ref, pk in referrals:
            for name, subs in ref.children.items():
                if subs:  # most referrals have none of most kinds
                    items[name].extend([(pk, sub) for sub in subs])
        assessments = self._sync(Assessment, "referral", "start_date", items["assessments"])
        self._codes(AssessmentFactor, "assessment", assessments, "/FactorsIdentifiedAtAssessment")
        self._sync(ChildInNeedPlan, "referral", "start_date", items["cin_plans"])
        section47s = self._sync(Section47Enquiry, "referral", "start_date", items["section47s"])
        self._initial_conferences(section47s, children, chunk)
        # _sync keeps the order of its items, so each referral's child is the item's parent.
        child_of_referral = {
            pk: child for (child, _ref), (_rec, pk) in zip(referral_items, referrals, strict=True) if pk
        }
        plans = self._sync(
            ChildProtectionPlan,
            "referral",
            "start_date",
            items["cp_plans"],
            extra=lambda rec, parent: {"child_id": child_of_referral.get(parent)},
        )
        self._reviews(plans, child_of_referral)
        pre_proceedings = self._sync(
            PreProceedings,
            "referral",
            "decision_date",
            items["pre_proceedings"],
            extra=lambda rec, parent: {"child_id": child_of_referral.get(parent)},
        )
        self._census_details(pre_proceedings)
        self.provenance.flush()

    # -- checks ------------------------------------------------------------
    def _check(self, chunk: list[ChildRec]) -> list[ChildRec]:
        kept = []
        for rec in chunk:
            where = {"child_id": rec.la_child_id, "location": rec.path}
            if not rec.la_child_id:
                self.log.error(
                    "cin.child-id",
                    "The child has no LAchildID. Record it in the case management system and export the census again.",
                    field="LAchildID",
                    **where,
                )
                continue
            if rec.la_child_id in self.seen_ids:
                self.log.error(
                    "cin.duplicate-child",
                    f"LAchildID {rec.la_child_id} appears more than once in the file. {FIX_IN_CMS}",
                    field="LAchildID",
                    **where,
                )
                continue
            self.seen_ids.add(rec.la_child_id)
            bad = False
            for date, n in _repeated(ref.values["referral_date"] for ref in rec.referrals):
                if n > 1:
                    self.log.error(
                        "cin.duplicate-referral",
                        f"{n} CINdetails blocks have the same CINreferralDate {date}. {FIX_IN_CMS}",
                        field="CINreferralDate",
                        **where,
                    )
                    bad = True
            for ref in rec.referrals:
                for name, (_model, key) in TABLES.items():
                    subs = ref.children[name]
                    if len(subs) < 2:  # most lists hold one record or none: nothing can repeat
                        continue
                    for date, n in _repeated(sub.values[key] for sub in subs):
                        if n > 1:
                            self.log.error(
                                "cin.duplicate-" + name.replace("_", "-"),
                                f"{n} {LABELS[TABLES[name][0].__name__]} in one referral start on {date}. {FIX_IN_CMS}",
                                child_id=rec.la_child_id,
                                location=ref.path,
                                field="start date",
                            )
                            bad = True
            if not bad:
                kept.append(rec)
        return kept

    def _cross_check(self, chunk: list[ChildRec], existing: dict) -> None:
        """UPN is a cross-check on the child identifier: conflicts are reported as errors, never guessed."""
        holders = upn_holders({r.values["upn"]: r.la_child_id for r in chunk if r.values["upn"]})
        for rec in chunk:
            upn = rec.values["upn"]
            if upn:
                where = {"child_id": rec.la_child_id, "location": f"{rec.path}/ChildIdentifiers/UPN", "field": "UPN"}
                child = existing.get(rec.la_child_id)
                check_upn(self.log, self.seen_upns, rec.la_child_id, upn, child, holders.get(upn), where)

    # -- tables ------------------------------------------------------------
    def _children(self, chunk: list[ChildRec], existing: dict) -> dict:
        new, changed = [], []
        pks: dict[str, int | None] = {}
        for rec in chunk:
            child = existing.get(rec.la_child_id)
            if child is None:
                new.append(({"la_child_id": rec.la_child_id, **rec.values}, rec.path + "/ChildIdentifiers"))
                continue
            if apply_changes(child, rec.values, CHILD_FIELDS):
                changed.append((child, rec))
            else:
                self.counts["Child"]["unchanged"] += 1
            pks[rec.la_child_id] = child.pk
        self.counts["Child"]["new"] += len(new)
        self.counts["Child"]["changed"] += len(changed)
        if not self.dry_run:
            for (values, _path), pk in zip(new, self._create(Child, new, ("la_child_id",)), strict=True):
                pks[values["la_child_id"]] = pk
            if changed:
                Child.objects.bulk_update([c for c, _ in changed], CHILD_FIELDS, batch_size=BATCH)
            for child, rec in changed:
                self.provenance.add(child, rec.path + "/ChildIdentifiers", False)
        else:
            for values, _path in new:
                pks[values["la_child_id"]] = None
        return pks

    def _disabilities(self, chunk: list[ChildRec], pks: dict) -> None:
        wanted = {pks[r.la_child_id]: (set(r.disabilities), r.path) for r in chunk if pks.get(r.la_child_id)}
        for r in chunk:
            if not pks.get(r.la_child_id):
                self.counts["Disability"]["new"] += len(r.disabilities)
        self._set_codes(Disability, "child", wanted, "/ChildCharacteristics/Disabilities")

    def _codes(self, model, parent: str, rows: list, suffix: str) -> None:
        wanted = {}
        for rec, pk in rows:
            if pk:
                wanted[pk] = (set(rec.codes), rec.path)
            else:
                self.counts[model.__name__]["new"] += len(rec.codes)
        self._set_codes(model, parent, wanted, suffix)

    def _set_codes(self, model, parent: str, wanted: dict, suffix: str) -> None:
        """A set of codes per parent (disabilities, assessment factors): the file's set replaces the register's."""
        have: dict[int, dict[str, int]] = defaultdict(dict)
        column = f"{parent}_id"
        lookup = [pk for pk in wanted if pk not in self.fresh[PARENTS[parent]]]
        if lookup:
            for pk, parent_id, code in model.objects.filter(**{f"{column}__in": lookup}).values_list(
                "pk", column, "code"
            ):
                have[parent_id][code] = pk
        new: list[tuple[dict, str]] = []
        gone: list[int] = []
        for parent_id, (codes, path) in wanted.items():
            current = have.get(parent_id)
            if not current:  # none in the register (a parent new to it, as in a first import): every code is new
                new.extend(({column: parent_id, "code": code}, path + suffix) for code in sorted(codes))
                continue
            self.counts[model.__name__]["unchanged"] += len(codes & set(current))
            for code in sorted(codes - set(current)):
                new.append(({column: parent_id, "code": code}, path + suffix))
            gone.extend(pk for code, pk in current.items() if code not in codes)
        self.counts[model.__name__]["new"] += len(new)
        self.counts[model.__name__]["removed"] += len(gone)
        if not self.dry_run:
            self._create(model, new, (f"{parent}_id", "code"))
            if gone:
                model.objects.filter(pk__in=gone).delete()

    def _sync(self, model, parent: str, key: str, items: list, extra=None) -> list:
        """items: (parent pk or None, Rec). Returns (Rec, pk or None) in the same order."""
        name = model.__name__
        parent_ids = {p for p, _ in items if p and p not in self.fresh[PARENTS[parent]]}
        have = {}
        if parent_ids:
            for obj in model.objects.filter(**{f"{parent}_id__in": parent_ids}):
                have[(getattr(obj, f"{parent}_id"), getattr(obj, key))] = obj
        out: list[tuple] = []
        new: list[tuple[dict, str]] = []
        changed: list[tuple] = []
        column = f"{parent}_id"
        for parent_pk, rec in items:
            obj = have.get((parent_pk, rec.values[key])) if have and parent_pk else None
            if obj is None:
                values = {column: parent_pk, **rec.values}  # one dict per new row
                if extra:
                    values.update(extra(rec, parent_pk))
                if model is ChildProtectionPlan:
                    single = values["latest_category"] or values["initial_category"]
                    values["categories"] = single if single and single != "MUL" else ""
                new.append((values, rec.path))
                out.append((rec, None, len(new) - 1))
                continue
            else:
                if apply_changes(obj, rec.values):
                    changed.append((obj, rec))
                else:
                    self.counts[name]["unchanged"] += 1
            out.append((rec, obj.pk, None))
        self.counts[name]["new"] += len(new)
        self.counts[name]["changed"] += len(changed)
        new_pks: list = [None] * len(new)
        if not self.dry_run:
            new_pks = self._create(model, new, (f"{parent}_id", key))
            fields = list(items[0][1].values) if items else []
            if changed:
                model.objects.bulk_update([o for o, _ in changed], fields, batch_size=BATCH)
            for obj, rec in changed:
                self.provenance.add(obj, rec.path, False)
        return [(rec, pk if i is None else new_pks[i]) for rec, pk, i in out]

    def _census_details(self, rows: list) -> None:
        """What a <PreProceedingsandFGDM> block holds beyond the register's columns: one row beside each
        pre-proceedings the census brings, replaced by the file's values."""
        model, name = PreProceedingsCensus, "PreProceedingsCensus"
        old = [pk for _rec, pk in rows if pk and pk not in self.fresh[PreProceedings]]
        have = {obj.pk: obj for obj in model.objects.filter(pk__in=old)} if old else {}
        new: list[tuple[dict, str]] = []
        changed: list[tuple] = []
        for rec, pk in rows:
            obj = have.get(pk) if pk else None
            if obj is None:
                new.append(({"pre_proceedings_id": pk, **rec.extra}, rec.path))
            elif apply_changes(obj, rec.extra):
                changed.append((obj, rec))
            else:
                self.counts[name]["unchanged"] += 1
        self.counts[name]["new"] += len(new)
        self.counts[name]["changed"] += len(changed)
        if not self.dry_run:
            self._create(model, new, ("pre_proceedings_id",))
            if changed:
                model.objects.bulk_update([o for o, _ in changed], list(rows[0][0].extra), batch_size=BATCH)
            for obj, rec in changed:
                self.provenance.add(obj, rec.path, False)

    def _initial_conferences(self, section47s: list, children: dict, chunk: list) -> None:
        """An ICPC date on a section 47 is also a ChildProtectionConference(kind=initial)."""
        name = "ChildProtectionConference"
        with_date = [(rec, pk) for rec, pk in section47s if rec.values["icpc_date"]]
        have = {}
        known = [pk for _rec, pk in with_date if pk]
        if known:
            old = [pk for pk in known if pk not in self.fresh[Section47Enquiry]]
            for found in ChildProtectionConference.objects.filter(section47_id__in=old, kind="initial"):
                have[found.section47_id] = found
        child_of = {}
        if not self.dry_run and known:
            child_of = dict(Section47Enquiry.objects.filter(pk__in=known).values_list("pk", "referral__child_id"))
        new: list[tuple[dict, str]] = []
        changed: list[tuple] = []
        for rec, pk in with_date:
            conf: ChildProtectionConference | None = have.get(pk) if pk else None
            date = rec.values["icpc_date"]
            if conf is None:
                new.append(
                    (
                        {"child_id": child_of.get(pk), "kind": "initial", "conference_date": date, "section47_id": pk},
                        rec.path + "/DateOfInitialCPC",
                    )
                )
            elif conf.conference_date != date:
                conf.conference_date = date
                changed.append((conf, rec))
            else:
                self.counts[name]["unchanged"] += 1
        self.counts[name]["new"] += len(new)
        self.counts[name]["changed"] += len(changed)
        if not self.dry_run:
            self._create(ChildProtectionConference, new, ("section47_id", "kind"))
            if changed:
                ChildProtectionConference.objects.bulk_update(
                    [o for o, _ in changed], ["conference_date"], batch_size=BATCH
                )
            for obj, rec in changed:
                self.provenance.add(obj, rec.path + "/DateOfInitialCPC", False)

    def _reviews(self, plans: list, child_of_referral: dict) -> None:
        name = "ChildProtectionConference"
        known = [pk for _rec, pk in plans if pk]
        have: dict[int, set] = defaultdict(set)
        old = [pk for pk in known if pk not in self.fresh[ChildProtectionPlan]]
        for plan_id, date in ChildProtectionConference.objects.filter(plan_id__in=old, kind="review").values_list(
            "plan_id", "conference_date"
        ):
            have[plan_id].add(date)
        child_of_plan = {}
        if not self.dry_run and known:
            child_of_plan = dict(ChildProtectionPlan.objects.filter(pk__in=known).values_list("pk", "child_id"))
        new = []
        for rec, pk in plans:
            for date in rec.codes:
                if pk and date in have[pk]:
                    self.counts[name]["unchanged"] += 1
                else:
                    new.append(
                        (
                            {
                                "child_id": child_of_plan.get(pk),
                                "kind": "review",
                                "conference_date": date,
                                "plan_id": pk,
                            },
                            rec.path + "/Reviews",
                        )
                    )
        self.counts[name]["new"] += len(new)
        if not self.dry_run:
            self._create(ChildProtectionConference, new, ("plan_id", "conference_date", "kind"))
