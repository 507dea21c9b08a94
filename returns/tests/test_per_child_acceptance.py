"""Per-child acceptance (issue 13 point 4, docs/decisions/0028-per-child-acceptance.md): a return
with errors commits the children without errors and holds back each child with an error whole;
an error that names no child rejects the whole file; a kind may be set all-or-nothing; warnings
never hold a child back; a held-back child is committed from the next return in which it is clean."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from accounts.models import Role, Scope
from accounts.tests.factories import UserFactory
from children.models import (
    Child,
    Involvement,
    LookedAfterEpisode,
    LookedAfterReview,
    MissingEpisode,
    OutcomesReturn,
    Referral,
)
from children.tests.factories import ChildFactory
from organisation.tests.factories import WorkerFactory
from returns import services
from returns.models import HeldBackChild, ImportRun, Status
from returns.tests.conftest import DATA
from returns.tests.test_ssda903_helpers import D903, SAMPLE, zip_tables

pytestmark = pytest.mark.django_db


@pytest.fixture
def workers():
    return WorkerFactory(staff_id="SW100001"), WorkerFactory(staff_id="SW100002")


def preview_903(path=None, paths=None):
    if paths:
        run = services.create_run_from_files(
            [(p.name, [p.read_bytes()]) for p in paths], "ssda903", None, file_name="tables.zip"
        )
    else:
        run = services.create_run_from_path(path, "ssda903")
    return services.preview(run)


def rows_of(la_ids) -> dict[str, int]:
    """How many register rows of each kind belong to these children."""
    ids = list(la_ids)
    return {
        "children": Child.objects.filter(la_child_id__in=ids).count(),
        "episodes": LookedAfterEpisode.objects.filter(child__la_child_id__in=ids).count(),
        "reviews": LookedAfterReview.objects.filter(child__la_child_id__in=ids).count(),
        "missing": MissingEpisode.objects.filter(child__la_child_id__in=ids).count(),
        "oc2": OutcomesReturn.objects.filter(child__la_child_id__in=ids).count(),
    }


# -- Data to Insight's 903 test data ------------------------------------------------------


def test_data_to_insights_903_commits_the_children_without_errors_and_holds_back_the_others(client):
    """csc-validator-be-903's tests/fake_data (2,675 children in Header, CHILD10 only in SWEpisodes):
    108 children have errors; the other 2,568 are committed, and none of the 108's records is written."""
    run = preview_903(paths=sorted(SAMPLE.glob("*.csv")))
    assert run.status == Status.PREVIEWED
    assert (run.children_committed, run.children_held_back) == (2568, 108)
    assert run.errors == 124 and run.summary["children"]["new"] == 2568
    held = set(run.problems.filter(severity="error").values_list("child_id", flat=True))
    assert len(held) == 108 and "" not in held and "CHILD10" in held

    run = services.commit(run)
    assert run.status == Status.COMMITTED, run.message
    assert (run.children_committed, run.children_held_back) == (2568, 108)
    assert Child.objects.count() == 2568
    assert rows_of(held) == {"children": 0, "episodes": 0, "reviews": 0, "missing": 0, "oc2": 0}
    assert set(HeldBackChild.objects.filter(run=run).values_list("la_child_id", flat=True)) == held
    assert run.errors == 124  # the held-back children's findings are kept with the run
    assert "2,568 children committed; 108 children held back" in run.message

    client.force_login(UserFactory(role=Role.ANALYST, scope=Scope.COUNCIL))
    page = client.get(reverse("returns_run", args=[run.pk])).content.decode()
    assert 'id="children-committed">2568<' in page and 'id="children-held-back">108' in page
    assert "Children held back: 108" in page and "CHILD10" in page and "903.no-header" in page
    workbook = client.get(reverse("returns_problems_xlsx", args=[run.pk]))
    rows = list(load_workbook(io.BytesIO(workbook.content)).active.values)
    assert rows[0][-1] == "Child held back"
    assert {r[3] for r in rows[1:] if r[-1] == "yes"} == held
    assert all(r[-1] == "yes" for r in rows[1:] if r[0] == "error")


def test_the_preview_page_says_who_would_be_held_back_and_the_button_says_how_many(client, tmp_path, workers):
    bad = zip_tables(tmp_path / "bad.zip", replace={"episodes.csv": D903 / "bad" / "episodes_overlap.csv"})
    client.force_login(UserFactory(role=Role.ANALYST, scope=Scope.COUNCIL))
    with open(bad, "rb") as handle:
        client.post(reverse("returns_upload"), {"kind": "ssda903", "file": handle})
    run = ImportRun.objects.get()
    assert run.status == Status.PREVIEWED
    page = client.get(reverse("returns_run", args=[run.pk])).content.decode()
    assert "Children to commit" in page and "Commit 3 children, hold back 1" in page
    assert "Children held back: 1" in page and "903.episode-overlap" in page and "Not yet committed" in page
    client.post(reverse("returns_commit", args=[run.pk]))
    run.refresh_from_db()
    assert run.status == Status.COMMITTED and run.children_committed == 3
    assert sorted(Child.objects.values_list("la_child_id", flat=True)) == ["L002", "L003", "L004"]


# -- what still rejects the whole file ---------------------------------------------------


def test_an_error_that_names_no_child_rejects_the_whole_file(tmp_path, workers):
    """A renamed column is an error in the table, not in one child's records."""
    bad = zip_tables(tmp_path / "bad.zip", replace={"episodes.csv": D903 / "bad" / "episodes_renamed_column.csv"})
    run = preview_903(bad)
    assert run.status == Status.REJECTED
    assert run.children_held_back == 0 and run.children_committed is None
    assert run.problems.filter(severity="error", child_id="").exists()
    with pytest.raises(services.ImportFailed):
        services.commit(run)
    assert Child.objects.count() == 0


def test_a_row_without_a_child_id_rejects_the_whole_file(tmp_path, workers):
    episodes = (D903 / "return_2025" / "episodes.csv").read_text() + ",01/01/2025,S,C2,N1,U1,PR1,,,,,,\n"
    run = preview_903(zip_tables(tmp_path / "bad.zip", replace={"episodes.csv": episodes}))
    assert run.status == Status.REJECTED
    assert run.problems.get(rule="903.child-id").child_id == ""


def test_a_return_in_which_every_child_has_an_error_is_rejected(tmp_path):
    header = (D903 / "return_2025" / "header.csv").read_text().replace(",WBRI,", ",XXXX,")
    header = header.replace(",BAFR,", ",XXXX,").replace(",MWBC,", ",XXXX,").replace(",WIRI,", ",XXXX,")
    run = preview_903(zip_tables(tmp_path / "bad.zip", replace={"header.csv": header}))
    assert run.status == Status.REJECTED and run.children_held_back == 0
    assert Child.objects.count() == 0


def test_a_kind_set_all_or_nothing_rejects_the_whole_file(tmp_path, settings, workers):
    settings.RETURNS_ALL_OR_NOTHING = frozenset({"ssda903"})
    bad = zip_tables(tmp_path / "bad.zip", replace={"episodes.csv": D903 / "bad" / "episodes_overlap.csv"})
    run = preview_903(bad)
    assert run.status == Status.REJECTED
    assert run.children_held_back == 0 and run.children_committed is None
    run = services.create_run_from_path(bad, "ssda903")
    run = services.check_and_commit(run)
    assert run.status == Status.REJECTED and Child.objects.count() == 0


def test_all_or_nothing_for_one_kind_leaves_the_other_per_child(settings):
    settings.RETURNS_ALL_OR_NOTHING = frozenset({"ssda903"})
    run = services.preview(services.create_run_from_path(DATA / "bad_duplicate_child.xml", "cin"))
    assert run.status == Status.PREVIEWED and run.children_held_back == 1


# -- warnings ---------------------------------------------------------------------------


def test_warnings_never_hold_a_child_back(tmp_path):
    """SEX 1/2 in a 2024-25 return is a warning; SW_ID of no known worker is a warning (no workers here)."""
    sexes = zip_tables(tmp_path / "sex.zip", replace={"header.csv": D903 / "bad" / "header_sex_1_2.csv"})
    run = preview_903(sexes)
    assert run.status == Status.PREVIEWED and run.errors == 0
    assert {"903.sex-code", "903.worker-unknown"} <= set(run.problems.values_list("rule", flat=True))
    assert (run.children_committed, run.children_held_back) == (4, 0)
    run = services.commit(run)
    assert run.status == Status.COMMITTED and (run.children_committed, run.children_held_back) == (4, 0)
    assert Child.objects.count() == 4 and not HeldBackChild.objects.exists()
    assert Involvement.objects.count() == 0


# -- the next return --------------------------------------------------------------------


def test_a_held_back_child_is_committed_from_the_next_clean_return(client, tmp_path, workers):
    bad = zip_tables(tmp_path / "bad.zip", replace={"episodes.csv": D903 / "bad" / "episodes_overlap.csv"})
    first = services.commit(preview_903(bad))
    assert first.status == Status.COMMITTED
    assert (first.children_committed, first.children_held_back) == (3, 1)
    assert rows_of(["L001"])["children"] == 0
    assert list(HeldBackChild.objects.values_list("la_child_id", "errors", "committed_by")) == [("L001", 1, None)]

    second = services.commit(preview_903(zip_tables(tmp_path / "good.zip")))
    assert second.status == Status.COMMITTED and second.children_held_back == 0
    assert LookedAfterEpisode.objects.filter(child__la_child_id="L001").count() == 2
    assert HeldBackChild.objects.get(la_child_id="L001").committed_by == second

    client.force_login(UserFactory(role=Role.ANALYST, scope=Scope.COUNCIL))
    page = client.get(reverse("returns_run", args=[first.pk])).content.decode()
    assert (
        f'Committed by <a class="govuk-link" href="{reverse("returns_run", args=[second.pk])}">run {second.pk}' in page
    )


def test_a_child_still_in_error_in_the_next_return_stays_held_back(tmp_path, workers):
    bad = zip_tables(tmp_path / "bad.zip", replace={"episodes.csv": D903 / "bad" / "episodes_overlap.csv"})
    first = services.commit(preview_903(bad))
    second = services.commit(
        preview_903(zip_tables(tmp_path / "again.zip", replace={"episodes.csv": D903 / "bad" / "episodes_overlap.csv"}))
    )
    assert second.children_held_back == 1
    assert HeldBackChild.objects.get(run=first).committed_by is None
    assert HeldBackChild.objects.get(run=second).committed_by is None
    assert rows_of(["L001"])["children"] == 0


# -- errors only the write finds, the one-pass command, and the CIN census --------------------------


def test_an_error_found_while_writing_holds_that_child_back_and_writes_none_of_its_records(tmp_path, workers):
    """A UPN conflict with the register is found by the importer, after the file was read: the
    write is rolled back and done again without that child."""
    ChildFactory(la_child_id="L001", upn="Z999999999999")
    run = services.commit(preview_903(zip_tables(tmp_path / "r.zip")))
    assert run.status == Status.COMMITTED, run.message
    assert (run.children_committed, run.children_held_back) == (3, 1)
    assert run.problems.get(rule="match.upn-differs").child_id == "L001"
    assert LookedAfterEpisode.objects.filter(child__la_child_id="L001").count() == 0
    assert Child.objects.get(la_child_id="L001").upn == "Z999999999999"
    assert HeldBackChild.objects.get(run=run).la_child_id == "L001"


def test_the_command_commits_the_others_and_says_how_many_were_held_back(tmp_path, capsys, workers):
    bad = zip_tables(tmp_path / "bad.zip", replace={"episodes.csv": D903 / "bad" / "episodes_overlap.csv"})
    call_command("import_return", str(bad), "--kind", "ssda903", "--commit", "--no-progress")
    out = capsys.readouterr().out
    assert "3 children committed; 1 child held back" in out
    assert Child.objects.count() == 3


def test_a_cin_census_child_given_twice_is_held_back_whole():
    """bad_duplicate_child.xml gives DfEX0000001 twice: neither record is written; DfEX0000002 is."""
    run = services.preview(services.create_run_from_path(DATA / "bad_duplicate_child.xml", "cin"))
    assert run.status == Status.PREVIEWED
    assert (run.children_committed, run.children_held_back) == (1, 1)
    run = services.commit(run)
    assert run.status == Status.COMMITTED, run.message
    assert list(Child.objects.values_list("la_child_id", flat=True)) == ["DfEX0000002"]
    assert not Referral.objects.filter(child__la_child_id="DfEX0000001").exists()
    assert run.problems.get(rule="cin.duplicate-child").child_id == "DfEX0000001"
    assert list(HeldBackChild.objects.values_list("la_child_id", flat=True)) == ["DfEX0000001"]


def test_a_cin_census_with_schema_errors_in_some_children_commits_the_others():
    run = services.preview(services.create_run_from_path(DATA / "bad_codes_dates.xml", "cin"))
    assert run.status == Status.PREVIEWED
    assert (run.children_committed, run.children_held_back) == (1, 2)
    run = services.commit(run)
    assert list(Child.objects.values_list("la_child_id", flat=True)) == ["DfEX0000001"]
    assert sorted(HeldBackChild.objects.values_list("la_child_id", flat=True)) == ["DfEX0000002", "DfEX0000003"]


def test_a_dfe_error_holds_back_its_child_when_the_council_says_dfe_errors_block(tmp_path, settings):
    """The DfE CIN rules run on the whole file after the children are read, so the write finds
    B1's error (8600: referral after the census year) and is done again without B1."""
    from returns.tests.cin_rule_cases import C, census, child

    settings.RETURNS_DFE_ERRORS_BLOCK = True
    path = tmp_path / "two.xml"
    path.write_text(
        census([child(la="A1", n=1), child(la="B1", n=2, cins=(C(referral="2026-04-01", assessments=()),))])
    )
    run = services.preview(services.create_run_from_path(path, "cin"))
    assert run.status == Status.PREVIEWED, list(run.problems.values_list("rule", "child_id", "severity"))
    assert (run.children_committed, run.children_held_back) == (1, 1)
    run = services.commit(run)
    assert run.status == Status.COMMITTED, run.message
    assert list(Child.objects.values_list("la_child_id", flat=True)) == ["A1"]
    assert run.problems.filter(rule="8600", child_id="B1", severity="error").count() == 1  # kept once
    assert run.errors == run.problems.filter(severity="error").count()
    assert list(HeldBackChild.objects.values_list("la_child_id", flat=True)) == ["B1"]


def test_data_to_insights_903_xml_commits_the_children_without_errors():
    """fake_903.xml (253 children, 13 errors): the children its errors name are held back."""
    run = preview_903(SAMPLE / "fake_903.xml")
    held = set(run.problems.filter(severity="error").values_list("child_id", flat=True))
    assert run.status == Status.PREVIEWED and "" not in held
    assert (run.children_committed, run.children_held_back) == (253 - len(held), len(held))
    run = services.commit(run)
    assert run.status == Status.COMMITTED, run.message
    assert Child.objects.count() == 253 - len(held)
    assert rows_of(held) == {"children": 0, "episodes": 0, "reviews": 0, "missing": 0, "oc2": 0}
