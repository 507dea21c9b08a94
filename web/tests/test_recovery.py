"""Recovering from a database outage: a static error page while it is down, a reconnect once it is back."""

import psycopg
import pytest
from django.conf import settings
from django.core.handlers.wsgi import WSGIHandler
from django.db import OperationalError, connection
from django.test import Client, RequestFactory

from accounts.models import Role, Scope
from accounts.tests.factories import UserFactory
from web.views import server_error

ERROR_HEADING = "Sorry, there is a problem with the service"


def test_the_error_page_renders_without_the_database():
    # No django_db mark: pytest-django fails this test on any query the page makes.
    request = RequestFactory().get("/children/")
    response = server_error(request)
    body = response.content.decode()
    assert response.status_code == 500
    assert ERROR_HEADING in body
    assert "/static/govuk/govuk-frontend.min.css" in body  # the GOV.UK look, without a context processor
    assert "{{" not in body and "{%" not in body


@pytest.mark.django_db
def test_a_request_while_the_database_is_down_gets_the_static_error_page():
    user = UserFactory(role=Role.TEAM_MANAGER, scope=Scope.TEAM)
    client = Client(raise_request_exception=False)
    client.force_login(user)
    attempts = []

    def database_down(execute, sql, params, many, context):
        attempts.append(sql)
        raise OperationalError("could not connect to server")

    with connection.execute_wrapper(database_down):
        response = client.get("/children/")
    assert response.status_code == 500
    assert ERROR_HEADING in response.content.decode()
    # Only the sign-in check tried the database (it reads the session); the error page itself tried nothing.
    assert attempts and all('"django_session"' in sql for sql in attempts)


def _wsgi_get(handler: WSGIHandler, path: str, cookie: str) -> int:
    """One request as a long-lived worker serves it: request_started checks the kept connection."""
    environ = RequestFactory()._base_environ(PATH_INFO=path, REQUEST_METHOD="GET", HTTP_COOKIE=cookie)
    statuses = []
    response = handler(environ, lambda status, headers, exc_info=None: statuses.append(status))
    response.close()  # sends request_finished, as a WSGI server does
    return int(statuses[0].split()[0])


def _terminate_the_connection() -> None:
    pid = connection.connection.info.backend_pid
    params = connection.get_connection_params()
    with psycopg.connect(**params, autocommit=True) as other:
        other.execute("SELECT pg_terminate_backend(%s)", [pid])


@pytest.mark.django_db(transaction=True)
def test_a_worker_reconnects_after_postgresql_drops_its_connection():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has no server to restart and keeps no connection between requests (CONN_MAX_AGE=0)")
    assert settings.DATABASES["default"]["CONN_HEALTH_CHECKS"] is True
    user = UserFactory(role=Role.TEAM_MANAGER, scope=Scope.TEAM)
    client = Client()
    client.force_login(user)
    cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
    handler = WSGIHandler()

    assert _wsgi_get(handler, "/children/", cookie) == 200
    _terminate_the_connection()  # what a PostgreSQL restart does to every kept connection
    assert _wsgi_get(handler, "/children/", cookie) == 200

    # The control: without the health check the same worker's first request after the drop fails.
    assert _wsgi_get(handler, "/children/", cookie) == 200
    connection.health_check_enabled = False
    try:
        _terminate_the_connection()
        assert _wsgi_get(handler, "/children/", cookie) == 500
    finally:
        connection.close()
