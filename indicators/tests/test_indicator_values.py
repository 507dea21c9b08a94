"""manage.py indicator_values: every indicator's council value for a period, as JSON or CSV,
audited as an export (issue 14 point 4). Values worked out by hand in the comments."""

import datetime as dt
import json

import pytest
from django.core.management import CommandError, call_command

from accounts.tests.factories import UserFactory
from audit.models import AuditEvent
from children import models as m
from children.tests.factories import ChildFactory
from indicators.library import LIBRARY
from indicators.models import Population

from .test_library import episode, referral

pytestmark = pytest.mark.django_db
D = dt.date
CODES = "RE-REF,REF-RATE,REFERRALS,A1,CLA"


def build():
    Population.objects.create(year=2024, age_band="all", sex="U", count=20_000)
    a, b, c, d = (ChildFactory() for _ in range(4))
    referral(a, D(2023, 5, 5))
    referral(a, D(2024, 5, 5))  # exactly 12 months later: a re-referral
    referral(b, D(2024, 2, 29))
    referral(b, D(2025, 2, 28))  # 29 Feb 2024 + 12 months = 28 Feb 2025: a re-referral
    referral(c, D(2024, 2, 29))
    referral(c, D(2025, 3, 1))  # a day past: not
    referral(d, D(2024, 6, 10))
    episode(d, D(2024, 1, 1))  # looked after on 31 March 2025
    for entered, placed, order in (
        (D(2024, 1, 1), D(2024, 3, 1), D(2024, 6, 1)),
        (D(2021, 1, 1), D(2021, 11, 1), D(2022, 4, 1)),
    ):
        child = ChildFactory()
        m.PlacedForAdoption.objects.create(child=child, date_placed=placed)
        m.AdoptionMilestone.objects.create(child=child, entered_care_date=entered, adoption_order_date=order)


# In 2024-25: referrals a 5 May, b 28 Feb, c 1 Mar, d 10 Jun = 4, of which 2 re-referrals (50%);
# 4 / 20,000 x 10,000 = 2.0 per 10,000; CLA 1 (d). A1 over the orders of 1 Apr 2022 to 31 Mar 2025:
# 60 days (1 Jan to 1 Mar 2024, a leap year) and 304 days (1 Jan to 1 Nov 2021): 364 / 2 = 182.
EXPECTED = [
    {"code": "REFERRALS", "name": LIBRARY["REFERRALS"].name, "numerator": 4, "denominator": None, "value": 4.0},
    {"code": "REF-RATE", "name": LIBRARY["REF-RATE"].name, "numerator": 4, "denominator": 20000, "value": 2.0},
    {"code": "RE-REF", "name": LIBRARY["RE-REF"].name, "numerator": 2, "denominator": 4, "value": 50.0},
    {"code": "CLA", "name": LIBRARY["CLA"].name, "numerator": 1, "denominator": None, "value": 1.0},
    {"code": "A1", "name": LIBRARY["A1"].name, "numerator": 364.0, "denominator": 2, "value": 182.0},
]
for row in EXPECTED:
    row["unit"] = LIBRARY[row["code"]].unit


def run(*args):
    return call_command("indicator_values", "--from", "2024-04-01", "--to", "2025-03-31", *args)


def test_json_gives_the_hand_worked_values_and_is_audited(tmp_path):
    build()
    user = UserFactory(username="analyst")
    out = tmp_path / "values.json"
    run("--codes", CODES, "--format", "json", "--output", str(out), "--user", "analyst")
    assert json.loads(out.read_text()) == EXPECTED
    event = AuditEvent.objects.get(action="export")
    assert event.user == user and "indicator values 2024-04-01 to 2025-03-31: 5 indicators (json" in event.detail


def test_csv_has_the_same_values(tmp_path):
    build()
    out = tmp_path / "values.csv"
    run("--codes", CODES, "--format", "csv", "--output", str(out))
    lines = out.read_text().splitlines()
    assert lines[0] == "code,name,numerator,denominator,value,unit"
    assert lines[3] == f"RE-REF,{LIBRARY['RE-REF'].name},2,4,50.0,%"
    assert lines[1] == "REFERRALS,Referrals,4,,4.0,referrals"
    assert lines[5] == f"A1,{LIBRARY['A1'].name},364.0,2,182.0,days"
    assert len(lines) == 6


def test_every_indicator_when_no_codes_are_given(capsys):
    run("--format", "json")
    records = json.loads(capsys.readouterr().out)
    assert [r["code"] for r in records] == list(LIBRARY)
    assert all(list(r) == ["code", "name", "numerator", "denominator", "value", "unit"] for r in records)
    assert AuditEvent.objects.filter(action="export").count() == 1


def test_bad_input_is_refused_and_nothing_is_written(tmp_path):
    out = tmp_path / "values.json"
    with pytest.raises(CommandError, match="unknown indicator code.*NOPE"):
        run("--codes", "CLA,NOPE", "--output", str(out))
    with pytest.raises(CommandError, match="ends .*before it starts"):
        call_command("indicator_values", "--from", "2025-04-01", "--to", "2025-03-31", "--output", str(out))
    with pytest.raises(CommandError, match="'2025-13-01' is not a date"):
        call_command("indicator_values", "--from", "2025-13-01", "--to", "2025-03-31")
    assert not out.exists() and not AuditEvent.objects.exists()
