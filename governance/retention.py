"""Which children's records are past the council's retention schedule (decision 0031).

A child's record is of every kind that applies to it (an adopted child was looked after, and every child
was in need): it is kept until the latest of the dates those kinds give. When any of them cannot be told
(no date of birth, no adoption order date), the record is not listed: nothing is put forward for erasure
on a guess."""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Max

from children import models as m
from timescales.calendar import add_months

from .models import Anchor, RecordKind, RetentionRule

# The dates that show activity on a child's record (the "last activity" a council may count from).
ACTIVITY = (
    (m.Referral, "child_id", ("referral_date", "closure_date")),
    (m.ChildProtectionPlan, "child_id", ("start_date", "end_date")),
    (m.LookedAfterEpisode, "child_id", ("start_date", "end_date")),
    (m.Visit, "child_id", ("visit_date",)),
    (m.Contact, "child_id", ("contact_date",)),
)


@dataclass
class PastRetention:
    child_id: int
    la_child_id: str
    kind: str  # the kind whose rule kept it longest
    kept_until: dt.date


def _last_activity() -> dict[int, dt.date]:
    last: dict[int, dt.date] = {}
    for model, child, dates in ACTIVITY:
        for date_field in dates:
            rows = model.objects.exclude(**{date_field: None}).values_list(child).annotate(latest=Max(date_field))
            for child_id, latest in rows:
                if child_id not in last or latest > last[child_id]:
                    last[child_id] = latest
    return last


def past_retention(today: dt.date) -> list[PastRetention]:
    rules = {r.kind: r for r in RetentionRule.objects.all()}
    orders = dict(
        m.AdoptionMilestone.objects.exclude(adoption_order_date=None)
        .values_list("child_id")
        .annotate(latest=Max("adoption_order_date"))
    )
    looked_after = set(m.LookedAfterEpisode.objects.values_list("child_id", flat=True).distinct())
    last = _last_activity()
    out = []
    for pk, la_child_id, birth in m.Child.objects.values_list("pk", "la_child_id", "birth_date").order_by("pk"):
        kinds = [RecordKind.CHILD_IN_NEED]
        if pk in looked_after:
            kinds.append(RecordKind.LOOKED_AFTER)
        if pk in orders:
            kinds.append(RecordKind.ADOPTED)
        anchors = {Anchor.BIRTH: birth, Anchor.ADOPTION_ORDER: orders.get(pk), Anchor.LAST_ACTIVITY: last.get(pk)}
        until: dict[str, dt.date | None] = defaultdict(lambda: None)
        for kind in kinds:
            rule = rules.get(kind)
            start = anchors[Anchor(rule.counted_from)] if rule else None
            until[kind] = add_months(start, 12 * rule.years) if rule and start else None
        if any(until[k] is None for k in kinds):
            continue  # a kind without a rule or without its date: cannot tell, so not put forward
        kind = max(kinds, key=lambda k: until[k])  # type: ignore[arg-type,return-value]
        kept = until[kind]
        assert kept is not None
        if kept <= today:
            out.append(PastRetention(pk, la_child_id, kind, kept))
    return out
