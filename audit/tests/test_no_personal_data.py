"""No child's personal details in application logs or error pages."""

import logging

import pytest
from django.test import Client, override_settings
from django.urls import path

from accounts.models import Scope
from accounts.tests.factories import UserFactory
from audit.logging import RedactExceptionsFilter
from children.models import Child
from children.tests.factories import ChildFactory

pytestmark = pytest.mark.django_db


def failing_view(request, pk):
    child = Child.objects.get(pk=pk)
    raise ValueError(f"could not process {child.first_name} {child.last_name} born {child.birth_date}")


urlpatterns = [path("boom/<int:pk>/", failing_view)]


@override_settings(ROOT_URLCONF=__name__, DEBUG=False)
def test_a_crash_shows_a_plain_error_page_and_logs_no_personal_data(caplog):
    child = ChildFactory(first_name="Rosalind", last_name="Quartermaine")
    client = Client(raise_request_exception=False)
    client.force_login(UserFactory(scope=Scope.COUNCIL))
    handler = logging.getLogger("django.request").handlers[0]
    assert any(isinstance(f, RedactExceptionsFilter) for f in handler.filters)
    with caplog.at_level(logging.ERROR, logger="django.request"):
        response = client.get(f"/boom/{child.pk}/")
    assert response.status_code == 500
    assert "Quartermaine" not in response.content.decode()
    # caplog's handler sits beside ours, so format the records through our filter as the console does.
    formatted = []
    for record in caplog.records:
        RedactExceptionsFilter().filter(record)
        formatted.append(handler.format(record))
    text = "\n".join(formatted)
    assert "ValueError" in text and "failing_view" in text
    assert "Quartermaine" not in text and "Rosalind" not in text
