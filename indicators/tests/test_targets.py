"""The targets form: bad input is refused with a message and changes nothing; good input is audited per target."""

from decimal import Decimal

import pytest
from django.urls import reverse

from accounts.models import Role, Scope
from accounts.tests.factories import UserFactory
from audit.models import Action, AuditEvent
from indicators import engine
from indicators.models import RagRule, Target

pytestmark = pytest.mark.django_db
URL = "/indicators/targets/"


@pytest.fixture
def director(client):
    user = UserFactory(role=Role.DIRECTOR, scope=Scope.COUNCIL)
    client.force_login(user)
    Target.objects.create(indicator="RE-REF", year=2024, value=15)
    Target.objects.create(indicator="N14", year=2024, value=70)
    return user


def targets_now():
    return sorted(Target.objects.values_list("indicator", "year", "value"))


def test_the_url_is_the_targets_page():
    assert reverse("indicator_targets") == URL


@pytest.mark.parametrize("fy", ["abc", "", "2024.5", "-1", "99999", "1e3", "nan"])
def test_a_bad_financial_year_is_refused_and_changes_nothing(client, director, fy):
    before = targets_now()
    response = client.post(URL, {"fy": fy, "target-N14": "80"})
    assert response.status_code == 200
    assert "Choose a financial year" in response.content.decode()
    assert targets_now() == before
    assert not AuditEvent.objects.filter(action__in=[Action.CHANGE, Action.CREATE, Action.DELETE]).exists()


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("nan", "Enter a number"),
        ("NaN", "Enter a number"),
        ("inf", "Enter a number"),
        ("-inf", "Enter a number"),
        ("Infinity", "Enter a number"),
        ("1e309", "Enter a target below 100,000,000"),
        ("100000000", "Enter a target below 100,000,000"),
        ("-5", "Enter a target of 0 or more"),
        ("1.234", "no more than 2 decimal places"),
        ("seventy", "Enter a number"),
        ("7" * 5000, "Enter a target below 100,000,000"),
        ("0x10", "Enter a number"),
    ],
)
def test_a_bad_target_is_refused_and_no_other_target_in_the_request_changes(client, director, value, message):
    before = targets_now()
    # N14 is good and comes first: it must not be written when RE-REF is refused.
    response = client.post(URL, {"fy": "2024", "target-N14": "80", "target-RE-REF": value})
    assert response.status_code == 200
    body = response.content.decode()
    assert message in body and "There is a problem" in body
    assert targets_now() == before
    assert not AuditEvent.objects.filter(action__in=[Action.CHANGE, Action.CREATE, Action.DELETE]).exists()


def test_good_targets_are_saved_together_and_each_change_audited(client, director):
    response = client.post(URL, {"fy": "2024", "target-N14": "80.5", "target-RE-REF": "", "target-REF-RATE": "300"})
    assert response.status_code == 302
    assert targets_now() == [("N14", 2024, Decimal("80.50")), ("REF-RATE", 2024, Decimal("300.00"))]
    details = sorted(AuditEvent.objects.filter(detail__startswith="indicator target").values_list("action", "detail"))
    assert details == [
        (Action.CHANGE, "indicator target N14 2024-25: 70 -> 80.5"),
        (Action.CREATE, "indicator target REF-RATE 2024-25: none -> 300"),
        (Action.DELETE, "indicator target RE-REF 2024-25: 15 -> none"),
    ]


@pytest.mark.parametrize("value", ["nan", "inf", "-inf", "1e309", "101", "-1", "sNaN", "", "ten"])
def test_a_bad_rag_rule_is_refused_and_changes_nothing(client, director, value):
    response = client.post(URL, {"fy": "2024", "save-rule": "1", "rule-tolerance": value, "rule-amber": "no"})
    assert response.status_code == 200
    assert "Enter a percentage from 0 to 100" in response.content.decode()
    assert not RagRule.objects.exists()
    assert engine.current_rule().tolerance_percent == 10


def test_a_good_rag_rule_is_saved_and_audited(client, director):
    response = client.post(URL, {"fy": "2024", "save-rule": "1", "rule-tolerance": "7.5%", "rule-amber": "no"})
    assert response.status_code == 302
    rule = RagRule.objects.get()
    assert (rule.tolerance_percent, rule.amber_if_improved) == (Decimal("7.5"), False)
    event = AuditEvent.objects.get(action=Action.CHANGE)
    assert (event.object_type, event.detail) == (
        "indicators.RagRule",
        "RAG rule: green within 7.5% of target; amber if improved: no",
    )
