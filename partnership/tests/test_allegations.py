"""Allegations (LADO): open-case chasing and the annual report tables, on hand-worked cases;
who may see them; the audit trail; the child link obeys the register's scope."""

import datetime as dt

import pytest

from accounts.models import Role, Scope
from accounts.tests.factories import UserFactory
from audit.models import Action, AuditEvent
from children.tests.factories import ChildFactory
from organisation.tests.factories import TeamFactory
from partnership import selectors, services
from partnership.models import Allegation, Category, LadoSettings, Outcome, Sector, Source

from .factories import AllegationFactory, agency

pytestmark = pytest.mark.django_db

D = dt.date


def test_open_cases_by_age_with_those_past_the_target_flagged():
    AllegationFactory(reference="OLD", referral_date=D(2014, 3, 31))  # open 154 days
    AllegationFactory(reference="MID", referral_date=D(2014, 7, 15))  # 48 days, due 15 Aug
    AllegationFactory(reference="EDGE", referral_date=D(2014, 8, 1))  # due 1 Sep: on the day, not past
    AllegationFactory(reference="NEW", referral_date=D(2014, 8, 10))  # 22 days
    AllegationFactory(reference="SHUT", referral_date=D(2014, 5, 1), closed_date=D(2014, 9, 1), outcome="false")
    AllegationFactory(reference="LATER", referral_date=D(2014, 9, 2))  # not yet referred
    AllegationFactory(reference="CLOSED-AFTER", referral_date=D(2014, 8, 20), closed_date=D(2014, 9, 2))
    cases = selectors.open_cases(on=D(2014, 9, 1), months=1)
    got = [(c.allegation.reference, c.age_days, c.due, c.overdue) for c in cases]
    assert got == [
        ("OLD", 154, D(2014, 4, 30), True),
        ("MID", 48, D(2014, 8, 15), True),
        ("EDGE", 31, D(2014, 9, 1), False),
        ("NEW", 22, D(2014, 9, 10), False),
        ("CLOSED-AFTER", 12, D(2014, 9, 20), False),
    ]
    chase = selectors.open_by_employer(cases)
    assert [(r.who, r.open, r.past_target, r.oldest_days) for r in chase] == [
        ("Hillside Primary School", 5, 2, 154),  # the factory's employer
    ]
    # The council's setting: three months moves OLD's target to 30 June, MID's to 15 October.
    LadoSettings.objects.create(target_months=3)
    flagged = [c.allegation.reference for c in selectors.open_cases(on=D(2014, 9, 1)) if c.overdue]
    assert flagged == ["OLD"]


def _year():
    schools = agency("Schools", "education")
    trust = agency("Health Trust", "health")
    AllegationFactory(
        referral_date=D(2014, 4, 1),
        sector=Sector.EDUCATION,
        agency=schools,
        category=Category.PHYSICAL,
        source=Source.EMPLOYER,
        strategy_meeting_date=D(2014, 4, 3),
        suspended=True,
        dismissed=True,
        outcome=Outcome.SUBSTANTIATED,
        closed_date=D(2014, 6, 1),
    )
    AllegationFactory(
        referral_date=D(2014, 5, 10),
        sector=Sector.EDUCATION,
        agency=schools,
        category=Category.SEXUAL,
        source=Source.POLICE,
        strategy_meeting_date=D(2014, 5, 12),
        suspended=True,
        convicted_or_cautioned=True,
        outcome=Outcome.UNSUBSTANTIATED,
        closed_date=D(2014, 8, 1),
    )
    AllegationFactory(
        referral_date=D(2014, 7, 15),
        sector=Sector.HEALTH,
        agency=trust,
        category=Category.EMOTIONAL,
        source=Source.PARENT,
        employer_action=True,
        left_employment=True,
    )
    AllegationFactory(
        referral_date=D(2015, 3, 31),
        sector=Sector.FOSTER_CARER,
        category=Category.PHYSICAL,
        source=Source.CHILD,
        employer_action=True,
        outcome=Outcome.MALICIOUS,
        closed_date=D(2015, 4, 20),
    )
    AllegationFactory(referral_date=D(2014, 3, 31), sector=Sector.HEALTH)  # year before
    AllegationFactory(referral_date=D(2015, 4, 1), sector=Sector.HEALTH)  # year after


def _counts(table):
    return {r.label: (r.count, r.percent) for r in table.rows if r.count}


def test_annual_report_tables_count_the_year_referred():
    _year()
    r = selectors.lado_report(D(2014, 4, 1), D(2015, 3, 31))
    assert r.total == 4
    assert _counts(r.by_sector) == {"Education": (2, 50.0), "Health": (1, 25.0), "Foster carer": (1, 25.0)}
    assert r.by_sector.total == 4 and len(r.by_sector.rows) == len(Sector.choices)  # every sector shown, 0 or not
    assert _counts(r.by_agency) == {"Schools": (2, 50.0), "Health Trust": (1, 25.0), "No partner agency": (1, 25.0)}
    assert _counts(r.by_category) == {
        "Physical abuse": (2, 50.0),
        "Sexual abuse": (1, 25.0),
        "Emotional abuse": (1, 25.0),
    }
    assert _counts(r.by_outcome) == {
        "Substantiated": (1, 25.0),
        "Unsubstantiated": (1, 25.0),
        "Malicious": (1, 25.0),
        "No outcome yet": (1, 25.0),
    }
    assert _counts(r.by_source) == {
        "Employer or headteacher": (1, 25.0),
        "Police": (1, 25.0),
        "Parent or carer": (1, 25.0),
        "Child or young person": (1, 25.0),
    }
    assert (r.strategy_meetings, r.employer_action) == (2, 2)
    assert (r.suspended, r.dismissed, r.left_employment, r.convicted_or_cautioned) == (2, 1, 1, 1)
    assert r.open_at_end == 2  # the health one, and the foster carer's closed after 31 March
    assert (r.previous_total, r.change_percent) == (1, 300.0)  # 31 March 2014's; 1 -> 4


def test_whom_to_chase_groups_by_agency_else_employer():
    _year()
    rows = selectors.open_by_employer(selectors.open_cases(on=D(2015, 3, 31), months=3))
    # Open on 31 March 2015: the health one with the Health Trust (since 15 July, 259 days,
    # past target); without an agency, at the factory's employer, the one of 31 March 2014
    # (365 days, past target) and the foster carer's of that day (0 days). Both school ones
    # with the Schools agency were closed, and 1 April 2015's is not yet referred.
    assert [(r.who, r.open, r.past_target, r.oldest_days) for r in rows] == [
        ("Hillside Primary School", 2, 1, 365),
        ("Health Trust", 1, 1, 259),
    ]


def test_an_empty_period_has_zero_percentages():
    r = selectors.lado_report(D(2020, 4, 1), D(2021, 3, 31))
    assert r.total == 0 and all(row.percent == 0.0 for row in r.by_sector.rows)
    assert (r.previous_total, r.change_percent) == (0, None)


def test_the_year_before_a_leap_day():
    assert selectors.year_before(D(2016, 2, 29), D(2017, 3, 31)) == (D(2015, 2, 28), D(2016, 3, 31))


def test_financial_year():
    assert selectors.financial_year(D(2015, 3, 31)) == (D(2014, 4, 1), D(2015, 3, 31))
    assert selectors.financial_year(D(2015, 4, 1)) == (D(2015, 4, 1), D(2016, 3, 31))


def test_update_is_audited_with_the_child_and_the_child_it_leaves():
    manager = UserFactory(role=Role.BOARD_MANAGER)
    first, second = ChildFactory(), ChildFactory()
    a = services.create_allegation(
        manager,
        reference="L1",
        referral_date=D(2024, 1, 5),
        adult_name="A Adult",
        adult_role="Coach",
        employer="Town FC",
        sector=Sector.SPORT,
        category=Category.PHYSICAL,
        source=Source.PARENT,
        child=first,
    )
    created = AuditEvent.objects.get(action=Action.CREATE, object_type="partnership.Allegation")
    assert (created.child_id, created.object_id) == (first.pk, str(a.pk))
    assert services.update_allegation(manager, a, child=second, outcome=Outcome.FALSE) == ["child", "outcome"]
    changes = AuditEvent.objects.filter(action=Action.CHANGE, object_type="partnership.Allegation").order_by("pk")
    assert [(e.child_id, e.detail) for e in changes] == [
        (second.pk, "allegation: child, outcome"),
        (first.pk, "allegation: child unlinked"),
    ]
    assert services.update_allegation(manager, a, outcome=Outcome.FALSE) == []  # nothing changed, nothing logged
    assert AuditEvent.objects.filter(action=Action.CHANGE, object_type="partnership.Allegation").count() == 2


# --- pages --------------------------------------------------------------------


def test_roles_other_than_the_partnership_ones_are_refused(client):
    a = AllegationFactory()
    for role in (Role.SOCIAL_WORKER, Role.DIRECTOR, Role.QA_OFFICER, Role.MASE_MEMBER, Role.ANALYST):
        client.force_login(UserFactory(role=role, scope=Scope.COUNCIL))
        for url in ("/partnership/", "/partnership/allegations/", f"/partnership/allegations/{a.pk}/"):
            assert client.get(url).status_code == 403, (role, url)
    assert AuditEvent.objects.filter(action=Action.FORBIDDEN).count() == 15


def test_board_manager_records_an_allegation_linking_a_child_in_scope(client):
    team = TeamFactory()
    child = ChildFactory(team=team, la_child_id="C-IN")
    outside = ChildFactory(la_child_id="C-OUT")
    manager = UserFactory(role=Role.BOARD_MANAGER, scope=Scope.TEAM, team=team)
    client.force_login(manager)
    form = {
        "reference": "LADO-1",
        "referral_date": "2024-02-01",
        "source": Source.EMPLOYER,
        "adult_name": "Pat Adult",
        "adult_role": "Teaching assistant",
        "employer": "Hillside Primary",
        "sector": Sector.EDUCATION,
        "category": Category.SUITABILITY,
        "children_count": "2",
        "child_ref": "C-OUT",
    }
    response = client.post("/partnership/allegations/new/", form)
    assert "There is no child with that ID that you may see" in response.content.decode()
    assert not Allegation.objects.exists()
    response = client.post("/partnership/allegations/new/", {**form, "child_ref": "C-IN"})
    a = Allegation.objects.get()
    assert response.status_code == 302 and a.child == child and a.created_by == manager
    page = client.get(f"/partnership/allegations/{a.pk}/").content.decode()
    assert "C-IN" in page and "Pat Adult" in page
    assert AuditEvent.objects.filter(action=Action.VIEW, child=child, object_id=str(a.pk)).count() == 1
    assert not AuditEvent.objects.filter(child=outside, object_type="partnership.Allegation").exists()


def test_a_linked_child_outside_scope_is_not_shown_and_the_link_survives_an_edit(client):
    child = ChildFactory(la_child_id="C-SECRET")
    a = AllegationFactory(child=child, reference="L-9", referral_date=D(2024, 1, 2))
    client.force_login(UserFactory(role=Role.BOARD_MANAGER, scope=Scope.NONE))
    page = client.get(f"/partnership/allegations/{a.pk}/").content.decode()
    assert "C-SECRET" not in page and "outside the children you may see" in page
    form = client.get(f"/partnership/allegations/{a.pk}/edit/").content.decode()
    assert "child_ref" not in form and "C-SECRET" not in form
    response = client.post(
        f"/partnership/allegations/{a.pk}/edit/",
        {
            "reference": "L-9",
            "referral_date": "2024-01-02",
            "source": a.source,
            "adult_name": a.adult_name,
            "adult_role": a.adult_role,
            "employer": a.employer,
            "sector": a.sector,
            "category": a.category,
            "children_count": "1",
            "outcome": Outcome.UNFOUNDED,
            "closed_date": "2024-03-01",
        },
    )
    assert response.status_code == 302
    a.refresh_from_db()
    assert a.child == child and a.outcome == Outcome.UNFOUNDED
    assert (
        AuditEvent.objects.filter(action=Action.CHANGE, child=child, object_type="partnership.Allegation").count() == 1
    )


def test_closing_needs_an_outcome_and_dates_after_the_referral(client):
    a = AllegationFactory(referral_date=D(2024, 5, 1))
    client.force_login(UserFactory(role=Role.ADMINISTRATOR))
    response = client.post(
        f"/partnership/allegations/{a.pk}/edit/",
        {
            "reference": a.reference,
            "referral_date": "2024-05-01",
            "source": a.source,
            "adult_name": a.adult_name,
            "adult_role": a.adult_role,
            "employer": a.employer,
            "sector": a.sector,
            "category": a.category,
            "children_count": "1",
            "strategy_meeting_date": "2024-04-30",
            "closed_date": "2024-06-01",
        },
    )
    page = response.content.decode()
    assert "must be the same as or after the referral date" in page and "Give the outcome before closing" in page
    a.refresh_from_db()
    assert a.closed_date is None


def test_chasing_and_the_target_setting(client):
    a = AllegationFactory(referral_date=D(2020, 1, 1))
    client.force_login(UserFactory(role=Role.BOARD_MANAGER))
    page = client.get("/partnership/allegations/").content.decode()
    assert "1 open, 1 past the target of 3 months" in page and "Past target" in page
    client.post(f"/partnership/allegations/{a.pk}/chase/", {"next": "list"})
    a.refresh_from_db()
    assert a.last_chased == selectors.today()
    assert client.post("/partnership/allegations/target/", {"target_months": "0"}).status_code == 200
    client.post("/partnership/allegations/target/", {"target_months": "1"})
    assert selectors.target_months() == 1


def test_report_page_shows_the_tables_for_the_period(client):
    _year()
    client.force_login(UserFactory(role=Role.BOARD_MANAGER))
    page = client.get("/partnership/allegations/report/?start=2014-04-01&end=2015-03-31").content.decode()
    assert "4 allegations referred between" in page
    assert "2 resulted in a strategy meeting" in page
    bad = client.get("/partnership/allegations/report/?start=2015-04-01&end=2014-04-01").content.decode()
    assert "The end of the period must be the same as or after its start" in bad


def test_initial_consideration_within_one_working_day():
    # Friday 2 May 2014: Monday 5 May is the early May bank holiday, so it is due Tuesday 6 May.
    AllegationFactory(referral_date=D(2014, 5, 2), initial_consideration_date=D(2014, 5, 6))
    AllegationFactory(referral_date=D(2014, 5, 2), initial_consideration_date=D(2014, 5, 7))  # late
    # Thursday 17 April 2014: Good Friday and Easter Monday, so due Tuesday 22 April.
    AllegationFactory(referral_date=D(2014, 4, 17), initial_consideration_date=D(2014, 4, 22))
    AllegationFactory(referral_date=D(2014, 4, 17))  # none recorded
    r = selectors.lado_report(D(2014, 4, 1), D(2015, 3, 31))
    assert (r.considered, r.considered_in_time) == (3, 2)
    on_the_day = selectors.open_cases(on=D(2014, 4, 22), months=3)
    assert [c.consideration_overdue for c in on_the_day] == [False, False]  # 22 April is still in time
    after = selectors.open_cases(on=D(2014, 4, 23), months=3)
    assert [c.consideration_overdue for c in after] == [False, True]


def test_a_council_closure_day_moves_the_initial_consideration():
    from timescales.models import LocalClosureDay

    LocalClosureDay.objects.create(day=D(2014, 12, 29))
    AllegationFactory(referral_date=D(2014, 12, 24), initial_consideration_date=D(2014, 12, 30))
    # 25, 26 December bank holidays, 27-28 weekend, 29 closed: due Tuesday 30 December.
    assert selectors.lado_report(D(2014, 12, 1), D(2014, 12, 31)).considered_in_time == 1


def test_the_designated_officer_sees_allegations_but_not_training_or_meetings(client):
    a = AllegationFactory()
    client.force_login(UserFactory(role=Role.LADO, scope=Scope.COUNCIL))
    assert client.get("/partnership/").status_code == 200
    assert client.get(f"/partnership/allegations/{a.pk}/").status_code == 200
    assert client.get("/partnership/allegations/report/").status_code == 200
    home = client.get("/partnership/").content.decode()
    assert "Training courses" not in home
    for url in ("/partnership/training/", "/partnership/meetings/", "/partnership/report.xlsx"):
        assert client.get(url).status_code == 403, url


def test_case_of_one_allegation_agrees_with_the_open_list():
    AllegationFactory(referral_date=D(2014, 3, 31))
    AllegationFactory(referral_date=D(2014, 8, 1), closed_date=D(2014, 9, 1), outcome=Outcome.FALSE)
    AllegationFactory(referral_date=D(2014, 9, 2))
    on = D(2014, 9, 1)
    listed = {c.allegation.pk: c for c in selectors.open_cases(on=on)}
    for a in Allegation.objects.all():
        assert selectors.case_of(a, on) == listed.get(a.pk), a.referral_date
    assert len(listed) == 1
