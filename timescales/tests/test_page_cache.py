"""The line-of-sight pages' render cache (timescales.pagecache, issue 17 point 4): a body is served again only
while the data it was built from has not changed, and only to users who see exactly the same children."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role, Scope
from accounts.tests.factories import UserFactory
from children.models import RecordRestriction
from children.tests.factories import AssessmentFactory, ChildFactory, ReferralFactory
from organisation.tests.factories import PartnerAgencyFactory
from returns.models import ImportRun
from returns.models import Status as RunStatus
from timescales import pagecache
from timescales.services import recompute_all
from timescales.tests.test_pages import D, two_teams  # noqa: F401 (the fixture)

pytestmark = pytest.mark.django_db


def main(response) -> str:
    """The page's <main>: the body the cache holds, and the messages (none here)."""
    html = response.content.decode()
    return html[html.index("<main") : html.index("</main>")]


def overdue(html: str, team: str) -> str:
    """The overdue count in a team's row of the director's table."""
    row = re.search(rf">{team}</a></th>.*?</tr>", html, re.S)
    assert row, f"no row for {team}"
    return re.findall(r"status=overdue\">(\d+)</a>", row.group(0))[0]


def queries(client, path: str, **params) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path, params)
    assert response.status_code == 200
    return len(captured), main(response)


def test_the_directors_page_is_built_once_and_again_after_a_recompute(client, two_teams):  # noqa: F811
    east, west, sam = two_teams
    client.force_login(UserFactory(role=Role.DIRECTOR, scope=Scope.COUNCIL))
    built, first = queries(client, reverse("oversight"))
    cached, again = queries(client, reverse("oversight"))
    assert again == first and cached < built - 4  # the counts, caseloads and trend are not read again
    assert overdue(first, "East") == "1" and overdue(first, "West") == "1"

    late = ReferralFactory(child=ChildFactory(team=west, first_name="Later"), referral_date=D(2024, 1, 10))
    AssessmentFactory(referral=late)
    assert main(client.get(reverse("oversight"))) == first  # the new child is not counted until recomputed
    recompute_all(D(2024, 4, 2))
    after = main(client.get(reverse("oversight")))
    assert overdue(after, "West") == "2" and overdue(after, "East") == "1"


def test_a_committed_import_makes_a_new_body(client, two_teams):  # noqa: F811
    client.force_login(UserFactory(role=Role.DIRECTOR, scope=Scope.COUNCIL))
    assert "No return has been imported" in main(client.get(reverse("oversight")))
    ImportRun.objects.create(
        kind="cin", file_name="cin.xml", sha256="0" * 64, status=RunStatus.COMMITTED, committed_at=timezone.now()
    )
    assert "Data last imported" in main(client.get(reverse("oversight")))


def test_each_scope_gets_its_own_rendering_whoever_came_first(client, two_teams):  # noqa: F811
    east, west, _ = two_teams
    director = UserFactory(role=Role.DIRECTOR, scope=Scope.COUNCIL)
    east_manager = UserFactory(role=Role.TEAM_MANAGER, scope=Scope.TEAM, team=east)
    west_manager = UserFactory(role=Role.TEAM_MANAGER, scope=Scope.TEAM, team=west)
    partner = UserFactory(role=Role.MASE_MEMBER, scope=Scope.COUNCIL, agency=PartnerAgencyFactory())
    seen = {}
    for user in (director, east_manager, west_manager, partner, director, east_manager):
        client.force_login(user)
        response = client.get(reverse("oversight"))
        if response.status_code != 200:
            assert user is partner  # refused outright is as good as empty
            continue
        body = main(response)
        seen.setdefault(user.pk, body)
        assert body == seen[user.pk]
    assert ">East</a>" in seen[director.pk] and ">West</a>" in seen[director.pk]
    assert ">East</a>" in seen[east_manager.pk] and ">West</a>" not in seen[east_manager.pk]
    assert ">West</a>" in seen[west_manager.pk] and ">East</a>" not in seen[west_manager.pk]
    assert "Council total" in seen[director.pk] and "Total of these teams" in seen[east_manager.pk]
    if partner.pk in seen:
        assert ">East</a>" not in seen[partner.pk] and ">West</a>" not in seen[partner.pk]


def test_a_restricted_record_is_counted_only_for_the_users_it_names(client, two_teams):  # noqa: F811
    """Two directors of the same scope: the one a restriction names counts the restricted child's overdue
    assessment, the other does not, whichever of them loaded the page first; and a restriction set after a
    body was cached takes effect on the next request."""
    east, west, _ = two_teams
    named = UserFactory(role=Role.DIRECTOR, scope=Scope.COUNCIL)
    other = UserFactory(role=Role.DIRECTOR, scope=Scope.COUNCIL)
    client.force_login(other)
    assert overdue(main(client.get(reverse("oversight"))), "West") == "1"
    restricted = RecordRestriction.objects.create(child=west.children.get(first_name="Westchild"), reason="staff")
    restricted.allowed_users.add(named)
    assert overdue(main(client.get(reverse("oversight"))), "West") == "0"
    client.force_login(named)
    assert overdue(main(client.get(reverse("oversight"))), "West") == "1"
    client.force_login(other)
    assert overdue(main(client.get(reverse("oversight"))), "West") == "0"
    assert pagecache.audience(named) != pagecache.audience(other)


def test_the_team_page_is_cached_per_team_and_rebuilt_after_a_recompute(client, two_teams):  # noqa: F811
    east, west, sam = two_teams
    manager = UserFactory(role=Role.TEAM_MANAGER, scope=Scope.TEAM, team=east)
    client.force_login(manager)
    path = reverse("oversight_team", args=[east.pk])
    built, first = queries(client, path)
    cached, again = queries(client, path)
    assert again == first and cached < built and "Sam" in first
    assert client.get(reverse("oversight_team", args=[west.pk])).status_code == 404  # scope still checked
    late = ReferralFactory(child=ChildFactory(team=east, worker=sam, first_name="Later"), referral_date=D(2024, 1, 10))
    AssessmentFactory(referral=late)
    recompute_all(D(2024, 4, 2))
    after = main(client.get(path))
    assert after != first
    assert re.search(r"worker=\d+&amp;status=overdue\">2</a>", after)  # Sam's two overdue assessments


def test_with_the_cache_off_every_request_builds_the_same_page(client, two_teams, settings):  # noqa: F811
    client.force_login(UserFactory(role=Role.DIRECTOR, scope=Scope.COUNCIL))
    cached = main(client.get(reverse("oversight")))
    settings.LINE_OF_SIGHT_PAGE_CACHE = False
    first, second = queries(client, reverse("oversight")), queries(client, reverse("oversight"))
    assert first[1] == second[1] == cached and first[0] == second[0]  # built both times


def test_the_state_is_the_last_recompute_and_the_last_committed_import(two_teams):  # noqa: F811
    made = pagecache.state()
    assert made.as_of == D(2024, 4, 2) and made.recompute > 0 and made.imported is None
    run = ImportRun.objects.create(
        kind="cin", file_name="cin.xml", sha256="0" * 64, status=RunStatus.COMMITTED, committed_at=timezone.now()
    )
    ImportRun.objects.create(kind="cin", file_name="b.xml", sha256="1" * 64, status=RunStatus.PREVIEWED)
    assert pagecache.state().imported == run.pk
    assert pagecache.state().version()[2] == dt.date.today().isoformat()
