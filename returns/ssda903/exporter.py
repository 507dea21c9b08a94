"""Writing the SSDA903 CSV tables from the register, for any collection year, as one zip.

A child is in the return when they were looked after at any time in the year (an
episode open on some day between 1 April and 31 March) or have an OC3 (care leaver)
row for the year. Each table holds that year's facts for those children: the episodes
open in the year, the reviews held in it, the missing episodes open in it that began in
care, placements for adoption open in it, the OC2 and OC3 rows of the year, and, for a child looked
after on 31 March, the social worker episodes open in it (the DfE's SW11b, SW12 and SW17: decision
0052); from 2026-27 the deprivations of liberty (DoLo) open in it; UASC for a child
looked after in the year whose status had not ceased before it; AD1 for a child adopted in the year;
previous permanence for a child whose care began in it. Only the tables of the year's specification
are written (no dolo.csv before 2026-27). What ended after 31 March is written as still open (no
DEC, REC, SW_DEC, MIS_END, DATE_PLACED_CEASED, DUC or DOLO_END): the return says what had happened by the year's end.
Dates are written dd/mm/yyyy and SEX in the year's code (1/2 until 2023-24, M/F/U from
2024-25). The tables are written straight into the zip, children read in chunks.

Every code is written only if the year's code list holds it (returns/ssda903/reader.py). A code the
DfE withdrew with a named successor is written as that successor (PLACE H5 as K3 from 2025-26,
and K3 as H5 before 2024-25, when K3 did not exist); any other code the year does not allow is
left blank, and the child, table, field and code are added to `notes`, so the export never
writes a code the year refuses (docs/decisions/0029-exports-valid-for-their-year.md).
"""

import datetime as dt
import io
import zipfile
from pathlib import Path
from typing import IO

from django.db.models import Prefetch, Q

from children.models import (
    CareLeaverContact,
    Child,
    DeprivationOfLiberty,
    Involvement,
    LookedAfterEpisode,
    LookedAfterReview,
    MissingEpisode,
    OutcomesReturn,
)
from exports.writer import csv_writer
from returns.cin.reader import collection_label
from returns.ssda903.loader import local_day
from returns.ssda903.reader import FLAGS, SEX_TO_OLD, codes_for, tables_for, uses_mfu

# A withdrawn code and the code that replaced it, per field, in both directions: the register holds
# what the case management system holds today, and a year on either side of the change needs the
# other code. H5 -> K3: DfE 903 guidance 2024-25 and 2025-26 (K3 added in 2024-25, H5 withdrawn in
# 2025-26; rule 503D accepts last year's open H5 continuing as K3). P2 and Z1 (withdrawn in 2025-26)
# have no single successor (Z1 split into Z11-Z14), so they are reported, not guessed.
SUCCESSORS: dict[str, dict[str, str]] = {"PLACE": {"H5": "K3", "K3": "H5"}}


class _Codes:
    """The year's code lists, applied to each code as it is written."""

    def __init__(self, collection_year: int, notes: list[str] | None) -> None:
        self.lists = codes_for(collection_year)
        self.label = collection_label(collection_year)
        self.notes = notes

    def __call__(self, field: str, value: str, cid: str, where: str) -> str:
        if not value:
            return ""
        allowed = self.lists[field]
        if value in allowed:
            return value
        other = SUCCESSORS.get(field, {}).get(value)
        if other in allowed:
            return other
        if self.notes is not None:
            self.notes.append(
                f"Child {cid}, {where}: {field} '{value}' is not a {self.label} code and has no single "
                f"{self.label} equivalent, so it was left blank. Record the {self.label} code in the case "
                "management system and import it, or correct the exported file, before sending the return."
            )
        return ""


def period_for(collection_year: int) -> tuple[dt.date, dt.date]:
    return dt.date(collection_year - 1, 4, 1), dt.date(collection_year, 3, 31)


def _d(value) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


def _by(day, end: dt.date):
    """A date the return can know: on or before the year's end (DfE rule 385 and its kin: an episode,
    social worker episode, missing episode or adoption decision that ended later was still open)."""
    return day if day is not None and day <= end else None


def _later(day, end: dt.date) -> bool:
    """Ended after the year's end: its end and the reason for it are not in this year's return."""
    return day is not None and day > end


def _flag(value) -> str:
    return "" if value is None else ("1" if value else "0")


def _s(value) -> str:
    return "" if value is None else str(value)


def children_for_year(collection_year: int, children=None):
    start, end = period_for(collection_year)
    base = children if children is not None else Child.objects.all()
    looked_after = LookedAfterEpisode.objects.filter(start_date__lte=end).filter(
        Q(end_date__isnull=True) | Q(end_date__gte=start)
    )
    leavers = CareLeaverContact.objects.filter(year_ending=end)
    return base.filter(Q(pk__in=looked_after.values("child_id")) | Q(pk__in=leavers.values("child_id")))


def export_903(
    out: str | Path | IO[bytes],
    collection_year: int,
    children=None,
    written: set[int] | None = None,
    notes: list[str] | None = None,
) -> int:
    """Write the 903 CSV tables for `collection_year` (the year ending 31 March) into a zip at `out`.
    `children` narrows the export (e.g. to children in scope); `written` collects the ids of the
    children written (for the audit log); `notes` collects a message for each value the year's code
    lists do not allow and that was left blank. Returns the number of children written."""
    start, end = period_for(collection_year)
    open_in_year = Q(start_date__lte=end) & (Q(end_date__isnull=True) | Q(end_date__gte=start))
    qs = (
        children_for_year(collection_year, children)
        .order_by("la_child_id")
        .select_related("uasc", "adoption", "previous_permanence")
        .prefetch_related(
            Prefetch("episodes", queryset=LookedAfterEpisode.objects.filter(open_in_year).order_by("start_date")),
            Prefetch(
                "cla_reviews",
                queryset=LookedAfterReview.objects.filter(review_date__gte=start, review_date__lte=end).order_by(
                    "review_date"
                ),
            ),
            Prefetch("missing_episodes", queryset=MissingEpisode.objects.order_by("started_at")),
            Prefetch("outcomes", queryset=OutcomesReturn.objects.filter(year_ending=end)),
            Prefetch("care_leaver_contacts", queryset=CareLeaverContact.objects.filter(year_ending=end)),
            Prefetch(
                "involvements",
                queryset=Involvement.objects.filter(open_in_year, worker__isnull=False)
                .select_related("worker")
                .order_by("start_date", "pk"),
            ),
            Prefetch(
                "liberty_deprivations",
                queryset=DeprivationOfLiberty.objects.filter(open_in_year).order_by("start_date", "pk"),
            ),
        )
    )
    mfu = uses_mfu(collection_year)
    code = _Codes(collection_year, notes)
    tables = tables_for(collection_year)
    buffers = {name: io.StringIO() for name in tables}
    writers = {name: csv_writer(buffers[name], lineterminator="\r\n") for name in tables}
    for name, table in tables.items():
        writers[name].writerow(table.names)
    count = 0
    for child in qs.iterator(chunk_size=1000):
        count += 1
        _child_rows(child, writers, mfu, start, end, code)
        if written is not None:
            written.add(child.pk)
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, table in tables.items():
            archive.writestr(table.file, buffers[name].getvalue().encode("utf-8"))
    return count


def _child_rows(child: Child, w: dict, mfu: bool, start: dt.date, end: dt.date, code: _Codes) -> None:
    cid, dob = child.la_child_id, _d(child.birth_date)
    sex = child.sex if mfu else SEX_TO_OLD.get(child.sex, "")
    if child.sex and not sex and code.notes is not None:
        code.notes.append(
            f"Child {cid}, header: SEX '{child.sex}' has no {code.label} code (1 or 2), so it was left blank."
        )
    # A care leaver with no episode in the year is in the return for OC3 only: motherhood and the other
    # tables are not returned for them (the DfE's rules 628 and 1012).
    episodes = list(child.episodes.all())
    looked_after = bool(episodes)
    w["Header"].writerow(
        [
            cid,
            sex,
            dob,
            code("ETHNIC", child.ethnicity, cid, "header"),
            child.upn or child.upn_unknown,
            _flag(child.is_mother) if looked_after else "",
            _d(child.mother_birth_date) if looked_after else "",
        ]
    )
    # UASC for a child looked after in the year whose status had not ceased before it (the DfE's rules
    # 104 and 1014: a care leaver's is not returned); a status that ceased after 31 March is still open.
    uasc = getattr(child, "uasc", None)
    if uasc is not None and looked_after and not (uasc.date_ceased and uasc.date_ceased < start):
        w["UASC"].writerow([cid, sex, dob, _d(_by(uasc.date_ceased, end))])
    for c in child.care_leaver_contacts.all():
        w["OC3"].writerow(
            [
                cid,
                dob,
                code("IN_TOUCH", c.in_touch, cid, "OC3"),
                code("ACTIV", c.activity, cid, "OC3"),
                code("ACCOM", c.accommodation, cid, "OC3"),
            ]
        )
    # Social worker episodes are returned for a child looked after on 31 March (the DfE's SW11b, SW12 and SW17
    # read so; decision 0052): a child who left care in the year has none, though their worker's had ended.
    in_care_at_end = any(e.end_date is None or e.end_date > end for e in episodes)
    for i in child.involvements.all() if in_care_at_end else ():
        assert i.worker is not None  # the prefetch keeps only involvements with a worker
        reason = code("SW_REASON", i.change_reason, cid, f"social worker episode from {_d(i.start_date)}")
        stop = _d(_by(i.end_date, end))
        w["SWEpisodes"].writerow([cid, dob, i.worker.staff_id, _d(i.start_date), stop, reason])
    if looked_after:
        _looked_after_rows(child, episodes, w, start, end, code)


def _looked_after_rows(child: Child, episodes: list, w: dict, start: dt.date, end: dt.date, code: _Codes) -> None:
    cid, dob = child.la_child_id, _d(child.birth_date)
    for e in episodes:
        where = f"episode starting {_d(e.start_date)}"
        w["Episodes"].writerow(
            [
                cid,
                _d(e.start_date),
                code("RNE", e.reason_new_episode, cid, where),
                code("LS", e.legal_status, cid, where),
                code("CIN", e.cin_category, cid, where),
                code("PLACE", e.placement_type, cid, where),
                code("PLACE_PROVIDER", e.placement_provider, cid, where),
                _d(_by(e.end_date, end)),
                "" if _later(e.end_date, end) else code("REC", e.reason_ceased, cid, where),
                # Given with the end of the episode, so not for one that ended after 31 March (rule 233).
                "" if _later(e.end_date, end) else code("REASON_PLACE_CHANGE", e.reason_place_change, cid, where),
                e.home_postcode,
                e.placement_postcode,
                e.urn,
            ]
        )
    for r in child.cla_reviews.all():
        where = f"review on {_d(r.review_date)}"
        w["Reviews"].writerow([cid, dob, _d(r.review_date), code("REVIEW_CODE", r.participation, cid, where)])
    for o in child.outcomes.all():
        sdq = code("SDQ_REASON", o.sdq_reason, cid, "OC2")
        w["OC2"].writerow([cid, dob, _s(o.sdq_score), sdq, *(_flag(getattr(o, f.lower())) for f in FLAGS)])
    adoption = getattr(child, "adoption", None)
    # AD1 is returned in the year the child was adopted: an episode ceased E11 or E12 in it (rules 187, 602).
    adopted = any(e.reason_ceased in ("E11", "E12") and e.end_date and start <= e.end_date <= end for e in episodes)
    if (
        adopted
        and adoption is not None
        and any(
            v not in (None, "")
            for v in (
                adoption.decision_date,
                adoption.match_date,
                adoption.foster_carer_adoption,
                adoption.number_of_adopters,
                adoption.sex_of_adopters,
                adoption.legal_status_of_adopters,
            )
        )
    ):
        w["AD1"].writerow(
            [
                cid,
                dob,
                _d(adoption.decision_date),
                _d(adoption.match_date),
                _flag(adoption.foster_carer_adoption),
                _s(adoption.number_of_adopters),
                code("SEX_ADOPTR", adoption.sex_of_adopters, cid, "AD1"),
                code("LS_ADOPTR", adoption.legal_status_of_adopters, cid, "AD1"),
            ]
        )
    # PlacedAdoption is the decision that the child should be placed for adoption, in force at some time in
    # the year: DATE_PLACED is that decision's date (AD1's DATE_INT, rule 523), not the day the child moved
    # in, which the register keeps apart in PlacedForAdoption (decision 0051).
    decided = adoption.decision_date if adoption is not None else None
    reversed_on = adoption.decision_reversed_date if adoption is not None else None
    if decided and decided <= end and not (reversed_on and reversed_on < start):
        where = f"decision to place for adoption of {_d(decided)}"
        reason = code("REASON_PLACED_CEASED", adoption.decision_reversed_reason if adoption else "", cid, where)
        w["PlacedAdoption"].writerow(
            [cid, dob, _d(decided), _d(_by(reversed_on, end)), "" if _later(reversed_on, end) else reason]
        )
    perm = getattr(child, "previous_permanence", None)
    # Previous permanence is returned for a child whose care began (an episode started) in the year (rule 634).
    if perm is not None and any(e.start_date >= start for e in episodes):
        prev = code("PREV_PERM", perm.previous_permanence, cid, "previous permanence")
        w["PrevPerm"].writerow([cid, dob, prev, perm.la_code, perm.date_raw])
    for m in child.missing_episodes.all():
        began, back = local_day(m.started_at), local_day(m.returned_at)
        if began is None or began > end or (back is not None and back < start):
            continue
        # Missing from care only: it began during an episode (the DfE's rules 578 and 581).
        if not any(e.start_date <= began and (e.end_date is None or began <= e.end_date) for e in episodes):
            continue
        w["Missing"].writerow(
            [cid, dob, code("MISSING", m.kind, cid, f"missing from {_d(began)}"), _d(began), _d(_by(back, end))]
        )
    if "DoLo" in w:  # 2026-27 on; the prefetch holds those open in the year
        for dol in child.liberty_deprivations.all():
            w["DoLo"].writerow([cid, dob, _d(dol.start_date), _d(_by(dol.end_date, end))])
