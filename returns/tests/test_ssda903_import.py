import datetime as dt
import re
import zipfile
from collections import Counter
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from accounts.models import Role, Scope
from accounts.tests.factories import UserFactory
from audit.models import Action, AuditEvent
from children.models import (
    AdoptionMilestone,
    CareLeaverContact,
    Child,
    Involvement,
    LookedAfterEpisode,
    LookedAfterReview,
    MissingEpisode,
    OutcomesReturn,
    PlacedForAdoption,
    PreviousPermanence,
    UnaccompaniedAsylumSeeker,
)
from children.services import allocate
from children.tests.factories import ChildFactory
from organisation.tests.factories import WorkerFactory
from returns import services
from returns.models import ImportRun, SourceRecord, Status
from returns.problems import ProblemLog
from returns.ssda903.loader import Ssda903Importer, local_day
from returns.ssda903.reader import Rec
from returns.tests.test_ssda903_helpers import D903, RETURN_2025, SAMPLE, cut_tables, run_903, snapshot, zip_tables

pytestmark = pytest.mark.django_db


@pytest.fixture
def workers():
    return WorkerFactory(staff_id="SW100001"), WorkerFactory(staff_id="SW100002")


@pytest.fixture
def return_2025(tmp_path):
    return zip_tables(tmp_path / "return_2025.zip")


def test_preview_of_the_hand_made_return_counts_and_writes_nothing(return_2025, workers):
    run = run_903(return_2025, commit=False)
    assert run.status == Status.PREVIEWED, run.problems.values_list("message", flat=True)[:3]
    assert run.collection_year == 2025 and run.header["collection_year"] == "2024-25"
    assert run.records == 4
    assert run.summary["children"] == {"new": 4}
    assert run.summary["looked-after episodes"] == {"new": 5}
    assert run.summary["reviews"] == {"new": 4}
    assert run.summary["social worker episodes"] == {"new": 3}
    assert Child.objects.count() == 0 and SourceRecord.objects.count() == 0


def test_commit_maps_every_table_and_keeps_provenance(return_2025, workers):
    run = run_903(return_2025)
    one = Child.objects.get(la_child_id="L001")
    assert (one.sex, one.birth_date, one.ethnicity, one.upn, one.is_mother) == (
        "F",
        dt.date(2012, 5, 12),
        "WBRI",
        "A123456789012",
        False,
    )
    first, second = LookedAfterEpisode.objects.filter(child=one).order_by("start_date")
    assert (first.start_date, first.end_date, first.reason_ceased, first.reason_place_change) == (
        dt.date(2023, 6, 1),
        dt.date(2024, 9, 10),
        "X1",
        "CARPL",
    )
    assert (second.reason_new_episode, second.placement_type, second.end_date, second.urn) == (
        "P",
        "U3",
        None,
        "XXXXXXX",
    )
    assert list(LookedAfterReview.objects.filter(child=one).values_list("participation", flat=True)) == ["PN1", "PN3"]
    missing = MissingEpisode.objects.get(child=one)
    assert (missing.kind, local_day(missing.started_at), local_day(missing.returned_at)) == (
        "M",
        dt.date(2024, 11, 3),
        dt.date(2024, 11, 5),
    )
    assert missing.started_at.astimezone(dt.UTC).hour == 0  # 00:00 Europe/London in November is 00:00 UTC
    outcomes = OutcomesReturn.objects.get(child=one)
    assert (outcomes.year_ending, outcomes.sdq_score, outcomes.health_check, outcomes.convicted) == (
        dt.date(2025, 3, 31),
        14,
        True,
        False,
    )
    two = Child.objects.get(la_child_id="L002")
    assert (two.upn, two.upn_unknown, two.sex) == ("", "UN2", "M")
    assert UnaccompaniedAsylumSeeker.objects.get(child=two).date_ceased == dt.date(2026, 2, 1)
    three = Child.objects.get(la_child_id="L003")
    adoption = AdoptionMilestone.objects.get(child=three)
    assert (adoption.decision_date, adoption.number_of_adopters, adoption.sex_of_adopters) == (
        dt.date(2024, 3, 1),
        2,
        "MF",
    )
    # PlacedAdoption's DATE_PLACED is the decision to place for adoption, as AD1's DATE_INT (which wins when
    # they differ, rule 523); the 903 says nothing of the day the child moved in (decision 0051).
    assert not PlacedForAdoption.objects.filter(child=three).exists()
    assert PreviousPermanence.objects.get(child=three).date_raw == "zz/05/2016"
    four = Child.objects.get(la_child_id="L004")
    assert (four.is_mother, four.mother_birth_date) == (True, dt.date(2024, 9, 14))
    leaver = CareLeaverContact.objects.get(child=four)
    assert (leaver.year_ending, leaver.in_touch, leaver.activity, leaver.accommodation) == (
        dt.date(2025, 3, 31),
        "YES",
        "F2",
        "U1",
    )
    sw = Involvement.objects.filter(child=one).order_by("start_date")
    assert [(i.worker.staff_id, i.team_id == i.worker.team_id, i.change_reason) for i in sw] == [
        ("SW100001", True, ""),
        ("SW100002", True, "LEFTRL"),
    ]
    # provenance: which run, which file, which row
    source = SourceRecord.objects.get(content_type__model="lookedafterepisode", object_id=second.pk)
    assert source.run == run and source.created and source.record_path == "episodes.csv row 3"
    made = SourceRecord.objects.get(content_type__model="child", object_id=one.pk, created=True)
    assert made.record_path == "header.csv row 2"
    assert "return_2025.zip" in AuditEvent.objects.get(action=Action.SYSTEM).detail


def test_importing_the_same_file_twice_changes_nothing(return_2025, workers):
    run_903(return_2025)
    before, sources = snapshot(), SourceRecord.objects.count()
    again = run_903(return_2025)
    assert snapshot() == before
    assert SourceRecord.objects.count() == sources
    assert all(set(c) == {"unchanged"} for c in again.summary.values()), again.summary


def test_a_later_return_for_the_same_period_updates_without_duplicates(tmp_path, return_2025, workers):
    run_903(return_2025)
    header = (RETURN_2025 / "header.csv").read_text().replace("L002,M,01/02/2008,BAFR", "L002,M,01/02/2008,BOTH")
    episodes = (
        (RETURN_2025 / "episodes.csv")
        .read_text()
        .replace("L002,20/04/2024,S,V2,N8,K2,PR4,,,", "L002,20/04/2024,S,V2,N8,K2,PR4,28/03/2025,E8,")
    )
    reviews = (RETURN_2025 / "reviews.csv").read_text() + "L002,01/02/2008,14/11/2024,PN1\n"
    missing = (RETURN_2025 / "missing.csv").read_text().replace("14/02/2025,", "14/02/2025,16/02/2025")
    later = zip_tables(
        tmp_path / "resubmitted.zip",
        replace={"header.csv": header, "episodes.csv": episodes, "reviews.csv": reviews, "missing.csv": missing},
    )
    run = run_903(later)
    assert run.summary["children"] == {"changed": 1, "unchanged": 3}
    assert run.summary["looked-after episodes"] == {"changed": 1, "unchanged": 4}
    assert run.summary["reviews"] == {"new": 1, "unchanged": 4}
    assert run.summary["missing episodes"] == {"changed": 1, "unchanged": 1}
    assert Child.objects.count() == 4 and LookedAfterEpisode.objects.count() == 5
    two = Child.objects.get(la_child_id="L002")
    assert two.ethnicity == "BOTH"
    episode = LookedAfterEpisode.objects.get(child=two)
    assert (episode.end_date, episode.reason_ceased) == (dt.date(2025, 3, 28), "E8")
    changed = SourceRecord.objects.get(content_type__model="lookedafterepisode", object_id=episode.pk, run=run)
    assert not changed.created and changed.record_path == "episodes.csv row 4"


def test_placed_adoption_is_the_decision_to_place_and_its_reversal(return_2025, workers):
    """DATE_PLACED is the date of the decision that the child should be placed for adoption (AD1's DATE_INT,
    rule 523), and DATE_PLACED_CEASED and REASON_PLACED_CEASED its reversal: the register's AdoptionMilestone,
    not PlacedForAdoption (the day the child moved in, which the 903 does not give; decision 0051). A
    PlacedAdoption row without AD1 keeps the match and adopters the register holds."""
    first = run_903(return_2025)
    three = Child.objects.get(la_child_id="L003")
    adoption = AdoptionMilestone.objects.get(child=three)
    assert (adoption.decision_date, adoption.decision_reversed_date, adoption.decision_reversed_reason) == (
        dt.date(2024, 3, 1),
        None,
        "",
    )
    assert not PlacedForAdoption.objects.filter(child=three).exists()
    earlier = {"date_placed": dt.date(2023, 9, 1), "date_ceased": dt.date(2024, 1, 5), "reason_ceased": "RD2"}
    latest = {"date_placed": dt.date(2024, 3, 1), "date_ceased": dt.date(2025, 2, 10), "reason_ceased": "RD1"}
    importer = Ssda903Importer(ProblemLog("later.zip"), run=first, dry_run=False)
    importer.fresh = set()
    importer._adoption([(three.pk, [Rec("row 3", latest), Rec("row 2", earlier)], [])])
    importer.provenance.flush()
    adoption.refresh_from_db()
    assert (adoption.decision_date, adoption.decision_reversed_date, adoption.decision_reversed_reason) == (
        dt.date(2024, 3, 1),
        dt.date(2025, 2, 10),
        "RD1",
    )
    assert (adoption.match_date, adoption.sex_of_adopters) == (dt.date(2024, 6, 20), "MF")
    assert importer.counts["AdoptionMilestone"]["changed"] == 1


def test_last_year_then_this_year(tmp_path, workers):
    """The 2023-24 return (SEX 1/2), then 2024-25's (M/F/U): the same children, episodes extended."""
    last_year = zip_tables(
        tmp_path / "2024.zip",
        replace={
            "header.csv": "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\nL001,2,12/05/2012,WBRI,A123456789012,0,\n",
            "episodes.csv": "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,"
            "PL_POST,URN\nL001,01/06/2023,S,C2,N1,U1,PR1,,,,AB1 2CD,AB3 4EF,XXXXXXX\n",
        },
        drop=("reviews.csv", "uasc.csv", "oc2.csv", "oc3.csv", "ad1.csv", "placed_for_adoption.csv")
        + ("previous_permanence.csv", "missing.csv", "sw_episodes.csv"),
    )
    run = run_903(last_year)
    assert run.collection_year == 2024 and Child.objects.get().sex == "F"
    run = run_903(zip_tables(tmp_path / "2025.zip"))
    assert run.collection_year == 2025
    assert run.summary["children"] == {"new": 3, "changed": 1}  # L001 is allocated: this year's SWEpisodes
    assert run.summary["looked-after episodes"] == {"new": 4, "changed": 1}
    assert LookedAfterEpisode.objects.filter(child__la_child_id="L001").count() == 2


def test_upn_conflicts_are_errors_naming_both(return_2025, workers):
    ChildFactory(la_child_id="L001", upn="Z999999999999")
    ChildFactory(la_child_id="OTHER", upn="B223456789012")
    run = run_903(return_2025, commit=False)
    assert run.status == Status.PREVIEWED  # the two children are held back, the others can be committed
    assert run.children_held_back == 2 and set(
        run.problems.filter(severity="error").values_list("child_id", flat=True)
    ) == {"L001", "L003"}
    messages = dict(run.problems.values_list("rule", "message"))
    assert "Z999999999999" in messages["match.upn-differs"] and "A123456789012" in messages["match.upn-differs"]
    assert "OTHER" in messages["match.upn-elsewhere"] and "L003" in messages["match.upn-elsewhere"]


def test_an_unknown_social_worker_is_a_warning_and_that_episode_is_skipped(return_2025):
    run = run_903(return_2025)
    assert run.status == Status.COMMITTED
    found = run.problems.filter(rule="903.worker-unknown")
    assert found.count() == 3 and {p.severity for p in found} == {"warning"}
    assert found.first().location == "sw_episodes.csv row 2" and found.first().field == "SW_ID"
    assert Child.objects.filter(la_child_id="L001").exists()
    assert not Involvement.objects.filter(child__la_child_id="L001").exists()


# -- the current allocation: Child.team and Child.worker (returns/allocation.py) ------------

L002_OPEN = "L002,01/02/2008,SW100001,20/04/2024,,\n"
L002_ENDED = "L002,01/02/2008,SW100001,20/04/2024,06/01/2025,\n"


def allocation() -> dict:
    """la_child_id -> (the worker's staff ID, the team's pk) as the register holds them."""
    return {c.la_child_id: (c.worker.staff_id if c.worker else None, c.team_id) for c in Child.objects.all()}


def later_episodes(tmp_path, *rows: str) -> Path:
    """The hand-made return, its SWEpisodes ending L002's episode on 06/01/2025, with these rows added."""
    text = (RETURN_2025 / "sw_episodes.csv").read_text()
    assert L002_OPEN in text
    return zip_tables(
        tmp_path / "later.zip", replace={"sw_episodes.csv": text.replace(L002_OPEN, L002_ENDED) + "".join(rows)}
    )


def test_the_current_social_worker_episode_allocates_the_child(return_2025, workers):
    first, second = workers
    run = run_903(return_2025)
    assert run.summary["children"] == {"new": 4}  # a child the run creates is new, not also changed
    assert allocation() == {
        "L001": ("SW100002", second.team_id),  # SW100001's episode ended on 15/10/2024, when SW100002's began
        "L002": ("SW100001", first.team_id),
        "L003": (None, None),  # no social worker episode
        "L004": (None, None),
    }
    one = Child.objects.get(la_child_id="L001")
    sources = SourceRecord.objects.filter(run=run, content_type__model="child", object_id=one.pk)
    assert sorted(sources.values_list("record_path", "created")) == [
        ("header.csv row 2", True),
        ("sw_episodes.csv row 3", False),
    ]


def test_the_preview_counts_the_allocation_and_writes_nothing(tmp_path, return_2025, workers):
    run_903(zip_tables(tmp_path / "no_sw.zip", drop=("sw_episodes.csv",)))
    assert set(allocation().values()) == {(None, None)}
    sources = SourceRecord.objects.count()
    preview = run_903(return_2025, commit=False)
    assert preview.summary["children"] == {"changed": 2, "unchanged": 2}
    assert preview.summary["social worker episodes"] == {"new": 3}
    assert set(allocation().values()) == {(None, None)} and SourceRecord.objects.count() == sources
    run = services.commit(preview)
    assert run.status == Status.COMMITTED and run.summary == preview.summary
    assert [allocation()[c][0] for c in ("L001", "L002", "L003")] == ["SW100002", "SW100001", None]
    changed = SourceRecord.objects.filter(run=run, content_type__model="child")
    assert sorted(changed.values_list("record_path", "created")) == [
        ("sw_episodes.csv row 3", False),
        ("sw_episodes.csv row 4", False),
    ]


def test_the_same_return_twice_leaves_the_allocation_and_its_provenance(return_2025, workers):
    run_903(return_2025)
    before, sources = allocation(), SourceRecord.objects.count()
    preview = run_903(return_2025, commit=False)
    assert preview.summary["children"] == {"unchanged": 4}
    again = services.commit(preview)
    assert again.summary["children"] == {"unchanged": 4}
    assert allocation() == before and SourceRecord.objects.count() == sources


def test_a_return_without_social_worker_episodes_does_not_unallocate(tmp_path, return_2025, workers):
    run_903(return_2025)
    before = allocation()
    run = run_903(zip_tables(tmp_path / "no_sw.zip", drop=("sw_episodes.csv",)))
    assert run.summary["children"] == {"unchanged": 4}
    assert allocation() == before


def test_a_later_return_that_ends_the_episode_and_starts_another_moves_the_child(tmp_path, return_2025, workers):
    first, second = workers
    run_903(return_2025)
    later = later_episodes(tmp_path, "L002,01/02/2008,SW100002,06/01/2025,,MANAGE\n")
    preview = run_903(later, commit=False)
    assert preview.summary["children"] == {"changed": 1, "unchanged": 3}
    assert preview.summary["social worker episodes"] == {"new": 1, "changed": 1, "unchanged": 2}
    assert allocation()["L002"] == ("SW100001", first.team_id)  # the preview wrote nothing
    run = services.commit(preview)
    assert run.summary == preview.summary
    assert allocation()["L002"] == ("SW100002", second.team_id)
    two = Child.objects.get(la_child_id="L002")
    source = SourceRecord.objects.get(run=run, content_type__model="child", object_id=two.pk)
    assert (source.record_path, source.created) == ("sw_episodes.csv row 5", False)
    assert allocation()["L001"] == ("SW100002", second.team_id)


def test_an_unknown_sw_id_keeps_the_childs_allocation(tmp_path, return_2025, workers):
    """L002's episode ends and the next names a worker Line of Sight does not know: that row is
    skipped, and L002 keeps its last worker rather than being unallocated."""
    first, _second = workers
    run_903(return_2025)
    run = run_903(later_episodes(tmp_path, "L002,01/02/2008,SW999999,06/01/2025,,MANAGE\n"))
    assert run.problems.get(rule="903.worker-unknown").location == "sw_episodes.csv row 5"
    assert run.summary["children"] == {"unchanged": 4}
    assert run.summary["social worker episodes"] == {"changed": 1, "unchanged": 2}
    assert allocation()["L002"] == ("SW100001", first.team_id)


def test_an_allocation_made_here_is_kept_when_the_episodes_are_unknown_or_older(return_2025):
    """L001 is allocated in Line of Sight (children.services.allocate) on 06/01/2025. A return whose
    SW_IDs are all unknown leaves it; once the workers exist, the return's open episode began on
    15/10/2024, before the allocation, so the allocation is still the current involvement."""
    here = WorkerFactory(staff_id="SW555")
    child = ChildFactory(la_child_id="L001", upn="A123456789012", team=None)
    allocate(child, here.team, here, dt.date(2025, 1, 6))
    run = run_903(return_2025)
    assert run.problems.filter(rule="903.worker-unknown").count() == 3
    assert allocation()["L001"] == ("SW555", here.team_id)
    WorkerFactory(staff_id="SW100001"), WorkerFactory(staff_id="SW100002")
    run = run_903(return_2025)
    assert run.summary["social worker episodes"] == {"new": 3}
    assert allocation()["L001"] == ("SW555", here.team_id)
    assert not SourceRecord.objects.filter(run=run, content_type__model="child", object_id=child.pk).exists()


def test_a_crash_mid_import_leaves_the_register_unchanged(return_2025, workers, monkeypatch):
    ChildFactory(la_child_id="L001", upn="A123456789012", ethnicity="WOTH")
    before = snapshot()
    run = services.create_run_from_path(return_2025, "ssda903")
    run = services.preview(run)
    assert run.status == Status.PREVIEWED
    real = Ssda903Importer._missing

    def crash(self, items):
        real(self, items)  # children, episodes, reviews ... are written by now
        raise RuntimeError("disk full")

    monkeypatch.setattr(Ssda903Importer, "_missing", crash)
    run = services.commit(run)
    assert run.status == Status.FAILED and "disk full" in run.message
    assert snapshot() == before
    assert not SourceRecord.objects.exists()
    assert Child.objects.get(la_child_id="L001").ethnicity == "WOTH"


def test_the_xml_form_gives_the_same_register_as_the_csv_tables(tmp_path):
    """L001 and L003 of the hand-made return as CSV tables, then as XML: the XML changes nothing."""
    folder = cut_tables(RETURN_2025, tmp_path / "two", keep={"L001", "L003"})
    (folder / "sw_episodes.csv").unlink()  # the XML form has no social worker episodes
    run_903(None, paths=sorted(folder.glob("*.csv")))
    from_csv = snapshot()
    assert [c[0] for c in from_csv["children"]] == ["L001", "L003"]
    run = run_903(D903 / "return_2025.xml")
    assert run.records == 2 and run.collection_year == 2025
    assert all(set(c) == {"unchanged"} for c in run.summary.values()), run.summary
    assert snapshot() == from_csv


def test_the_xml_form_keeps_its_paths_as_provenance():
    run_903(D903 / "return_2025.xml")
    episode = LookedAfterEpisode.objects.get(child__la_child_id="L003", start_date=dt.date(2024, 8, 1))
    source = SourceRecord.objects.get(content_type__model="lookedafterepisode", object_id=episode.pk)
    assert source.record_path == "EXPSSDA903/CHILD[2]/EPISODE[2]"
    assert len(snapshot()["reviews"]) == 3


def test_the_sample_csv_tables_preview_quickly_with_their_real_problems():
    """All 2,675 children of the sample tables (collection 2017-18): the problems found are the
    sample's own (it was made to exercise a validator)."""
    paths = sorted(SAMPLE.glob("*.csv"))
    run = run_903(None, commit=False, paths=paths)
    assert run.collection_year == 2018 and run.records == 2676  # 2,675 in Header + CHILD10 only in SWEpisodes
    rules = Counter(run.problems.values_list("rule", flat=True))
    assert rules == {
        "903.episode-overlap": 72,
        "903.code": 37,
        "903.duplicate-row": 14,
        "903.no-header": 1,
        "903.year-codes": 1,
    }
    codes = Counter(
        (p.field, p.message.split("'")[1]) for p in run.problems.filter(rule="903.code").only("field", "message")
    )
    assert codes == {
        ("REASON_PLACED_CEASED", "XXX"): 29,
        ("ACTIV", "0"): 4,
        ("ACCOM", "01"): 1,
        ("ACCOM", "02"): 1,
        ("ACCOM", "S1"): 1,
        ("SW_REASON", "SWLAZY"): 1,
    }
    assert set(run.problems.filter(rule="903.duplicate-row").values_list("file_name", "field")) == {
        ("reviews.csv", "REVIEW")
    }
    no_header = run.problems.get(rule="903.no-header")
    assert (no_header.file_name, no_header.child_id, no_header.location) == (
        "sw_episodes.csv",
        "CHILD10",
        "sw_episodes.csv row 2",
    )
    assert run.summary["children"]["new"] == 2568  # the children without a problem
    assert Child.objects.count() == 0


def test_the_sample_xml_previews_with_its_real_problems():
    run = run_903(SAMPLE / "fake_903.xml", commit=False)
    assert run.collection_year == 2018 and run.records == 253
    assert Counter(run.problems.values_list("rule", flat=True)) == {
        "903.episode-overlap": 7,
        "903.code": 6,
        "903.year-codes": 1,
    }
    overlap = run.problems.filter(rule="903.episode-overlap").first()
    assert overlap.location == "EXPSSDA903/CHILD[37]/EPISODE[2]" and overlap.field == "DECOM"


def test_the_sample_tables_without_the_children_with_problems_commit(tmp_path):
    """The first 400 children of the sample tables whose rows have no problem, committed, then again."""
    paths = sorted(SAMPLE.glob("*.csv"))
    run = run_903(None, commit=False, paths=paths)
    flagged = set(run.problems.exclude(child_id="").values_list("child_id", flat=True))
    import csv

    with open(SAMPLE / "header.csv", encoding="utf-8-sig") as handle:
        keep = [r["CHILD"] for r in csv.DictReader(handle) if r["CHILD"] not in flagged][:400]
    folder = cut_tables(SAMPLE, tmp_path / "cut", keep=set(keep))
    run = run_903(None, paths=sorted(folder.glob("*.csv")))
    assert run.summary["children"] == {"new": 400}
    assert Child.objects.count() == 400
    again = run_903(None, paths=sorted(folder.glob("*.csv")))
    assert all(set(c) == {"unchanged"} for c in again.summary.values()), again.summary


# -- the command line and the upload page ------------------------------------------------


def test_command_takes_a_folder_or_several_paths(capsys, workers):
    call_command("import_return", str(RETURN_2025), "--kind", "ssda903", "--no-progress")
    out = capsys.readouterr().out
    assert "4 children read" in out and "children: 4 new" in out and "nothing was written" in out
    assert Child.objects.count() == 0
    paths = [str(p) for p in sorted(RETURN_2025.glob("*.csv"))]
    call_command("import_return", *paths, "--kind", "ssda903", "--commit", "--no-progress")
    assert Child.objects.count() == 4
    run = ImportRun.objects.get(status=Status.COMMITTED)
    with zipfile.ZipFile(run.stored_path) as archive:
        assert sorted(archive.namelist()) == sorted(p.name for p in RETURN_2025.glob("*.csv"))
    assert services.sha256_of(run.stored_path) == run.sha256


def test_command_refuses_a_return_with_errors(tmp_path, capsys, workers):
    """An error in a table, not in one child's records, rejects the whole file (a child's errors
    hold back only that child: test_per_child_acceptance.py)."""
    bad = zip_tables(tmp_path / "bad.zip", replace={"episodes.csv": D903 / "bad" / "episodes_renamed_column.csv"})
    with pytest.raises(CommandError, match="errors"):
        call_command("import_return", str(bad), "--kind", "ssda903", "--commit", "--no-progress")
    assert "903.column-missing" in capsys.readouterr().out
    assert Child.objects.count() == 0


def test_two_files_with_one_name_are_refused():
    with pytest.raises(services.ImportFailed, match="same name"):
        services.create_run_from_files([("a/header.csv", [b"x"]), ("b/header.csv", [b"y"])], "ssda903")


def test_upload_several_files_in_one_input(client, workers):
    user = UserFactory(role=Role.ANALYST, scope=Scope.COUNCIL)
    client.force_login(user)
    page = client.get(reverse("returns_upload")).content.decode()
    assert re.search(r'<input type="file"[^>]*\bmultiple\b[^>]*id="id_file"', page)
    handles = [open(p, "rb") for p in sorted(RETURN_2025.glob("*.csv"))]  # noqa: SIM115
    try:
        response = client.post(reverse("returns_upload"), {"kind": "ssda903", "file": handles})
    finally:
        for h in handles:
            h.close()
    run = ImportRun.objects.get()
    assert response.status_code == 302 and run.status == Status.PREVIEWED, list(run.problems.values_list("message"))
    assert run.records == 4 and run.file_name == "ssda903-files.zip"
    client.post(reverse("returns_commit", args=[run.pk]))
    run.refresh_from_db()
    assert run.status == Status.COMMITTED and Child.objects.count() == 4


def test_the_run_page_and_problem_report_name_each_table(client, tmp_path):
    client.force_login(UserFactory(role=Role.ANALYST, scope=Scope.COUNCIL))
    bad = zip_tables(tmp_path / "bad.zip", replace={"episodes.csv": D903 / "bad" / "episodes_overlap.csv"})
    with open(bad, "rb") as handle:
        client.post(reverse("returns_upload"), {"kind": "ssda903", "file": handle})
    run = ImportRun.objects.get()
    page = client.get(reverse("returns_run", args=[run.pk])).content.decode()
    assert "Ready to commit" in page and "903.episode-overlap" in page and "episodes.csv row 3" in page
    assert "collection year ending 31 March 2025" in page
    import io

    from openpyxl import load_workbook

    response = client.get(reverse("returns_problems_xlsx", args=[run.pk]))
    rows = list(load_workbook(io.BytesIO(response.content)).active.values)
    assert ("error", "903.episode-overlap", "episodes.csv", "L001", "episodes.csv row 3", "DECOM") in [
        r[:6] for r in rows
    ]
