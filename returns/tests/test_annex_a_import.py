import datetime as dt

import pytest

from audit.models import Action, AuditEvent
from children.models import (
    Adopter,
    AdoptionMilestone,
    CareLeaverContact,
    Child,
    ChildProtectionConference,
    ChildProtectionPlan,
    Contact,
    LookedAfterEpisode,
    Referral,
    Section47Enquiry,
    Visit,
)
from children.tests.factories import ChildFactory
from organisation.models import Team
from returns import services
from returns.annex_a.loader import AnnexAImporter
from returns.models import SourceRecord, Status
from returns.tests.test_annex_a_helpers import SAMPLE, import_workbook, snapshot, workbook

pytestmark = pytest.mark.django_db


def test_preview_of_the_sample_counts_and_writes_nothing():
    run = import_workbook(SAMPLE, commit=False)
    assert run.status == Status.PREVIEWED
    assert run.records == 59  # data rows over the eleven lists
    assert run.summary["children"] == {"new": 48}
    assert run.summary["contacts"] == {"new": 5}
    assert run.summary["adopters"] == {"new": 5}
    assert Child.objects.count() == 0 and Adopter.objects.count() == 0
    assert SourceRecord.objects.count() == 0
    need = run.problems.get(rule="annex_a.unknown-code", field="Primary Need Code")
    assert need.severity == "warning" and need.child_id == "12598894" and need.location == "List 6 row 2"
    assert "PSRMEM" in need.message and "N1" in need.message  # the value and the allowed list
    assert run.problems.filter(rule="annex_a.excel-error", field="Allocated Team").count() == 5
    # The sample gives children different dates of birth on Lists 9 and 10: the first is kept, with a warning.
    differs = run.problems.filter(rule="annex_a.child-differs", child_id="7961370", field="Date of Birth").get()
    assert "List 10 row 2" in differs.message and "List 9 row 2" in differs.message


def test_commit_maps_each_list_of_the_sample():
    run = import_workbook(SAMPLE)
    assert Contact.objects.get(child__la_child_id="9212044").source == "6"  # "q) 6: Police"
    child = Child.objects.get(la_child_id="9212044")
    assert (child.sex, child.ethnicity, child.birth_date) == ("F", "WBRI", dt.date(2015, 1, 25))
    referral = Referral.objects.get(child__la_child_id="6537810", referral_date=dt.date(2020, 9, 16))
    assert (referral.source, referral.nfa) == ("8", False)
    assert referral.team.name == "Multi Agency Safeguarding Hub"
    assert referral.worker.name == "Dustin Hazlett"  # the sample's non-breaking space is a space
    cin = Referral.objects.get(child__la_child_id="8140425")
    assert (cin.primary_need, cin.case_status, cin.team) == ("N1", "c) Child in need plan", None)
    assert Visit.objects.get(child__la_child_id="8140425", kind="cin").visit_date == dt.date(2021, 3, 5)
    unknown_need = Referral.objects.get(child__la_child_id="12598894")
    assert unknown_need.primary_need == ""  # "PSRMEM - ..." is not a code: not stored
    s47 = Section47Enquiry.objects.get(referral__child__la_child_id="11641472")
    assert (s47.start_date, s47.icpc_date, s47.icpc_not_required) == (dt.date(2020, 9, 16), dt.date(2020, 10, 5), False)
    assert ChildProtectionConference.objects.get(section47=s47, kind="initial").plan_made
    plan = ChildProtectionPlan.objects.get(child__la_child_id="10721552")
    assert (plan.initial_category, plan.latest_category, plan.categories) == ("PHY", "PHY", "PHY")
    assert plan.end_date == dt.date(2021, 2, 16) and plan.emergency_protection_recent is False
    assert ChildProtectionConference.objects.get(plan=plan, kind="review").conference_date == dt.date(2021, 2, 16)
    assert Visit.objects.get(child=plan.child, kind="cp").seen_alone is True
    # List 8: the period of care, the placement and the legal status start on different dates.
    episodes = list(LookedAfterEpisode.objects.filter(child__la_child_id="1761444").order_by("start_date"))
    assert [(e.start_date, e.reason_new_episode, e.legal_status, e.placement_type) for e in episodes] == [
        (dt.date(2009, 8, 6), "S", "", ""),
        (dt.date(2009, 11, 2), "P", "", "U6"),
        (dt.date(2010, 7, 12), "L", "E1", "U6"),
    ]
    assert episodes[-1].placement_provider == "PR4" and episodes[-1].placement_postcode == "T28 2WB"
    assert Child.objects.get(la_child_id="1761444").team.name == "Children in Care Team 1"
    leaver = CareLeaverContact.objects.get(child__la_child_id="7961370")
    assert (leaver.in_touch, leaver.accommodation, leaver.activity) == ("YES", "Y1", "F1")
    assert Child.objects.get(la_child_id="7961370").care_leaver_eligibility == "former_relevant"
    adoption = AdoptionMilestone.objects.get(child__la_child_id="13782635")
    assert (adoption.decision_reversed_reason, adoption.adoptive_family_id) == ("RD2", "4836911")
    assert adoption.decision_date == dt.date(2014, 9, 17)  # a formula's cached value
    adopter = Adopter.objects.get(adopter_id="11340940")
    assert (adopter.family_id, adopter.children_placed, adopter.left_process_date) == (
        "15274584",
        1,
        dt.date(2010, 6, 14),
    )
    assert adopter.left_process_reason == ""  # "1" is not a reason the template knows
    # Provenance: the run and the list row.
    source = SourceRecord.objects.get(content_type__model="referral", object_id=referral.pk)
    assert source.run == run and source.created and source.record_path == "List 3 row 2"
    holder = Referral.objects.get(child__la_child_id="10692868")
    held = SourceRecord.objects.get(content_type__model="referral", object_id=holder.pk)
    assert held.record_path == "List 4 row 2: referral made up to hold the assessment"
    assert holder.placeholder and not referral.placeholder
    assert Referral.objects.filter(placeholder=True).count() == len(
        SourceRecord.objects.filter(content_type__model="referral", record_path__contains="made up to hold")
    )
    assert AuditEvent.objects.filter(action=Action.SYSTEM, detail__contains="Annex_A_2024_Jan.xlsx").count() == 1


def test_importing_the_same_workbook_twice_changes_nothing():
    import_workbook(SAMPLE)
    before = snapshot()
    sources = SourceRecord.objects.count()
    run = import_workbook(SAMPLE)
    assert snapshot() == before
    assert SourceRecord.objects.count() == sources
    assert all(set(c) <= {"unchanged"} for c in run.summary.values()), run.summary


def test_a_later_workbook_updates_facts_without_duplicating(tmp_path):
    child = {"child_id": "C1", "sex": "a) Male", "ethnicity": "a) WBRI", "birth_date": dt.date(2015, 3, 1)}
    first = workbook(
        tmp_path / "jan.xlsx",
        {
            3: [child | {"referral_date": dt.date(2024, 1, 8), "source": "q) 6: Police", "nfa": "No"}],
            7: [child | {"start_date": dt.date(2024, 2, 1), "initial_category": "Neglect"}],
        },
    )
    later = workbook(
        tmp_path / "mar.xlsx",
        {
            3: [child | {"referral_date": dt.date(2024, 1, 8), "source": "e) 2A: Schools", "nfa": "No"}],
            7: [
                child
                | {"start_date": dt.date(2024, 2, 1), "initial_category": "Neglect", "end_date": dt.date(2024, 3, 1)}
            ],
        },
    )
    import_workbook(first)
    run = import_workbook(later)
    assert run.summary["referrals"] == {"changed": 1}
    assert run.summary["child protection plans"] == {"changed": 1}
    assert "new" not in run.summary["children"]
    assert Child.objects.count() == 1 and Referral.objects.count() == 1
    assert Referral.objects.get().source == "2A"
    plan = ChildProtectionPlan.objects.get()
    assert plan.end_date == dt.date(2024, 3, 1) and plan.referral == Referral.objects.get()
    assert SourceRecord.objects.filter(run=run, content_type__model="referral", created=False).count() == 1


def test_a_crash_partway_leaves_the_register_unchanged(tmp_path, monkeypatch):
    ChildFactory(la_child_id="C1", sex="F")
    before = snapshot()
    path = workbook(
        tmp_path / "crash.xlsx",
        {
            1: [{"child_id": "C2", "contact_date": dt.date(2024, 1, 2), "contact_source": "q) 6: Police"}],
            3: [{"child_id": "C1", "sex": "a) Male", "referral_date": dt.date(2024, 1, 8), "team": "New Team"}],
            7: [{"child_id": "C1", "start_date": dt.date(2024, 2, 1), "initial_category": "Neglect"}],
        },
    )
    run = services.preview(services.create_run_from_path(path, "annex_a"))
    assert run.status == Status.PREVIEWED

    def boom(self, rows, children):
        raise RuntimeError("disk full")

    monkeypatch.setattr(AnnexAImporter, "_list7", boom)  # Lists 1 and 3 are written by then
    run = services.commit(run)
    assert run.status == Status.FAILED and "disk full" in run.message
    assert snapshot() == before
    assert not Contact.objects.exists() and not SourceRecord.objects.exists()
    assert Child.objects.get(la_child_id="C1").sex == "F"
    assert not Team.objects.filter(name="New Team").exists()


def test_upn_conflicts_are_errors_naming_both_children(tmp_path):
    ChildFactory(la_child_id="C1", upn="A123456789012")
    ChildFactory(la_child_id="C2", upn="B123456789012")
    path = workbook(tmp_path / "upn.xlsx", {3: []}, headers={})
    from openpyxl import load_workbook

    book = load_workbook(path)
    ws = book["List 3"]
    ws.cell(1, 12, "UPN")
    ws.append(["C1", None, None, None, None, dt.date(2024, 1, 8), None, None, None, None, None, "Z123456789012"])
    ws.append(["C3", None, None, None, None, dt.date(2024, 1, 8), None, None, None, None, None, "B123456789012"])
    book.save(path)
    run = services.check_and_commit(services.create_run_from_path(path, "annex_a"))
    assert run.status == Status.REJECTED
    differs = run.problems.get(rule="match.upn-differs")
    assert differs.child_id == "C1" and "A123456789012" in differs.message and "Z123456789012" in differs.message
    elsewhere = run.problems.get(rule="match.upn-elsewhere")
    assert elsewhere.child_id == "C3" and "C2" in elsewhere.message
    assert not Referral.objects.exists() and not Child.objects.filter(la_child_id="C3").exists()


def test_a_referral_on_lists_3_and_6_and_a_child_on_lists_8_and_9_are_allocated_once(tmp_path):
    kid = {"child_id": "C1", "sex": "a) Male"}
    path = workbook(
        tmp_path / "both.xlsx",
        {
            3: [kid | {"referral_date": dt.date(2024, 1, 8), "team": "Front Door", "worker": "Ann Lee"}],
            6: [kid | {"referral_date": dt.date(2024, 1, 8), "team": "Locality 1", "worker": "Bob Ray"}],
            8: [kid | {"date_started": dt.date(2023, 5, 1), "legal_status": "C2", "team": "Children in Care"}],
            9: [kid | {"team": "Care Leavers", "eligibility": "a) Relevant child"}],
        },
    )
    preview = import_workbook(path, commit=False)
    assert preview.summary["referrals"] == {"new": 1}  # created by List 3, completed by List 6: one new row
    run = import_workbook(path)
    assert run.summary == preview.summary
    differs = list(run.problems.filter(rule="annex_a.allocation-differs").values_list("location", flat=True))
    assert differs == ["List 6 row 2", "List 9 row 2"]
    referral = Referral.objects.get()
    assert (referral.team.name, referral.worker.name) == ("Front Door", "Ann Lee")
    assert Child.objects.get().team.name == "Children in Care"
    before = snapshot()
    again = import_workbook(path)
    assert snapshot() == before
    assert all(set(c) <= {"unchanged"} for c in again.summary.values()), again.summary
