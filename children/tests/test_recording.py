"""Recording by hand what no return carries (issue 14 point 2): a court's extension of care proceedings
(Children Act 1989 s. 32(5), (8)) and a placement made under CPPCR reg. 19 or 24 (visits under reg. 28(3), (4))."""

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role, Scope
from accounts.tests.factories import UserFactory
from audit.models import Action, AuditEvent
from children.models import CareProceedings, CareProceedingsExtension, Visit
from children.models.referral import VisitKind
from children.tests.factories import ChildFactory, LookedAfterEpisodeFactory, ReferralFactory
from organisation.tests.factories import TeamFactory
from timescales.models import Obligation

pytestmark = pytest.mark.django_db


@pytest.fixture
def team():
    return TeamFactory()


@pytest.fixture
def manager(client, team):
    user = UserFactory(role=Role.TEAM_MANAGER, scope=Scope.TEAM, team=team)
    client.force_login(user)
    return user


def issued_days_ago(child, days: int) -> CareProceedings:
    return CareProceedings.objects.create(child=child, issued_date=timezone.localdate() - dt.timedelta(days=days))


def run_worker() -> None:
    """The edit queued its child's recompute (decision 0037): a worker runs it."""
    call_command("run_worker", once=True, stdout=io.StringIO(), stderr=io.StringIO())


def due(child, code: str) -> list[dt.date]:
    return sorted(Obligation.objects.filter(child=child, rule__code=code).values_list("due_date", flat=True))


def test_an_extension_moves_the_proceedings_deadline_and_is_audited(
    client, manager, team, django_capture_on_commit_callbacks
):
    child = ChildFactory(team=team)
    ReferralFactory(child=child, referral_date=timezone.localdate() - dt.timedelta(days=120))  # an open case
    cp = issued_days_ago(child, 100)
    url = reverse("proceedings_extension", args=[cp.pk])
    assert "Record a court extension" in client.get(url).content.decode()

    granted = timezone.localdate() - dt.timedelta(days=2)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"granted_on": granted.isoformat(), "weeks": "4", "reason": "expert report"})
    run_worker()

    assert response.status_code == 302 and response["Location"] == reverse("child_detail", args=[child.pk])
    # 26 weeks beginning with the day of issue (last day issue + 181), then 4 weeks more
    assert due(child, "proceedings") == [cp.issued_date + dt.timedelta(days=181 + 28)]
    created = AuditEvent.objects.get(action=Action.CREATE, object_type="children.CareProceedingsExtension")
    assert (created.child_id, created.username) == (child.pk, manager.username)
    page = client.get(reverse("child_detail", args=[child.pk])).content.decode()
    assert "Extended by 4 weeks" in page and "expert report" in page


@pytest.mark.parametrize(
    ("weeks", "granted_offset", "message"),
    [
        ("9", 2, "up to 8 weeks at a time"),
        ("0", 2, "1 or more"),
        ("nan", 2, "whole number"),
        ("4", -3, "today or in the past"),  # a date in the future
        ("4", 200, "on or after the day of issue"),
    ],
)
def test_a_bad_extension_is_refused_with_a_message_and_changes_nothing(
    client, manager, team, weeks, granted_offset, message
):
    child = ChildFactory(team=team)
    cp = issued_days_ago(child, 100)
    granted = timezone.localdate() - dt.timedelta(days=granted_offset)
    response = client.post(
        reverse("proceedings_extension", args=[cp.pk]), {"granted_on": granted.isoformat(), "weeks": weeks}
    )
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode() and message in response.content.decode()
    assert not CareProceedingsExtension.objects.exists()


def test_only_case_roles_in_scope_record(client, team):
    child = ChildFactory(team=team)
    ReferralFactory(child=child, referral_date=timezone.localdate() - dt.timedelta(days=120))  # an open case
    cp = issued_days_ago(child, 100)
    url = reverse("proceedings_extension", args=[cp.pk])

    client.force_login(UserFactory(role=Role.DIRECTOR, scope=Scope.COUNCIL))
    assert client.get(url).status_code == 403
    assert "Record an extension" not in client.get(reverse("child_detail", args=[child.pk])).content.decode()

    client.force_login(UserFactory(username="elsewhere", role=Role.TEAM_MANAGER, scope=Scope.TEAM, team=TeamFactory()))
    assert client.post(url, {"granted_on": timezone.localdate().isoformat(), "weeks": "4"}).status_code == 404
    assert not CareProceedingsExtension.objects.exists()
    assert AuditEvent.objects.filter(action=Action.FORBIDDEN, username="elsewhere", child=child).exists()


def test_a_placement_recorded_under_regulation_24_is_visited_weekly(
    client, manager, team, django_capture_on_commit_callbacks
):
    child = ChildFactory(team=team)
    start = timezone.localdate() - dt.timedelta(days=20)
    episode = LookedAfterEpisodeFactory(child=child, start_date=start, placement_type="U1", legal_status="C2")
    Visit.objects.create(child=child, kind=VisitKind.CLA, visit_date=start + dt.timedelta(days=3))
    url = reverse("placement_regulation", args=[episode.pk])

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"placement_regulation": "reg24"})
    run_worker()

    assert response.status_code == 302
    episode.refresh_from_db()
    assert episode.placement_regulation == "reg24"
    codes = set(Obligation.objects.filter(child=child).values_list("rule__code", flat=True))
    assert "cla_visit_weekly" in codes  # the next visit after the first: weekly (reg. 28(4)), not 6-weekly
    assert AuditEvent.objects.filter(
        action=Action.CHANGE, child=child, object_type="children.LookedAfterEpisode"
    ).exists()
    page = client.get(reverse("child_detail", args=[child.pk])).content.decode()
    assert "approved temporarily (regulation 24)" in page

    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"placement_regulation": ""})  # neither: back to reg. 28(2)
    run_worker()
    codes = set(Obligation.objects.filter(child=child).values_list("rule__code", flat=True))
    assert "cla_visit_weekly" not in codes


def test_an_unknown_regulation_is_refused(client, manager, team):
    episode = LookedAfterEpisodeFactory(child=ChildFactory(team=team))
    response = client.post(reverse("placement_regulation", args=[episode.pk]), {"placement_regulation": "reg99"})
    assert response.status_code == 200 and "There is a problem" in response.content.decode()
    episode.refresh_from_db()
    assert episode.placement_regulation == ""
