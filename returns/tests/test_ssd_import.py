"""SSD (Standard Safeguarding Dataset) CSV import: mapping, matching, idempotence, bad files, crash safety."""

import datetime as dt
import shutil
import zipfile
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

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
from children.tests.factories import ChildFactory
from organisation.models import Team, Worker
from organisation.tests.factories import TeamFactory, WorkerFactory
from returns import services
from returns.models import ImportRun, Kind, SourceRecord, Status
from returns.ssd.loader import SsdImporter
from returns.ssd.reader import parse_datetime
from returns.tests.conftest import DATA
from returns.tests.helpers import import_file

pytestmark = pytest.mark.django_db
SSD = DATA / "ssd"
LONDON = ZoneInfo("Europe/London")
MODELS = (
    Child,
    Disability,
    Contact,
    EarlyHelpEpisode,
    Referral,
    Assessment,
    ChildInNeedPlan,
    Section47Enquiry,
    ChildProtectionPlan,
    ChildProtectionConference,
    LookedAfterEpisode,
    LookedAfterReview,
    HealthAssessment,
    MissingEpisode,
    CareLeaverContact,
    PathwayPlan,
    AdoptionMilestone,
    PlacedForAdoption,
    AssessmentFactor,
    Visit,
    PreviousPermanence,
    UnaccompaniedAsylumSeeker,
    Involvement,
)


@pytest.fixture
def workers() -> dict:
    """The workers of full/ssd_professionals.csv that Line of Sight knows (W8, an agency worker, is not set up)."""
    assessment, in_care, leaving = (TeamFactory(name=n) for n in ("Assessment North", "In Care", "Leaving Care"))
    teams = {"SW1001": assessment, "SW1002": assessment, "SW1003": in_care, "SW1004": leaving, "SW1005": in_care}
    return {staff: WorkerFactory(staff_id=staff, team=team) for staff, team in teams.items()}


def register() -> dict:
    """Every row of every table the SSD import writes, without primary keys."""
    out = {}
    for model in MODELS:
        fields = [f.attname for f in model._meta.concrete_fields if not f.primary_key and not f.is_relation]
        out[model.__name__] = sorted(tuple(str(v) for v in row) for row in model.objects.values_list(*fields))
    out["links"] = sorted((r.child.la_child_id, r.referral_date) for r in Referral.objects.select_related("child"))
    return out


def ssd_run(path, commit=True):
    run = services.create_run_from_path(path)
    assert run.kind == Kind.SSD
    run = services.preview(run)
    if commit:
        assert run.status == Status.PREVIEWED, list(run.problems.values_list("rule", "location", "message")[:5])
        run = services.commit(run)
        assert run.status == Status.COMMITTED, run.message
    return run


def with_bad(tmp_path, bad_name: str) -> Path:
    """A copy of full/ with one table replaced by a bad version from bad/."""
    folder = tmp_path / "extract"
    shutil.copytree(SSD / "full", folder)
    shutil.copy(SSD / "bad" / bad_name, folder / bad_name.split("__", 1)[1])
    return folder


def test_preview_counts_every_table_and_writes_nothing():
    run = ssd_run(SSD / "full", commit=False)
    assert run.status == Status.PREVIEWED
    assert run.file_name == "full.ssd.zip"
    assert run.records == 5
    s = run.summary
    assert s["children"] == {"new": 5}
    assert s["referrals"] == {"new": 5}
    assert s["assessments"] == {"new": 3}
    assert s["child in need plans"] == {"new": 2}
    assert s["section 47 enquiries"] == {"new": 2}
    assert s["child protection plans"] == {"new": 2}
    assert s["conferences"] == {"new": 4}  # two ICPCs, two held reviews (the third review has no date yet)
    assert s["looked-after episodes"] == {"new": 5}
    assert s["looked-after reviews"] == {"new": 3}
    assert s["health assessments"] == {"new": 3}  # the planned one is not an assessment
    assert s["missing episodes"] == {"new": 2}
    assert s["disabilities"] == {"new": 3}
    assert s["contacts"] == {"new": 3}
    assert s["early help episodes"] == {"new": 1}
    assert s["care leaver contacts"] == {"new": 1}
    assert s["pathway plans"] == {"new": 1}
    assert s["adoption milestones"] == {"new": 1}
    assert s["placed for adoption"] == {"new": 1}
    assert s["assessment factors"] == {"new": 3}  # 1C and 24A; 16A (3B is "No")
    assert s["visits"] == {"new": 9}  # 2 CIN, 2 CP (two on one day: one kept), 2 CLA, 3 IRO contact dates
    assert s["previous permanence"] == {"new": 2}
    assert s["unaccompanied asylum-seeking children"] == {"new": 1}
    assert run.problems.filter(rule="ssd.same-day", severity="warning", location="ssd_cp_visits.csv row 3").exists()
    assert run.header["ssd_cla_placement.csv"] == 5
    assert (run.header["ssd_legal_status.csv"], run.header["ssd_linked_identifiers.csv"]) == (6, 4)
    assert run.errors == 0
    assert Child.objects.count() == 0 and SourceRecord.objects.count() == 0


def test_commit_maps_the_tables_onto_the_register():
    run = ssd_run(SSD / "full")
    one = Child.objects.get(la_child_id="DfEX0000001")
    assert (one.upn, one.sex, one.ethnicity, one.birth_date) == ("A123456789123", "M", "WBRI", dt.date(2015, 3, 27))
    assert sorted(one.disabilities.values_list("code", flat=True)) == ["HAND", "HEAR"]
    referral = one.referrals.get()
    assert (referral.referral_date, referral.source, referral.primary_need) == (dt.date(2024, 5, 6), "1A", "N4")
    assert (referral.closure_date, referral.closure_reason, referral.nfa) == (dt.date(2025, 2, 27), "RC1", False)
    assessment = referral.assessments.get()
    assert (assessment.start_date, assessment.authorisation_date, assessment.child_seen) == (
        dt.date(2024, 5, 7),
        dt.date(2024, 6, 10),
        True,
    )
    assert referral.cin_plans.get().end_date == dt.date(2024, 6, 19)
    s47 = referral.section47s.get()
    assert (s47.start_date, s47.icpc_target_date, s47.icpc_date) == (
        dt.date(2024, 6, 1),
        dt.date(2024, 6, 22),
        dt.date(2024, 6, 20),
    )
    icpc = ChildProtectionConference.objects.get(section47=s47, kind="initial")
    assert icpc.child == one and icpc.conference_date == dt.date(2024, 6, 20) and icpc.plan_made
    plan = ChildProtectionPlan.objects.get(child=one)
    assert (plan.referral, plan.initial_category, plan.latest_category, plan.categories) == (
        referral,
        "PHY",
        "MUL",
        "NEG,PHY",
    )
    assert sorted(plan.conferences.filter(kind="review").values_list("conference_date", flat=True)) == [
        dt.date(2024, 9, 12),
        dt.date(2025, 2, 15),
    ]
    two = Child.objects.get(la_child_id="SSD0000002")
    assert (two.upn, two.upn_unknown, two.ethnicity, two.sex) == ("", "UN5", "MWBC", "F")
    assert sorted(two.contacts.values_list("contact_date", "source")) == [
        (dt.date(2023, 10, 4), "3A"),
        (dt.date(2024, 1, 15), "5D"),
    ]
    early = two.early_help.get()
    assert (early.start_date, early.end_date, early.organisation, early.reason) == (
        dt.date(2024, 1, 20),
        dt.date(2024, 7, 1),
        "Family Hub North",
        "Parenting and Family Dynamics",
    )
    nfa = two.referrals.get()
    assert nfa.nfa and nfa.closure_reason == "RC8"
    three = Child.objects.get(la_child_id="SSD0000003")
    assert (three.upn, three.is_mother) == ("B987654321012", True)
    first, second = three.episodes.order_by("start_date")
    assert (first.reason_new_episode, first.legal_status, first.placement_type, first.placement_provider) == (
        "S",
        "V2",
        "U6",
        "PR1",
    )
    assert (first.end_date, first.reason_ceased, first.reason_place_change, first.urn) == (
        dt.date(2022, 12, 5),
        "X1",
        "CARPL",
        "SC123456",
    )
    assert (second.legal_status, second.placement_type, second.placement_la, second.placement_postcode) == (
        "C2",
        "K2",
        "Kent",
        "ME14 1XX",
    )
    assert second.end_date is None and second.cin_category == "N1"
    assert sorted(three.cla_reviews.values_list("review_date", "participation")) == [
        (dt.date(2022, 9, 28), "PN1"),
        (dt.date(2023, 1, 24), "PN4"),
    ]
    assert sorted(three.health_assessments.values_list("kind", "assessment_date")) == [
        ("dental", dt.date(2023, 3, 2)),
        ("initial", dt.date(2022, 9, 25)),
    ]
    missing = three.missing_episodes.get(kind="M")
    assert missing.started_at == dt.datetime(2024, 2, 10, 22, 15, tzinfo=LONDON)
    assert missing.returned_at == dt.datetime(2024, 2, 11, 9, 30, tzinfo=LONDON)
    assert (missing.rhi_offered, missing.rhi_accepted) == (True, False)
    away = three.missing_episodes.get(kind="A")
    assert away.started_at == dt.datetime(2024, 3, 1, tzinfo=LONDON) and away.rhi_accepted is None
    four = Child.objects.get(la_child_id="SSD0000004")
    assert four.upn == ""  # the only UPN in ssd_linked_identifiers stopped being valid in 2016
    assert four.care_leaver_eligibility == "former_relevant"
    contact = four.care_leaver_contacts.get()
    assert (contact.in_touch, contact.contact_date, contact.accommodation, contact.activity) == (
        "YES",
        dt.date(2025, 1, 10),
        "D1",
        "F2",
    )
    assert four.pathway_plans.get().personal_adviser == "Jo Adviser"
    assert four.episodes.get().legal_status == "C2"  # SGO is a legal status the SSD holds, not a looked-after one
    assert three.mother_birth_date == dt.date(2025, 6, 30)
    assert three.uasc.date_ceased == dt.date(2028, 7, 15)
    assert three.previous_permanence.previous_permanence == "Z1"
    assert (four.previous_permanence.previous_permanence, four.previous_permanence.date_raw) == ("P2", "zz/05/2016")
    assert four.previous_permanence.la_code == ""  # "Kent" is a name, not the 903 code: warned, not held
    assert sorted(three.visits.values_list("kind", "visit_date", "seen", "seen_alone")) == [
        ("cin", dt.date(2022, 4, 20), True, True),
        ("cla", dt.date(2023, 1, 10), True, True),
        ("cp", dt.date(2022, 6, 20), False, False),
        ("iro", dt.date(2022, 9, 28), True, None),
        ("iro", dt.date(2023, 1, 24), True, None),
        ("iro", dt.date(2024, 11, 20), True, None),
    ]
    assert sorted(Assessment.objects.get(referral__child=three).factors.values_list("code", flat=True)) == ["16A"]
    assert sorted(assessment.factors.values_list("code", flat=True)) == ["1C", "24A"]
    five = Child.objects.get(la_child_id="SSD0000005")
    adoption = five.adoption
    assert (adoption.decision_date, adoption.placement_order_date, adoption.match_date) == (
        dt.date(2023, 2, 14),
        dt.date(2023, 5, 2),
        dt.date(2023, 4, 20),
    )
    assert (adoption.foster_carer_adoption, adoption.sex_of_adopters, adoption.legal_status_of_adopters) == (
        True,
        "MF",
        "L11",
    )
    assert adoption.number_of_adopters == 2
    assert five.placed_for_adoption.get().date_placed == dt.date(2023, 5, 2)
    assert five.episodes.get(start_date=dt.date(2023, 5, 2)).legal_status == "E1"
    # provenance: every created row names its file and row
    paths = set(SourceRecord.objects.filter(run=run).values_list("record_path", flat=True))
    assert "ssd_cp_plans.csv row 2" in paths and "ssd_cla_episodes.csv row 3" in paths
    assert SourceRecord.objects.filter(run=run, created=True).count() == sum(v["new"] for v in run.summary.values())


def test_same_files_twice_change_nothing():
    ssd_run(SSD / "full")
    before, sources = register(), SourceRecord.objects.count()
    again = ssd_run(SSD / "full")
    assert register() == before
    assert SourceRecord.objects.count() == sources
    assert all(set(counts) == {"unchanged"} for counts in again.summary.values()), again.summary


def test_later_files_update_facts_without_duplicating():
    ssd_run(SSD / "full")
    children, referrals, episodes = Child.objects.count(), Referral.objects.count(), LookedAfterEpisode.objects.count()
    later = ssd_run(SSD / "later")
    assert (Child.objects.count(), Referral.objects.count(), LookedAfterEpisode.objects.count()) == (
        children,
        referrals,
        episodes,
    )
    assert later.summary["children"] == {"changed": 1, "unchanged": 4}
    assert later.summary["referrals"] == {"changed": 1, "unchanged": 4}
    assert later.summary["looked-after episodes"] == {"changed": 1, "unchanged": 4}
    assert later.summary["looked-after reviews"] == {"new": 1, "unchanged": 3}
    assert later.summary["missing episodes"] == {"new": 1, "unchanged": 2}
    three = Child.objects.get(la_child_id="SSD0000003")
    assert three.episodes.get(start_date=dt.date(2022, 12, 5)).reason_ceased == "E4A"
    assert three.referrals.get().closure_date == dt.date(2025, 3, 14)
    assert Child.objects.get(la_child_id="SSD0000002").ethnicity == "MWBA"
    changed = SourceRecord.objects.filter(run=later, created=False)
    assert sorted(changed.values_list("record_path", flat=True)) == [
        "ssd_cin_episodes.csv row 4",
        "ssd_cla_episodes.csv row 3",
        "ssd_person.csv row 3",
    ]


def test_involvements_are_matched_to_workers_by_staff_id(workers):
    run = ssd_run(SSD / "full")
    assert run.summary["involvements"] == {"new": 5}  # not IV5: a personal adviser is not the allocated worker
    assert run.header["ssd_professionals.csv"] == 7 and run.header["ssd_involvements.csv"] == 6
    assert not run.problems.filter(rule="ssd.worker-unknown").exists()
    one = Child.objects.get(la_child_id="DfEX0000001")
    held_by = one.involvements.values_list("worker__staff_id", "team", "start_date", "end_date", "change_reason")
    assert list(held_by) == [
        ("SW1001", workers["SW1001"].team_id, dt.date(2024, 5, 6), dt.date(2024, 9, 30), "FCONTA"),
        ("SW1002", workers["SW1002"].team_id, dt.date(2024, 10, 1), dt.date(2025, 2, 27), "LEFTRL"),
    ]
    held = Involvement.objects.get(child__la_child_id="SSD0000003")
    # the team is the worker's team in organisation, not invo_professional_team
    assert (held.worker, held.team, held.end_date) == (workers["SW1003"], workers["SW1003"].team, None)
    paths = set(SourceRecord.objects.filter(run=run, object_id=held.pk).values_list("record_path", "created"))
    assert ("ssd_involvements.csv row 5", True) in paths
    created = SourceRecord.objects.filter(run=run, created=True, record_path__startswith="ssd_involvements.csv")
    assert created.count() == 5
    assert not Involvement.objects.filter(child__la_child_id="SSD0000004").exists()
    adviser = run.problems.get(rule="ssd.involvement-not-allocation")
    assert (adviser.severity, adviser.location) == ("warning", "ssd_involvements.csv row 6")


def test_an_unknown_worker_is_a_warning_and_the_rest_commits(tmp_path, workers):
    teams, staff = Team.objects.count(), Worker.objects.count()
    run = ssd_run(with_bad(tmp_path, "unknown_worker__ssd_involvements.csv"))
    warned = sorted(run.problems.filter(rule="ssd.worker-unknown"), key=lambda p: int(p.location.split()[-1]))
    assert [(p.severity, p.file_name, p.location, p.field, p.child_id) for p in warned] == [
        ("warning", "ssd_involvements.csv", "ssd_involvements.csv row 8", "invo_professional_id", "SSD0000003"),
        ("warning", "ssd_involvements.csv", "ssd_involvements.csv row 10", "invo_professional_id", "SSD0000005"),
    ]
    messages = [p.message for p in warned]
    assert "AG2001" in messages[0] and "W77" in messages[1]
    # row 9, a GP, is not the allocated worker: not an unknown worker, only counted with the other roles
    roles = set(run.problems.filter(rule="ssd.involvement-not-allocation").values_list("location", flat=True))
    assert roles == {"ssd_involvements.csv row 6", "ssd_involvements.csv row 9"}
    assert run.errors == 0 and run.summary["involvements"] == {"new": 5}
    assert Involvement.objects.count() == 5 and Referral.objects.count() == 5
    assert (Team.objects.count(), Worker.objects.count()) == (teams, staff)  # none made up


def test_involvements_without_ssd_professionals_are_a_warning(tmp_path, workers):
    folder = tmp_path / "extract"
    shutil.copytree(SSD / "full", folder)
    (folder / "ssd_professionals.csv").unlink()
    run = ssd_run(folder)
    problem = run.problems.get(rule="ssd.file-missing", location="ssd_professionals.csv")
    assert problem.severity == "warning" and "involvements" in problem.message
    assert Involvement.objects.count() == 0 and Referral.objects.count() == 5


def test_involvements_twice_change_nothing(workers):
    ssd_run(SSD / "full")
    before, sources = register(), SourceRecord.objects.count()
    rows = list(Involvement.objects.order_by("pk").values())
    again = ssd_run(SSD / "full")
    assert again.summary["involvements"] == {"unchanged": 5}
    assert list(Involvement.objects.order_by("pk").values()) == rows
    assert register() == before and SourceRecord.objects.count() == sources


def test_a_later_extract_ends_the_involvement_without_duplicating(workers):
    ssd_run(SSD / "full")
    held = Involvement.objects.get(child__la_child_id="SSD0000003")
    later = ssd_run(SSD / "later")
    assert later.summary["involvements"] == {"changed": 1, "unchanged": 4}
    assert Involvement.objects.count() == 5
    held.refresh_from_db()
    assert (held.end_date, held.worker) == (dt.date(2025, 3, 14), workers["SW1003"])
    assert held.start_date == dt.date(2022, 3, 1)
    changed = SourceRecord.objects.filter(run=later, created=False, object_id=held.pk)
    assert list(changed.values_list("record_path", flat=True)) == ["ssd_involvements.csv row 5"]


def test_an_involvement_matches_the_903_social_worker_episode(workers):
    child = ChildFactory(la_child_id="SSD0000003")
    Involvement.objects.create(
        child=child, worker=workers["SW1003"], team=workers["SW1003"].team, start_date=dt.date(2022, 3, 1)
    )
    run = ssd_run(SSD / "full")
    assert run.summary["involvements"] == {"new": 4, "changed": 1}  # the 903 row gains its SW_REASON
    assert child.involvements.get().change_reason == "FCONTA"


INVOLVEMENTS = (
    "invo_involvements_id,invo_professional_id,invo_professional_role_id,invo_professional_team,"
    "invo_involvement_start_date,invo_involvement_end_date,invo_worker_change_reason,invo_person_id,invo_referral_id"
)


def with_involvements(tmp_path, *rows: str, header: str = INVOLVEMENTS, professionals: tuple[str, ...] = ()) -> Path:
    """A copy of full/ whose ssd_involvements.csv holds these rows (and ssd_professionals.csv more rows)."""
    folder = tmp_path / "extract"
    shutil.copytree(SSD / "full", folder)
    (folder / "ssd_involvements.csv").write_text("\r\n".join((header, *rows)) + "\r\n", encoding="utf-8")
    if professionals:
        with (folder / "ssd_professionals.csv").open("a", encoding="utf-8") as f:
            f.write("".join(row + "\n" for row in professionals))
    return folder


def held() -> list[tuple]:
    return sorted(Involvement.objects.values_list("child__la_child_id", "worker__staff_id", "start_date"))


def test_an_iro_or_a_team_manager_is_not_an_allocation_and_the_allocated_worker_is(tmp_path, workers):
    run = ssd_run(
        with_involvements(
            tmp_path,
            "IV1,W3,Allocated Case Worker,T2,2022-03-01T00:00:00,NULL,FCONTA,SSD0000003,R3",
            "IV2,W5,Independent Reviewing Officer,IRO Service,2022-03-15 00:00:00.000,NULL,NULL,SSD0000003,R3",
            "IV3,W1,ALLOCATED  CASE WORKER,T1,2024-05-06 00:00:00.000,2024-09-30 00:00:00.000,FCONTA,DfEX0000001,R1",
            "IV4,W2,Team Manager,T1,2024-05-06 00:00:00.000,NULL,NULL,DfEX0000001,R1",
            "IV5,W5,INDEPENDENT REVIEWING OFFICER,IRO Service,2024-05-20,,,DfEX0000001,R1",
            "IV6,W9,GP,External Agency,2022-03-01,,,SSD0000003,R3",
        )
    )
    assert run.errors == 0 and run.summary["involvements"] == {"new": 2}
    assert held() == [
        ("DfEX0000001", "SW1001", dt.date(2024, 5, 6)),
        ("SSD0000003", "SW1003", dt.date(2022, 3, 1)),
    ]
    # the IRO (a Worker in Line of Sight) holds no case; the GP is not an unknown worker either
    assert not Involvement.objects.filter(worker__in=[workers["SW1005"], workers["SW1002"]]).exists()
    assert not run.problems.filter(rule="ssd.worker-unknown").exists()
    warned = {p.location: p for p in run.problems.filter(rule="ssd.involvement-not-allocation")}
    assert set(warned) == {"ssd_involvements.csv row 3", "ssd_involvements.csv row 5", "ssd_involvements.csv row 7"}
    iro = warned["ssd_involvements.csv row 3"]  # both spellings: one role, one warning counting its rows
    assert (iro.severity, iro.file_name, iro.field, iro.child_id) == (
        "warning",
        "ssd_involvements.csv",
        "invo_professional_role_id",
        "",
    )
    assert iro.message.startswith("2 rows (rows 3, 6) of ssd_involvements.csv: the role 'Independent Reviewing")
    assert "allocated case worker" in iro.message
    assert warned["ssd_involvements.csv row 5"].message.startswith("1 row (row 5) of ssd_involvements.csv")
    assert not run.problems.filter(rule="ssd.involvement-role-blank").exists()


def test_many_rows_and_roles_that_are_not_allocations_are_counted_not_listed(tmp_path, workers):
    rows = [f"IV{i},W5,Independent Reviewing Officer,IRO,2024-01-{1 + i % 28:02d},,,SSD0000005,R5" for i in range(300)]
    rows += [f"IX{i},W5,Local role {i:02d},T,2024-02-01,,,SSD0000005,R5" for i in range(25)]
    run = ssd_run(with_involvements(tmp_path, *rows), commit=False)
    warned = list(run.problems.filter(rule="ssd.involvement-not-allocation"))
    assert len(warned) == 21 and run.warnings < 60  # 20 roles named, the other 6 counted in one
    iro = next(p for p in warned if "Independent Reviewing Officer" in p.message)
    assert iro.message.startswith("300 rows (rows 2, 3, 4, 5, 6 and 295 more)")
    assert [p for p in warned if "6 more roles" in p.message][0].message.startswith("6 rows (rows ")
    assert run.summary.get("involvements") is None


def test_a_blank_role_is_held_as_an_allocation_with_a_warning(tmp_path, workers):
    run = ssd_run(
        with_involvements(
            tmp_path,
            "IV1,W3,,T2,2022-03-01T00:00:00,NULL,FCONTA,SSD0000003,R3",
            "IV2,W5,NULL,T2,2022-08-10,,FCONTA,SSD0000005,R5",
            "IV3,W4,Personal Adviser,T3,2019-04-10,,FCONTA,SSD0000004,R4",
        )
    )
    assert run.errors == 0 and run.summary["involvements"] == {"new": 2}
    assert held() == [("SSD0000003", "SW1003", dt.date(2022, 3, 1)), ("SSD0000005", "SW1005", dt.date(2022, 8, 10))]
    blank = run.problems.get(rule="ssd.involvement-role-blank")
    assert (blank.severity, blank.location, blank.field) == (
        "warning",
        "ssd_involvements.csv row 2",
        "invo_professional_role_id",
    )
    assert "blank on 2 rows (rows 2, 3)" in blank.message and "imported as allocations" in blank.message
    assert run.problems.get(rule="ssd.involvement-not-allocation").location == "ssd_involvements.csv row 4"


def test_without_the_role_column_every_involvement_is_held_as_before_with_a_warning(tmp_path, workers):
    header = INVOLVEMENTS.replace("invo_professional_role_id,", "")
    run = ssd_run(
        with_involvements(
            tmp_path,
            "IV1,W3,T2,2022-03-01T00:00:00,NULL,FCONTA,SSD0000003,R3",
            "IV2,W4,T3,2019-04-10,,FCONTA,SSD0000004,R4",
            header=header,
        )
    )
    assert run.errors == 0 and run.summary["involvements"] == {"new": 2}
    assert [c for c, _w, _d in held()] == ["SSD0000003", "SSD0000004"]  # the adviser too: nothing tells them apart
    absent = run.problems.get(rule="ssd.involvement-role-blank")
    assert absent.severity == "warning" and "has no column invo_professional_role_id (2 rows" in absent.message
    assert run.problems.filter(rule="ssd.column-missing", field="invo_professional_role_id").exists()


def test_an_allocated_worker_without_a_staff_id_is_still_an_unknown_worker(tmp_path, workers):
    run = ssd_run(
        with_involvements(
            tmp_path,
            "IV1,W6,Allocated Case Worker,T2,2024-06-01,,MANAGE,SSD0000003,R3",
            professionals=("W6,NULL,Locum Worker,SW9988776,Social Worker,NULL,Children in Care Team,1.0,Y",),
        )
    )
    problem = run.problems.get(rule="ssd.worker-unknown")
    assert problem.location == "ssd_involvements.csv row 2" and "no prof_staff_id" in problem.message
    assert Involvement.objects.count() == 0


def test_involvements_with_other_roles_twice_change_nothing(tmp_path, workers):
    folder = with_involvements(
        tmp_path,
        "IV1,W3,Allocated Case Worker,T2,2022-03-01T00:00:00,NULL,FCONTA,SSD0000003,R3",
        "IV2,W5,Independent Reviewing Officer,IRO Service,2022-03-15,,,SSD0000003,R3",
        "IV3,W1,,T1,2024-05-06,2024-09-30,FCONTA,DfEX0000001,R1",
    )
    first = ssd_run(folder)
    before, sources = register(), SourceRecord.objects.count()
    again = ssd_run(folder)
    assert (first.summary["involvements"], again.summary["involvements"]) == ({"new": 2}, {"unchanged": 2})
    assert register() == before and SourceRecord.objects.count() == sources
    for rule in ("ssd.involvement-not-allocation", "ssd.involvement-role-blank"):
        assert again.problems.filter(rule=rule).count() == first.problems.filter(rule=rule).count() == 1


# -- the current allocation: Child.team and Child.worker (returns/allocation.py) ------------

FULL_INVOLVEMENTS = (SSD / "full" / "ssd_involvements.csv").read_text(encoding="utf-8").splitlines()[1:]
IV4_OPEN = "IV4,W3,Allocated Case Worker,T2,2022-03-01T00:00:00,NULL,FCONTA,SSD0000003,R3"
IV4_ENDED = "IV4,W3,Allocated Case Worker,T2,2022-03-01T00:00:00,2025-03-14T00:00:00,FCONTA,SSD0000003,R3"


def allocation() -> dict:
    """la_child_id -> (the worker's staff ID, the team's pk) as the register holds them."""
    return {c.la_child_id: (c.worker.staff_id if c.worker else None, c.team_id) for c in Child.objects.all()}


def later_involvements(tmp_path, *rows: str) -> Path:
    """full/ with SSD0000003's involvement (IV4, row 5) ended on 2025-03-14 and these rows added (row 8 on)."""
    assert IV4_OPEN in FULL_INVOLVEMENTS
    return with_involvements(tmp_path, *(IV4_ENDED if r == IV4_OPEN else r for r in FULL_INVOLVEMENTS), *rows)


def test_the_current_involvement_allocates_the_child(workers):
    run = ssd_run(SSD / "full")
    assert run.summary["children"] == {"new": 5}  # a child the run creates is new, not also changed
    assert allocation() == {
        "DfEX0000001": (None, None),  # both involvements ended (2024-09-30, 2025-02-27)
        "SSD0000002": (None, None),
        "SSD0000003": ("SW1003", workers["SW1003"].team_id),
        "SSD0000004": (None, None),  # a personal adviser: not an allocation
        "SSD0000005": ("SW1005", workers["SW1005"].team_id),
    }
    three = Child.objects.get(la_child_id="SSD0000003")
    sources = SourceRecord.objects.filter(run=run, content_type__model="child", object_id=three.pk)
    assert sorted(sources.values_list("record_path", "created")) == [
        ("ssd_involvements.csv row 5", False),
        ("ssd_person.csv row 4", True),
    ]


def test_the_preview_counts_the_allocation_and_writes_nothing(tmp_path, workers):
    ssd_run(with_involvements(tmp_path))  # the extract without involvements
    assert set(allocation().values()) == {(None, None)}
    sources = SourceRecord.objects.count()
    preview = ssd_run(SSD / "full", commit=False)
    assert preview.summary["children"] == {"changed": 2, "unchanged": 3}
    assert preview.summary["involvements"] == {"new": 5}
    assert set(allocation().values()) == {(None, None)} and SourceRecord.objects.count() == sources
    run = services.commit(preview)
    assert run.status == Status.COMMITTED and run.summary == preview.summary
    assert (allocation()["SSD0000003"][0], allocation()["SSD0000005"][0]) == ("SW1003", "SW1005")
    changed = SourceRecord.objects.filter(run=run, content_type__model="child")
    assert sorted(changed.values_list("record_path", "created")) == [
        ("ssd_involvements.csv row 5", False),
        ("ssd_involvements.csv row 7", False),
    ]


def test_the_same_extract_twice_leaves_the_allocation_and_its_provenance(workers):
    ssd_run(SSD / "full")
    before, sources = allocation(), SourceRecord.objects.count()
    again = ssd_run(SSD / "full")
    assert again.summary["children"] == {"unchanged": 5}
    assert allocation() == before and SourceRecord.objects.count() == sources


def test_an_ended_involvement_with_no_successor_does_not_unallocate(workers):
    ssd_run(SSD / "full")
    later = ssd_run(SSD / "later")  # SSD0000003's involvement ends on 2025-03-14, and no other begins
    assert later.summary["children"] == {"changed": 1, "unchanged": 4}  # SSD0000002's ethnicity
    assert allocation()["SSD0000003"] == ("SW1003", workers["SW1003"].team_id)


def test_a_later_extract_that_ends_the_involvement_and_starts_another_moves_the_child(tmp_path, workers):
    ssd_run(SSD / "full")
    later = later_involvements(tmp_path, "IV7,W1,Allocated Case Worker,T1,2025-03-14,NULL,MANAGE,SSD0000003,R3")
    preview = ssd_run(later, commit=False)
    assert preview.summary["children"] == {"changed": 1, "unchanged": 4}
    assert preview.summary["involvements"] == {"new": 1, "changed": 1, "unchanged": 4}
    assert allocation()["SSD0000003"] == ("SW1003", workers["SW1003"].team_id)  # the preview wrote nothing
    run = services.commit(preview)
    assert run.summary == preview.summary
    assert allocation()["SSD0000003"] == ("SW1001", workers["SW1001"].team_id)  # In Care -> Assessment North
    three = Child.objects.get(la_child_id="SSD0000003")
    source = SourceRecord.objects.get(run=run, content_type__model="child", object_id=three.pk)
    assert (source.record_path, source.created) == ("ssd_involvements.csv row 8", False)


def test_an_unknown_professional_keeps_the_childs_allocation(tmp_path, workers):
    """SSD0000003's involvement ends and the next names W8, an agency worker Line of Sight does not
    know: that row is skipped with a warning, and the child keeps its last worker."""
    ssd_run(SSD / "full")
    run = ssd_run(later_involvements(tmp_path, "IV7,W8,Allocated Case Worker,T2,2025-03-14,,MANAGE,SSD0000003,R3"))
    assert run.problems.get(rule="ssd.worker-unknown").location == "ssd_involvements.csv row 8"
    assert run.summary["children"] == {"unchanged": 5}
    assert allocation()["SSD0000003"] == ("SW1003", workers["SW1003"].team_id)


def test_two_current_involvements_the_latest_start_then_the_last_recorded(tmp_path, workers, monkeypatch):
    """SSD0000005 has two open involvements from 2024-05-06 (IV1, then IV2), an older one, and one
    not begun: IV2's worker, recorded last. The rows are read two at a time, so the child's rows
    span chunks; the preview chooses as the commit does (the child already has IV2's worker)."""
    monkeypatch.setattr("returns.ssd.loader.BATCH", 2)
    folder = with_involvements(
        tmp_path,
        "IV1,W1,Allocated Case Worker,T1,2024-05-06,,,SSD0000005,R5",
        "IV2,W3,Allocated Case Worker,T2,2024-05-06,,,SSD0000005,R5",
        "IV3,W2,Allocated Case Worker,T1,2023-01-01,,,SSD0000005,R5",
        "IV4,W5,Allocated Case Worker,T2,2099-01-01,,,SSD0000005,R5",
    )
    ssd_run(with_involvements(tmp_path / "none"))
    Child.objects.filter(la_child_id="SSD0000005").update(worker=workers["SW1003"], team=workers["SW1003"].team)
    preview = ssd_run(folder, commit=False)
    assert preview.summary["children"] == {"unchanged": 5} and preview.summary["involvements"] == {"new": 4}
    run = services.commit(preview)
    assert run.summary == preview.summary
    assert allocation()["SSD0000005"] == ("SW1003", workers["SW1003"].team_id)
    first, second = Involvement.objects.filter(start_date=dt.date(2024, 5, 6)).order_by("pk")
    assert (first.worker.staff_id, second.worker.staff_id) == ("SW1001", "SW1003")


def test_a_child_from_the_cin_census_is_matched_not_duplicated():
    import_file("cin_full_2025.xml")
    cin_children = Child.objects.count()
    child = Child.objects.get(la_child_id="DfEX0000001")
    cin_plan = ChildProtectionPlan.objects.get(child=child)
    run = ssd_run(SSD / "full")
    assert Child.objects.count() == cin_children + 4
    assert run.summary["children"] == {"new": 4, "changed": 1}  # the census has no pers_is_mother (N)
    assert Child.objects.get(pk=child.pk).former_upn == "X98765432123B"  # kept: the SSD does not carry it
    assert child.referrals.count() == 1
    referral = child.referrals.get()
    assert referral.assessments.count() == 1 and referral.cin_plans.count() == 1
    assert referral.section47s.count() == 1
    assert ChildProtectionPlan.objects.filter(child=child).get().pk == cin_plan.pk
    assert ChildProtectionConference.objects.filter(child=child, kind="initial").count() == 1
    assert ChildProtectionConference.objects.filter(child=child, kind="review").count() == 2
    # the census facts the SSD does not carry stay; the SSD adds what the census lacks
    assert referral.assessments.get().internal_review_date == dt.date(2024, 5, 30)
    assert ChildProtectionPlan.objects.get(child=child).categories == "NEG,PHY"
    assert child.contacts.count() == 1
    assert run.summary["assessment factors"] == {"new": 1, "unchanged": 2}  # 1C, 24A came from the census


def test_upn_conflict_with_the_register_is_an_error_naming_both():
    ChildFactory(la_child_id="OTHER1", upn="B987654321012")
    run = ssd_run(SSD / "full", commit=False)
    assert run.status == Status.PREVIEWED  # the person is held back (decision 0048), the others go on
    assert (run.children_committed, run.children_held_back) == (4, 1)
    problem = run.problems.get(rule="match.upn-elsewhere")
    assert "OTHER1" in problem.message and problem.child_id == "SSD0000003"
    assert problem.file_name == "ssd_person.csv" and problem.location == "ssd_person.csv row 4"


BAD = [
    (
        "renamed_column__ssd_cin_episodes.csv",
        "ssd.column-missing",
        "ssd_cin_episodes.csv row 1",
        "cine_referral_date",
        "",
    ),
    ("impossible_date__ssd_cp_plans.csv", "ssd.date", "ssd_cp_plans.csv row 3", "cppl_cp_plan_end_date", "SSD0000003"),
    (
        "not_iso_date__ssd_initial_cp_conference.csv",
        "ssd.date",
        "ssd_initial_cp_conference.csv row 3",
        "icpc_icpc_date",
        "SSD0000003",
    ),
    (
        "unknown_code__ssd_cin_episodes.csv",
        "ssd.code",
        "ssd_cin_episodes.csv row 5",
        "cine_cin_primary_need_code",
        "SSD0000004",
    ),
    (
        "unknown_person__ssd_cp_plans.csv",
        "ssd.unknown-person",
        "ssd_cp_plans.csv row 3",
        "cppl_person_id",
        "SSD0000099",
    ),
    (
        "unknown_referral__ssd_cin_assessments.csv",
        "ssd.unknown-parent",
        "ssd_cin_assessments.csv row 3",
        "cina_referral_id",
        "SSD0000003",
    ),
    (
        "person_mismatch__ssd_cin_assessments.csv",
        "ssd.person-mismatch",
        "ssd_cin_assessments.csv row 2",
        "cina_referral_id",
        "SSD0000002",
    ),
    ("duplicate_id__ssd_contacts.csv", "ssd.duplicate-id", "ssd_contacts.csv row 4", "cont_contact_id", "SSD0000002"),
    ("end_before_start__ssd_missing.csv", "ssd.date-order", "ssd_missing.csv row 2", "miss_mis_epi_end", "SSD0000003"),
    (
        "unknown_factor__ssd_assessment_factors.csv",
        "ssd.code",
        "ssd_assessment_factors.csv row 2",
        "cinf_assessment_factors_json",
        "DfEX0000001",
    ),
    ("unknown_plan__ssd_cp_visits.csv", "ssd.unknown-parent", "ssd_cp_visits.csv row 2", "cppv_cp_plan_id", ""),
    ("not_utf8__ssd_contacts.csv", "ssd.file-unreadable", "ssd_contacts.csv row 3", "", ""),
    ("blank_parent__ssd_cp_reviews.csv", "ssd.value-missing", "ssd_cp_reviews.csv row 2", "cppr_cp_plan_id", ""),
]


@pytest.mark.parametrize(("bad", "rule", "location", "field", "child_id"), BAD)
def test_bad_files_are_reported_with_file_row_person_field_and_rule(tmp_path, bad, rule, location, field, child_id):
    """An error that names a person holds that person back (decision 0048); a row that names no one is left
    out alone (decision 0064); a table that cannot be read to the end rejects the file."""
    folder = with_bad(tmp_path, bad)
    run = ssd_run(folder, commit=False)
    refused = rule in ("ssd.file-unreadable", "ssd.column-missing")
    assert run.status == (Status.REJECTED if refused else Status.PREVIEWED)
    problem = run.problems.filter(rule=rule).first()
    assert problem is not None, list(run.problems.values_list("rule", "location", "message"))
    assert (problem.file_name, problem.location, problem.field, problem.child_id) == (
        location.split(" row ")[0],
        location,
        field,
        child_id,
    )
    assert problem.severity == "error" and problem.message
    run = services.check_and_commit(services.create_run_from_path(folder))
    if refused:  # the one-pass command-line import writes nothing either
        assert run.status == Status.REJECTED
        assert Child.objects.count() == 0 and SourceRecord.objects.count() == 0
    elif not child_id:  # the row alone is left out: every person is committed
        assert run.status == Status.COMMITTED and run.children_held_back == 0 and run.children_committed == 5
        assert "1 row was left out" in run.message
    else:  # the person the error names is written nowhere
        assert run.status == Status.COMMITTED and run.children_held_back >= 1
        assert not Child.objects.filter(la_child_id=child_id).exists()


def test_empty_unnamed_columns_at_the_end_are_ignored_with_a_warning(tmp_path):
    ssd_run(SSD / "full")
    before = register()
    folder = tmp_path / "padded"
    shutil.copytree(SSD / "full", folder)
    episodes = folder / "ssd_cin_episodes.csv"
    episodes.write_text("".join(line + ",,\n" for line in episodes.read_text().splitlines()))
    run = ssd_run(folder)  # the same facts again: nothing new, and no error
    assert register() == before
    (found,) = run.problems.filter(rule="ssd.column-unnamed")
    assert (found.severity, found.file_name, found.location) == (
        "warning",
        "ssd_cin_episodes.csv",
        "ssd_cin_episodes.csv row 1",
    )
    assert not run.problems.filter(rule="ssd.column-twice").exists()


def test_a_repeated_header_row_is_skipped_with_a_warning(tmp_path):
    ssd_run(SSD / "full")
    before = register()
    folder = tmp_path / "joined"
    shutil.copytree(SSD / "full", folder)
    episodes = folder / "ssd_cin_episodes.csv"
    lines = episodes.read_text().splitlines()
    episodes.write_text("\n".join([*lines[:2], lines[0], *lines[2:]]) + "\n")  # two exports joined in one file
    run = ssd_run(folder)  # the same facts again: nothing new, and no error
    assert run.errors == 0 and register() == before
    (found,) = run.problems.filter(rule="ssd.header-repeated")
    assert (found.severity, found.file_name, found.location) == (
        "warning",
        "ssd_cin_episodes.csv",
        "ssd_cin_episodes.csv row 3",
    )


def test_a_table_saved_as_utf16_says_so(tmp_path):
    folder = tmp_path / "utf16"
    shutil.copytree(SSD / "full", folder)
    contacts = folder / "ssd_contacts.csv"
    contacts.write_bytes(contacts.read_text(encoding="utf-8").encode("utf-16"))
    run = ssd_run(folder, commit=False)
    assert run.status == Status.REJECTED
    found = run.problems.get(rule="ssd.file-unreadable", file_name="ssd_contacts.csv")
    assert "saved as UTF-16 ('Unicode'); save it again as 'CSV UTF-8'" in found.message


def test_a_table_separated_by_semicolons_is_one_error_saying_so(tmp_path):
    folder = tmp_path / "semicolons"
    shutil.copytree(SSD / "full", folder)
    episodes = folder / "ssd_cin_episodes.csv"
    episodes.write_text(episodes.read_text().replace(",", ";"))
    run = ssd_run(folder, commit=False)
    assert run.status == Status.REJECTED
    assert not run.problems.filter(rule="ssd.column-missing").exists()
    (found,) = run.problems.filter(file_name="ssd_cin_episodes.csv", rule="ssd.file-unreadable")
    assert "separated by semicolons, not commas" in found.message


def test_a_title_line_above_the_header_row_is_one_error_saying_so(tmp_path):
    folder = tmp_path / "titled"
    shutil.copytree(SSD / "full", folder)
    episodes = folder / "ssd_cin_episodes.csv"
    episodes.write_text("CIN episodes report\n" + episodes.read_text())
    run = ssd_run(folder, commit=False)
    assert run.status == Status.REJECTED
    (found,) = run.problems.filter(file_name="ssd_cin_episodes.csv", rule="ssd.column-missing")
    assert "which holds: CIN episodes report" in found.message and "remove any title lines" in found.message


def test_renamed_column_message_suggests_the_ssd_name(tmp_path):
    run = ssd_run(with_bad(tmp_path, "renamed_column__ssd_cin_episodes.csv"), commit=False)
    message = run.problems.get(rule="ssd.column-missing", severity="error").message
    assert "cine_referal_date" in message and "renamed" in message


def test_an_upload_that_is_not_a_zip_or_lacks_ssd_person(tmp_path):
    junk = tmp_path / "extract.ssd.zip"
    junk.write_bytes(b"pers_person_id\nnot a zip")
    run = ssd_run(junk, commit=False)
    assert run.status == Status.REJECTED and run.problems.filter(rule="ssd.zip").exists()
    packed = tmp_path / "no_person.ssd.zip"
    with zipfile.ZipFile(packed, "w") as archive:
        archive.write(SSD / "full" / "ssd_contacts.csv", "ssd_contacts.csv")
    run = ssd_run(packed, commit=False)
    assert run.status == Status.REJECTED
    assert run.problems.get(rule="ssd.file-missing", severity="error").location == "ssd_person.csv"


def test_a_zip_made_elsewhere_with_a_folder_inside_is_read(tmp_path):
    packed = tmp_path / "extract.ssd.zip"
    with zipfile.ZipFile(packed, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for member in (SSD / "full").iterdir():
            archive.write(member, f"ssd_export_2025/{member.name}")
    run = ssd_run(packed)
    assert run.summary["children"] == {"new": 5}


def test_files_uploaded_together_are_one_run():
    files = [(p.name, [p.read_bytes()]) for p in sorted((SSD / "full").iterdir())]
    run = services.create_run_from_files(files, kind=Kind.SSD)
    run = services.preview(run)
    assert run.status == Status.PREVIEWED and run.summary["referrals"] == {"new": 5}


def test_a_crash_mid_import_leaves_the_register_unchanged(monkeypatch):
    import_file("cin_full_2025.xml")
    before, sources = register(), SourceRecord.objects.count()
    run = ssd_run(SSD / "full", commit=False)
    assert run.status == Status.PREVIEWED

    def crash(self, chunk):
        raise RuntimeError("disk full")

    monkeypatch.setattr(SsdImporter, "_missing", crash)  # late in the upload: most tables already written
    run = services.commit(run)
    assert run.status == Status.FAILED and "disk full" in run.message
    assert register() == before
    assert SourceRecord.objects.count() == sources


def test_command_line_imports_a_folder(capsys):
    # the command zips a folder itself (as "<folder>.zip"), so the kind is named
    call_command("import_return", str(SSD / "full"), "--kind", "ssd", "--commit", "--no-progress")
    out = capsys.readouterr().out
    assert "Committed run" in out and "referrals: 5 new" in out
    assert ImportRun.objects.get().kind == Kind.SSD
    assert Referral.objects.count() == 5
    with pytest.raises(CommandError):
        call_command("import_return", str(SSD / "bad"), "--kind", "ssd", "--commit", "--no-progress")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024-05-06", dt.datetime(2024, 5, 6, tzinfo=LONDON)),
        ("2024-05-06 00:00:00.000", dt.datetime(2024, 5, 6, tzinfo=LONDON)),
        ("2024-05-06T13:45:10", dt.datetime(2024, 5, 6, 13, 45, 10, tzinfo=LONDON)),
        ("2024-05-06T12:45:10Z", dt.datetime(2024, 5, 6, 13, 45, 10, tzinfo=LONDON)),
    ],
)
def test_iso_dates_and_datetimes(text, expected):
    assert parse_datetime(text) == (expected, "")


@pytest.mark.parametrize("text", ["2023-02-29", "2024-13-01", "06/05/2024", "1066-10-14", "2024-05-06 25:00"])
def test_impossible_or_foreign_dates(text):
    value, problem = parse_datetime(text)
    assert value is None and problem


def test_upload_page_takes_the_tables_together_and_shows_problems_by_file(client):
    from django.urls import reverse

    from accounts.models import Role, Scope
    from accounts.tests.factories import UserFactory

    client.force_login(UserFactory(role=Role.ANALYST, scope=Scope.COUNCIL))
    handles = [open(p, "rb") for p in sorted((SSD / "full").iterdir())]  # noqa: SIM115
    try:
        response = client.post(reverse("returns_upload"), {"kind": "ssd", "file": handles})
    finally:
        for handle in handles:
            handle.close()
    run = ImportRun.objects.get()
    assert response.status_code == 302 and run.kind == Kind.SSD
    page = client.get(reverse("returns_run", args=[run.pk])).content.decode()
    assert "Ready to commit" in page
    assert client.post(reverse("returns_commit", args=[run.pk])).status_code == 302
    run.refresh_from_db()
    assert run.status == Status.COMMITTED and Child.objects.count() == 5
    # a bad table: the run page names the CSV file and row of each problem
    bad = SSD / "bad" / "unknown_code__ssd_cin_episodes.csv"
    with open(SSD / "full" / "ssd_person.csv", "rb") as person, open(bad, "rb") as episodes:
        person_file = SimpleUploadedFile("ssd_person.csv", person.read())
        episodes_file = SimpleUploadedFile("ssd_cin_episodes.csv", episodes.read())
    client.post(reverse("returns_upload"), {"kind": "ssd", "file": [person_file, episodes_file]})
    rejected = ImportRun.objects.exclude(pk=run.pk).get()
    assert rejected.status == Status.PREVIEWED and rejected.children_held_back == 1  # SSD0000004 (decision 0048)
    page = client.get(reverse("returns_run", args=[rejected.pk])).content.decode()
    assert "ssd_cin_episodes.csv row 5" in page and "N12" in page


def test_sex_1_2_is_read_as_m_and_f_with_a_warning_as_in_the_cin_and_903_readers(tmp_path):
    """Issue 13 point 5 (decision 0026): the DfE's codes up to 2023-24 mean one sex without doubt; X does not."""
    folder = tmp_path / "extract"
    shutil.copytree(SSD / "full", folder)
    person = folder / "ssd_person.csv"
    person.write_text(person.read_text().replace("DfEX0000001,L-1001,M,", "DfEX0000001,L-1001,1,", 1))
    person.write_text(person.read_text().replace("SSD0000002,L-1002,F,", "SSD0000002,L-1002,2,", 1))
    run = ssd_run(folder)
    assert run.errors == 0
    found = sorted(run.problems.filter(rule="ssd.sex-code").values_list("severity", "child_id", "field"))
    assert found == [("warning", "DfEX0000001", "pers_sex"), ("warning", "SSD0000002", "pers_sex")]
    assert "Read as M" in run.problems.get(rule="ssd.sex-code", child_id="DfEX0000001").message
    sexes = dict(Child.objects.values_list("la_child_id", "sex"))
    assert (sexes["DfEX0000001"], sexes["SSD0000002"]) == ("M", "F")
    person.write_text(person.read_text().replace("DfEX0000001,L-1001,1,", "DfEX0000001,L-1001,X,", 1))
    run = ssd_run(folder, commit=False)
    assert run.problems.get(rule="ssd.code", child_id="DfEX0000001").field == "pers_sex"


def test_messages_end_by_saying_where_to_fix_it(tmp_path):
    """A wrong value in a person's record is corrected in the case management system; the extract's form in the
    file or its export, with nothing in the records to correct (issue 13 point 5g)."""
    value = "Correct it in the case management system and export the extract again."
    either = "Correct whichever is wrong in the case management system and export the extract again."
    for bad, rule, advice in (
        ("unknown_code__ssd_cin_episodes.csv", "ssd.code", value),
        ("end_before_start__ssd_missing.csv", "ssd.date-order", either),
        ("unknown_plan__ssd_cp_visits.csv", "ssd.unknown-parent", either),
    ):
        run = ssd_run(with_bad(tmp_path / rule, bad), commit=False)
        assert run.problems.get(rule=rule).message.endswith(advice)
    packed = tmp_path / "no_person.ssd.zip"
    with zipfile.ZipFile(packed, "w") as archive:
        archive.write(SSD / "full" / "ssd_contacts.csv", "ssd_contacts.csv")
    message = ssd_run(packed, commit=False).problems.get(rule="ssd.file-missing", severity="error").message
    assert message.endswith("nothing in the records needs correcting.")


def test_a_table_exported_without_its_header_row_says_so(tmp_path):
    # It was told that a date "appears twice in the header", or to remove "title lines" above the header (found by
    # mutation, 7 Dec 2026): whether any column is named is now asked before whether one is named twice.
    folder = tmp_path / "extract"
    shutil.copytree(SSD / "full", folder)
    table = folder / "ssd_cla_reviews.csv"
    table.write_text("".join(table.read_text().splitlines(keepends=True)[1:]))
    run = ssd_run(folder, commit=False)
    assert run.status == Status.REJECTED, list(run.problems.values_list("rule", "message"))
    message = run.problems.get(rule="ssd.column-missing").message
    assert message.startswith("ssd_cla_reviews.csv has none of the SSD table ssd_cla_reviews's columns")
    assert "It looks like a row of data: the header row (the columns' names) is missing." in message
