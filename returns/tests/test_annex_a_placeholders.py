"""Referrals the Annex A import makes up to hold an assessment, section 47 or plan
(Referral.placeholder): marked, not exported as referrals, and settled when a return
later gives the child's real referral (returns.placeholders)."""

import datetime as dt
import importlib

import pytest
from django.apps import apps

from children.models import (
    Assessment,
    ChildProtectionConference,
    ChildProtectionPlan,
    Referral,
    Section47Enquiry,
)
from children.tests.factories import AssessmentFactory, ChildFactory, ReferralFactory
from returns.cin.exporter import export_cin
from returns.models import SourceRecord
from returns.tests.helpers import import_file
from returns.tests.test_annex_a_helpers import import_workbook, workbook

pytestmark = pytest.mark.django_db
D = dt.date
# Child DfEX0000001 of cin_full_2025.xml: referred 06/05/2024; assessment from 07/05/2024
# (authorised 10/06/2024); section 47 from 01/06/2024 (ICPC 20/06/2024); CP plan from
# 20/06/2024, reviewed 12/09/2024 and 15/02/2025.
CHILD = {"child_id": "DfEX0000001", "sex": "a) Male", "birth_date": D(2015, 3, 27)}


def held(**kw):
    return Referral.objects.filter(placeholder=True, **kw)


def test_an_assessment_with_no_referral_is_held_by_a_marked_made_up_referral(tmp_path):
    path = workbook(tmp_path / "l4.xlsx", {4: [{"child_id": "A", "start_date": D(2024, 1, 8), "child_seen": "Yes"}]})
    run = import_workbook(path)
    ref = Referral.objects.get()
    assert (ref.placeholder, ref.referral_date) == (True, D(2024, 1, 8))
    assert ref.assessments.get().child_seen is True
    # the provenance mark is kept beside the field
    source = SourceRecord.objects.get(content_type__model="referral", object_id=ref.pk)
    assert source.run == run and source.record_path == "List 4 row 2: referral made up to hold the assessment"


def test_a_list_3_row_on_the_made_up_date_makes_it_a_real_referral(tmp_path):
    import_workbook(workbook(tmp_path / "a.xlsx", {4: [{"child_id": "A", "start_date": D(2024, 1, 8)}]}))
    later = workbook(
        tmp_path / "b.xlsx",
        {
            3: [{"child_id": "A", "referral_date": D(2024, 1, 8), "source": "q) 6: Police", "nfa": "No"}],
            4: [{"child_id": "A", "start_date": D(2024, 1, 8)}],
        },
    )
    run = import_workbook(later)
    ref = Referral.objects.get()
    assert (ref.placeholder, ref.source) == (False, "6")
    assert run.summary["referrals"] == {"changed": 1}
    assert run.summary["assessments"] == {"unchanged": 1}


def test_an_earlier_real_referral_in_a_later_workbook_takes_the_events_and_the_holder_goes(tmp_path):
    # January's workbook has the assessment (8 Jan) and a plan (1 Feb), no referral: one made up on 8 Jan.
    first = workbook(
        tmp_path / "jan.xlsx",
        {
            4: [{"child_id": "A", "start_date": D(2024, 1, 8), "child_seen": "Yes"}],
            7: [{"child_id": "A", "start_date": D(2024, 2, 1), "initial_category": "Neglect"}],
        },
    )
    import_workbook(first)
    holder = held().get()
    assert holder.assessments.count() == 1 and holder.cp_plans.count() == 1
    # March's workbook gives the real referral of 2 January.
    later = workbook(
        tmp_path / "mar.xlsx",
        {
            3: [{"child_id": "A", "referral_date": D(2024, 1, 2), "source": "q) 6: Police", "nfa": "No"}],
            4: [{"child_id": "A", "start_date": D(2024, 1, 8), "child_seen": "Yes"}],
            7: [{"child_id": "A", "start_date": D(2024, 2, 1), "initial_category": "Neglect"}],
        },
    )
    preview = import_workbook(later, commit=False)
    run = import_workbook(later)
    assert preview.summary == run.summary  # the preview counts the settling too
    real = Referral.objects.get()
    assert (real.referral_date, real.placeholder) == (D(2024, 1, 2), False)
    assert Assessment.objects.get().referral == real and ChildProtectionPlan.objects.get().referral == real
    assert run.summary["referrals"] == {"new": 1, "removed": 1}
    assert run.summary["assessments"] == {"changed": 1}
    assert not SourceRecord.objects.filter(content_type__model="referral", object_id=holder.pk).exists()
    moved = SourceRecord.objects.get(run=run, content_type__model="assessment")
    assert moved.record_path == "moved from the made-up referral of 08/01/2024 to the referral of 02/01/2024"
    # and the next import of the same workbook changes nothing
    again = import_workbook(later)
    assert all(set(c) <= {"unchanged"} for c in again.summary.values()), again.summary


def test_a_holder_keeps_what_starts_before_the_real_referral(tmp_path):
    # An assessment on 8 Jan 2024 and a section 47 on 1 Dec 2023, no referral. List 4 is read
    # first: a referral is made up on 8 Jan for the assessment, and one on 1 Dec for the enquiry.
    first = workbook(
        tmp_path / "a.xlsx",
        {
            4: [{"child_id": "A", "start_date": D(2024, 1, 8)}],
            5: [{"child_id": "A", "start_date": D(2023, 12, 1)}],
        },
    )
    import_workbook(first)
    assert sorted(held().values_list("referral_date", flat=True)) == [D(2023, 12, 1), D(2024, 1, 8)]
    # The real referral is of 2 January: the assessment moves to it and its holder goes; the
    # enquiry, before any real referral, stays held.
    run = import_workbook(
        workbook(tmp_path / "b.xlsx", {3: [{"child_id": "A", "referral_date": D(2024, 1, 2), "nfa": "No"}]})
    )
    holder = held().get()
    assert holder.referral_date == D(2023, 12, 1) and Section47Enquiry.objects.get().referral == holder
    assert Assessment.objects.get().referral.referral_date == D(2024, 1, 2)
    assert run.summary["referrals"] == {"new": 1, "removed": 1}


def test_a_cin_census_with_the_real_referral_and_the_same_events_merges_the_held_copies(tmp_path):
    annex = workbook(
        tmp_path / "annex.xlsx",
        {
            4: [CHILD | {"start_date": D(2024, 5, 7), "child_seen": "Yes", "team": "Assessment Team"}],
            5: [CHILD | {"start_date": D(2024, 6, 1), "icpc_date": D(2024, 6, 20), "team": "Assessment Team"}],
            7: [
                CHILD
                | {
                    "start_date": D(2024, 6, 20),
                    "initial_category": "Physical abuse",
                    "last_review": D(2024, 9, 12),
                    "epo": "No",
                }
            ],
        },
    )
    import_workbook(annex)
    holder = held().get()
    assert holder.referral_date == D(2024, 5, 7)
    run = import_file("cin_full_2025.xml")
    # One referral (the census's), one of each event, each with what only Annex A said.
    assert not Referral.objects.filter(pk=holder.pk).exists()
    real = Referral.objects.get(child__la_child_id="DfEX0000001")
    assert (real.referral_date, real.placeholder) == (D(2024, 5, 6), False)
    assessment = Assessment.objects.get(referral__child=real.child)
    assert assessment.referral == real and assessment.child_seen is True
    assert assessment.team.name == "Assessment Team" and assessment.factors.count() == 2
    s47 = Section47Enquiry.objects.get(referral__child=real.child)
    assert s47.referral == real and s47.team.name == "Assessment Team"
    plan = ChildProtectionPlan.objects.get(child=real.child)
    assert plan.referral == real and plan.emergency_protection_recent is False
    conferences = ChildProtectionConference.objects.filter(child=real.child)
    assert sorted(conferences.values_list("kind", "conference_date")) == [
        ("initial", D(2024, 6, 20)),
        ("review", D(2024, 9, 12)),
        ("review", D(2025, 2, 15)),
    ]
    assert conferences.get(kind="initial").section47 == s47
    assert run.summary["made-up referrals"] == {"removed": 1}
    assert run.summary["assessments moved to a real referral"] == {"changed": 1, "removed": 1}
    assert run.summary["plans moved to a real referral"] == {"changed": 1, "removed": 1}


def test_a_cin_census_referral_on_the_made_up_date_makes_it_real(tmp_path):
    # Annex A's assessment of DfEX0000001 started on the census's referral date, 6 May 2024.
    import_workbook(workbook(tmp_path / "a.xlsx", {4: [CHILD | {"start_date": D(2024, 5, 6)}]}))
    holder = held().get()
    run = import_file("cin_full_2025.xml")
    real = Referral.objects.get(child__la_child_id="DfEX0000001")
    assert real.pk == holder.pk and not real.placeholder and real.source == "1A"
    assert run.summary["made-up referrals"] == {"changed": 1}
    # the census's assessment (7 May) and Annex A's (6 May) are two assessments of the episode
    assert sorted(real.assessments.values_list("start_date", flat=True)) == [D(2024, 5, 6), D(2024, 5, 7)]


def test_the_cin_census_export_leaves_made_up_referrals_out(tmp_path):
    real = ReferralFactory(referral_date=D(2024, 5, 6), source="1A", primary_need="N4")
    AssessmentFactory(referral=real, start_date=D(2024, 5, 7))
    holder = ReferralFactory(referral_date=D(2024, 6, 1), placeholder=True)
    AssessmentFactory(referral=holder, start_date=D(2024, 6, 1))
    out = tmp_path / "census.xml"
    assert export_cin(str(out), 2025) == 1  # only the child with a real referral
    text = out.read_text()
    assert real.child.la_child_id in text and holder.child.la_child_id not in text
    assert "<CINreferralDate>2024-06-01</CINreferralDate>" not in text


def test_the_migration_marks_the_referrals_made_up_before_the_field_existed():
    from returns.models import ImportRun

    run = ImportRun.objects.create(kind="annex_a", file_name="old.xlsx")
    made_up, given, plain = (ReferralFactory(child=ChildFactory()) for _ in range(3))
    for ref, path in (
        (made_up, "List 4 row 2: referral made up to hold the assessment"),
        (given, "List 5 row 3: referral made up to hold the section 47 enquiry"),
        (given, "CINdetails 1"),
        (plain, "List 3 row 2"),
    ):
        SourceRecord.objects.create(run=run, target=ref, record_path=path, created=True)
    migration = importlib.import_module("returns.migrations.0004_mark_made_up_referrals")
    migration.mark(apps, None)
    assert set(held().values_list("pk", flat=True)) == {made_up.pk}


def test_an_ssd_extract_with_the_real_referral_settles_the_holder_too(tmp_path):
    from returns.tests.conftest import DATA
    from returns.tests.test_ssd_import import ssd_run

    # full/ has DfEX0000001 referred on 6 May 2024 (R1), assessed from 7 May (A1).
    import_workbook(workbook(tmp_path / "a.xlsx", {4: [CHILD | {"start_date": D(2024, 5, 7), "child_seen": "Yes"}]}))
    run = ssd_run(DATA / "ssd" / "full")
    assert not held().exists()
    (assessment,) = Assessment.objects.filter(referral__child__la_child_id="DfEX0000001")
    assert assessment.referral.referral_date == D(2024, 5, 6) and assessment.start_date == D(2024, 5, 7)
    assert run.summary["made-up referrals"] == {"removed": 1}
