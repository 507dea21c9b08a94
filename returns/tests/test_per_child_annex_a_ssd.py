"""Per-child acceptance of Ofsted Annex A workbooks and SSD extracts (issue 13 point 4, decision 0048):
children without errors are committed; a child with an error is held back whole, none of its rows
written in any list or table; listed on the run and in the problems download; committed from the
next return in which it is clean. Annex A rows that name no child, adopters' rows, and SSD rows whose
person cannot be told, with an error are left out alone (decision 0064). A council may set either kind
all-or-nothing; warnings never hold a child back."""

import datetime as dt
import io
import shutil

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from accounts.models import Role, Scope
from accounts.tests.factories import UserFactory
from children.models import (
    Adopter,
    Assessment,
    ChildProtectionPlan,
    Contact,
    LookedAfterEpisode,
    Referral,
)
from organisation.tests.factories import WorkerFactory
from returns import services
from returns.models import HeldBackChild, ImportRun, SourceRecord, Status
from returns.tests.test_annex_a_helpers import clear_register, snapshot, workbook
from returns.tests.test_ssd_import import MODELS, SSD, with_bad

pytestmark = pytest.mark.django_db

D = dt.date
A1 = {"child_id": "A1", "sex": "a) Male", "ethnicity": "a) WBRI", "birth_date": D(2015, 6, 1)}
B2 = {"child_id": "B2", "sex": "b) Female", "ethnicity": "a) WBRI", "birth_date": D(2016, 2, 3)}
C3 = {"child_id": "C3", "sex": "b) Female", "ethnicity": "a) WBRI", "birth_date": D(2012, 9, 9)}
LOOKED_AFTER = {"date_started": D(2023, 5, 1), "legal_status": "C2", "placement_type": "U1"}


def annex_a(path, b2_plan_start="31/02/2024", **extra_lists):
    """A1 clean on Lists 1, 3, 4, 8; B2 on Lists 1, 4, 8 (no referral: its assessment would hang from a
    made-up one) and List 7, whose start date is impossible unless corrected; C3 clean but for a code not
    in the list (a warning); a List 1 row with no child ID; adopters AD1 (clean) and AD2 (impossible date)."""
    lists = {
        1: [
            A1 | {"contact_date": D(2024, 1, 2)},
            B2 | {"contact_date": D(2024, 1, 3)},
            C3 | {"contact_date": D(2024, 1, 4), "contact_source": "zz) Carrier pigeon"},
            {"contact_date": D(2024, 1, 5)},
        ],
        3: [A1 | {"referral_date": D(2024, 1, 6)}],
        4: [A1 | {"start_date": D(2024, 1, 8)}, B2 | {"start_date": D(2024, 1, 15)}],
        7: [B2 | {"start_date": b2_plan_start}],
        8: [A1 | LOOKED_AFTER, B2 | LOOKED_AFTER],
        11: [
            {"adopter_id": "AD1", "enquiry_date": D(2023, 4, 1)},
            {"adopter_id": "AD2", "enquiry_date": "31/02/2023"},
        ],
    }
    return workbook(path, lists | extra_lists)


def annex_rows(child: str) -> dict[str, int]:
    return {
        "contacts": Contact.objects.filter(child__la_child_id=child).count(),
        "referrals": Referral.objects.filter(child__la_child_id=child).count(),
        "assessments": Assessment.objects.filter(referral__child__la_child_id=child).count(),
        "plans": ChildProtectionPlan.objects.filter(child__la_child_id=child).count(),
        "episodes": LookedAfterEpisode.objects.filter(child__la_child_id=child).count(),
    }


def preview(path, kind):
    return services.preview(services.create_run_from_path(path, kind))


# -- Annex A ----------------------------------------------------------------------------------


def test_annex_a_commits_the_clean_children_and_holds_back_the_child_with_an_error(client, tmp_path):
    run = preview(annex_a(tmp_path / "bad.xlsx"), "annex_a")
    assert run.status == Status.PREVIEWED, list(run.problems.values_list("rule", "location"))
    assert (run.children_committed, run.children_held_back) == (2, 1)
    assert run.summary["children"] == {"new": 2}  # the preview counts none of B2's rows
    assert run.summary["contacts"] == {"new": 2} and run.summary["looked-after episodes"] == {"new": 1}
    errors = sorted(run.problems.filter(severity="error").values_list("rule", "child_id", "location"))
    assert errors == [
        ("annex_a.impossible-date", "", "List 11 row 3 (adopter AD2)"),
        ("annex_a.impossible-date", "B2", "List 7 row 2"),
        ("annex_a.required", "", "List 1 row 5"),
    ]
    assert run.problems.get(rule="annex_a.unknown-code").child_id == "C3"  # a warning: C3 goes in
    assert "1 child with errors will be held back whole" in run.message
    assert "2 rows will be left out" in run.message

    run = services.commit(run)
    assert run.status == Status.COMMITTED, run.message
    assert (run.children_committed, run.children_held_back) == (2, 1)
    assert annex_rows("B2") == {"contacts": 0, "referrals": 0, "assessments": 0, "plans": 0, "episodes": 0}
    assert annex_rows("A1") == {"contacts": 1, "referrals": 1, "assessments": 1, "plans": 0, "episodes": 1}
    assert annex_rows("C3")["contacts"] == 1
    assert Contact.objects.count() == 2  # the row without a child ID is left out
    assert list(Adopter.objects.values_list("adopter_id", flat=True)) == ["AD1"]
    assert not SourceRecord.objects.filter(record_path__startswith="List 11 row 3").exists()
    assert list(HeldBackChild.objects.values_list("la_child_id", "errors", "committed_by")) == [("B2", 1, None)]
    assert "2 children committed; 1 child held back" in run.message and "2 rows were left out" in run.message

    client.force_login(UserFactory(role=Role.ANALYST, scope=Scope.COUNCIL))
    page = client.get(reverse("returns_run", args=[run.pk])).content.decode()
    assert 'id="children-committed">2<' in page and "Children held back: 1" in page
    assert "annex_a.impossible-date" in page and "Not yet committed" in page
    rows = list(
        load_workbook(io.BytesIO(client.get(reverse("returns_problems_xlsx", args=[run.pk])).content)).active.values
    )
    assert {r[3] for r in rows[1:] if r[-1] == "yes"} == {"B2"}


def test_annex_a_child_held_back_is_committed_from_the_corrected_workbook_as_if_it_came_first(tmp_path):
    """B2's assessment, with no referral, hangs from a made-up referral: none is made while B2 is held
    back, and the corrected workbook leaves the register as it leaves an empty one."""
    first = services.commit(preview(annex_a(tmp_path / "bad.xlsx"), "annex_a"))
    assert first.children_held_back == 1
    assert not Referral.objects.filter(placeholder=True).exists()

    corrected = annex_a(tmp_path / "good.xlsx", b2_plan_start=D(2024, 2, 20))
    second = services.commit(preview(corrected, "annex_a"))
    assert second.status == Status.COMMITTED, second.message
    assert (second.children_committed, second.children_held_back) == (3, 0)
    assert annex_rows("B2") == {"contacts": 1, "referrals": 1, "assessments": 1, "plans": 1, "episodes": 1}
    made_up = Referral.objects.get(child__la_child_id="B2")
    assert made_up.placeholder and made_up.referral_date == D(2024, 1, 15)
    assert ChildProtectionPlan.objects.get(child__la_child_id="B2").referral == made_up
    assert HeldBackChild.objects.get(la_child_id="B2").committed_by == second

    after = snapshot()
    clear_register()
    services.commit(preview(corrected, "annex_a"))
    assert snapshot() == after


def test_annex_a_child_still_in_error_stays_held_back(tmp_path):
    first = services.commit(preview(annex_a(tmp_path / "one.xlsx"), "annex_a"))
    second = services.commit(preview(annex_a(tmp_path / "two.xlsx"), "annex_a"))
    assert second.children_held_back == 1
    assert list(HeldBackChild.objects.values_list("run", "committed_by")) == [(first.pk, None), (second.pk, None)]
    assert annex_rows("B2")["contacts"] == 0


def test_annex_a_error_found_while_writing_holds_back_every_child_it_names(tmp_path):
    """Two workers of one name: the importer finds it on each row that names them, so both children are
    held back in one second attempt, and no referral is written without its worker."""
    WorkerFactory(name="Sam Jones")
    WorkerFactory(name="Sam Jones")
    path = workbook(
        tmp_path / "workers.xlsx",
        {
            3: [
                A1 | {"referral_date": D(2024, 1, 6), "worker": "Sam Jones"},
                B2 | {"referral_date": D(2024, 1, 7), "worker": "sam jones"},
                C3 | {"referral_date": D(2024, 1, 8)},
            ]
        },
    )
    run = services.commit(preview(path, "annex_a"))
    assert run.status == Status.COMMITTED, run.message
    assert (run.children_committed, run.children_held_back) == (1, 2)
    assert list(Referral.objects.values_list("child__la_child_id", flat=True)) == ["C3"]
    assert sorted(run.problems.filter(rule="match.worker-ambiguous").values_list("child_id", flat=True)) == [
        "A1",
        "B2",
    ]


def test_annex_a_all_or_nothing_rejects_the_whole_workbook(tmp_path, settings):
    settings.RETURNS_ALL_OR_NOTHING = frozenset({"annex_a"})
    path = annex_a(tmp_path / "bad.xlsx")
    run = preview(path, "annex_a")
    assert run.status == Status.REJECTED and run.children_committed is None and run.children_held_back == 0
    run = services.check_and_commit(services.create_run_from_path(path, "annex_a"))
    assert run.status == Status.REJECTED
    assert not Contact.objects.exists() and not Adopter.objects.exists()


def test_annex_a_warnings_never_hold_a_child_back(tmp_path):
    path = workbook(tmp_path / "warn.xlsx", {1: [C3 | {"contact_date": D(2024, 1, 4), "contact_source": "zz"}]})
    run = preview(path, "annex_a")
    assert run.status == Status.PREVIEWED and run.errors == 0 and run.warnings >= 1
    assert (run.children_committed, run.children_held_back) == (1, 0) and run.message == ""
    run = services.commit(run)
    assert annex_rows("C3")["contacts"] == 1 and not HeldBackChild.objects.exists()


def test_an_annex_a_workbook_in_which_every_child_has_an_error_is_rejected(tmp_path):
    path = workbook(tmp_path / "all.xlsx", {7: [B2 | {"start_date": "31/02/2024"}]})
    run = preview(path, "annex_a")
    assert run.status == Status.REJECTED and run.children_held_back == 0


def test_an_annex_a_workbook_whose_only_rows_name_no_child_is_rejected(tmp_path):
    """Nothing would be committed: as when every child has an error, the file is refused."""
    path = workbook(tmp_path / "none.xlsx", {1: [{"contact_date": D(2024, 1, 5)}]})
    run = preview(path, "annex_a")
    assert run.status == Status.REJECTED and run.problems.get(rule="annex_a.required").child_id == ""


# -- SSD ----------------------------------------------------------------------------------


def ssd_rows(person: str) -> dict[str, int]:
    """The register's rows of every table the SSD import writes that belong to the person."""
    out = {}
    for model in MODELS:
        names = {f.name for f in model._meta.get_fields()}
        path = next(
            p
            for field, p in (
                ("la_child_id", "la_child_id"),
                ("child", "child__la_child_id"),
                ("referral", "referral__child__la_child_id"),
                ("assessment", "assessment__referral__child__la_child_id"),
            )
            if field in names
        )
        out[model.__name__] = model.objects.filter(**{path: person}).count()
    return out


NOTHING = {model.__name__: 0 for model in MODELS}


def test_ssd_commits_the_clean_people_and_holds_back_the_one_with_an_error(client, tmp_path):
    """SSD0000003's CP plan ends on 30 February: its rows in every table (person, referral, assessment,
    CIN plan, section 47, conference, episodes, health, missing ... and the review and visit under the
    plan, which are left out with it) are written nowhere; the other four people are committed."""
    folder = with_bad(tmp_path, "impossible_date__ssd_cp_plans.csv")
    run = preview(folder, "ssd")
    assert run.status == Status.PREVIEWED, list(run.problems.filter(severity="error").values_list("rule", "location"))
    assert (run.children_committed, run.children_held_back) == (4, 1)
    assert run.summary["children"] == {"new": 4}
    errors = set(run.problems.filter(severity="error").values_list("rule", "child_id", "file_name"))
    assert errors == {
        ("ssd.date", "SSD0000003", "ssd_cp_plans.csv"),
        ("ssd.parent-left-out", "SSD0000003", "ssd_cp_reviews.csv"),
        ("ssd.parent-left-out", "SSD0000003", "ssd_cp_visits.csv"),
    }

    run = services.commit(run)
    assert run.status == Status.COMMITTED, run.message
    assert (run.children_committed, run.children_held_back) == (4, 1)
    assert ssd_rows("SSD0000003") == NOTHING
    assert ssd_rows("SSD0000004")["LookedAfterEpisode"] == 1 and ssd_rows("DfEX0000001")["ChildProtectionPlan"] == 1
    assert list(HeldBackChild.objects.values_list("la_child_id", "errors")) == [("SSD0000003", 3)]

    client.force_login(UserFactory(role=Role.ANALYST, scope=Scope.COUNCIL))
    page = client.get(reverse("returns_run", args=[run.pk])).content.decode()
    assert "Children held back: 1" in page and "SSD0000003" in page and "ssd.parent-left-out" in page
    rows = list(
        load_workbook(io.BytesIO(client.get(reverse("returns_problems_xlsx", args=[run.pk])).content)).active.values
    )
    assert {r[3] for r in rows[1:] if r[-1] == "yes"} == {"SSD0000003"}


def test_ssd_person_held_back_is_committed_from_the_next_clean_extract(tmp_path):
    first = services.commit(preview(with_bad(tmp_path, "impossible_date__ssd_cp_plans.csv"), "ssd"))
    assert first.children_held_back == 1
    second = services.commit(preview(SSD / "full", "ssd"))
    assert second.status == Status.COMMITTED and (second.children_committed, second.children_held_back) == (5, 0)
    assert ssd_rows("SSD0000003")["ChildProtectionPlan"] == 1 and ssd_rows("SSD0000003")["LookedAfterEpisode"] == 2
    assert HeldBackChild.objects.get(la_child_id="SSD0000003").committed_by == second


def test_ssd_all_or_nothing_rejects_the_whole_extract(tmp_path, settings):
    settings.RETURNS_ALL_OR_NOTHING = frozenset({"ssd"})
    folder = with_bad(tmp_path, "impossible_date__ssd_cp_plans.csv")
    run = preview(folder, "ssd")
    assert run.status == Status.REJECTED and run.children_committed is None
    run = services.check_and_commit(services.create_run_from_path(folder, "ssd"))
    assert run.status == Status.REJECTED and ssd_rows("DfEX0000001") == NOTHING


def test_ssd_warnings_never_hold_a_person_back(tmp_path):
    """An involvement naming a worker Line of Sight does not know is a warning."""
    run = preview(with_bad(tmp_path, "unknown_worker__ssd_involvements.csv"), "ssd")
    assert run.status == Status.PREVIEWED and run.errors == 0 and run.warnings
    assert (run.children_committed, run.children_held_back) == (5, 0)
    run = services.commit(run)
    assert run.children_committed == 5 and not HeldBackChild.objects.exists()


def extract_with_rows_naming_no_one(tmp_path):
    """full/ with rows whose person cannot be told (decision 0064): a CP plan with no person and the review
    under it; a CP visit under a plan the extract lacks; a CP review with a stray comma under a plan the
    extract lacks; professional W1 given twice with different staff IDs. And SSD0000002's contact with a
    stray comma, whose person column still reads SSD0000002: that person is held back."""
    folder = tmp_path / "extract"
    shutil.copytree(SSD / "full", folder)
    more = {
        "ssd_cp_plans.csv": "CP3,R1,I1,,2024-07-01,,N,NEG,NEG\n",
        "ssd_cp_reviews.csv": (
            "RV9,CP3,2024-08-01,2024-08-01,Y,Y,PN1\nRV8,CP99,2024-08-01,2024-08-01,Y,Y,PN1,late, again\n"
        ),
        "ssd_cp_visits.csv": "4,CP9,CV9,2024-08-01,Y,Y,Y\n",
        "ssd_contacts.csv": "C9,SSD0000002,2024-02-01,1A,Police, by phone,\n",
        "ssd_professionals.csv": "W1,SW1003,Amira Khan,SW1122334,Social Worker,14,Assessment Team North,1.0,N\n",
    }
    for name, rows in more.items():
        with open(folder / name, "a") as handle:
            handle.write(rows)
    return folder


LEFT_OUT = {
    ("ssd.value-missing", "ssd_cp_plans.csv row 4", "cppl_person_id"),
    ("ssd.parent-left-out", "ssd_cp_reviews.csv row 5", "cppr_cp_plan_id"),
    ("ssd.row-width", "ssd_cp_reviews.csv row 6", ""),
    ("ssd.unknown-parent", "ssd_cp_visits.csv row 5", "cppv_cp_plan_id"),
    ("ssd.duplicate-id", "ssd_professionals.csv row 9", "prof_professional_id"),
}


def test_ssd_rows_that_name_no_one_are_left_out_alone_and_the_others_committed(client, tmp_path):
    """Rows that belong to no person the extract names are reported (file, row, field, rule) and left out
    alone, with any row under them; they hold no one back and reject nothing (decision 0064)."""
    run = preview(extract_with_rows_naming_no_one(tmp_path), "ssd")
    assert run.status == Status.PREVIEWED, list(run.problems.filter(severity="error").values_list("rule", "location"))
    assert (run.children_committed, run.children_held_back) == (4, 1)
    errors = set(run.problems.filter(severity="error").values_list("rule", "location", "field", "child_id"))
    assert errors == {(*e, "") for e in LEFT_OUT} | {("ssd.row-width", "ssd_contacts.csv row 5", "", "SSD0000002")}
    assert "5 rows will be left out" in run.message

    run = services.commit(run)
    assert run.status == Status.COMMITTED, run.message
    assert (run.children_committed, run.children_held_back) == (4, 1) and "5 rows were left out" in run.message
    assert ssd_rows("SSD0000002") == NOTHING and ssd_rows("DfEX0000001")["ChildProtectionPlan"] == 1
    assert list(HeldBackChild.objects.values_list("la_child_id", flat=True)) == ["SSD0000002"]
    # W1's involvements cannot tell their worker: a warning that says why, as for a worker not known
    twice = run.problems.filter(rule="ssd.worker-unknown", message__contains="two rows in ssd_professionals.csv")
    assert twice.exists() and not twice.filter(severity="error").exists()

    client.force_login(UserFactory(role=Role.ANALYST, scope=Scope.COUNCIL))
    page = client.get(reverse("returns_run", args=[run.pk])).content.decode()
    assert "5 rows were left out" in page and "ssd_cp_visits.csv row 5" in page


def test_ssd_rows_that_name_no_one_reject_an_all_or_nothing_extract(tmp_path, settings):
    settings.RETURNS_ALL_OR_NOTHING = frozenset({"ssd"})
    folder = tmp_path / "extract"
    shutil.copytree(SSD / "full", folder)
    with open(folder / "ssd_cp_visits.csv", "a") as handle:
        handle.write("4,CP9,CV9,2024-08-01,Y,Y,Y\n")
    run = preview(folder, "ssd")
    assert run.status == Status.REJECTED and run.children_committed is None
    run = services.check_and_commit(services.create_run_from_path(folder, "ssd"))
    assert run.status == Status.REJECTED and ssd_rows("DfEX0000001") == NOTHING


def test_an_ssd_table_that_cannot_be_read_still_rejects_the_whole_extract(tmp_path):
    """A missing column or a table that is not UTF-8 to the end is a problem of the file, not of a row."""
    for bad in ("renamed_column__ssd_cin_episodes.csv", "not_utf8__ssd_contacts.csv"):
        run = preview(with_bad(tmp_path / bad, bad), "ssd")
        assert run.status == Status.REJECTED and run.children_held_back == 0
        assert run.problems.filter(severity="error", child_id="").exclude(message__contains="left out").exists()
    assert not ImportRun.objects.filter(children_committed__isnull=False).exists()


def test_an_ssd_placement_under_an_episode_with_an_error_is_left_out_with_it(tmp_path):
    folder = tmp_path / "extract"
    shutil.copytree(SSD / "full", folder)
    episodes = (
        (folder / "ssd_cla_episodes.csv")
        .read_text()
        .replace("E3,SSD0000004,PL3,2019-06-01,S,N5", "E3,SSD0000004,PL3,2019-06-01,S,N99")
    )
    (folder / "ssd_cla_episodes.csv").write_text(episodes)
    run = services.commit(preview(folder, "ssd"))
    assert run.status == Status.COMMITTED, run.message
    assert list(HeldBackChild.objects.values_list("la_child_id", flat=True)) == ["SSD0000004"]
    assert run.problems.filter(
        rule="ssd.parent-left-out", child_id="SSD0000004", file_name="ssd_cla_placement.csv"
    ).exists()
    assert ssd_rows("SSD0000004") == NOTHING


def test_an_ssd_placement_with_an_error_holds_back_the_person_of_its_episode(tmp_path):
    """PL3 (SSD0000004's episode E3) has a placement type not in the code list: ssd_cla_placement names no
    person, so the reader finds it through the episode; before, the error named no one and refused the file."""
    folder = tmp_path / "extract"
    shutil.copytree(SSD / "full", folder)
    placements = (
        (folder / "ssd_cla_placement.csv").read_text().replace("PL3,E3,2019-06-01,U4,", "PL3,E3,2019-06-01,ZZ,")
    )
    (folder / "ssd_cla_placement.csv").write_text(placements)
    run = preview(folder, "ssd")
    assert run.status == Status.PREVIEWED, list(run.problems.filter(severity="error").values_list("rule", "child_id"))
    assert run.problems.get(severity="error", file_name="ssd_cla_placement.csv").child_id == "SSD0000004"
    run = services.commit(run)
    assert (run.children_committed, run.children_held_back) == (4, 1)
    assert ssd_rows("SSD0000004") == NOTHING and ssd_rows("SSD0000005")["LookedAfterEpisode"] == 2
