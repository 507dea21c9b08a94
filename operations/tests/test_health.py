import datetime as dt
from unittest import mock

import pytest
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.db import OperationalError, connection
from django.utils import timezone

from operations.models import Heartbeat
from operations.selectors import worker_state
from operations.services import beat

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 12, 4, 12, 0, tzinfo=dt.UTC)


def test_healthy_without_sign_in_session_or_personal_data(client, settings):
    beat(at=timezone.now() - dt.timedelta(minutes=3))
    response = client.get("/health/")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok" and body["database"] == "ok" and body["worker"] == "ok"
    assert set(body) == {"status", "database", "worker", "worker_last_ran", "worker_stale_after_hours"}
    # No sign-in redirect, no session made, no cookie set, nothing cached.
    assert "Set-Cookie" not in response.headers and not response.cookies
    assert Session.objects.count() == 0
    assert "no-store" in response.headers["Cache-Control"]


def test_database_failure_is_503(client, caplog, settings):
    beat()
    with mock.patch.object(connection, "cursor", side_effect=OperationalError("no route to db.internal")):
        response = client.get("/health/")
    assert response.status_code == 503
    assert "OperationalError" in caplog.text and "db.internal" not in caplog.text
    assert response.json() == {
        "status": "unhealthy",
        "database": "error",
        "worker": "unknown",
        "worker_last_ran": None,
        "worker_stale_after_hours": settings.LOS_WORKER_STALE_HOURS,
    }


def test_stale_worker_is_503(client, settings):
    settings.LOS_WORKER_STALE_HOURS = 26
    beat(at=timezone.now() - dt.timedelta(hours=27))
    response = client.get("/health/")
    assert response.status_code == 503
    assert response.json()["worker"] == "stale" and response.json()["database"] == "ok"


def test_worker_that_never_ran_is_unknown_but_not_failing(client):
    response = client.get("/health/")
    assert response.status_code == 200 and response.json()["worker"] == "unknown"


@pytest.mark.parametrize(
    "hours_ago, expected", [(0, "ok"), (25.99, "ok"), (26, "ok"), (26.01, "stale"), (24 * 7, "stale")]
)
def test_worker_state_at_the_edge_of_the_limit(settings, hours_ago, expected):
    settings.LOS_WORKER_STALE_HOURS = 26
    beat(at=NOW - dt.timedelta(hours=hours_ago))
    assert worker_state(NOW)[0] == expected


def test_beat_keeps_one_row_per_worker():
    beat(at=NOW - dt.timedelta(days=2))
    beat(at=NOW)
    assert list(Heartbeat.objects.values_list("name", "at")) == [("worker", NOW)]


def test_recompute_command_beats(client):
    assert worker_state()[0] == "unknown"
    call_command("recompute_timescales", as_of=dt.date(2026, 12, 4), stdout=mock.Mock())
    assert worker_state()[0] == "ok"
    assert client.get("/health/").status_code == 200


def test_health_only_answers_get_and_head(client):
    assert client.post("/health/").status_code == 405
    beat()
    assert client.head("/health/").status_code == 200


def test_by_default_a_worker_not_heard_from_for_a_quarter_of_an_hour_is_stale(client):
    """The worker (manage.py run_worker) beats every 30 s while it runs, even during a long task (decision 0033)."""
    call_command("run_worker", once=True, stdout=mock.Mock(), stderr=mock.Mock())
    assert client.get("/health/").json()["worker"] == "ok"
    assert worker_state(timezone.now() + dt.timedelta(minutes=14))[0] == "ok"
    assert worker_state(timezone.now() + dt.timedelta(minutes=16))[0] == "stale"
