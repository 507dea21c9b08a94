"""The audit log answers "who saw or exported this child?" (issue 12 point 7, decision 0017): every list,
search, page and export records the children it actually showed, so the child's audit trail holds the
user, the time and the page; a child the list did not show (another page, another team, filtered out)
is not answered."""

import datetime as dt
import io
import time
import zipfile

import pytest
from django.urls import reverse

from accounts.models import Role, Scope
from accounts.tests.factories import UserFactory
from audit import selectors
from audit.models import Action, AuditEvent, ShownChild
from audit.services import record_shown
from children.models import Contact
from children.tests.factories import AssessmentFactory, ChildFactory, LookedAfterEpisodeFactory, ReferralFactory
from organisation.tests.factories import TeamFactory, WorkerFactory
from returns.models import ImportRun, Problem, Status

pytestmark = pytest.mark.django_db


def saw(child, user) -> set[tuple[str, str]]:
    """(action, path) of the events by `user` that answer "who saw or exported this child?"."""
    return set(selectors.who_saw(child.pk).filter(user=user).values_list("action", "path"))


@pytest.fixture
def east():
    team = TeamFactory(name="East")
    worker = WorkerFactory(team=team, name="Sam")
    return team, worker


def manager(team):
    return UserFactory(role=Role.TEAM_MANAGER, scope=Scope.TEAM, team=team)


def test_the_children_list_records_the_page_it_showed_not_the_next_page(client, east):
    team, _ = east
    children = [ChildFactory(team=team, last_name=f"Name{n:02d}") for n in range(51)]  # 50 on page 1
    user = manager(team)
    client.force_login(user)
    assert client.get(reverse("child_list"), {"state": "all"}).status_code == 200  # no open case: closed
    assert saw(children[0], user) == {(Action.VIEW, "/children/")}
    assert saw(children[50], user) == set()  # on page 2: not shown
    client.get(reverse("child_list"), {"page": 2, "state": "all"})
    assert saw(children[50], user) == {(Action.VIEW, "/children/")}


def test_a_name_search_records_only_the_children_it_found(client, east):
    team, _ = east
    found, other = ChildFactory(team=team, last_name="Smith"), ChildFactory(team=team, last_name="Jones")
    user = manager(team)
    client.force_login(user)
    client.get(reverse("child_list"), {"q": "smi", "state": "all"})
    assert saw(found, user) == {(Action.VIEW, "/children/")}
    assert saw(other, user) == set()


def test_team_and_worker_pages_record_the_children_they_list(client, east):
    team, sam = east
    mine, unallocated, elsewhere = ChildFactory(team=team, worker=sam), ChildFactory(team=team), ChildFactory()
    user = manager(team)
    client.force_login(user)
    client.get(reverse("team_detail", args=[team.pk]))
    client.get(reverse("worker_detail", args=[sam.pk]))
    team_path, worker_path = f"/teams/{team.pk}/", f"/workers/{sam.pk}/"
    assert saw(mine, user) == {(Action.VIEW, team_path), (Action.VIEW, worker_path)}
    assert saw(unallocated, user) == {(Action.VIEW, team_path)}
    assert saw(elsewhere, user) == set()


def test_the_audit_log_page_answers_for_a_child_with_the_lists_that_showed_them(client, east):
    team, _ = east
    shown, hidden = ChildFactory(team=team, last_name="Shown"), ChildFactory(team=team, last_name="Hidden")
    viewer = manager(team)
    client.force_login(viewer)
    client.get(reverse("child_list"), {"q": "Shown", "state": "all"})
    admin = UserFactory(role=Role.ADMINISTRATOR, scope=Scope.COUNCIL)
    client.force_login(admin)
    page = client.get(reverse("audit_log"), {"child": shown.la_child_id})
    events = list(page.context["page"].object_list)
    assert [(e.username, e.path, e.shown_count) for e in events if e.user_id == viewer.pk] == [
        (viewer.username, "/children/", 1)
    ]
    page = client.get(reverse("audit_log"), {"child": hidden.la_child_id})
    assert [e for e in page.context["page"].object_list if e.user_id == viewer.pk] == []
    # Only administrators read the log.
    client.force_login(viewer)
    assert client.get(reverse("audit_log"), {"child": shown.la_child_id}).status_code == 403


def test_the_timescales_list_and_its_download_record_their_children(client, east):
    team, sam = east
    late = ReferralFactory(child=ChildFactory(team=team, worker=sam), referral_date=dt.date(2024, 1, 8))
    AssessmentFactory(referral=late)
    other = ReferralFactory(child=ChildFactory(team=TeamFactory()), referral_date=dt.date(2024, 1, 8))
    AssessmentFactory(referral=other)
    from timescales.services import recompute_all

    recompute_all(dt.date(2024, 4, 2))
    user = UserFactory(role=Role.DIRECTOR, scope=Scope.COUNCIL)
    client.force_login(user)
    path = reverse("obligation_list")
    client.get(path, {"team": team.pk})
    assert saw(late.child, user) == {(Action.VIEW, path)}
    assert saw(other.child, user) == set()
    client.get(path, {"team": team.pk, "format": "xlsx"})
    assert saw(late.child, user) == {(Action.VIEW, path), (Action.EXPORT, path)}
    assert saw(other.child, user) == set()


@pytest.fixture
def analyst(client):
    user = UserFactory(role=Role.ANALYST, scope=Scope.COUNCIL)
    client.force_login(user)
    return user


def test_the_903_export_records_every_child_in_the_file_and_no_other(client, analyst):
    inside = ChildFactory()
    LookedAfterEpisodeFactory(child=inside, start_date=dt.date(2024, 5, 1))
    outside = ChildFactory()  # never looked after: not in the return
    response = client.get(reverse("returns_export"), {"kind": "ssda903", "year": 2025})
    assert response.status_code == 200
    with zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content))) as archive:
        assert any(inside.la_child_id.encode() in archive.read(n) for n in archive.namelist())
    assert saw(inside, analyst) == {(Action.EXPORT, "/returns/export/")}
    assert saw(outside, analyst) == set()


def test_the_cin_census_records_every_child_in_the_file_and_no_other(client, analyst):
    inside = ReferralFactory(referral_date=dt.date(2024, 6, 3)).child
    outside = ChildFactory()  # no referral: not a child in need
    response = client.get(reverse("returns_export"), {"kind": "cin", "year": 2025})
    assert inside.la_child_id.encode() in b"".join(response.streaming_content)
    assert saw(inside, analyst) == {(Action.EXPORT, "/returns/export/")}
    assert saw(outside, analyst) == set()


def test_the_annex_a_export_records_every_child_on_a_list_and_no_other(client, analyst):
    inside, outside = ChildFactory(), ChildFactory()
    Contact.objects.create(child=inside, contact_date=dt.date(2024, 6, 1))
    Contact.objects.create(child=outside, contact_date=dt.date(2023, 1, 1))  # before the period
    response = client.get(reverse("returns_export"), {"kind": "annex_a", "start": "2024-04-01", "end": "2025-03-31"})
    assert response.status_code == 200
    assert saw(inside, analyst) == {(Action.EXPORT, "/returns/export/")}
    assert saw(outside, analyst) == set()


def test_an_import_runs_problems_record_the_register_children_they_name(client, analyst):
    named, other = ChildFactory(), ChildFactory()
    run = ImportRun.objects.create(kind="cin", file_name="x.xml", status=Status.FAILED)
    for child_id in (named.la_child_id, "NOT-ON-REGISTER"):
        Problem.objects.create(run=run, severity="error", rule="r", file_name="x.xml", child_id=child_id, message="m")
    client.get(reverse("returns_run", args=[run.pk]))
    client.get(reverse("returns_problems_xlsx", args=[run.pk]))
    page, workbook = reverse("returns_run", args=[run.pk]), reverse("returns_problems_xlsx", args=[run.pk])
    assert saw(named, analyst) == {(Action.VIEW, page), (Action.EXPORT, workbook)}
    assert saw(other, analyst) == set()


def test_record_shown_of_20000_children_is_one_insert_of_the_links(django_assert_max_num_queries):
    ids = [*range(1, 20_001), 7]  # ids only (the link keeps no constraint); a child twice is recorded once
    started = time.perf_counter()
    with django_assert_max_num_queries(5):  # the event and one insert of the links, not a row each
        event = record_shown(None, ids, action=Action.EXPORT, detail="bulk")
    elapsed = time.perf_counter() - started
    assert ShownChild.objects.filter(event=event).count() == 20_000
    assert AuditEvent.objects.filter(pk=event.pk, child__isnull=True).exists()
    print(f"record_shown of 20,000 children: {elapsed:.3f} s")
    assert elapsed < 10


def cohort_worker(team):
    return UserFactory(role=Role.TEAM_MANAGER, scope=Scope.TEAM, team=team)


def test_the_exploitation_cohort_records_the_children_on_the_page_even_from_the_page_cache(client, east):
    from exploitation.tests.factories import CohortEntryFactory

    team, _ = east
    shown = CohortEntryFactory(child=ChildFactory(team=team)).child
    not_in_cohort = ChildFactory(team=team)
    user = cohort_worker(team)
    client.force_login(user)
    client.get(reverse("exploitation_cohort"))
    client.get(reverse("exploitation_cohort"))  # the second is served from the page cache
    assert selectors.who_saw(shown.pk).filter(user=user, path="/exploitation/").count() == 2
    assert saw(not_in_cohort, user) == set()


def test_the_network_records_the_linked_children_it_draws(client, east):
    from exploitation.tests.factories import CohortEntryFactory, SubjectFactory, SubjectLinkFactory

    team, _ = east
    centre, linked = (CohortEntryFactory(child=ChildFactory(team=team)).child for _ in range(2))
    unlinked = CohortEntryFactory(child=ChildFactory(team=team)).child
    place = SubjectFactory()
    SubjectLinkFactory(subject=place, child=centre)
    SubjectLinkFactory(subject=place, child=linked)
    user = cohort_worker(team)
    client.force_login(user)
    path = reverse("exploitation_network", args=[centre.pk])
    assert client.get(path).status_code == 200
    assert saw(linked, user) == {(Action.VIEW, path)}
    assert saw(centre, user) == {(Action.VIEW, path)}
    assert saw(unlinked, user) == set()


def test_the_tracker_edit_forms_record_a_view_of_their_child(client, east):
    from exploitation.tests.factories import CohortEntryFactory

    team, _ = east
    child, other = CohortEntryFactory(child=ChildFactory(team=team)).child, ChildFactory(team=team)
    user = cohort_worker(team)
    client.force_login(user)
    for name in ("exploitation_rating", "exploitation_plan", "exploitation_link"):
        assert client.get(reverse(name, args=[child.pk])).status_code == 200
    assert {p for _, p in saw(child, user)} == {
        reverse(n, args=[child.pk]) for n in ("exploitation_rating", "exploitation_plan", "exploitation_link")
    }
    assert saw(other, user) == set()


def test_the_indicator_drill_down_records_the_rows_shown_and_the_download_all_rows(client, east):
    from indicators import selectors as indicator_selectors

    team, _ = east
    indicator_selectors.clear_cache()
    inside = ReferralFactory(child=ChildFactory(team=team), referral_date=dt.date(2024, 5, 1)).child
    elsewhere = ReferralFactory(child=ChildFactory(), referral_date=dt.date(2024, 5, 1)).child  # not in scope
    user = manager(team)
    client.force_login(user)
    path = reverse("indicator_drill", args=["REFERRALS"])
    try:
        assert client.get(path, {"kind": "ytd", "fy": 2024, "m": 6}).status_code == 200
        client.get(path, {"kind": "ytd", "fy": 2024, "m": 6, "format": "xlsx"})
    finally:
        indicator_selectors.clear_cache()
    assert saw(inside, user) == {(Action.VIEW, path), (Action.EXPORT, path)}
    assert saw(elsewhere, user) == set()


def test_audit_pages_record_the_children_they_name(client):
    from audits.tests.factories import CaseAuditFactory, QAOfficerFactory

    officer = QAOfficerFactory()
    mine = CaseAuditFactory(auditor=officer)
    sampled = CaseAuditFactory(round=mine.round)  # another auditor's case in the same round
    elsewhere = ChildFactory()
    client.force_login(officer)
    home, audits_home = reverse("home"), reverse("audits_home")
    round_page = reverse("audits_round", args=[mine.round.pk])
    form = reverse("audits_action_add", args=[mine.pk])
    for path in (home, audits_home, round_page, form):
        assert client.get(path).status_code == 200
    assert saw(mine.child, officer) == {
        (Action.VIEW, home),  # the reminders on the home page
        (Action.VIEW, audits_home),
        (Action.VIEW, round_page),
        (Action.VIEW, form),
    }
    assert saw(sampled.child, officer) == {(Action.VIEW, round_page)}
    assert saw(elsewhere, officer) == set()


def test_audit_results_record_the_children_named_as_graded_worse(client):
    from audits import services as audit_services
    from audits.tests.factories import CaseAuditFactory, QAOfficerFactory, complete, tool

    tool(questions=2)
    worse = complete(CaseAuditFactory(), "Good")
    same = complete(CaseAuditFactory(round=worse.round), "Good")
    reaudit = audit_services.create_reaudit(worse.round, title="Again", due_date=dt.date(2026, 6, 30), by=None)
    complete(reaudit.case_audits.get(child=worse.child), "Inadequate")
    complete(reaudit.case_audits.get(child=same.child), "Good")
    officer = QAOfficerFactory()
    client.force_login(officer)
    path = reverse("audits_round_results", args=[reaudit.pk])
    assert client.get(path).status_code == 200
    assert saw(worse.child, officer) == {(Action.VIEW, path)}
    assert saw(same.child, officer) == set()


def test_a_partners_home_page_records_the_cohort_children_it_lists(client):
    from exploitation.tests.factories import CohortEntryFactory, share_cohort
    from organisation.tests.factories import PartnerAgencyFactory

    shared = CohortEntryFactory().child
    not_shared = CohortEntryFactory().child  # its agency is not on this child's agenda
    agency = share_cohort(PartnerAgencyFactory(kind="police"), shared)
    user = UserFactory(role=Role.MASE_MEMBER, scope=Scope.AGENCY_COHORT, agency=agency)
    client.force_login(user)
    assert client.get(reverse("home")).status_code == 200
    assert saw(shared, user) == {(Action.VIEW, reverse("home"))}
    assert saw(not_shared, user) == set()
