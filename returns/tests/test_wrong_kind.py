"""A file uploaded as the wrong kind of return is recognised, and the message says which kind it looks
like and that nothing in it needs correcting (issue 13 point 5f)."""

import zipfile

import pytest

from children.models import Child
from returns import services
from returns.formats import sniff_kind
from returns.models import Status
from returns.tests.conftest import DATA
from returns.tests.test_ssda903_helpers import zip_tables

pytestmark = pytest.mark.django_db


def ssd_zip(tmp_path):
    target = tmp_path / "ssd.zip"
    with zipfile.ZipFile(target, "w") as archive:
        for path in sorted((DATA / "ssd" / "full").glob("*.csv")):
            archive.write(path, path.name)
    return target


def files(tmp_path) -> dict:
    return {
        "cin": DATA / "CIN_Census_2024.xml",
        "annex_a": DATA / "realworld" / "Annex_A_messy.xlsx",
        "ssda903": zip_tables(tmp_path / "903.zip"),
        "ssd": ssd_zip(tmp_path),
    }


def test_each_sample_is_recognised_as_its_own_kind(tmp_path):
    assert {kind: sniff_kind(path) for kind, path in files(tmp_path).items()} == {
        "cin": "cin",
        "annex_a": "annex_a",
        "ssda903": "ssda903",
        "ssd": "ssd",
    }
    assert sniff_kind(DATA / "ssda903" / "return_2025.xml") == "ssda903"
    assert sniff_kind(DATA / "ssda903" / "return_2025" / "episodes.csv") == "ssda903"
    odd = tmp_path / "odd.csv"
    odd.write_text("A,B\n1,2\n")
    assert sniff_kind(odd) is None  # cannot tell: the chosen kind's reader decides


@pytest.mark.parametrize(
    ("given", "uploaded_as", "label"),
    [
        ("annex_a", "cin", "Ofsted Annex A (Excel)"),
        ("cin", "ssda903", "CIN census (XML)"),
        ("ssda903", "ssd", "SSDA903 looked-after children return"),
        ("ssd", "ssda903", "Standard Safeguarding Dataset (CSV)"),
        ("ssda903", "annex_a", "SSDA903 looked-after children return"),
    ],
)
def test_a_file_uploaded_as_the_wrong_kind_says_which_kind_it_looks_like(tmp_path, given, uploaded_as, label):
    run = services.preview(services.create_run_from_path(files(tmp_path)[given], uploaded_as))
    assert run.status == Status.REJECTED
    (problem,) = run.problems.all()
    assert (problem.rule, problem.severity) == ("file.wrong-kind", "error")
    assert f"looks like {label}" in problem.message and f"upload it again as {label}" in problem.message
    assert "case management system" not in problem.message
    assert Child.objects.count() == 0
