"""Every change to a child's record lands in the audit log, attributed."""

import datetime as dt

import pytest

from audit.context import current_request
from audit.models import Action, AuditEvent
from children.models import Visit
from children.services import allocate
from children.tests.factories import AssessmentFactory, ChildFactory
from organisation.tests.factories import WorkerFactory

pytestmark = pytest.mark.django_db


def test_create_change_and_delete_are_recorded_against_the_child():
    child = ChildFactory()
    visit = Visit.objects.create(child=child, kind=Visit.Kind.CP, visit_date=dt.date(2024, 1, 2))
    visit.seen_alone = True
    visit.save()
    visit.delete()
    actions = list(
        AuditEvent.objects.filter(object_type="children.Visit").order_by("pk").values_list("action", "child_id")
    )
    assert actions == [(Action.CREATE, child.pk), (Action.CHANGE, child.pk), (Action.DELETE, child.pk)]


def test_nested_records_find_their_child():
    assessment = AssessmentFactory()
    event = AuditEvent.objects.filter(object_type="children.Assessment").get()
    assert event.child_id == assessment.referral.child_id


def test_changes_are_attributed_to_the_requesting_user(rf, django_user_model):
    user = django_user_model.objects.create_user("changer", password="x" * 12)
    request = rf.get("/children/1/", REMOTE_ADDR="192.0.2.7")
    request.user = user
    token = current_request.set(request)
    try:
        child = ChildFactory()
        allocate(child, child.team, WorkerFactory(team=child.team), dt.date(2024, 1, 1))
    finally:
        current_request.reset(token)
    events = AuditEvent.objects.filter(child=child, action__in=[Action.CREATE, Action.CHANGE])
    assert events.count() >= 2
    assert set(events.values_list("username", "ip_address")) == {("changer", "192.0.2.7")}
