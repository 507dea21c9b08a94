"""Single sign-on in the browser: "Sign in with ..." at Line of Sight (localhost), sign in at the test provider
(127.0.0.1, accounts.tests.idp), back signed in with the mapped role; removed from the group at the provider, the
next sign-in ends on the page that says there is no access."""

import pytest
from django.contrib.auth.models import Group

from accounts.models import GroupMapping, Role, Scope, User
from accounts.tests.factories import PASSWORD, UserFactory
from accounts.tests.idp import running_provider
from organisation.tests.factories import TeamFactory

GROUP = "6c1e2f0a-0000-4000-8000-00000000000a"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, site: str, signed_in_at_provider: bool = False) -> None:
    page.goto(f"{site}/accounts/login/")
    assert page.locator("input[name=password]").count() == 0  # password sign-in switched off
    page.get_by_role("button", name="Sign in with Test Entra").click()
    if not signed_in_at_provider:  # the provider remembers its own sign-in, as Entra ID does
        page.locator("#idp-username").fill("alex.smith")
        page.locator("#idp-password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in to provider").click()


def test_sign_in_with_the_provider_and_lose_access_when_removed_from_the_group(live_server, page):
    team = TeamFactory(name="Assessment team 1")
    GroupMapping.objects.create(group_id=GROUP, role=Role.TEAM_MANAGER, scope=Scope.TEAM, team=team)
    person = UserFactory(username="alex.smith", email="alex.smith@council.test")
    person.groups.add(Group.objects.create(name=GROUP))
    site = live_server.url
    with running_provider(site, site.replace("localhost", "127.0.0.1"), LOS_PASSWORD_SIGN_IN=False):
        sign_in(page, site)
        page.wait_for_url(f"{site}/")
        footer = page.locator("text=Signed in as alex.smith@idp.test")
        assert footer.inner_text() == "Signed in as alex.smith@idp.test (Team manager, scope: Team)."
        assert User.objects.get(username="alex.smith@idp.test").team_id == team.pk

        page.get_by_role("button", name="Sign out").click()
        person.groups.clear()  # removed from the group at the provider
        sign_in(page, site, signed_in_at_provider=True)
        heading = page.get_by_role("heading", level=1, name="You do not have access to Line of Sight")
        heading.wait_for()
        assert page.url.startswith(f"{site}/accounts/login/sso/callback/")
        page.goto(f"{site}/")
        assert "/accounts/login/" in page.url
        assert User.objects.get(username="alex.smith@idp.test").scope == Scope.NONE
