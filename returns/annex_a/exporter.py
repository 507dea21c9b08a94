"""Writing the Ofsted Annex A workbook (Lists 1-11) from the register, for any period.

Annex A covers the 6 or 12 months before an inspection: `period_before` gives that
period, and `export_annex_a` takes any start and end date. The workbook is written
with openpyxl in write-only mode, list by list, the register read in chunks, so
memory stays flat. Headers are the template's (returns.annex_a.reader.LISTS); dates are
real Excel dates; codes are written in the template's lettered form where the
template letters them ("a) Male", "q) 6: Police"). Derived columns (age, counts in
the last 12 months, start of the period of care, of the legal status and of the
placement) are worked out from the events. Which rows each list takes is in
docs/decisions/0010-annex-a.md.
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Iterator
from itertools import islice
from pathlib import Path
from typing import IO, Any

from django.db.models import Q
from openpyxl.cell import WriteOnlyCell

from children.models import (
    Adopter,
    AdoptionMilestone,
    Assessment,
    CareLeaverContact,
    Child,
    ChildProtectionConference,
    ChildProtectionPlan,
    Contact,
    Disability,
    EarlyHelpEpisode,
    HealthAssessment,
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
from exports.writer import Workbook, workbook
from returns.annex_a.reader import LISTS, lettered

CHUNK = 1000
DATE_FORMAT = "dd/mm/yyyy"
YEAR = dt.timedelta(days=365)
CATEGORY_LABELS = {"NEG": "Neglect", "PHY": "Physical abuse", "SAB": "Sexual abuse", "EMO": "Emotional abuse"}
CATEGORY_LABELS["MUL"] = "Multiple"


def period_before(inspection: dt.date, months: int = 12) -> tuple[dt.date, dt.date]:
    """The months before an inspection: from the same day `months` earlier to the day before."""
    year, month = inspection.year, inspection.month - months
    while month < 1:
        month += 12
        year -= 1
    day = min(inspection.day, [31, 29 if year % 4 == 0 else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1])
    return dt.date(year, month, day), inspection - dt.timedelta(days=1)


def _chunks(items: Iterable, size: int = CHUNK) -> Iterator[list]:
    it = iter(items)
    while chunk := list(islice(it, size)):
        yield chunk


def _yes(value: bool | None, lettered_form: bool = False) -> str:
    if value is None:
        return ""
    if lettered_form:
        return "a) Yes" if value else "b) No"
    return "Yes" if value else "No"


def _age(birth: dt.date | None, on: dt.date) -> int | None:
    if birth is None:
        return None
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def _name(obj) -> str:
    return obj.name if obj is not None else ""


class _Sheet:
    def __init__(self, book: Workbook, number: int) -> None:
        self.spec = LISTS[number]
        self.ws = book.create_sheet(self.spec.sheet)
        self.ws.append([c.header for c in self.spec.columns])
        self.rows = 0

    def write(self, values: dict[str, Any]) -> None:
        out = []
        for col in self.spec.columns:
            value = values.get(col.key)
            if isinstance(value, dt.date):
                cell = WriteOnlyCell(self.ws, value=value)
                cell.number_format = DATE_FORMAT
                out.append(cell)
            else:
                out.append(value)
        self.ws.append(out)
        self.rows += 1


class _Children:
    """The child columns shared by the lists, with the disability answer, for a chunk of children."""

    def __init__(self, end: dt.date, written: set[int]) -> None:
        self.end = end
        self.written = written

    def load(self, child_ids: Iterable[int]) -> None:
        ids = list(set(child_ids))
        self.children = {c.pk: c for c in Child.objects.filter(pk__in=ids).select_related("team", "worker")}
        self.codes: dict[int, set[str]] = defaultdict(set)
        for child_id, code in Disability.objects.filter(child_id__in=ids).values_list("child_id", "code"):
            self.codes[child_id].add(code)

    def common(self, child_id: int) -> dict[str, Any]:
        child = self.children[child_id]
        self.written.add(child_id)
        codes = self.codes.get(child_id)
        disability = bool(codes - {"NONE"}) if codes else child.has_disability
        return {
            "child_id": child.la_child_id,
            "sex": lettered("sex", child.sex),
            "ethnicity": lettered("ethnicity", child.ethnicity) if child.ethnicity else "",
            "birth_date": child.birth_date,
            "age": _age(child.birth_date, self.end),
            "disability": _yes(disability, True),
            "upn": child.upn,
        }


def _latest(dates: Iterable[dt.date | None], low: dt.date | None = None, high: dt.date | None = None):
    kept = [d for d in dates if d and (low is None or d >= low) and (high is None or d <= high)]
    return max(kept) if kept else None


def export_annex_a(
    out: str | Path | IO[bytes], start: dt.date, end: dt.date, children=None, written: set[int] | None = None
) -> dict[int, int]:
    """Write the Annex A workbook for the period [start, end] to `out` (a path or a binary file).
    `children` narrows the child lists (e.g. to children in scope); `written` collects the ids of the
    children on any list (for the audit log). Returns the rows written per list."""
    if start > end:
        raise ValueError(f"The period starts ({start}) after it ends ({end}).")
    base = children if children is not None else Child.objects.all()
    book = workbook(write_only=True)
    kids = _Children(end, written if written is not None else set())
    counts = {}
    writers = (_list1, _list2, _list3, _list4, _list5, _list6, _list7, _list8, _list9, _list10, _list11)
    for number, writer in enumerate(writers, start=1):
        sheet = _Sheet(book, number)
        writer(sheet, kids, base, start, end)
        counts[number] = sheet.rows
    book.save(out)
    return counts


def _list1(sheet, kids, base, start, end) -> None:
    qs = Contact.objects.filter(child__in=base, contact_date__range=(start, end)).order_by(
        "contact_date", "child_id", "pk"
    )
    for chunk in _chunks(qs.iterator(chunk_size=CHUNK)):
        kids.load(c.child_id for c in chunk)
        for c in chunk:
            sheet.write(
                kids.common(c.child_id)
                | {"contact_date": c.contact_date, "contact_source": lettered("source", c.source) if c.source else ""}
            )


def _list2(sheet, kids, base, start, end) -> None:
    qs = (
        EarlyHelpEpisode.objects.filter(child__in=base, assessment_start_date__lte=end)
        .filter(Q(assessment_completion_date__isnull=True) | Q(assessment_completion_date__gte=start))
        .order_by("assessment_start_date", "child_id", "pk")
    )
    for chunk in _chunks(qs.iterator(chunk_size=CHUNK)):
        kids.load(e.child_id for e in chunk)
        for e in chunk:
            sheet.write(
                kids.common(e.child_id)
                | {
                    "assessment_start_date": e.assessment_start_date,
                    "assessment_completion_date": e.assessment_completion_date,
                    "organisation": e.organisation,
                }
            )


def _referral_dates(child_ids: Iterable[int]) -> dict[int, list[dt.date]]:
    out: dict[int, list[dt.date]] = defaultdict(list)
    for child_id, date in Referral.objects.filter(child_id__in=list(set(child_ids)), placeholder=False).values_list(
        "child_id", "referral_date"
    ):
        out[child_id].append(date)
    return out


def _list3(sheet, kids, base, start, end) -> None:
    qs = (
        # A referral the Annex A import made up to hold an event is not sent back as one.
        Referral.objects.filter(child__in=base, referral_date__range=(start, end), placeholder=False)
        .select_related("team", "worker")
        .order_by("referral_date", "child_id", "pk")
    )
    for chunk in _chunks(qs.iterator(chunk_size=CHUNK)):
        kids.load(r.child_id for r in chunk)
        dates = _referral_dates(r.child_id for r in chunk)
        for r in chunk:
            earlier = [d for d in dates[r.child_id] if r.referral_date - YEAR <= d < r.referral_date]
            sheet.write(
                kids.common(r.child_id)
                | {
                    "referral_date": r.referral_date,
                    "source": lettered("source", r.source) if r.source else "",
                    "nfa": _yes(r.nfa),
                    "referrals_12m": len(earlier),
                    "team": _name(r.team),
                    "worker": _name(r.worker),
                }
            )


def _list4(sheet, kids, base, start, end) -> None:
    qs = (
        Assessment.objects.filter(referral__child__in=base, start_date__lte=end)
        .filter(Q(authorisation_date__isnull=True) | Q(authorisation_date__gte=start))
        .select_related("referral", "team", "worker")
        .order_by("start_date", "referral__child_id", "pk")
    )
    for chunk in _chunks(qs.iterator(chunk_size=CHUNK)):
        kids.load(a.referral.child_id for a in chunk)
        for a in chunk:
            sheet.write(
                kids.common(a.referral.child_id)
                | {
                    "start_date": a.start_date,
                    "child_seen": _yes(a.child_seen),
                    "authorisation_date": a.authorisation_date,
                    "requires_support": _yes(a.requires_support) if a.requires_support is not None else a.outcome,
                    "team": _name(a.team),
                    "worker": _name(a.worker),
                }
            )


def _list5(sheet, kids, base, start, end) -> None:
    qs = (
        Section47Enquiry.objects.filter(referral__child__in=base, start_date__range=(start, end))
        .select_related("referral", "team", "worker")
        .order_by("start_date", "referral__child_id", "pk")
    )
    for chunk in _chunks(qs.iterator(chunk_size=CHUNK)):
        child_ids = {s.referral.child_id for s in chunk}
        kids.load(child_ids)
        starts: dict[int, list[dt.date]] = defaultdict(list)
        for child_id, date in Section47Enquiry.objects.filter(referral__child_id__in=child_ids).values_list(
            "referral__child_id", "start_date"
        ):
            starts[child_id].append(date)
        icpcs: dict[int, list[dt.date]] = defaultdict(list)
        made: dict[int, bool] = {}
        for child_id, s47, date, plan_made in ChildProtectionConference.objects.filter(
            child_id__in=child_ids, kind="initial"
        ).values_list("child_id", "section47_id", "conference_date", "plan_made"):
            icpcs[child_id].append(date)
            if s47:
                made[s47] = plan_made
        for s in chunk:
            child_id = s.referral.child_id
            sheet.write(
                kids.common(child_id)
                | {
                    "start_date": s.start_date,
                    "icpc_not_required": _yes(s.icpc_not_required),
                    "icpc_date": s.icpc_date,
                    "plan_made": _yes(made.get(s.pk)) if s.icpc_date else "",
                    "s47_12m": sum(1 for d in starts[child_id] if end - YEAR < d <= end),
                    "icpc_12m": sum(1 for d in icpcs[child_id] if end - YEAR < d <= end),
                    "team": _name(s.team),
                    "worker": _name(s.worker),
                }
            )


def _visits(child_ids: Iterable[int], kind: str) -> dict[int, list[Visit]]:
    out: dict[int, list[Visit]] = defaultdict(list)
    for v in Visit.objects.filter(child_id__in=list(set(child_ids)), kind=kind, seen=True).order_by("visit_date", "pk"):
        out[v.child_id].append(v)
    return out


def _list6(sheet, kids, base, start, end) -> None:
    qs = (
        Referral.objects.filter(child__in=base, referral_date__lte=end)
        .filter(Q(closure_date__isnull=True) | Q(closure_date__gte=start), placeholder=False)
        .select_related("team", "worker")
        .order_by("referral_date", "child_id", "pk")
    )
    for chunk in _chunks(qs.iterator(chunk_size=CHUNK)):
        kids.load(r.child_id for r in chunk)
        visits = _visits((r.child_id for r in chunk), Visit.Kind.CIN)
        for r in chunk:
            sheet.write(
                kids.common(r.child_id)
                | {
                    "referral_date": r.referral_date,
                    "primary_need": r.primary_need,
                    "last_seen": _latest((v.visit_date for v in visits[r.child_id]), r.referral_date, end),
                    "closure_date": r.closure_date,
                    "closure_reason": r.closure_reason,
                    "case_status": r.case_status,
                    "team": _name(r.team),
                    "worker": _name(r.worker),
                }
            )


def _list7(sheet, kids, base, start, end) -> None:
    qs = (
        ChildProtectionPlan.objects.filter(child__in=base, start_date__lte=end)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=start))
        .select_related("team", "worker")
        .order_by("start_date", "child_id", "pk")
    )
    for chunk in _chunks(qs.iterator(chunk_size=CHUNK)):
        kids.load(p.child_id for p in chunk)
        visits = _visits((p.child_id for p in chunk), Visit.Kind.CP)
        reviews: dict[int, list[dt.date]] = defaultdict(list)
        for plan_id, date in ChildProtectionConference.objects.filter(plan__in=chunk, kind="review").values_list(
            "plan_id", "conference_date"
        ):
            reviews[plan_id].append(date)
        for p in chunk:
            # The last visit on or after the plan's start (it can fall after the plan ended).
            seen = [v for v in visits[p.child_id] if p.start_date <= v.visit_date <= end]
            last = seen[-1] if seen else None
            alone = ""
            if last is not None:
                alone = "c) Unknown" if last.seen_alone is None else _yes(last.seen_alone, True)
            sheet.write(
                kids.common(p.child_id)
                | {
                    "start_date": p.start_date,
                    "initial_category": CATEGORY_LABELS.get(p.initial_category, p.initial_category),
                    "latest_category": CATEGORY_LABELS.get(p.latest_category, p.latest_category),
                    "last_visit": last.visit_date if last else None,
                    "seen_alone": alone,
                    "last_review": _latest(reviews[p.pk], high=end),
                    "end_date": p.end_date,
                    "epo": _yes(p.emergency_protection_recent, True),
                    "previous_plans": p.number_of_previous_plans,
                    "team": _name(p.team),
                    "worker": _name(p.worker),
                }
            )


def _run_start(episodes: list[LookedAfterEpisode], i: int, same) -> dt.date:
    """Walk back from episode i through contiguous episodes for which same(prev, cur) holds."""
    while i > 0 and episodes[i - 1].end_date == episodes[i].start_date and same(episodes[i - 1], episodes[i]):
        i -= 1
    return episodes[i].start_date


def _placement(e: LookedAfterEpisode) -> tuple:
    return (e.placement_type, e.placement_provider, e.placement_postcode, e.urn, e.in_borough, e.placement_la)


def _runs(episodes: list[LookedAfterEpisode]) -> list[tuple[dt.date, dt.date | None]]:
    """Placements as (start, end) runs of contiguous episodes with the same placement."""
    out: list[tuple[dt.date, dt.date | None]] = []
    for i, e in enumerate(episodes):
        if i and episodes[i - 1].end_date == e.start_date and _placement(episodes[i - 1]) == _placement(e):
            out[-1] = (out[-1][0], e.end_date)
        else:
            out.append((e.start_date, e.end_date))
    return out


def _list8(sheet, kids, base, start, end) -> None:
    ids = (
        LookedAfterEpisode.objects.filter(child__in=base, start_date__lte=end)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=start))
        .values_list("child_id", flat=True)
        .distinct()
        .order_by("child_id")
    )
    for chunk in _chunks(ids.iterator(chunk_size=CHUNK)):
        kids.load(chunk)
        episodes: dict[int, list[LookedAfterEpisode]] = defaultdict(list)
        for e in LookedAfterEpisode.objects.filter(child_id__in=chunk, start_date__lte=end).order_by(
            "start_date", "pk"
        ):
            episodes[e.child_id].append(e)
        uasc = set(UnaccompaniedAsylumSeeker.objects.filter(child_id__in=chunk).values_list("child_id", flat=True))
        reviews = _dates(LookedAfterReview, "review_date", chunk)
        health = _dates(HealthAssessment, "assessment_date", chunk, kind__in=("initial", "review"))
        dental = _dates(HealthAssessment, "assessment_date", chunk, kind="dental")
        sw = _visits(chunk, Visit.Kind.CLA)
        iro = _visits(chunk, Visit.Kind.IRO)
        plans: dict[int, PermanencePlan] = {}
        for permanence in PermanencePlan.objects.filter(child_id__in=chunk, decided_date__lte=end).order_by(
            "decided_date", "pk"
        ):
            plans[permanence.child_id] = permanence
        missing: dict[int, list[MissingEpisode]] = defaultdict(list)
        for m in MissingEpisode.objects.filter(child_id__in=chunk).order_by("started_at", "pk"):
            missing[m.child_id].append(m)
        for child_id in chunk:
            eps = episodes[child_id]
            i = len(eps) - 1
            cur = eps[i]
            began = _run_start(eps, i, lambda a, b: True)
            earlier = [e for e in eps if e.end_date and e.end_date < began]
            window = [m for m in missing[child_id] if end - YEAR < m.started_at.date() <= end]
            last_missing = missing[child_id][-1] if missing[child_id] else None
            child = kids.children[child_id]
            plan = plans.get(child_id)
            ceased = cur.end_date if cur.end_date and cur.end_date <= end and cur.reason_ceased != "X1" else None
            sheet.write(
                kids.common(child_id)
                | {
                    "uasc": _yes(child_id in uasc, True),
                    "date_started": began,
                    "cin_category": cur.cin_category,
                    "second_period": _yes(bool(earlier) and began > end - YEAR, True),
                    "ls_start": _run_start(eps, i, lambda a, b: a.legal_status == b.legal_status),
                    "legal_status": cur.legal_status,
                    "last_review": _latest(reviews[child_id], high=end),
                    "last_sw_visit": _latest((v.visit_date for v in sw[child_id]), high=end),
                    "permanence": lettered("permanence", plan.plan_type) if plan else "",
                    "last_iro": _latest((v.visit_date for v in iro[child_id]), high=end),
                    "last_health": _latest(health[child_id], high=end),
                    "last_dental": _latest(dental[child_id], high=end),
                    "placements_12m": sum(1 for s, e in _runs(eps) if s <= end and (e is None or e > end - YEAR)),
                    "date_ceased": ceased,
                    "reason_ceased": cur.reason_ceased if ceased else "",
                    "placement_start": _run_start(eps, i, lambda a, b: _placement(a) == _placement(b)),
                    "placement_type": cur.placement_type,
                    "provider": cur.placement_provider,
                    "postcode": cur.placement_postcode,
                    "urn": cur.urn,
                    "location": "" if cur.in_borough is None else ("In" if cur.in_borough else "Out"),
                    "placement_la": cur.placement_la,
                    "missing_12m": sum(1 for m in window if m.kind == "M"),
                    "absent_12m": sum(1 for m in window if m.kind == "A"),
                    "rhi_offered": _yes(
                        last_missing.rhi_offered
                        if last_missing.rhi_offered is not None or last_missing.rhi_offered_at is None
                        else True
                    )
                    if last_missing
                    else "",
                    "rhi_accepted": _yes(last_missing.rhi_accepted) if last_missing else "",
                    "team": _name(child.team),
                    "worker": _name(child.worker),
                }
            )


def _dates(model, field: str, child_ids, **filters) -> dict[int, list[dt.date]]:
    out: dict[int, list[dt.date]] = defaultdict(list)
    for child_id, date in model.objects.filter(child_id__in=child_ids, **filters).values_list("child_id", field):
        out[child_id].append(date)
    return out


def _list9(sheet, kids, base, start, end) -> None:
    ids = (
        base.filter(
            Q(care_leaver_eligibility__gt="")
            | Q(care_leaver_contacts__year_ending__isnull=True, care_leaver_contacts__isnull=False)
        )
        .values_list("pk", flat=True)
        .distinct()
        .order_by("pk")
    )
    for chunk in _chunks(ids.iterator(chunk_size=CHUNK)):
        kids.load(chunk)
        uasc = set(UnaccompaniedAsylumSeeker.objects.filter(child_id__in=chunk).values_list("child_id", flat=True))
        plans: dict[int, PathwayPlan] = {}
        for p in PathwayPlan.objects.filter(child_id__in=chunk, plan_date__lte=end).order_by("plan_date", "pk"):
            plans[p.child_id] = p
        contacts: dict[int, CareLeaverContact] = {}
        for c in CareLeaverContact.objects.filter(child_id__in=chunk, year_ending__isnull=True).order_by(
            "contact_date", "pk"
        ):
            if c.contact_date is None or c.contact_date <= end:
                contacts[c.child_id] = c
        for child_id in chunk:
            child = kids.children[child_id]
            plan, contact = plans.get(child_id), contacts.get(child_id)
            accommodation = contact.accommodation if contact else ""
            sheet.write(
                kids.common(child_id)
                | {
                    "uasc": _yes(child_id in uasc, True),
                    "team": _name(child.team),
                    "worker": _name(child.worker),
                    "personal_adviser": plan.personal_adviser if plan else "",
                    "eligibility": lettered("eligibility", child.care_leaver_eligibility)
                    if child.care_leaver_eligibility
                    else "",
                    "pathway_review": plan.plan_date if plan else None,
                    "in_touch": lettered("in_touch", contact.in_touch) if contact and contact.in_touch else "",
                    "contact_date": contact.contact_date if contact else None,
                    "accommodation": accommodation[:1],
                    "suitability": lettered("suitability", accommodation[1:]) if accommodation[1:] else "",
                    "activity": contact.activity if contact else "",
                }
            )


def _list10(sheet, kids, base, start, end) -> None:
    qs = (
        AdoptionMilestone.objects.filter(child__in=base)
        .filter(Q(adoption_order_date__isnull=True) | Q(adoption_order_date__gte=start))
        .filter(Q(decision_reversed_date__isnull=True) | Q(decision_reversed_date__gte=start))
        .filter(Q(decision_date__isnull=True) | Q(decision_date__lte=end))
        .order_by("child_id")
    )
    for chunk in _chunks(qs.iterator(chunk_size=CHUNK)):
        kids.load(a.child_id for a in chunk)
        placed = _dates(PlacedForAdoption, "date_placed", [a.child_id for a in chunk])
        for a in chunk:
            sheet.write(
                kids.common(a.child_id)
                | {
                    "family_id": a.adoptive_family_id,
                    "entered_care_date": a.entered_care_date,
                    "decision_date": a.decision_date,
                    "placement_order_date": a.placement_order_date,
                    "match_date": a.match_date,
                    "date_placed": _latest(placed[a.child_id], high=end),
                    "adoption_order_date": a.adoption_order_date,
                    "decision_reversed_date": a.decision_reversed_date,
                    "decision_reversed_reason": a.decision_reversed_reason,
                    "ffa_placement_date": a.ffa_placement_date,
                }
            )


def _list11(sheet, kids, base, start, end) -> None:
    qs = (
        Adopter.objects.filter(Q(enquiry_date__isnull=True) | Q(enquiry_date__lte=end))
        .filter(Q(left_process_date__isnull=True) | Q(left_process_date__gte=start))
        .filter(Q(adoption_order_date__isnull=True) | Q(adoption_order_date__gte=start))
        .order_by("adopter_id")
    )
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
    for a in qs.iterator(chunk_size=CHUNK):
        sheet.write(
            {
                "adopter_id": a.adopter_id,
                "family_id": a.family_id,
                "sex": lettered("sex", a.sex),
                "ethnicity": lettered("ethnicity", a.ethnicity) if a.ethnicity else "",
                "disability": _yes(a.has_disability, True),
                "fostering_for_adoption": _yes(a.fostering_for_adoption),
                "children_placed": a.children_placed,
                "left_process_reason": lettered("leaving", a.left_process_reason) if a.left_process_reason else "",
                **{k: getattr(a, k) for k in dates},
            }
        )
