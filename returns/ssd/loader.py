"""Bringing SSD rows into the register.

The matching rules are the CIN importer's (returns/cin/loader.py), so that a
child or event that came in from a CIN census, SSDA903 or Annex A is matched,
not duplicated: the child on la_child_id (SSD pers_person_id) with the UPN as a
cross-check; a referral on (child, referral date); an assessment, CIN plan,
section 47 or CP plan on (referral, start date); a review conference on (plan,
date); the initial conference on its section 47; a looked-after episode on
(child, start date); an involvement, as a 903 SWEpisode, on (child, worker, start
date), the worker found by the staff ID ssd_professionals gives its professional;
other events on (child, date). SSD row IDs are not kept in
the register: a row points to its parent through the parent's natural key, so
the parent must be in the same upload (as it is in a full SSD extract).

Rows arrive table by table and are handled in chunks: existing rows are loaded
with one query per table per chunk, new ones bulk-created, changed ones
bulk-updated, and every created or changed row gets a SourceRecord naming the
CSV file and row. Only the fields whose columns the file has are set. With
dry_run nothing is written and only the counts are made: that is the preview.

Once every table is read, each child with an involvement in the upload gets the team and
worker of its current involvement as the register holds it (returns/allocation.py,
decision 0011): the caseloads and oversight read Child.team and Child.worker.
"""

from collections import Counter, defaultdict
from collections.abc import Iterable

from django.utils import timezone

from children.models import (
    AdoptionMilestone,
    Assessment,
    AssessmentFactor,
    CareLeaverContact,
    Child,
    ChildInNeedPlan,
    ChildProtectionConference,
    ChildProtectionPlan,
    Contact,
    Disability,
    EarlyHelpEpisode,
    HealthAssessment,
    Involvement,
    LookedAfterEpisode,
    LookedAfterReview,
    MissingEpisode,
    PathwayPlan,
    PlacedForAdoption,
    PreviousPermanence,
    Referral,
    Section47Enquiry,
    UnaccompaniedAsylumSeeker,
    Visit,
)
from organisation.models import Worker
from returns.allocation import Given, allocate_current, count_moved
from returns.limits import too_long
from returns.matching import apply_changes, check_upn, children_by_id, summary, upn_holders
from returns.problems import ProblemLog
from returns.provenance import Provenance
from returns.ssd.reader import (
    ALLOCATED_ROLES,
    FIX_LONG,
    FIX_RECORD,
    HEALTH_STATUS_DONE,
    HEALTH_STATUS_NOT_DONE,
    SsdRow,
    role_key,
)

BATCH = 2000
ROLE = "invo_professional_role_id"
ROLES_NAMED = 20  # roles that are not allocations, each its own warning; the rest are counted in one
ROWS_NAMED = 5  # rows named in a warning that counts many
LABELS = {
    Child: "children",
    Disability: "disabilities",
    Contact: "contacts",
    EarlyHelpEpisode: "early help episodes",
    Referral: "referrals",
    Assessment: "assessments",
    AssessmentFactor: "assessment factors",
    Visit: "visits",
    ChildInNeedPlan: "child in need plans",
    Section47Enquiry: "section 47 enquiries",
    ChildProtectionPlan: "child protection plans",
    ChildProtectionConference: "conferences",
    LookedAfterEpisode: "looked-after episodes",
    LookedAfterReview: "looked-after reviews",
    HealthAssessment: "health assessments",
    MissingEpisode: "missing episodes",
    CareLeaverContact: "care leaver contacts",
    PathwayPlan: "pathway plans",
    AdoptionMilestone: "adoption milestones",
    PlacedForAdoption: "placed for adoption",
    PreviousPermanence: "previous permanence",
    UnaccompaniedAsylumSeeker: "unaccompanied asylum-seeking children",
    Involvement: "involvements",
}


class _Counted:
    """Rows that share one warning: how many, and the first few, to name in it."""

    __slots__ = ("text", "n", "where")

    def __init__(self, text: str = "") -> None:
        self.text = text  # e.g. the role as the first such row wrote it
        self.n = 0
        self.where: list[str] = []

    def add(self, location: str) -> None:
        self.n += 1
        if len(self.where) < ROWS_NAMED:
            self.where.append(location)

    def rows(self) -> str:
        """'1 row (row 4)', '3 rows (rows 4, 7, 9)', '12 rows (rows 4, 7, 9, 10, 11 and 7 more)'."""
        lines = ", ".join(w.rsplit(" row ", 1)[-1] for w in self.where)
        more = f" and {self.n - len(self.where)} more" if self.n > len(self.where) else ""
        return f"1 row (row {lines})" if self.n == 1 else f"{self.n} rows (rows {lines}{more})"


def _take(values: dict, mapping: dict) -> dict:
    """register field -> value, for the SSD columns the file has."""
    return {attr: values[col] for col, attr in mapping.items() if col in values}


class _Item:
    __slots__ = ("location", "person_id", "key", "fields", "dup", "extra", "warn_twice")

    def __init__(self, location, person_id, key, fields, dup, extra=None):
        self.location = location
        self.person_id = person_id
        self.key = key  # register attname -> value (parent pks included); None pk: a parent not yet written
        self.fields = fields  # register attname -> value to set
        self.dup = dup  # a key made of SSD values, to find two rows that are one register row
        self.extra = extra or {}  # set only on creation (e.g. child_id of a conference)
        self.warn_twice = False  # a second row for the same register row: a warning (kept once), not an error


class SsdImporter:
    def __init__(self, log: ProblemLog, run=None, dry_run: bool = True) -> None:
        self.log = log
        self.run = run
        self.dry_run = dry_run
        self.counts: dict[str, Counter] = defaultdict(Counter)
        self.provenance = Provenance(run, dry_run)
        self._dups: dict = defaultdict(dict)
        self.child: dict[str, int | None] = {}  # SSD person ID -> Child pk (None: new, in a preview)
        # SSD row ID -> register pk, per SSD table
        self.pk: dict[str, dict[str, int | None]] = defaultdict(dict)
        self.seen_upns: dict[str, str] = {}
        # ssd_involvements rows counted for the role warnings (_is_allocation)
        self._not_allocations: dict[str, _Counted] = {}  # role_key -> rows with that role
        self._role_blank = _Counted()
        self._role_absent = _Counted()  # rows of a file without the role column
        self.today = timezone.localdate()  # the run's date: whose involvement is current
        self.given: dict[int, list[Given]] = defaultdict(list)  # Child pk -> its involvements in the upload
        self.unchanged_children: set[int] = set()  # Child pks counted unchanged

    # -- bookkeeping --------------------------------------------------------------
    def summary(self) -> dict:
        return summary(self.counts, {label: label for label in LABELS.values()})

    # -- the upload ---------------------------------------------------------------
    def consume(self, rows: Iterable[SsdRow]) -> None:
        chunk: list[SsdRow] = []
        for row in rows:
            if chunk and (row.table != chunk[0].table or len(chunk) >= BATCH):
                self.process(chunk)
                chunk = []
            chunk.append(row)
        if chunk:
            self.process(chunk)
        self._report_roles()
        self._allocate()

    def process(self, chunk: list[SsdRow]) -> None:
        handler = getattr(self, "_" + chunk[0].table.removeprefix("ssd_"))
        handler(chunk)
        self.provenance.flush()

    # -- the generic step -----------------------------------------------------------
    def sync(self, model, items: list[_Item]) -> list[int | None]:
        """Match each item on its natural key, create or update; returns the pks in order
        (None for rows a preview would create, and for duplicates)."""
        keep = [self._fits(model, i) and self._not_duplicate(model, i) for i in items]
        kept = self._sync([i for i, k in zip(items, keep, strict=True) if k], model)
        pks = iter(kept)
        return [next(pks) if k else None for k in keep]

    def _sync(self, items: list[_Item], model) -> list[int | None]:
        label = LABELS[model]
        out: list[int | None] = []
        if not items:
            return out
        key_names = list(items[0].key)
        first = key_names[0]
        known = {i.key[first] for i in items if i.key[first] is not None}
        have: dict[tuple, object] = {}
        if known:
            query = model.objects.filter(**{f"{first}__in": known})
            if "kind" in items[0].key:
                query = query.filter(kind__in={i.key["kind"] for i in items})
            if "section47_id" in items[0].key and items[0].key["section47_id"] is None:
                query = query.filter(section47__isnull=True)
            for obj in query:
                have.setdefault(tuple(getattr(obj, k) for k in key_names), obj)
        new: list = []
        changed: list = []
        fields_changed: set[str] = set()
        slots: list = []
        for item in items:
            key = tuple(item.key[k] for k in key_names)
            obj = have.get(key) if item.key[first] is not None else None
            if obj is None:
                if item.key[first] is None or self.dry_run:
                    new.append(None)
                    slots.append(("new", len(new) - 1, item))
                    continue
                obj = model(**item.key, **item.fields, **item.extra)
                new.append(obj)
                have[key] = obj
                slots.append(("new", len(new) - 1, item))
                continue
            diff = apply_changes(obj, item.fields)
            if diff:
                fields_changed.update(diff)
                changed.append((obj, item))
            else:
                self.counts[label]["unchanged"] += 1
                if isinstance(obj, Child):
                    self.unchanged_children.add(obj.pk)
            slots.append(("old", obj, item))
        self.counts[label]["new"] += len(new)
        self.counts[label]["changed"] += len(changed)
        if not self.dry_run:
            real = [o for o in new if o is not None]
            if real:
                model.objects.bulk_create(real, batch_size=BATCH)
                for kind, ref, item in slots:
                    if kind == "new" and new[ref] is not None:
                        self.provenance.add(new[ref], item.location, True)
            if changed:
                model.objects.bulk_update([o for o, _ in changed], sorted(fields_changed), batch_size=BATCH)
                for obj, item in changed:
                    self.provenance.add(obj, item.location, False)
        for kind, ref, _item in slots:
            if kind == "new":
                out.append(new[ref].pk if new[ref] is not None else None)
            else:
                out.append(ref.pk)
        return out

    def _fits(self, model, item: _Item) -> bool:
        """Every text fits its register column (the model's max_length): checked in the preview,
        so that a commit never meets a database error, and without quoting the value."""
        over = too_long(model, {**item.fields, **item.extra})
        for field, length, limit in over:
            self.log.error(
                "ssd.too-long",
                f"{item.location}: the value for {model._meta.get_field(field).verbose_name} is {length:,} "
                f"characters long, more than the register holds ({limit}); the value is not shown. {FIX_LONG}",
                child_id=item.person_id or "",
                location=item.location,
                field=field,
            )
        return not over

    def _not_duplicate(self, model, item: _Item) -> bool:
        seen = self._dups[model]
        if item.dup in seen and item.warn_twice:
            self.log.warning(
                "ssd.same-day",
                f"This row and {seen[item.dup]} are on the same day; the register holds one "
                f"{LABELS[model].rstrip('s')} a day, so this one was not imported. Nothing to correct if they are the "
                "same; if not, correct whichever is wrong in the case management system.",
                child_id=item.person_id,
                location=item.location,
            )
            return False
        if item.dup in seen:
            self.log.error(
                "ssd.duplicate-event",
                f"This row and {seen[item.dup]} are the same {LABELS[model].rstrip('s')} in the register "
                f"(same person and {', '.join(str(v) for v in item.dup[1:])}): remove one of them in the case "
                "management system and export the extract again.",
                child_id=item.person_id,
                location=item.location,
            )
            return False
        seen[item.dup] = item.location
        return True

    # -- tables ---------------------------------------------------------------------
    PERSON = {
        "pers_sex": "sex",
        "pers_ethnicity": "ethnicity",
        "pers_dob": "birth_date",
        "pers_expected_dob": "expected_birth_date",
        "pers_death_date": "death_date",
        "pers_upn": "upn",
        "pers_upn_unknown": "upn_unknown",
        "pers_is_mother": "is_mother",
        "_eligibility": "care_leaver_eligibility",
        "_mother_dob": "mother_birth_date",
    }

    def _person(self, chunk: list[SsdRow]) -> None:
        existing = children_by_id([r.person_id for r in chunk])
        self._cross_check(chunk, existing)
        items = [
            _Item(r.location, r.person_id, {"la_child_id": r.person_id}, _take(r.values, self.PERSON), (r.person_id,))
            for r in chunk
        ]
        for item, pk in zip(items, self.sync(Child, items), strict=True):
            self.child[item.person_id] = pk

    def _cross_check(self, chunk: list[SsdRow], existing: dict) -> None:
        """The UPN is a cross-check on the person ID: conflicts are errors naming both, never guesses."""
        holders = upn_holders({r.values["pers_upn"]: r.person_id for r in chunk if r.values.get("pers_upn")})
        for r in chunk:
            upn = r.values.get("pers_upn")
            if upn:
                where = {"child_id": r.person_id, "location": r.location, "field": "pers_upn"}
                child = existing.get(r.person_id)
                check_upn(
                    self.log,
                    self.seen_upns,
                    r.person_id,
                    upn,
                    child,
                    holders.get(upn),
                    where,
                    who="person",
                    source="upload",
                )

    def _disability(self, chunk: list[SsdRow]) -> None:
        wanted: dict = defaultdict(dict)
        for r in chunk:
            wanted[(r.person_id, self.child.get(r.person_id))].setdefault(r.values["disa_disability_code"], r.location)
        self._set_codes(Disability, "child_id", wanted)

    def _set_codes(self, model, parent: str, wanted: dict) -> None:
        """The upload's set of codes for a parent (a child's disabilities, an assessment's factors)
        replaces the register's, as in the CIN census. wanted: (SSD ID, pk or None) -> {code: location}."""
        pks = [pk for _ssd, pk in wanted if pk]
        have: dict[int, dict[str, int]] = defaultdict(dict)
        for pk, parent_id, code in model.objects.filter(**{f"{parent}__in": pks}).values_list("pk", parent, "code"):
            have[parent_id][code] = pk
        label = LABELS[model]
        new: list = []
        gone: list[int] = []
        for (_ssd, parent_pk), codes in wanted.items():
            if parent_pk is None:  # a parent a preview would create: all its codes are new
                self.counts[label]["new"] += len(codes)
                continue
            current = have.get(parent_pk, {})
            self.counts[label]["unchanged"] += len(set(codes) & set(current))
            for code in sorted(set(codes) - set(current)):
                new.append((model(**{parent: parent_pk, "code": code}), codes[code]))
            gone.extend(pk for code, pk in current.items() if code not in codes)
        self.counts[label]["new"] += len(new)
        self.counts[label]["removed"] += len(gone)
        if not self.dry_run:
            model.objects.bulk_create([d for d, _ in new], batch_size=BATCH)
            for obj, location in new:
                self.provenance.add(obj, location, True)
            model.objects.filter(pk__in=gone).delete()

    def _assessment_factors(self, chunk: list[SsdRow]) -> None:
        wanted: dict = defaultdict(dict)
        for r in chunk:
            if not r.values.get("cinf_assessment_factors_json"):
                continue  # no factors recorded: the register's are left as they are
            ref = r.refs["ssd_cin_assessments"]
            for code in r.values["cinf_assessment_factors_json"]:
                wanted[(ref, self.pk["ssd_cin_assessments"].get(ref))].setdefault(code, r.location)
        self._set_codes(AssessmentFactor, "assessment_id", wanted)

    def _events(self, model, chunk, key_cols: dict, mapping: dict, extra=None) -> list:
        """Events hanging off the child: key is child plus the key columns."""
        items = []
        for r in chunk:
            key = {"child_id": self.child.get(r.person_id)}
            key.update({attr: r.values.get(col) for col, attr in key_cols.items()})
            dup = (r.person_id, *(v for k, v in key.items() if k != "child_id"))
            items.append(_Item(r.location, r.person_id, key, _take(r.values, mapping), dup, extra))
        return self.sync(model, items)

    def _contacts(self, chunk):
        self._events(
            Contact,
            chunk,
            {"cont_contact_date": "contact_date", "cont_contact_source_code": "source"},
            {},
        )

    def _early_help_episodes(self, chunk):
        self._events(
            EarlyHelpEpisode,
            chunk,
            {"earl_episode_start_date": "start_date"},
            {
                "earl_episode_end_date": "end_date",
                "earl_episode_reason": "reason",
                "earl_episode_end_reason": "end_reason",
                "earl_episode_organisation": "organisation",
            },
        )

    def _cin_episodes(self, chunk):
        pks = self._events(
            Referral,
            chunk,
            {"cine_referral_date": "referral_date"},
            {
                "cine_referral_source_code": "source",
                "cine_cin_primary_need_code": "primary_need",
                "cine_referral_nfa": "nfa",
                "cine_close_reason": "closure_reason",
                "cine_close_date": "closure_date",
            },
        )
        self._remember("ssd_cin_episodes", chunk, pks)

    def _remember(self, table: str, chunk, pks) -> None:
        for r, pk in zip(chunk, pks, strict=True):
            self.pk[table][r.row_id] = pk

    def _under(
        self, model, chunk, parent_table: str, parent_attr: str, key_col: str, key_attr: str, mapping, extra=None
    ):
        items = []
        for r in chunk:
            parent = self.pk[parent_table].get(r.refs.get(parent_table, ""))
            key = {parent_attr: parent, key_attr: r.values[key_col]}
            fields = _take(r.values, mapping)
            made = dict(extra(r)) if extra else {}
            dup = (r.person_id, r.refs.get(parent_table), r.values[key_col])
            items.append(_Item(r.location, r.person_id, key, fields, dup, made))
        return self.sync(model, items)

    def _cin_assessments(self, chunk):
        pks = self._under(
            Assessment,
            chunk,
            "ssd_cin_episodes",
            "referral_id",
            "cina_assessment_start_date",
            "start_date",
            {"cina_assessment_child_seen": "child_seen", "cina_assessment_auth_date": "authorisation_date"},
        )
        self._remember("ssd_cin_assessments", chunk, pks)

    def _visits(self, chunk, kind: str, date_col: str, seen_col: str, alone_col: str) -> None:
        items = []
        for r in chunk:
            fields = {}
            if r.values.get(seen_col) is not None:
                fields["seen"] = r.values[seen_col]
            if alone_col in r.values:
                fields["seen_alone"] = r.values[alone_col]
            elif kind == "iro":
                fields["seen_alone"] = None  # an IRO contact date says nothing of being seen alone
            key = {"child_id": self.child.get(r.person_id), "kind": kind, "visit_date": r.values[date_col]}
            item = _Item(r.location, r.person_id, key, fields, (r.person_id, kind, r.values[date_col]))
            item.warn_twice = True
            items.append(item)
        self.sync(Visit, items)

    def _cin_visits(self, chunk):
        self._visits(chunk, "cin", "cinv_cin_visit_date", "cinv_cin_visit_seen", "cinv_cin_visit_seen_alone")

    def _cp_visits(self, chunk):
        self._visits(chunk, "cp", "cppv_cp_visit_date", "cppv_cp_visit_seen", "cppv_cp_visit_seen_alone")

    def _cla_visits(self, chunk):
        self._visits(chunk, "cla", "clav_cla_visit_date", "clav_cla_visit_seen", "clav_cla_visit_seen_alone")

    def _iro_contacts(self, chunk, column: str) -> None:
        """The date of the last IRO visit or contact, on episodes and reviews: a Visit(kind=iro).
        The same date on an episode and a review is one contact."""
        seen = self._dups[Visit]
        rows, here = [], set()
        for r in chunk:
            date = r.values.get(column)
            if date is not None and (r.person_id, "iro", date) not in seen and (r.person_id, date) not in here:
                here.add((r.person_id, date))
                rows.append(r)
        self._visits(rows, "iro", column, "_none", "_none")

    def _cin_plans(self, chunk):
        self._under(
            ChildInNeedPlan,
            chunk,
            "ssd_cin_episodes",
            "referral_id",
            "cinp_cin_plan_start",
            "start_date",
            {"cinp_cin_plan_end": "end_date"},
        )

    def _s47_enquiry(self, chunk):
        for r in chunk:
            if r.values.get("_icpc") is not None:
                r.values["_icpc_target"] = r.values["_icpc"]["icpc_target_date"]
                r.values["_icpc_date"] = r.values["_icpc"]["icpc_date"]
        pks = self._under(
            Section47Enquiry,
            chunk,
            "ssd_cin_episodes",
            "referral_id",
            "s47e_s47_start_date",
            "start_date",
            {"_icpc_target": "icpc_target_date", "_icpc_date": "icpc_date"},
        )
        self._remember("ssd_s47_enquiry", chunk, pks)

    def _initial_cp_conference(self, chunk):
        with_s47 = [r for r in chunk if r.refs.get("ssd_s47_enquiry")]
        without = [r for r in chunk if not r.refs.get("ssd_s47_enquiry")]
        mapping = {"icpc_icpc_date": "conference_date", "icpc_icpc_outcome_cp_flag": "plan_made"}
        if with_s47:
            items = []
            for r in with_s47:
                fields = {k: v for k, v in _take(r.values, mapping).items() if v is not None}
                items.append(
                    _Item(
                        r.location,
                        r.person_id,
                        {"section47_id": self.pk["ssd_s47_enquiry"].get(r.refs["ssd_s47_enquiry"]), "kind": "initial"},
                        fields,
                        (r.person_id, "s47", r.refs["ssd_s47_enquiry"]),
                        {"child_id": self.child.get(r.person_id)},
                    )
                )
            self.sync(ChildProtectionConference, items)
        if without:
            items = []
            for r in without:
                fields = {k: v for k, v in _take(r.values, mapping).items() if v is not None and k != "conference_date"}
                items.append(
                    _Item(
                        r.location,
                        r.person_id,
                        {
                            "child_id": self.child.get(r.person_id),
                            "kind": "initial",
                            "conference_date": r.values["icpc_icpc_date"],
                            "section47_id": None,
                        },
                        fields,
                        (r.person_id, "icpc", r.values["icpc_icpc_date"]),
                    )
                )
            self.sync(ChildProtectionConference, items)

    def _cp_plans(self, chunk):
        def categories(r):
            initial = r.values.get("cppl_cp_plan_initial_category") or ("", "")
            latest = r.values.get("cppl_cp_plan_latest_category") or ("", "")
            combination = latest[1] or initial[1] if latest[0] else initial[1]
            return initial[0], latest[0], combination

        for r in chunk:
            initial, latest, combination = categories(r)
            r.values["_initial"], r.values["_latest"] = initial, latest
            if combination:
                r.values["_categories"] = combination
        pks = self._under(
            ChildProtectionPlan,
            chunk,
            "ssd_cin_episodes",
            "referral_id",
            "cppl_cp_plan_start_date",
            "start_date",
            {
                "cppl_cp_plan_end_date": "end_date",
                "_initial": "initial_category",
                "_latest": "latest_category",
                "_categories": "categories",
            },
            extra=lambda r: {"child_id": self.child.get(r.person_id)},
        )
        self._remember("ssd_cp_plans", chunk, pks)

    def _cp_reviews(self, chunk):
        dated = [r for r in chunk if r.values.get("cppr_cp_review_date")]  # a review not yet held has no date
        items = [
            _Item(
                r.location,
                r.person_id,
                {
                    "plan_id": self.pk["ssd_cp_plans"].get(r.refs["ssd_cp_plans"]),
                    "conference_date": r.values["cppr_cp_review_date"],
                    "kind": "review",
                },
                {},
                (r.person_id, r.refs["ssd_cp_plans"], r.values["cppr_cp_review_date"]),
                {"child_id": self.child.get(r.person_id)},
            )
            for r in dated
        ]
        self.sync(ChildProtectionConference, items)

    EPISODE = {
        "clae_cla_episode_start_reason": "reason_new_episode",
        "clae_cla_primary_need_code": "cin_category",
        "clae_cla_episode_ceased": "end_date",
        "clae_cla_episode_ceased_reason": "reason_ceased",
        "_legal_status": "legal_status",
    }
    PLACEMENT = {
        "clap_cla_placement_type": "placement_type",
        "clap_cla_placement_urn": "urn",
        "clap_cla_placement_la": "placement_la",
        "clap_cla_placement_provider": "placement_provider",
        "clap_cla_placement_postcode": "placement_postcode",
        "clap_cla_placement_change_reason": "reason_place_change",
    }

    def _cla_episodes(self, chunk):
        for r in chunk:
            placement = r.values.pop("_placement", None)
            if placement:
                for col, attr in self.PLACEMENT.items():
                    if col in placement:
                        r.values["_p_" + attr] = placement[col]
        mapping = dict(self.EPISODE)
        mapping.update({"_p_" + attr: attr for attr in self.PLACEMENT.values()})
        pks = self._events(LookedAfterEpisode, chunk, {"clae_cla_episode_start_date": "start_date"}, mapping)
        self._remember("ssd_cla_episodes", chunk, pks)
        self._iro_contacts(chunk, "clae_cla_last_iro_contact_date")

    def _cla_reviews(self, chunk):
        dated = [r for r in chunk if r.values.get("clar_cla_review_date")]
        self._events(
            LookedAfterReview,
            dated,
            {"clar_cla_review_date": "review_date"},
            {"clar_cla_review_participation": "participation"},
        )
        self._iro_contacts(chunk, "clar_cla_review_last_iro_contact_date")

    def _cla_health(self, chunk):
        kept = []
        for r in chunk:
            status = (r.values.get("clah_health_check_status") or "").lower()
            kind_text = r.values["clah_health_check_type"].lower()
            where = {"child_id": r.person_id, "location": r.location}
            if status in HEALTH_STATUS_NOT_DONE:
                continue  # planned, refused or cancelled: not an assessment that took place
            if status not in HEALTH_STATUS_DONE:
                self.log.error(
                    "ssd.code",
                    f"clah_health_check_status '{r.values['clah_health_check_status']}' is not one of "
                    f"Planned, Refused, Cancelled, Completed. {FIX_RECORD}",
                    field="clah_health_check_status",
                    **where,
                )
                continue
            if "dental" in kind_text:
                kind = "dental"
            elif "initial" in kind_text:
                kind = "initial"
            elif "review" in kind_text:
                kind = "review"
            elif "health assessment" in kind_text:
                kind = "review"
                self.log.warning(
                    "ssd.health-kind",
                    f"clah_health_check_type '{r.values['clah_health_check_type']}' does not say initial or "
                    "review; held as a review health assessment. Nothing to correct unless it was an initial one: then "
                    "record it as initial in the case management system.",
                    field="clah_health_check_type",
                    **where,
                )
            else:
                self.log.warning(
                    "ssd.health-kind",
                    f"clah_health_check_type '{r.values['clah_health_check_type']}' is not a health "
                    "assessment or dental check; the register does not hold it. Nothing to correct.",
                    field="clah_health_check_type",
                    **where,
                )
                continue
            r.values["_kind"] = kind
            kept.append(r)
        self._events(HealthAssessment, kept, {"_kind": "kind", "clah_health_check_date": "assessment_date"}, {})

    def _missing(self, chunk):
        self._events(
            MissingEpisode,
            chunk,
            {"miss_mis_epi_start": "started_at"},
            {
                "miss_mis_epi_type": "kind",
                "miss_mis_epi_end": "returned_at",
                "miss_mis_epi_rhi_offered": "rhi_offered",
                "miss_mis_epi_rhi_accepted": "rhi_accepted",
            },
        )

    def _care_leavers(self, chunk):
        for r in chunk:
            letter = r.values.get("clea_care_leaver_accommodation") or ""
            suitable = r.values.get("clea_care_leaver_accom_suitable") or ""
            if "clea_care_leaver_accommodation" in r.values:
                r.values["_accommodation"] = letter if len(letter) == 2 or not letter else letter + suitable
        self._events(
            CareLeaverContact,
            chunk,
            {"clea_care_leaver_latest_contact": "contact_date"},
            {
                "clea_care_leaver_in_touch": "in_touch",
                "clea_care_leaver_activity": "activity",
                "_accommodation": "accommodation",
            },
        )
        planned = [r for r in chunk if r.values.get("clea_pathway_plan_review_date")]
        self._events(
            PathwayPlan,
            planned,
            {"clea_pathway_plan_review_date": "plan_date"},
            {"clea_care_leaver_personal_advisor": "personal_adviser"},
        )

    ADOPTION = {
        "perm_adm_decision_date": "decision_date",
        "perm_placement_order_date": "placement_order_date",
        "perm_matched_date": "match_date",
        "perm_adopted_by_carer_flag": "foster_carer_adoption",
        "perm_placed_ffa_cp_date": "ffa_placement_date",
        "perm_decision_reversed_date": "decision_reversed_date",
        "perm_decision_reversed_reason": "decision_reversed_reason",
        "perm_adopter_sex": "sex_of_adopters",
        "perm_adopter_legal_status": "legal_status_of_adopters",
        "perm_number_of_adopters": "number_of_adopters",
        "_adoption_order": "adoption_order_date",
    }

    def _permanence(self, chunk):
        adoption = []
        for r in chunk:
            order = (r.values.get("perm_permanence_order_type") or "").lower()
            if "adopt" in order:
                r.values["_adoption_order"] = r.values.get("perm_permanence_order_date")
            if any(r.values.get(c) not in (None, "") for c in self.ADOPTION if c != "perm_adopted_by_carer_flag"):
                adoption.append(r)
        self._events(AdoptionMilestone, adoption, {}, self.ADOPTION)
        placed = [r for r in chunk if r.values.get("perm_placed_for_adoption_date")]
        self._events(PlacedForAdoption, placed, {"perm_placed_for_adoption_date": "date_placed"}, {})

    def _cla_previous_permanence(self, chunk):
        for r in chunk:
            la = r.values.get("lapp_previous_permanence_la")
            if la is not None and len(la) > 3:
                self.log.warning(
                    "ssd.previous-permanence-la",
                    f"lapp_previous_permanence_la '{la}' is a name; the register holds the 903 LA_PERM "
                    "3-digit code, so it was not imported. To import it, record the code in the case management system "
                    "and export the extract again.",
                    child_id=r.person_id,
                    location=r.location,
                    field="lapp_previous_permanence_la",
                )
                del r.values["lapp_previous_permanence_la"]
        self._events(
            PreviousPermanence,
            chunk,
            {},
            {
                "lapp_previous_permanence_option": "previous_permanence",
                "lapp_previous_permanence_la": "la_code",
                "lapp_previous_permanence_order_date": "date_raw",
            },
        )

    def _immigration_status(self, chunk):
        uasc = []
        for r in chunk:
            status = r.values["immi_immigration_status"].lower()
            if "unaccompanied" in status or "uasc" in status:
                uasc.append(r)  # other immigration statuses have no place in the register
        self._events(UnaccompaniedAsylumSeeker, uasc, {}, {"immi_immigration_status_end_date": "date_ceased"})

    def _involvements(self, chunk):
        """Who held the case, when, as the 903 SWEpisodes (returns/ssda903/loader.py): the professional's
        prof_staff_id is organisation.Worker.staff_id, the team is the worker's team, and the key is
        (child, worker, start date). A worker Line of Sight does not know is a warning and only that
        row is skipped: no worker or team is made up. Only the allocated worker's involvements are
        held (see _is_allocation): an Involvement is an allocation wherever the register reads it."""
        chunk = [r for r in chunk if self._is_allocation(r)]
        wanted = {r.values["_staff_id"] for r in chunk if r.values.get("_staff_id")}
        workers = {w.staff_id: w for w in Worker.objects.filter(staff_id__in=wanted)} if wanted else {}
        items = []
        for r in chunk:
            professional = r.values.get("invo_professional_id") or ""
            staff_id = r.values.get("_staff_id")
            worker = workers.get(staff_id) if staff_id else None
            if worker is None:
                if not professional:
                    why = "invo_professional_id is blank, so this involvement names no worker"
                elif r.values.get("_professional_twice"):
                    why = (
                        f"professional {professional} has two rows in ssd_professionals.csv with different "
                        "prof_staff_id values, so which worker this is cannot be told"
                    )
                elif staff_id is None:
                    why = f"invo_professional_id {professional} is not a row of ssd_professionals.csv"
                elif not staff_id:
                    why = f"professional {professional} has no prof_staff_id in ssd_professionals.csv"
                else:
                    why = (
                        f"professional {professional}'s prof_staff_id {staff_id} is not the staff ID of any "
                        "worker in Line of Sight"
                    )
                # A warning, not an error, as for the 903 SW_ID: the rest of the extract should not wait.
                self.log.warning(
                    "ssd.worker-unknown",
                    f"{why}, so this involvement was not imported; add the worker (with their team) under "
                    "organisation and import the extract again.",
                    child_id=r.person_id,
                    location=r.location,
                    field="invo_professional_id",
                )
                continue
            key = {
                "child_id": self.child.get(r.person_id),
                "worker_id": worker.pk,
                "start_date": r.values["invo_involvement_start_date"],
            }
            fields = {"team_id": worker.team_id}
            fields.update(
                _take(r.values, {"invo_involvement_end_date": "end_date", "invo_worker_change_reason": "change_reason"})
            )
            dup = (r.person_id, f"worker {worker.staff_id}", r.values["invo_involvement_start_date"])
            items.append(_Item(r.location, r.person_id, key, fields, dup))
            if key["child_id"] is not None:  # None: a person a preview would create, or not in the upload
                self.given[key["child_id"]].append(Given(worker.pk, key["start_date"], fields, r.location))
        self.sync(Involvement, items)

    def _allocate(self) -> None:
        """Each child with an involvement in the upload takes the team and worker of its current
        involvement (returns/allocation.py), once every chunk of ssd_involvements is in: a child's
        rows may span two chunks. A child whose rows were all skipped keeps its own."""
        moved = allocate_current(self.given, self.today, self.provenance, self.dry_run)
        count_moved(self.counts[LABELS[Child]], moved, self.unchanged_children)
        self.provenance.flush()

    def _is_allocation(self, r: SsdRow) -> bool:
        """Whether the row's invo_professional_role_id names the allocated worker (ssd.ALLOCATED_ROLES).
        A row with another role is not imported and is counted for one warning per role. Without a role
        (column absent, or blank) the row is held as before the role was read, and counted for a warning."""
        if ROLE not in r.values:
            self._role_absent.add(r.location)
            return True
        role = r.values[ROLE]
        if not role:
            self._role_blank.add(r.location)
            return True
        key = role_key(role)
        if key in ALLOCATED_ROLES:
            return True
        self._not_allocations.setdefault(key, _Counted(role)).add(r.location)
        return False

    def _report_roles(self) -> None:
        """The warnings _is_allocation counted: one a role, however many rows have it."""
        allocated = "the roles read as the allocated worker (in any case) are " + ", ".join(sorted(ALLOCATED_ROLES))
        groups = sorted(self._not_allocations.values(), key=lambda g: (-g.n, g.text))
        rest = _Counted()
        for g in groups[ROLES_NAMED:]:
            rest.n += g.n
            rest.where = (rest.where + g.where)[:ROWS_NAMED]
        for g in groups[:ROLES_NAMED]:
            self.log.warning(
                "ssd.involvement-not-allocation",
                f"{g.rows()} of ssd_involvements.csv: the role '{g.text}' is not the allocated worker (who holds "
                "the case, which caseloads and oversight count) but another professional involved with the child, "
                f"so {'it was not imported as an involvement' if g.n == 1 else 'they were not imported'}; "
                f"{allocated}. If '{g.text}' is your system's name for the allocated worker, ask for it to be added.",
                location=g.where[0],
                field=ROLE,
            )
        if rest.n:
            self.log.warning(
                "ssd.involvement-not-allocation",
                f"{rest.rows()} of ssd_involvements.csv: {len(groups) - ROLES_NAMED} more roles that are not the "
                f"allocated worker, so they were not imported; {allocated}. Nothing to correct unless one is your "
                "system's name for the allocated worker: then ask for it to be added.",
                location=rest.where[0],
                field=ROLE,
            )
        absent, blank = self._role_absent, self._role_blank
        for g, why in (
            (absent, f"ssd_involvements.csv has no column invo_professional_role_id ({absent.rows()})"),
            (blank, f"invo_professional_role_id is blank on {blank.rows()}"),
        ):
            if g.n:
                held = "it was imported as an allocation" if g.n == 1 else "they were imported as allocations"
                self.log.warning(
                    "ssd.involvement-role-blank",
                    f"{why}, so Line of Sight cannot tell the allocated worker from another professional (an "
                    f"IRO, a personal adviser): {held}, as before the role was read. Give the role in the extract "
                    "so that only the allocated worker counts in caseloads and oversight.",
                    location=g.where[0],
                    field=ROLE,
                )

    def _mother(self, chunk):
        return  # read before ssd_person, into Child.mother_birth_date
