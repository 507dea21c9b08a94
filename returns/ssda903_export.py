"""Writing the SSDA903 CSV tables from the register, for any collection year, as one zip.

A child is in the return when they were looked after at any time in the year (an
episode open on some day between 1 April and 31 March) or have an OC3 (care leaver)
row for the year. Each table holds that year's facts for those children: the episodes
open in the year, the reviews held in it, the missing episodes open in it, placements
for adoption open in it, the OC2 and OC3 rows of the year, and the social worker
episodes open in it; UASC, AD1 and previous permanence as the register holds them.
Dates are written dd/mm/yyyy and SEX in the year's code (1/2 until 2023-24, M/F/U from
2024-25). The tables are written straight into the zip, children read in chunks.
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
    Involvement,
    LookedAfterEpisode,
    LookedAfterReview,
    MissingEpisode,
    OutcomesReturn,
    PlacedForAdoption,
)
from exports.writer import csv_writer

from .ssda903 import FLAGS, SEX_TO_OLD, TABLES, uses_mfu
from .ssda903_import import local_day


def period_for(collection_year: int) -> tuple[dt.date, dt.date]:
    return dt.date(collection_year - 1, 4, 1), dt.date(collection_year, 3, 31)


def _d(value) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


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
    out: str | Path | IO[bytes], collection_year: int, children=None, written: set[int] | None = None
) -> int:
    """Write the 903 CSV tables for `collection_year` (the year ending 31 March) into a zip at `out`.
    `children` narrows the export (e.g. to children in scope); `written` collects the ids of the
    children written (for the audit log). Returns the number of children written."""
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
            Prefetch(
                "placed_for_adoption",
                queryset=PlacedForAdoption.objects.filter(date_placed__lte=end)
                .filter(Q(date_ceased__isnull=True) | Q(date_ceased__gte=start))
                .order_by("date_placed"),
            ),
            Prefetch("outcomes", queryset=OutcomesReturn.objects.filter(year_ending=end)),
            Prefetch("care_leaver_contacts", queryset=CareLeaverContact.objects.filter(year_ending=end)),
            Prefetch(
                "involvements",
                queryset=Involvement.objects.filter(open_in_year, worker__isnull=False)
                .select_related("worker")
                .order_by("start_date", "pk"),
            ),
        )
    )
    mfu = uses_mfu(collection_year)
    buffers = {name: io.StringIO() for name in TABLES}
    writers = {name: csv_writer(buffers[name], lineterminator="\r\n") for name in TABLES}
    for name, table in TABLES.items():
        writers[name].writerow(table.names)
    count = 0
    for child in qs.iterator(chunk_size=1000):
        count += 1
        _child_rows(child, writers, mfu, start, end)
        if written is not None:
            written.add(child.pk)
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, table in TABLES.items():
            archive.writestr(table.file, buffers[name].getvalue().encode("utf-8"))
    return count


def _child_rows(child: Child, w: dict, mfu: bool, start: dt.date, end: dt.date) -> None:
    cid, dob = child.la_child_id, _d(child.birth_date)
    sex = child.sex if mfu else SEX_TO_OLD.get(child.sex, "")
    w["Header"].writerow(
        [
            cid,
            sex,
            dob,
            child.ethnicity,
            child.upn or child.upn_unknown,
            _flag(child.is_mother),
            _d(child.mother_birth_date),
        ]
    )
    for e in child.episodes.all():
        w["Episodes"].writerow(
            [
                cid,
                _d(e.start_date),
                e.reason_new_episode,
                e.legal_status,
                e.cin_category,
                e.placement_type,
                e.placement_provider,
                _d(e.end_date),
                e.reason_ceased,
                e.reason_place_change,
                e.home_postcode,
                e.placement_postcode,
                e.urn,
            ]
        )
    for r in child.cla_reviews.all():
        w["Reviews"].writerow([cid, dob, _d(r.review_date), r.participation])
    uasc = getattr(child, "uasc", None)
    if uasc is not None:
        w["UASC"].writerow([cid, sex, dob, _d(uasc.date_ceased)])
    for o in child.outcomes.all():
        w["OC2"].writerow([cid, dob, _s(o.sdq_score), o.sdq_reason, *(_flag(getattr(o, f.lower())) for f in FLAGS)])
    for c in child.care_leaver_contacts.all():
        w["OC3"].writerow([cid, dob, c.in_touch, c.activity, c.accommodation])
    adoption = getattr(child, "adoption", None)
    if adoption is not None and any(
        v not in (None, "")
        for v in (
            adoption.decision_date,
            adoption.match_date,
            adoption.foster_carer_adoption,
            adoption.number_of_adopters,
            adoption.sex_of_adopters,
            adoption.legal_status_of_adopters,
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
                adoption.sex_of_adopters,
                adoption.legal_status_of_adopters,
            ]
        )
    for p in child.placed_for_adoption.all():
        w["PlacedAdoption"].writerow([cid, dob, _d(p.date_placed), _d(p.date_ceased), p.reason_ceased])
    perm = getattr(child, "previous_permanence", None)
    if perm is not None:
        w["PrevPerm"].writerow([cid, dob, perm.previous_permanence, perm.la_code, perm.date_raw])
    for m in child.missing_episodes.all():
        began, back = local_day(m.started_at), local_day(m.returned_at)
        if began is None or began > end or (back is not None and back < start):
            continue
        w["Missing"].writerow([cid, dob, m.kind, _d(began), _d(back)])
    for i in child.involvements.all():
        assert i.worker is not None  # the prefetch keeps only involvements with a worker
        w["SWEpisodes"].writerow([cid, dob, i.worker.staff_id, _d(i.start_date), _d(i.end_date), i.change_reason])
