"""A lead's name longer than the register keeps is refused with a message (PostgreSQL raised a DataError)."""

import pytest

from accounts.models import Role, Scope
from accounts.tests.factories import UserFactory
from plans.tests.factories import ActionFactory, LeadFactory, RoleFactory

pytestmark = pytest.mark.django_db


def test_an_overlong_lead_name_is_refused_and_the_leads_are_unchanged(client):
    owner = UserFactory(role=Role.DIRECTOR, scope=Scope.COUNCIL)
    action = ActionFactory()
    RoleFactory(plan=action.plan, user=owner)
    LeadFactory(action=action, name="Jo Lead")
    client.force_login(owner)
    response = client.post(f"/plans/actions/{action.pk}/leads/", {"leads": "Ann Other\n" + "x" * 201})
    assert response.status_code == 200
    assert "Line 2: a lead&#x27;s name must be 200 characters or fewer" in response.content.decode()
    assert list(action.leads.values_list("name", flat=True)) == ["Jo Lead"]
    ok = client.post(f"/plans/actions/{action.pk}/leads/", {"leads": "Ann Other\n" + "x" * 200})
    assert ok.status_code == 302
    assert sorted(action.leads.values_list("name", flat=True)) == ["Ann Other", "x" * 200]
