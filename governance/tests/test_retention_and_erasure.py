"""Retention and erasure (issue 16 point 4, decision 0031): the schedule with its sources, the records past
it (hand-worked dates), and erasure that removes a child's records everywhere and keeps only that it happened."""

import datetime as dt

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from accounts.models import Role, Scope
from accounts.tests.factories import UserFactory
from audit.models import Action, AuditEvent
from audit.services import record_view
from audits.tests.factories import CaseAuditFactory
from children.models import AdoptionMilestone, Assessment, Child, Referral
from children.tests.factories import (
    AssessmentFactory,
    ChildFactory,
    ChildProtectionPlanFactory,
    LookedAfterEpisodeFactory,
    ReferralFactory,
)
from exploitation.models import CohortEntry
from exploitation.tests.factories import CohortEntryFactory
from governance.models import RetentionRule
from governance.retention import past_retention
from partnership.models import Allegation
from partnership.tests.factories import AllegationFactory
from returns.models import ImportRun, Problem, SourceRecord

pytestmark = pytest.mark.django_db
D = dt.date
TODAY = D(2026, 12, 5)


def test_the_default_schedule_names_its_sources():
    rules = {r.kind: r for r in RetentionRule.objects.all()}
    assert (rules["looked_after"].years, rules["looked_after"].counted_from) == (75, "birth")
    assert "reg. 50" in rules["looked_after"].source
    assert (rules["adopted"].years, rules["adopted"].counted_from) == (100, "adoption_order")
    assert "reg. 6" in rules["adopted"].source
    assert "council" in rules["child_in_need"].source


def listed(today=TODAY) -> dict[str, tuple[str, D]]:
    return {p.la_child_id: (p.kind, p.kept_until) for p in past_retention(today)}


def test_which_records_are_past_retention():
    ChildFactory(la_child_id="CIN-OLD", birth_date=D(1990, 6, 1))  # 25th birthday 1 June 2015: past
    ChildFactory(la_child_id="CIN-YOUNG", birth_date=D(2005, 6, 1))  # 2030: kept
    ChildFactory(la_child_id="NO-DOB", birth_date=None)  # cannot tell: not listed
    cla = ChildFactory(la_child_id="CLA-OLD", birth_date=D(1990, 6, 1))
    LookedAfterEpisodeFactory(child=cla, start_date=D(2000, 1, 1))  # 75 years from birth: 2065, kept
    adopted = ChildFactory(la_child_id="ADOPTED", birth_date=D(1915, 3, 1))
    LookedAfterEpisodeFactory(child=adopted, start_date=D(1917, 1, 1))
    AdoptionMilestone.objects.create(child=adopted, adoption_order_date=D(1920, 5, 4))  # 2020; care 1990
    leap = ChildFactory(la_child_id="LEAP", birth_date=D(2000, 2, 29))  # 25 years on: 28 February 2025

    got = listed()
    assert got == {
        "CIN-OLD": ("child_in_need", D(2015, 6, 1)),
        "ADOPTED": ("adopted", D(2020, 5, 4)),
        "LEAP": ("child_in_need", D(2025, 2, 28)),
    }
    assert "LEAP" not in listed(D(2025, 2, 27))  # the day before it falls due
    assert leap.pk


def test_counting_from_the_last_activity():
    RetentionRule.objects.filter(kind="child_in_need").update(years=6, counted_from="last_activity")
    quiet = ChildFactory(la_child_id="QUIET", birth_date=D(2010, 1, 1))
    ReferralFactory(child=quiet, referral_date=D(2019, 1, 7), closure_date=D(2020, 11, 30))
    busy = ChildFactory(la_child_id="BUSY", birth_date=D(2010, 1, 1))
    ReferralFactory(child=busy, referral_date=D(2019, 1, 7), closure_date=D(2021, 1, 4))
    ChildFactory(la_child_id="NOTHING", birth_date=D(2010, 1, 1))  # no activity: cannot tell
    assert listed() == {"QUIET": ("child_in_need", D(2026, 11, 30))}


@pytest.fixture
def officer(client):
    user = UserFactory(username="ig", role=Role.INFO_GOVERNANCE, scope=Scope.NONE)
    client.force_login(user)
    return user


@pytest.fixture
def child_with_everything(tmp_path):
    child = ChildFactory(la_child_id="ERASE1", first_name="Erasefirst", last_name="Eraselast")
    referral = ReferralFactory(child=child)
    AssessmentFactory(referral=referral)
    ChildProtectionPlanFactory(child=child, referral=referral)
    CohortEntryFactory(child=child)
    CaseAuditFactory(child=child)  # PROTECT: must go before the child
    AllegationFactory(child=child)
    stored = tmp_path / "return.xml"
    stored.write_text("<Message/>")
    run = ImportRun.objects.create(kind="cin", file_name="cin.xml", stored_path=str(stored), sha256="0" * 64)
    SourceRecord.objects.create(
        run=run, content_type=ContentType.objects.get_for_model(Referral), object_id=referral.pk,
        record_path="Child[1]", created=True,
    )  # fmt: skip
    Problem.objects.create(run=run, severity="warning", rule="x", file_name="cin.xml", child_id="ERASE1", message="m")
    record_view(None, child, detail="an earlier look")
    other = ChildFactory(la_child_id="KEEP1")
    ReferralFactory(child=other)
    return child, other, stored


def test_erasure_removes_the_child_everywhere_and_the_log_keeps_only_that_it_happened(
    client, officer, child_with_everything, django_capture_on_commit_callbacks
):
    child, other, stored = child_with_everything
    pk = child.pk
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("erase", args=[pk]), {"confirm": "ERASE1", "reason": "past retention"})
    assert response.status_code == 302

    assert not Child.objects.filter(pk=pk).exists()
    assert not Referral.objects.filter(child_id=pk).exists() and not Assessment.objects.filter(referral__child_id=pk)
    assert not CohortEntry.objects.filter(child_id=pk).exists()
    assert not Allegation.objects.filter(child_id=pk).exists()
    assert not SourceRecord.objects.exists() and not Problem.objects.filter(child_id="ERASE1").exists()
    assert not stored.exists()
    assert Child.objects.filter(pk=other.pk).exists() and Referral.objects.filter(child=other).exists()

    event = AuditEvent.objects.get(action=Action.DELETE, detail__startswith="erasure")
    assert (event.username, event.child_id) == ("ig", pk)
    assert "past retention" in event.detail
    assert "ERASE1" not in event.detail and "Erase" not in event.detail.replace("erasure", "")
    assert AuditEvent.objects.filter(detail="an earlier look", child_id=pk).exists()


def test_a_wrong_confirmation_erases_nothing(client, officer, child_with_everything):
    child, _, stored = child_with_everything
    response = client.post(reverse("erase", args=[child.pk]), {"confirm": "ERASE2", "reason": "past retention"})
    assert response.status_code == 200 and "not this child" in response.content.decode()
    assert Child.objects.filter(pk=child.pk).exists() and stored.exists()


def test_only_the_officer_reviews_and_erases(client, child_with_everything):
    child, _, _ = child_with_everything
    client.force_login(UserFactory(role=Role.ADMINISTRATOR, scope=Scope.COUNCIL, is_staff=True))
    assert client.get(reverse("retention")).status_code == 403
    assert client.post(reverse("erase", args=[child.pk]), {"confirm": "ERASE1", "reason": "x"}).status_code == 403
    assert Child.objects.filter(pk=child.pk).exists()


def test_the_review_page_lists_what_is_past_retention(client, officer):
    ChildFactory(la_child_id="CIN-OLD", birth_date=D(1990, 6, 1))
    page = client.get(reverse("retention")).content.decode()
    assert "CIN-OLD" in page and "reg. 50" in page and "Past retention: 1" in page
