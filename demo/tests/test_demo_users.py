"""create_demo_users: one user per role, idempotent, with the scope each role needs."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

from accounts.models import Role, Scope, User
from children.selectors import children_in_scope
from demo.generator import generate
from demo.management.commands.create_demo_users import DEMO_USERS, PASSWORD
from organisation.models import AgencyKind, TeamType

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fast_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def create() -> str:
    out = StringIO()
    call_command("create_demo_users", stdout=out)
    return out.getvalue()


def test_needs_a_generated_council_first():
    with pytest.raises(CommandError, match="generate_demo"):
        create()


@override_settings(DEBUG=False, LOCAL=False)
def test_refuses_outside_local_demonstration_unless_forced():
    generate("small", 5, progress=False)
    with pytest.raises(CommandError, match="LOS_INSECURE_LOCAL"):
        create()
    call_command("create_demo_users", "--force", stdout=StringIO())
    assert User.objects.filter(username="director").exists()


def test_one_user_per_role_idempotent_with_the_right_scopes():
    # A seed whose small council has an open exploitation cohort entry referred by the police, so that the
    # MASE member has a share to see (the small council has one or two open entries; seed 5 has none from
    # the police since the generator's 903 corrections of 6 December 2026, decision 0041, and seed 3 none since
    # its social worker corrections, decision 0052).
    generate("small", 1, progress=False)
    first = create()
    create()
    users = {u.username: u for u in User.objects.all()}
    assert set(users) == {name for name, _, _ in DEMO_USERS}
    assert {u.role for u in users.values()} == set(Role.values)
    assert all(u.check_password(PASSWORD) for u in users.values())
    assert "social.worker" in first and PASSWORD in first

    sw = users["social.worker"]
    assert sw.scope == Scope.CASELOAD and sw.worker is not None and sw.worker.active
    assert children_in_scope(sw).exists()
    tm = users["team.manager"]
    assert tm.scope == Scope.TEAM and tm.team.team_type == TeamType.CIN_CP
    assert tm.worker is not None and tm.worker.is_manager and tm.worker.team == tm.team
    assert children_in_scope(tm).count() > children_in_scope(sw).count()
    hos = users["head.of.service"]
    assert hos.scope == Scope.SERVICE and hos.service == tm.team.service
    for name in ("director", "analyst", "qa.officer", "iro"):
        assert users[name].scope == Scope.COUNCIL
    mase = users["mase.member"]
    assert mase.scope == Scope.AGENCY_COHORT and mase.agency.kind == AgencyKind.POLICE
    # A partner sees its force's share of the cohort (referred by it or on an agenda it
    # attended), never the register: docs/entitlements.md.
    from exploitation.models import CohortEntry
    from exploitation.selectors import tracker_children

    share = tracker_children(mase).count()
    assert not children_in_scope(mase).exists()
    assert 0 < share <= CohortEntry.objects.filter(closed_date__isnull=True).values("child").distinct().count()
    assert users["board.manager"].scope == Scope.NONE
    admin = users["administrator"]
    assert admin.scope == Scope.NONE and admin.is_staff and not admin.is_superuser
    assert admin.has_perm("accounts.change_user")
    assert not any(u.is_staff for name, u in users.items() if name != "administrator")
