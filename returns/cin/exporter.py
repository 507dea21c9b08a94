"""Writing the CIN census XML from the register, for any reporting period.

The file is written as it goes (lxml.etree.xmlfile), one child at a time, with
the register's rows read in chunks, so memory stays flat. A child is in the
census when one of their referrals (CIN episodes) is open at some point in the
period; only those referrals are sent, each with all its events. Referrals the
Annex A import made up (Referral.placeholder) are not sent.
"""

import datetime as dt
from pathlib import Path
from typing import IO

from django.conf import settings
from django.db.models import Prefetch, Q
from lxml import etree

from children.models import Child, ChildProtectionConference, ChildProtectionPlan, Referral
from returns.cin.reader import SEX_TO_GENDER, full_schema, uses_sex
from returns.cin.schemas import EXTENDED_YEAR


def period_for(collection_year: int) -> tuple[dt.date, dt.date]:
    return dt.date(collection_year - 1, 4, 1), dt.date(collection_year, 3, 31)


def _d(value) -> str | None:
    return value.isoformat() if value else None


def _el(xf, name: str, value) -> None:
    if value is None or value == "":
        return
    with xf.element(name):
        xf.write(str(value))


def _yn(value: bool) -> str:
    return "1" if value else "0"


def referrals_in_period(start: dt.date, end: dt.date):
    """The CIN episodes open at some time in the period. A referral the Annex A import made up
    to hold an assessment, section 47 or plan (Referral.placeholder) is not one: a <CINdetails>
    block must give the real CINreferralDate, and a made-up date (never closed) would be counted
    nationally as a referral and an open episode every year. Its events wait, unsent, until a
    return gives the real referral (docs/decisions/0010-annex-a.md)."""
    return Referral.objects.filter(referral_date__lte=end, placeholder=False).filter(
        Q(closure_date__isnull=True) | Q(closure_date__gte=start)
    )


def export_cin(
    out: str | Path | IO[bytes],
    collection_year: int,
    start: dt.date | None = None,
    end: dt.date | None = None,
    children=None,
    written: set[int] | None = None,
    notes: list[str] | None = None,
) -> int:
    """Write the census for `collection_year` (the year ending 31 March) to `out`.
    `children` narrows the export (e.g. to children in scope); `written` collects the ids of the
    children written (for the audit log); `notes` collects a message for each UPN that a child
    written shares with another (the DfE refuses the return: rule 1520). Returns the number of
    children written."""
    period_start, period_end = period_for(collection_year)
    start, end = start or period_start, end or period_end
    refs = referrals_in_period(start, end)
    base = children if children is not None else Child.objects.all()
    qs = (
        base.filter(pk__in=refs.values("child_id"))
        .order_by("la_child_id")
        .prefetch_related(
            "disabilities",
            Prefetch(
                "referrals",
                queryset=refs.order_by("referral_date").prefetch_related(
                    "assessments__factors",
                    "cin_plans",
                    "section47s",
                    "pre_proceedings__census",
                    Prefetch(
                        "cp_plans",
                        queryset=ChildProtectionPlan.objects.prefetch_related(
                            Prefetch(
                                "conferences",
                                queryset=ChildProtectionConference.objects.filter(kind="review").order_by(
                                    "conference_date"
                                ),
                            )
                        ),
                    ),
                ),
            ),
        )
    )
    sex_era = uses_sex(collection_year)
    pre_proceedings = collection_year >= EXTENDED_YEAR  # <PreProceedingsandFGDM> from 2026-27
    count = 0
    with etree.xmlfile(out, encoding="utf-8") as xf:
        xf.write_declaration()
        with xf.element("Message"):
            with xf.element("Header"):
                with xf.element("CollectionDetails"):
                    _el(xf, "Collection", "CIN")
                    _el(xf, "Year", collection_year)
                    _el(xf, "ReferenceDate", _d(period_end))
                with xf.element("Source"):
                    _el(xf, "SourceLevel", "L")
                    _el(xf, "LEA", getattr(settings, "LOS_LA_CODE", "000"))
                    _el(xf, "SoftwareCode", "Line of Sight")
                    _el(xf, "Release", "1")
                    _el(xf, "SerialNo", "001")
                    _el(xf, "DateTime", dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"))
            with xf.element("Children"):
                upns: dict[str, str] = {}
                for child in qs.iterator(chunk_size=2000):
                    _child(xf, child, sex_era, start, end, pre_proceedings)
                    if notes is not None and child.upn:
                        # Which of the two holds the UPN wrongly is the case management system's to say.
                        first = upns.setdefault(child.upn, child.la_child_id)
                        if first != child.la_child_id:
                            notes.append(
                                f"Children {first} and {child.la_child_id} have the same UPN: the DfE refuses a "
                                "census with a UPN twice (rule 1520). Correct it in the case management system."
                            )
                    count += 1
                    if written is not None:
                        written.add(child.pk)
    return count


def _by(day, end: dt.date):
    """A date the census can know: on or before the period's end (a later one has not happened yet)."""
    return day if day is not None and day <= end else None


def _within(day, start: dt.date, end: dt.date) -> bool:
    return day is not None and start <= day <= end


def _child(xf, child: Child, sex_era: bool, start: dt.date, end: dt.date, pre_proceedings: bool = False) -> None:
    """One child as the census for [start, end] sees them: what happened by the end of the period, and of
    each episode only the work that was done or still open in it (the DfE's rules 8620, 8696, 8736, 8715,
    8740, 4010, 4013, 8930: a date after the reference date has not happened; finished work from an earlier
    year was in that year's return)."""
    # A child born after the period's end was unborn at it: no birth date, the expected one, and sex U (8520, 8750).
    # A child born by then has the birth date only, not the expected one the register may still hold (8525Q).
    born = _by(child.birth_date, end)
    unborn = child.birth_date is not None and born is None
    sex = "U" if unborn else child.sex
    with xf.element("Child"):
        with xf.element("ChildIdentifiers"):
            _el(xf, "LAchildID", child.la_child_id)
            _el(xf, "UPN", child.upn)
            _el(xf, "FormerUPN", child.former_upn)
            _el(xf, "UPNunknown", child.upn_unknown)
            _el(xf, "PersonBirthDate", _d(born))
            _el(xf, "ExpectedPersonBirthDate", "" if born else _d(child.expected_birth_date or child.birth_date))
            if sex_era:
                _el(xf, "Sex", sex)
            else:
                _el(xf, "GenderCurrent", SEX_TO_GENDER.get(sex, "0"))
            _el(xf, "PersonDeathDate", _d(_by(child.death_date, end)))
        with xf.element("ChildCharacteristics"):
            with xf.element("Ethnicity"):
                xf.write(child.ethnicity)
            codes = sorted(d.code for d in child.disabilities.all())
            if codes:
                with xf.element("Disabilities"):
                    for code in codes:
                        _el(xf, "Disability", code)
        for ref in child.referrals.all():
            _referral(xf, ref, start, end, pre_proceedings)


def _referral(xf, ref: Referral, start: dt.date, end: dt.date, pre_proceedings: bool = False) -> None:
    closure = _by(ref.closure_date, end)
    s47s = [s for s in sorted(ref.section47s.all(), key=lambda s: s.start_date) if _s47_in(s, start, end)]
    with xf.element("CINdetails"):
        _el(xf, "CINreferralDate", _d(ref.referral_date))
        _el(xf, "ReferralSource", ref.source)
        _el(xf, "PrimaryNeedCode", ref.primary_need)
        _el(xf, "CINclosureDate", _d(closure))
        _el(xf, "ReasonForClosure", ref.closure_reason if closure else "")
        if _within(ref.initial_cpc_date, start, end):
            _el(xf, "DateOfInitialCPC", _d(ref.initial_cpc_date))
        for a in sorted(ref.assessments.all(), key=lambda a: a.start_date):
            done = _by(a.authorisation_date, end)
            if not (_within(done, start, end) or (done is None and _within(a.start_date, start, end))):
                continue
            with xf.element("Assessments"):
                _el(xf, "AssessmentActualStartDate", _d(a.start_date))
                _el(xf, "AssessmentInternalReviewDate", _d(_by(a.internal_review_date, end)))
                _el(xf, "AssessmentAuthorisationDate", _d(done))
                # Factors are identified when the assessment is completed: not sent while, at the period's end,
                # it is still open (rule 8608).
                factors = sorted(f.code for f in a.factors.all()) if done or a.authorisation_date is None else []
                if factors:
                    with xf.element("FactorsIdentifiedAtAssessment"):
                        for code in factors:
                            _el(xf, "AssessmentFactors", code)
        for p in sorted(ref.cin_plans.all(), key=lambda p: p.start_date):
            if p.start_date > end or (p.end_date is not None and p.end_date < start):
                continue
            with xf.element("CINPlanDates"):
                _el(xf, "CINPlanStartDate", _d(p.start_date))
                _el(xf, "CINPlanEndDate", _d(_by(p.end_date, end)))
        for s in s47s:
            with xf.element("Section47"):
                _el(xf, "S47ActualStartDate", _d(s.start_date))
                _el(xf, "InitialCPCtarget", _d(s.icpc_target_date))
                _el(xf, "DateOfInitialCPC", _d(_by(s.icpc_date, end)))
                _el(xf, "ICPCnotRequired", _yn(s.icpc_not_required))
        _el(xf, "ReferralNFA", _yn(ref.nfa))
        for cpp in sorted(ref.cp_plans.all(), key=lambda c: c.start_date):
            if cpp.start_date > end or (cpp.end_date is not None and cpp.end_date < start):
                continue
            with xf.element("ChildProtectionPlans"):
                _el(xf, "CPPstartDate", _d(cpp.start_date))
                _el(xf, "CPPendDate", _d(_by(cpp.end_date, end)))
                _el(xf, "InitialCategoryOfAbuse", cpp.initial_category)
                _el(xf, "LatestCategoryOfAbuse", cpp.latest_category)
                _el(xf, "NumberOfPreviousCPP", cpp.number_of_previous_plans)
                reviews = [c.conference_date for c in cpp.conferences.all() if c.conference_date <= end]
                if reviews:
                    with xf.element("Reviews"):
                        for d in reviews:
                            _el(xf, "CPPreviewDate", _d(d))
        if pre_proceedings:
            _pre_proceedings(xf, ref, start, end)


def _pre_proceedings(xf, ref: Referral, start: dt.date, end: dt.date) -> None:
    """The referral's pre-proceedings open at some time in the period, under the element names of
    Line of Sight's provisional 2026-27 schema (decision 0039). PPOutcome is sent only as a census
    returned it: the register's own outcome (issue / step down) has no confirmed DfE code."""
    for pre in sorted(ref.pre_proceedings.all(), key=lambda p: (p.decision_date or dt.date.min, p.pk)):
        began = pre.decision_date or pre.letter_date
        if (began is not None and began > end) or (pre.end_date is not None and pre.end_date < start):
            continue
        census = getattr(pre, "census", None)
        with xf.element("PreProceedingsandFGDM"):
            _el(xf, "PPStartDate", _d(pre.decision_date))
            _el(xf, "LBPSentDate", _d(_by(pre.letter_date, end)))
            if pre.fgdm_offered is not None:
                _el(xf, "FGDMMeetingOffer", _yn(pre.fgdm_offered))
            if census is not None and census.fgdm_facilitated is not None:
                _el(xf, "FGDMMeetingFac", _yn(census.fgdm_facilitated))
            _el(xf, "InitialPPMeetingDate", _d(_by(pre.initial_meeting_date, end)))
            _el(xf, "ReviewMeetingsCount", census.review_meetings if census else None)
            decided = _by(pre.end_date, end)
            _el(xf, "StepDecisionDate", _d(decided))
            if census is not None:
                _el(xf, "PPOutcome", census.outcome_code if decided else "")
                _el(xf, "CourtAppDate", _d(_by(census.court_application_date, end)))
                _el(xf, "LetterInitCPDate", _d(_by(census.letter_to_issue_date, end)))


def _s47_in(s, start: dt.date, end: dt.date) -> bool:
    """A section 47 enquiry the census for [start, end] carries: its ICPC in the period, or, without one by
    the period's end, started in the period (rules 8715 and 8740)."""
    if s.start_date > end:
        return False
    icpc = _by(s.icpc_date, end)
    return _within(icpc, start, end) if icpc else _within(s.start_date, start, end)


def validate_file(path: str | Path, collection_year: int) -> list[str]:
    """Check a whole file against the DfE schema for its year; the messages, empty when valid."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    doc = etree.parse(str(path), parser)
    schema = full_schema(collection_year)
    if schema.validate(doc):
        return []
    return [f"line {e.line}: {e.message}" for e in schema.error_log]
