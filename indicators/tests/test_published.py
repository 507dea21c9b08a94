"""The DfE's published figures for this council beside Line of Sight's (issue 14 point 5), on
hand-made files in the DfE's published layout (Children in need C1; Children looked after
'CLA numbers and rates per 10,000 children aged under 18 years - by local authority')."""

import datetime as dt

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from accounts.models import Role, Scope
from accounts.tests.factories import UserFactory
from children.models import CareLeaverContact
from children.tests.factories import ChildFactory
from indicators import facts, published, selectors
from indicators.models import Benchmark

from .test_indicator_values import build

pytestmark = pytest.mark.django_db
D = dt.date

GEO = "time_period,time_identifier,geographic_level,country_code,country_name,region_code,region_name,"
C1 = (
    GEO + "old_la_code,new_la_code,la_name,category,referral_count,rereferral_count,rereferral_percent\n"
    "2025,Reporting year,National,E92000001,England,,,,,,Referrals and Re-referrals,632830,142900,22.6\n"
    "2025,Reporting year,Local authority,E92000001,England,E12000007,London,305,E09000006,Bromley,"
    "Referrals and Re-referrals,4,2,50.0\n"
    "2024,Reporting year,Local authority,E92000001,England,E12000007,London,305,E09000006,Bromley,"
    "Referrals and Re-referrals,3,c,c\n"
    "2025,Reporting year,Local authority,E92000001,England,E12000007,London,202,E09000007,Camden,"
    'Referrals and Re-referrals,"1,100",220,20.0\n'
)
CLA = (
    GEO + "old_la_code,la_name,new_la_code,population_type,population_estimate,children_count,rate_per_10000\n"
    "2025,Reporting year,Local authority,E92000001,England,E12000007,London,305,Bromley,E09000006,"
    "Children looked after on 31 March each year,20000,2,1\n"
    "2025,Reporting year,Local authority,E92000001,England,E12000007,London,305,Bromley,E09000006,"
    "Children starting to be looked after each year,20000,9,5\n"
)

MISSING = (
    GEO + "old_la_code,la_name,new_la_code,missing_status,number\n"
    "2025,Reporting year,Local authority,E92000001,England,E12000007,London,305,Bromley,E09000006,"
    "Number of missing incidents during the year,0\n"
    "2025,Reporting year,Local authority,E92000001,England,E12000007,London,305,Bromley,E09000006,"
    "Number of away from placement without authorisation incidents during the year,1\n"
    "2025,Reporting year,Local authority,E92000001,England,E12000007,London,305,Bromley,E09000006,"
    "Children looked after during the year,3\n"
)


@pytest.fixture
def files(tmp_path):
    (tmp_path / "c1.csv").write_text(C1)
    (tmp_path / "cla.csv").write_text("\ufeff" + CLA)  # as published: UTF-8 with a byte-order mark
    (tmp_path / "missing.csv").write_text(MISSING)
    return [str(tmp_path / "c1.csv"), str(tmp_path / "cla.csv"), str(tmp_path / "missing.csv")]


def test_published_figures_beside_ours(files):
    # Ours (test_indicator_values.build): 2024-25 referrals 4, re-referrals 2 (50%), CLA 1 (0.5 per
    # 10,000 of 20,000); 2023-24 referrals a 5 May 2023, b and c 29 Feb 2024 = 3, none re-referred.
    build()
    call_command("load_published", "--la", "E09000006", *files)
    got = {(b.indicator, b.year): (b.value, b.count) for b in Benchmark.objects.filter(comparator="council")}
    assert got == {
        ("REFERRALS", 2024): (4, 4),
        ("RE-REF", 2024): (50, 2),
        ("REFERRALS", 2023): (3, 3),
        ("RE-REF", 2023): (None, None),  # 'c': suppressed, not published
        ("CLA", 2024): (2, 2),
        ("CLA-RATE", 2024): (1, 2),
        ("CLA-MISS-N", 2024): (0, 0),
        ("CLA-AWAY-N", 2024): (1, 1),  # ours: none (d, looked after, had no incident)
    }
    lines = {(x.code, x.year): x for x in published.reconcile(facts.load())}
    assert [k for k, x in lines.items() if x.differs] == [("CLA", 2024), ("CLA-AWAY-N", 2024), ("CLA-RATE", 2024)]
    assert not lines[("CLA-MISS-N", 2024)].differs  # 0 published, 0 ours
    cla, rate, reref = lines[("CLA", 2024)], lines[("CLA-RATE", 2024)], lines[("RE-REF", 2024)]
    assert (cla.published, cla.ours, cla.difference) == (2, 1.0, -1.0)
    # 0.5 per 10,000 rounds (as the DfE rounds, to a whole number) to 0, not the published 1.
    assert (rate.ours, rate.difference, rate.ours_count, rate.published_count) == (0.5, -0.5, 1, 2)
    assert (reref.published, reref.ours, reref.differs) == (50, 50.0, False)
    assert lines[("RE-REF", 2023)].ours == 0.0 and not lines[("RE-REF", 2023)].differs
    # Loading again replaces, not duplicates; the old LA code finds the same rows.
    call_command("load_published", "--la", "305", *files)
    assert Benchmark.objects.filter(comparator="council").count() == 8


def test_the_page_shows_the_difference_and_links_to_the_children(client, files):
    build()
    call_command("load_published", "--la", "E09000006", *files)
    selectors.clear_cache()  # the page reads the register through the shared cache
    client.force_login(UserFactory(role=Role.ANALYST, scope=Scope.COUNCIL))
    response = client.get(reverse("indicator_reconciliation"))
    html = response.content.decode()
    assert response.status_code == 200 and html.count("Differs") == 3
    assert reverse("indicator_drill", args=["CLA"]) + "?kind=year&amp;fy=2024&amp;m=12" in html
    assert reverse("indicator_reconciliation") in client.get(reverse("indicator_board")).content.decode()
    client.force_login(UserFactory(role=Role.SOCIAL_WORKER, scope=Scope.CASELOAD))
    assert client.get(reverse("indicator_reconciliation")).status_code == 403


def test_a_file_not_in_the_dfe_layout_loads_nothing_and_says_why(files, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("time_period,geographic_level,la_name,referral_count\n2025,Local authority,Bromley,4\n")
    with pytest.raises(CommandError, match="bad.csv: not in the DfE's published layout: no column time_identifier"):
        call_command("load_published", "--la", "E09000006", files[0], str(bad))
    wrong = tmp_path / "wrong.csv"
    wrong.write_text(C1.replace(",4,2,50.0", ",four,2,50.0"))
    with pytest.raises(CommandError, match="wrong.csv, line 3, column referral_count: 'four' is not a number"):
        call_command("load_published", "--la", "E09000006", str(wrong))
    with pytest.raises(CommandError, match="no row for local authority E09000099"):
        call_command("load_published", "--la", "E09000099", *files)
    assert not Benchmark.objects.exists()


# Care leavers and adoptions, in the layouts of the LA data sets of 'Children looked after in England
# including adoptions' (decision 0021): the activity and accommodation suitability files of care leavers
# aged 17 to 21, and 'CLA who were adopted or the subject of a SGO during the year - by local authority'.
BROMLEY = "2025,Reporting year,Local authority,E92000001,England,E12000007,London,305,Bromley,E09000006,"
ACTIVITY = (
    GEO
    + "old_la_code,la_name,new_la_code,age,activity,number,percentage\n"
    + BROMLEY
    + 'Aged 17 to 18,"Total in education, employment or training",1,100\n'
    + BROMLEY
    + 'Aged 19 to 21,"Total in education, employment or training",1,50\n'
    + BROMLEY
    + "Aged 19 to 21,Total,2,100\n"
)
SUITABILITY = (
    GEO
    + "old_la_code,la_name,new_la_code,age,accommodation_suitability,number,percentage\n"
    + BROMLEY
    + "17 to 18 years,Accommodation considered suitable,1,100\n"
    + BROMLEY
    + "19 to 21 years,Accommodation  considered suitable,1,50\n"  # spacing as a hand-edited file has it
    + BROMLEY
    + "19 to 21 years,Accommodation considered unsuitable,1,50\n"
)
ADOPTED = (
    GEO
    + "old_la_code,la_name,new_la_code,characteristic,breakdown,children_count,children_percent\n"
    + BROMLEY
    + "Adopted,Adopted - application unopposed,1,100\n"
    + BROMLEY
    + "Adopted,Total,1,100\n"
    + BROMLEY
    + "Special guardianship orders,Total,3,100\n"
)


def care_leaver(born, activity, accommodation, in_touch="YES"):
    child = ChildFactory(birth_date=born)
    CareLeaverContact.objects.create(
        child=child, year_ending=D(2025, 3, 31), in_touch=in_touch, activity=activity, accommodation=accommodation
    )


def test_care_leavers_and_adoptions_beside_ours(tmp_path):
    # Ours for 2024-25 (age on 31 March 2025): aged 17 to 18, one young person, in education (F1) and
    # suitably housed (U1); aged 19 to 21, two: one in training (P2) with no accommodation recorded, one
    # NEET (G4) in unsuitable accommodation (U2); one who died is left out. EET 100% and 50%, suitable
    # accommodation 100% and 0%. Adopted: build()'s order of 1 June 2024 (its other, 1 April 2022, is
    # another year).
    build()
    care_leaver(D(2006, 6, 1), "F1", "U1")
    care_leaver(D(2005, 1, 10), "P2", "")
    care_leaver(D(2004, 5, 5), "G4", "U2")
    care_leaver(D(2004, 5, 6), "F1", "U1", in_touch="DIED")
    paths = []
    for name, text in (("activity.csv", ACTIVITY), ("suitability.csv", SUITABILITY), ("adopted.csv", ADOPTED)):
        (tmp_path / name).write_text(text)
        paths.append(str(tmp_path / name))
    call_command("load_published", "--la", "E09000006", *paths)
    got = {(b.indicator, b.year): (b.value, b.count) for b in Benchmark.objects.filter(comparator="council")}
    assert got == {
        ("CL-EET-17", 2024): (100, 1),
        ("CL-EET-19", 2024): (50, 1),
        ("CL-ACCOM-17", 2024): (100, 1),
        ("CL-ACCOM-19", 2024): (50, 1),
        ("ADOPTED", 2024): (1, 1),
    }
    lines = {x.code: x for x in published.reconcile(facts.load())}
    assert [c for c, x in lines.items() if x.differs] == ["CL-ACCOM-19"]
    assert (lines["CL-ACCOM-19"].ours, lines["CL-ACCOM-19"].ours_count) == (0.0, 0)
    assert (lines["CL-EET-19"].ours, lines["CL-EET-19"].ours_count) == (50.0, 1)
    assert (lines["ADOPTED"].ours, lines["ADOPTED"].ours_count) == (1.0, 1)
