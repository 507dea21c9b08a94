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

from .cin import SEX_TO_GENDER, full_schema, uses_sex


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
) -> int:
    """Write the census for `collection_year` (the year ending 31 March) to `out`.
    `children` narrows the export (e.g. to children in scope); `written` collects the ids of the
    children written (for the audit log). Returns the number of children written."""
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
                for child in qs.iterator(chunk_size=2000):
                    _child(xf, child, sex_era)
                    count += 1
                    if written is not None:
                        written.add(child.pk)
    return count


def _child(xf, child: Child, sex_era: bool) -> None:
    with xf.element("Child"):
        with xf.element("ChildIdentifiers"):
            _el(xf, "LAchildID", child.la_child_id)
            _el(xf, "UPN", child.upn)
            _el(xf, "FormerUPN", child.former_upn)
            _el(xf, "UPNunknown", child.upn_unknown)
            _el(xf, "PersonBirthDate", _d(child.birth_date))
            _el(xf, "ExpectedPersonBirthDate", _d(child.expected_birth_date))
            if sex_era:
                _el(xf, "Sex", child.sex)
            else:
                _el(xf, "GenderCurrent", SEX_TO_GENDER.get(child.sex, "0"))
            _el(xf, "PersonDeathDate", _d(child.death_date))
        with xf.element("ChildCharacteristics"):
            with xf.element("Ethnicity"):
                xf.write(child.ethnicity)
            codes = sorted(d.code for d in child.disabilities.all())
            if codes:
                with xf.element("Disabilities"):
                    for code in codes:
                        _el(xf, "Disability", code)
        for ref in child.referrals.all():
            with xf.element("CINdetails"):
                _el(xf, "CINreferralDate", _d(ref.referral_date))
                _el(xf, "ReferralSource", ref.source)
                _el(xf, "PrimaryNeedCode", ref.primary_need)
                _el(xf, "CINclosureDate", _d(ref.closure_date))
                _el(xf, "ReasonForClosure", ref.closure_reason)
                _el(xf, "DateOfInitialCPC", _d(ref.initial_cpc_date))
                for a in sorted(ref.assessments.all(), key=lambda a: a.start_date):
                    with xf.element("Assessments"):
                        _el(xf, "AssessmentActualStartDate", _d(a.start_date))
                        _el(xf, "AssessmentInternalReviewDate", _d(a.internal_review_date))
                        _el(xf, "AssessmentAuthorisationDate", _d(a.authorisation_date))
                        factors = sorted(f.code for f in a.factors.all())
                        if factors:
                            with xf.element("FactorsIdentifiedAtAssessment"):
                                for code in factors:
                                    _el(xf, "AssessmentFactors", code)
                for p in sorted(ref.cin_plans.all(), key=lambda p: p.start_date):
                    with xf.element("CINPlanDates"):
                        _el(xf, "CINPlanStartDate", _d(p.start_date))
                        _el(xf, "CINPlanEndDate", _d(p.end_date))
                for s in sorted(ref.section47s.all(), key=lambda s: s.start_date):
                    with xf.element("Section47"):
                        _el(xf, "S47ActualStartDate", _d(s.start_date))
                        _el(xf, "InitialCPCtarget", _d(s.icpc_target_date))
                        _el(xf, "DateOfInitialCPC", _d(s.icpc_date))
                        _el(xf, "ICPCnotRequired", _yn(s.icpc_not_required))
                _el(xf, "ReferralNFA", _yn(ref.nfa))
                for cpp in sorted(ref.cp_plans.all(), key=lambda c: c.start_date):
                    with xf.element("ChildProtectionPlans"):
                        _el(xf, "CPPstartDate", _d(cpp.start_date))
                        _el(xf, "CPPendDate", _d(cpp.end_date))
                        _el(xf, "InitialCategoryOfAbuse", cpp.initial_category)
                        _el(xf, "LatestCategoryOfAbuse", cpp.latest_category)
                        _el(xf, "NumberOfPreviousCPP", cpp.number_of_previous_plans)
                        reviews = [c.conference_date for c in cpp.conferences.all()]
                        if reviews:
                            with xf.element("Reviews"):
                                for d in reviews:
                                    _el(xf, "CPPreviewDate", _d(d))


def validate_file(path: str | Path, collection_year: int) -> list[str]:
    """Check a whole file against the DfE schema for its year; the messages, empty when valid."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    doc = etree.parse(str(path), parser)
    schema = full_schema(collection_year)
    if schema.validate(doc):
        return []
    return [f"line {e.line}: {e.message}" for e in schema.error_log]
