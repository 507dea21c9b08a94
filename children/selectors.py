"""Reading the register: which children a user may see, and a child's chronology."""

import hashlib
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db import connection
from django.db.models import Exists, OuterRef, Q, QuerySet

from accounts.models import Scope

from .models import Child, RecordRestriction


def is_partner(user: Any) -> bool:
    """A partner-agency user: any account with an agency, whatever scope it was given
    (an agency account set up with council-wide scope by mistake is still a partner)."""
    return bool(getattr(user, "agency_id", None))


def children_in_scope(user: Any) -> QuerySet[Child]:
    """Least privilege: the children whose social-care record (the register: child page,
    chronology, timescales, caseloads, supervision, returns, drill-downs, audits) this user's
    scope lets them see, nothing more. The register is for council staff only: a partner-agency
    user sees none of it, whatever their scope says; what a partner sees of the exploitation
    cohort is exploitation.selectors.tracker_children() (docs/entitlements.md)."""
    children = Child.objects.all()
    if not getattr(user, "is_authenticated", False) or is_partner(user):
        return children.none()
    return _by_scope(user, children).filter(not_restricted_for(user))


def children_for_statutory_returns(user: Any) -> QuerySet[Child]:
    """The children a statutory return exported by this user holds: their scope, restricted records
    included. A return to the DfE or Ofsted must be complete, so a restriction (decision 0027) does not
    leave a child out of it; the export records every child it holds (audit ShownChild)."""
    if not getattr(user, "is_authenticated", False) or is_partner(user):
        return Child.objects.none()
    return _by_scope(user, Child.objects.all())


def _by_scope(user: Any, children: QuerySet[Child]) -> QuerySet[Child]:
    scope = user.scope
    if scope == Scope.COUNCIL:
        return children
    if scope == Scope.SERVICE and user.service_id:
        return children.filter(team__service_id=user.service_id)
    if scope == Scope.TEAM and user.team_id:
        return children.filter(team_id=user.team_id)
    if scope == Scope.CASELOAD and user.worker_id:
        return children.filter(worker_id=user.worker_id)
    return children.none()


def not_restricted_for(user: Any, child: str = "pk") -> Q:
    """Children whose record is not restricted, or restricted with this user named (decision 0027).
    A restriction only narrows: a named user still needs the child in their scope. Two EXISTS probes
    on the restriction's unique child index, cheap for 20,000 children of which a handful are restricted."""
    restricted = RecordRestriction.objects.filter(child=OuterRef(child))
    named = RecordRestriction.allowed_users.through.objects.filter(
        recordrestriction__child=OuterRef(child), user_id=getattr(user, "pk", None) or 0
    )  # 0 matches no user: a signed-out user is named in no restriction
    return ~Q(Exists(restricted)) | Q(Exists(named))


def refusal_detail(user: Any, child: Child) -> str:
    """The audit log's detail for a refused look at a child: "restricted" when a restriction that does
    not name this user is why (or one reason why), else out of scope."""
    if Child.objects.filter(pk=child.pk).exclude(not_restricted_for(user)).exists():
        return RESTRICTED
    return "child outside the user's scope"


RESTRICTED = "restricted"


def hidden_restrictions(user: Any) -> str:
    """The restricted records (decision 0027) hidden from this user, as a short stable text for a cached page's
    key: two users of the same scope share a rendering only when restrictions hide the same children from both
    (a user a restriction names sees the child, anyone else does not, and a new or lifted restriction changes
    it for everyone at once). The same rule as not_restricted_for, in one plain query (read on every request
    of a cached page: the ORM's compiling would cost more than the page's other queries)."""
    through = RecordRestriction.allowed_users.through._meta
    field = RecordRestriction._meta.get_field("allowed_users")
    sql = (
        f"SELECT r.child_id FROM {RecordRestriction._meta.db_table} r WHERE NOT EXISTS (SELECT 1 FROM "
        f"{through.db_table} t WHERE t.{field.m2m_column_name()} = r.id AND t.{field.m2m_reverse_name()} = %s) "
        "ORDER BY r.child_id"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [getattr(user, "pk", None) or 0])  # 0 is no user: every restriction hides its child
        ids = [row[0] for row in cursor.fetchall()]
    if not ids:
        return "-"
    return hashlib.sha256(",".join(map(str, ids)).encode()).hexdigest()[:16]


def open_case(today: date, closed_since: date | None = None) -> Q:
    """Children with an open case: an open referral (child in need episode), an
    open looked-after episode, or a care leaver under 21 with a pathway plan.
    With closed_since, cases closed on or after that day count too. A referral the
    Annex A import made up (Referral.placeholder) is no case by itself: only the open
    work it holds is (held_work_open)."""
    from .models import LookedAfterEpisode, PathwayPlan, Referral

    open_referral = Q(closure_date__isnull=True) | Q(closure_date__gt=today)
    open_episode = Q(end_date__isnull=True) | Q(end_date__gt=today)
    if closed_since:
        open_referral |= Q(closure_date__gte=closed_since)
        open_episode |= Q(end_date__gte=closed_since)
    referral = Referral.objects.filter(open_referral, child=OuterRef("pk"), referral_date__lte=today, placeholder=False)
    episode = LookedAfterEpisode.objects.filter(open_episode, child=OuterRef("pk"), start_date__lte=today)
    care_leaver = PathwayPlan.objects.filter(child=OuterRef("pk"), plan_date__lte=today)
    under_21 = Q(birth_date__gt=_years_before(today, 21))
    return (
        Q(Exists(referral))
        | Q(Exists(episode))
        | (Q(Exists(care_leaver)) & under_21)
        | held_work_open(today, closed_since)
    )


def held_work_open(today: date, closed_since: date | None = None) -> Q:
    """Children with open work hanging from a referral the Annex A import made up (it has no
    closure date of its own): an assessment not yet authorised, a section 47 enquiry awaiting
    its initial conference, or a child protection plan not ended, started by `today`. With
    closed_since, such work finished on or after that day counts too (an enquiry finishes at
    its conference, or at its start when none was needed)."""
    from .models import Assessment, ChildProtectionPlan, Referral, Section47Enquiry

    assessment = Q(authorisation_date__isnull=True) | Q(authorisation_date__gt=today)
    s47 = Q(icpc_not_required=False) & (Q(icpc_date__isnull=True) | Q(icpc_date__gt=today))
    plan = Q(end_date__isnull=True) | Q(end_date__gt=today)
    if closed_since:
        assessment |= Q(authorisation_date__gte=closed_since)
        s47 |= Q(icpc_date__gte=closed_since) | Q(icpc_not_required=True, start_date__gte=closed_since)
        plan |= Q(end_date__gte=closed_since)
    # One EXISTS over the child's made-up referrals (the partial index referral_placeholder:
    # for almost every child a single probe that finds none), and the work under each.
    work = {"referral": OuterRef("pk"), "start_date__lte": today}
    held = Referral.objects.filter(placeholder=True, child=OuterRef("pk")).filter(
        Exists(Assessment.objects.filter(assessment, **work))
        | Exists(Section47Enquiry.objects.filter(s47, **work))
        | Exists(ChildProtectionPlan.objects.filter(plan, **work))
    )
    return Q(Exists(held))


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def can_see_child(user: Any, child: Child) -> bool:
    return children_in_scope(user).filter(pk=child.pk).exists()


@dataclass(frozen=True)
class ChronologyEntry:
    when: date
    kind: str
    summary: str
    ongoing: bool = False


def _day(value: date | datetime) -> date:
    return value.date() if isinstance(value, datetime) else value


def chronology(child: Child, newest_first: bool = False, kind: str = "") -> list[ChronologyEntry]:
    """The child's journey as one dated list, oldest first (the seeds ask for
    chronologies that make the journey easy to understand), or newest first, as a
    worker reads it; with kind, only entries of that kind."""
    entries = _chronology(child)
    if kind:
        entries = [e for e in entries if e.kind == kind]
    return entries[::-1] if newest_first else entries


LIBERTY = "Deprivation of liberty"  # the chronology's kind for the 903 DoLo table


def current_liberty_deprivations(child: Child, today: date) -> list[Any]:
    """The child's deprivations of liberty in force on `today` (begun, and not ended before it)."""
    return list(
        child.liberty_deprivations.filter(Q(end_date__isnull=True) | Q(end_date__gte=today), start_date__lte=today)
    )


def _chronology(child: Child) -> list[ChronologyEntry]:
    entries: list[ChronologyEntry] = []
    add = entries.append
    if child.birth_date:
        add(ChronologyEntry(child.birth_date, "Birth", "Born"))
    for c in child.contacts.all():
        add(ChronologyEntry(c.contact_date, "Contact", c.outcome or "Contact received"))
    for eh in child.early_help.all():
        add(ChronologyEntry(eh.start_date, "Early help", "Early help began", eh.end_date is None))
    for r in child.referrals.prefetch_related("assessments", "cin_plans", "strategy_discussions", "section47s"):
        _referral_entries(r, add)  # a made-up referral (placeholder) shows only what it holds
    for p in child.cp_plans.all():
        add(
            ChronologyEntry(
                p.start_date,
                "Child protection plan",
                f"Plan started: {p.get_initial_category_display()}",
                p.end_date is None,
            )
        )
        if p.end_date:
            add(ChronologyEntry(p.end_date, "Child protection plan", "Plan ended"))
    for conf in child.conferences.all():
        add(ChronologyEntry(conf.conference_date, "Conference", conf.get_kind_display()))
    for v in child.visits.all():
        seen = "seen alone" if v.seen_alone else ("seen" if v.seen else "not seen")
        add(ChronologyEntry(v.visit_date, "Visit", f"{v.get_kind_display()} ({seen})"))
    for e in child.episodes.all():
        where = "in borough" if e.in_borough else ("out of borough" if e.in_borough is False else "")
        add(
            ChronologyEntry(
                e.start_date,
                "Looked after",
                f"Legal status {e.legal_status}, placement {e.placement_type} {where}".strip(),
                e.end_date is None,
            )
        )
        if e.end_date and e.reason_ceased != "X1":
            add(ChronologyEntry(e.end_date, "Looked after", f"Ceased to be looked after ({e.reason_ceased})"))
    for rv in child.cla_reviews.all():
        add(ChronologyEntry(rv.review_date, "Looked-after review", "Review held"))
    for ha in child.health_assessments.all():
        add(ChronologyEntry(ha.assessment_date, "Health", ha.get_kind_display()))
    for pep in child.peps.all():
        add(ChronologyEntry(pep.pep_date, "Education", "Personal education plan"))
    for m in child.missing_episodes.all():
        add(ChronologyEntry(_day(m.started_at), "Missing", f"{m.get_kind_display()} episode", m.returned_at is None))
        if m.rhi_completed_at:
            add(ChronologyEntry(_day(m.rhi_completed_at), "Missing", "Return home interview completed"))
    for dol in child.liberty_deprivations.all():  # 903 DoLo, from 2026-27
        add(ChronologyEntry(dol.start_date, LIBERTY, "Deprivation of liberty order began", dol.end_date is None))
        if dol.end_date:
            add(ChronologyEntry(dol.end_date, LIBERTY, "Deprivation of liberty order ended"))
    for cp in child.proceedings.prefetch_related("extensions"):
        if cp.issued_date:
            add(ChronologyEntry(cp.issued_date, "Court", "Care proceedings issued", cp.concluded_date is None))
        for x in cp.extensions.all():
            # s. 32(5): shown with its weeks, as the deadline on the child's timescales moves by them
            add(ChronologyEntry(x.granted_on, "Court", f"Court extended the 26 weeks by {x.weeks} weeks (s. 32(5))"))
        if cp.concluded_date:
            add(ChronologyEntry(cp.concluded_date, "Court", f"Proceedings concluded {cp.order}".strip()))
    for pre in child.pre_proceedings.select_related("census"):
        _pre_proceedings_entries(pre, add)
    for pp in child.permanence_plans.all():
        add(ChronologyEntry(pp.decided_date, "Permanence", f"Plan: {pp.get_plan_type_display()}"))
    for pw in child.pathway_plans.all():
        add(ChronologyEntry(pw.plan_date, "Leaving care", "Pathway plan"))
    for sup in child.supervisions.all():
        add(ChronologyEntry(sup.supervision_date, "Supervision", sup.actions[:120] or "Case supervision"))
    for inv in child.involvements.select_related("worker", "team"):
        who = inv.worker.name if inv.worker else "unallocated"
        add(ChronologyEntry(inv.start_date, "Allocation", f"Allocated to {who}, {inv.team.name}"))
    entries.sort(key=lambda e: e.when)
    return entries


def _pre_proceedings_entries(pre: Any, add: Any) -> None:
    """Pre-proceedings under the Public Law Outline (the CIN census's <PreProceedingsandFGDM> from 2026-27,
    or the SSD): each step on its own date. PPOutcome's codes are shown as returned (decision 0039)."""
    census = getattr(pre, "census", None)  # returns.PreProceedingsCensus, when a census brought it
    kind, ongoing = "Pre-proceedings", pre.end_date is None
    if pre.decision_date:
        add(ChronologyEntry(pre.decision_date, kind, "Decision to begin pre-proceedings", ongoing))
    if pre.letter_date:
        offered = {True: ", family group decision making offered", False: ", no family group decision making offered"}
        add(
            ChronologyEntry(pre.letter_date, kind, "Letter before proceedings sent" + offered.get(pre.fgdm_offered, ""))
        )
    if pre.fgdm_meeting_date:
        add(ChronologyEntry(pre.fgdm_meeting_date, kind, "Family group decision making meeting held"))
    if pre.initial_meeting_date:
        add(ChronologyEntry(pre.initial_meeting_date, kind, "First pre-proceedings meeting held"))
    if pre.end_date:
        outcome = pre.get_outcome_display() or (
            f"outcome code {census.outcome_code}" if census and census.outcome_code else ""
        )
        add(ChronologyEntry(pre.end_date, kind, "Decision to step up or down" + (f": {outcome}" if outcome else "")))
    if census and census.court_application_date:
        add(ChronologyEntry(census.court_application_date, kind, "Court application for care proceedings made"))
    if census and census.letter_to_issue_date:
        add(
            ChronologyEntry(
                census.letter_to_issue_date, kind, "Letter sent to parents that care proceedings are starting"
            )
        )


def _referral_entries(r: Any, add: Any) -> None:
    if not r.placeholder:  # a referral the Annex A import made up was never received
        add(
            ChronologyEntry(
                r.referral_date,
                "Referral",
                "Referral received" + (" (no further action)" if r.nfa else ""),
                r.closure_date is None,
            )
        )
    for a in r.assessments.all():
        add(ChronologyEntry(a.start_date, "Assessment", "Assessment started", a.authorisation_date is None))
        if a.authorisation_date:
            add(ChronologyEntry(a.authorisation_date, "Assessment", "Assessment authorised"))
    for sd in r.strategy_discussions.all():
        add(ChronologyEntry(sd.discussion_date, "Strategy discussion", "Strategy discussion held"))
    for s in r.section47s.all():
        add(ChronologyEntry(s.start_date, "Section 47", "Section 47 enquiry started"))
    for plan in r.cin_plans.all():
        add(ChronologyEntry(plan.start_date, "Child in need plan", "Child in need plan started", plan.end_date is None))
    if r.closure_date:
        add(ChronologyEntry(r.closure_date, "Referral", f"Case closed ({r.closure_reason})"))


# --- the register as a caseload (issue 15 point 3) ---------------------------------------

# A child's current status, most intensive first: a child looked after who also has a plan
# is shown as looked after. The words are the CIN census's and the 903's.
STATUSES = {
    "lac": "Looked after",
    "cpp": "Child protection plan",
    "care_leaver": "Care leaver",
    "cin": "Child in need",
}
CASE_STATES = {"open": "Open cases", "closed": "Closed cases", "all": "Open and closed"}


def with_status(children: QuerySet[Child], today: date) -> QuerySet[Child]:
    """Annotate each child's current status (a key of STATUSES, or "" when the case is closed)."""
    from django.db.models import Case, CharField, Value, When

    from .models import ChildProtectionPlan, LookedAfterEpisode, PathwayPlan

    current = Q(end_date__isnull=True) | Q(end_date__gt=today)
    lac = LookedAfterEpisode.objects.filter(current, child=OuterRef("pk"), start_date__lte=today)
    cpp = ChildProtectionPlan.objects.filter(current, child=OuterRef("pk"), start_date__lte=today)
    leaver = PathwayPlan.objects.filter(child=OuterRef("pk"), plan_date__lte=today)
    under_21 = Q(birth_date__gt=_years_before(today, 21))
    return children.annotate(
        status=Case(
            When(Exists(lac), then=Value("lac")),
            When(Exists(cpp), then=Value("cpp")),
            When(Q(Exists(leaver)) & under_21, then=Value("care_leaver")),
            When(open_case(today), then=Value("cin")),
            default=Value(""),
            output_field=CharField(),
        )
    )


def caseload(children: QuerySet[Child], today: date, *, state: str = "open", status: str = "") -> QuerySet[Child]:
    """The register filtered as a caseload: open, closed or all cases, and one current status."""
    children = with_status(children, today)
    if state == "open":
        children = children.filter(open_case(today))
    elif state == "closed":
        children = children.exclude(open_case(today))
    if status in STATUSES:
        children = children.filter(status=status)  # type: ignore[misc]  # annotated by with_status
    return children
