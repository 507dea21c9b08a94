import datetime as dt

import pytest

from children.models import AssessmentFactor, Child, ChildProtectionConference, Disability, Referral
from returns.cin.exporter import export_cin, validate_file
from returns.models import Status
from returns.tests.helpers import import_file, snapshot

pytestmark = pytest.mark.django_db
WIDE = {"start": dt.date(1900, 1, 1), "end": dt.date(2100, 12, 31)}


def wipe():
    ChildProtectionConference.objects.all().delete()
    AssessmentFactor.objects.all().delete()
    Disability.objects.all().delete()
    Referral.objects.all().delete()
    Child.objects.all().delete()


@pytest.mark.parametrize("year", [2023, 2024, 2025, 2026])
def test_export_is_valid_against_the_dfe_schema_for_its_year(tmp_path, year):
    import_file("cin_full_2025.xml")
    import_file("fake_CIN_data.xml")
    out = tmp_path / "census.xml"
    count = export_cin(str(out), year, **WIDE)
    assert count == 335
    assert validate_file(out, year) == []
    text = out.read_text()
    assert ("<Sex>M</Sex>" in text) == (year >= 2025)
    assert ("<GenderCurrent>1</GenderCurrent>" in text) == (year < 2025)


def test_export_takes_children_with_an_episode_open_in_the_period(tmp_path):
    import_file("cin_full_2025.xml")
    out = tmp_path / "census.xml"
    # 2024-25: child 1 (referred May 2024), child 2 (open since 2023), child 3 (referred Jan 2025)
    assert export_cin(str(out), 2025) == 3
    text = out.read_text()
    assert "<CINreferralDate>2022-01-10</CINreferralDate>" not in text  # closed in 2021-22
    # 2022-23: only child 2's first referral was open... none: it closed in January 2022
    assert export_cin(str(out), 2023) == 0


@pytest.mark.parametrize("year", [2023, 2025])
def test_round_trip_gives_the_same_register(tmp_path, year):
    import_file("cin_full_2025.xml")
    import_file("fake_CIN_data.xml")
    before = snapshot()
    out = tmp_path / "census.xml"
    export_cin(str(out), year, **WIDE)
    # importing the export over the same register changes nothing
    run = import_file(str(out), commit=False)
    # no format warning (the DfE rules' findings on the fake data are listed as well: returns.rules)
    assert run.status == Status.PREVIEWED and not run.problems.exclude(message__startswith="DfE ").exists()
    assert all(set(c) == {"unchanged"} for c in run.summary.values()), run.summary
    # and into an empty register it rebuilds the same register
    wipe()
    import_file(str(out))
    after = snapshot()
    assert after == before
