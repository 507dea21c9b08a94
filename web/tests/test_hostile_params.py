"""Bad addresses never give a server error (issue 15 point 8).

Every page of every app (the world and the object ids of test_hostile_forms) is opened, as the first user
who may open it, with every query parameter any page reads set to one hostile value at a time: text where
an id or a number is expected, a number too large for any column, an impossible date, overlong text.
A page may ignore a parameter, refuse it (400) or match nothing; it may not fail (500)."""

import pytest
from django.test import Client

from .test_hostile_forms import APPS, pages_of, world  # noqa: F401 (world is a fixture)

# Every name a page reads from its query string (grep request.GET and the list filters in the code).
PARAMS = (
    "page", "format", "rag", "kind", "concern", "child", "by", "window", "since", "q", "period", "part", "on",
    "m", "key", "fy", "quarter", "depth", "date_from", "date_to", "action", "team", "worker", "service",
    "status", "rule", "month", "year", "start", "end", "code", "next",
)  # fmt: skip
pytestmark = pytest.mark.django_db
HOSTILE = ("abc", "-1", "0", "1e309", "nan", "2025-02-30", "99999999999999999999999", "x" * 3000, "%00")


def first_page_view(client: Client, users: list, url: str) -> bool:
    for user in users:
        client.force_login(user)
        if client.get(url).status_code == 200:
            return True
    return False


@pytest.mark.parametrize("app", APPS)
def test_no_query_parameter_gives_a_server_error(app, world):  # noqa: F811
    users, ids = world
    client = Client(raise_request_exception=False)
    failures, opened = [], 0
    for url in pages_of(app, ids):
        if not first_page_view(client, users, url):
            continue
        opened += 1
        for value in HOSTILE:
            response = client.get(url, {name: value for name in PARAMS})
            if response.status_code >= 500:
                failures.append(f"{url} with every parameter {value[:12]!r}: {response.status_code}")
                for name in PARAMS:  # which parameter it was
                    if client.get(url, {name: value}).status_code >= 500:
                        failures.append(f"    {url}?{name}={value[:12]}")
    assert not failures, "\n".join(failures)
    assert opened or app in ("returns",), f"{app}: no page opened"
