"""Section 11 self-assessments: the rolling schedule, submission, panel scrutiny, actions."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from accounts.models import Role, Scope
from accounts.tests.factories import UserFactory
from audits import selectors, services
from audits.models import Section11Assessment
from organisation.tests.factories import PartnerAgencyFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def s11_tool():
    scale = services.create_scale("Section 11", ["Fully met", "Partially met", "Not met"])
    t = services.create_tool("Section 11 tool", scale, use="section11")
    section = services.add_section(t, "Standards")
    services.add_question(section, "1. Senior management commitment")
    services.add_question(section, "2. Safer recruitment")
    return t


def rate(assessment, labels, submit=True, on=dt.date(2026, 3, 1)):
    grades = {g.label: g for g in assessment.tool.scale.grades.all()}
    questions = list(assessment.tool.sections.first().questions.all())
    ratings = {q.pk: (grades[label] if label else None, "") for q, label in zip(questions, labels, strict=True)}
    return services.save_section11(assessment, ratings=ratings, submit=submit, on=on, by=None)


def test_add_months_keeps_the_day_or_takes_the_months_last():
    assert services.add_months(dt.date(2025, 10, 31), 24) == dt.date(2027, 10, 31)
    assert services.add_months(dt.date(2024, 2, 29), 24) == dt.date(2026, 2, 28)
    assert services.add_months(dt.date(2025, 11, 30), 3) == dt.date(2026, 2, 28)


def test_submit_needs_every_standard_and_scrutiny_schedules_the_next_two_years_on(s11_tool):
    agency = PartnerAgencyFactory(name="Bromley CCG")
    a = services.schedule_section11(agency, s11_tool, dt.date(2026, 3, 31), by=None)
    with pytest.raises(ValidationError):
        services.schedule_section11(agency, s11_tool, dt.date(2026, 3, 31), by=None)
    with pytest.raises(ValidationError):
        rate(a, ["Fully met", None])
    rate(a, ["Fully met", None], submit=False)
    assert a.submitted_on is None and a.ratings.count() == 2
    with pytest.raises(ValidationError):  # the panel needs a submission
        services.scrutinise_section11(a, on=dt.date(2026, 4, 10), notes="", by=None)
    rate(a, ["Fully met", "Partially met"])
    assert a.submitted_on == dt.date(2026, 3, 1) and a.status(dt.date(2026, 4, 1)) == "Submitted, awaiting panel"
    with pytest.raises(ValidationError):
        rate(a, ["Not met", "Not met"])  # submitted: changes only at the panel
    following = services.scrutinise_section11(a, on=dt.date(2026, 4, 10), notes="Recruitment checks", by=None)
    assert following.due_date == dt.date(2028, 3, 31) and following.agency == agency
    assert a.status(dt.date(2026, 5, 1)) == "Scrutinised"
    with pytest.raises(ValidationError):
        services.scrutinise_section11(a, on=dt.date(2026, 4, 11), notes="", by=None)


def test_scrutiny_does_not_add_a_second_next_when_one_is_scheduled(s11_tool):
    agency = PartnerAgencyFactory()
    a = services.schedule_section11(agency, s11_tool, dt.date(2026, 3, 31), by=None)
    services.schedule_section11(agency, s11_tool, dt.date(2027, 9, 30), by=None)
    rate(a, ["Fully met", "Fully met"])
    assert services.scrutinise_section11(a, on=dt.date(2026, 4, 10), notes="", by=None) is None
    assert Section11Assessment.objects.filter(agency=agency).count() == 2


def test_schedule_shows_each_agencys_last_scrutiny_and_the_one_now_due(s11_tool):
    today = dt.date(2026, 5, 1)
    police, health, school = (PartnerAgencyFactory(name=n) for n in ("Police", "Health trust", "School"))
    done = services.schedule_section11(police, s11_tool, dt.date(2026, 1, 31), by=None)
    rate(done, ["Fully met", "Not met"])
    services.scrutinise_section11(done, on=dt.date(2026, 2, 20), notes="", by=None)
    services.schedule_section11(health, s11_tool, dt.date(2026, 4, 30), by=None)  # overdue
    submitted = services.schedule_section11(school, s11_tool, dt.date(2026, 6, 30), by=None)
    rate(submitted, ["Partially met", "Partially met"])
    rows = {
        r.agency.name: (r.last_scrutinised, r.current and r.current.due_date, r.status)
        for r in selectors.section11_schedule(today)
    }
    assert rows == {
        "Health trust": (None, dt.date(2026, 4, 30), "Overdue"),
        "Police": (done, dt.date(2028, 1, 31), "Due"),
        "School": (None, dt.date(2026, 6, 30), "Submitted, awaiting panel"),
    }
    grades = list(s11_tool.scale.grades.all())
    scrutinised = Section11Assessment.objects.filter(scrutinised_on__isnull=False)
    counts = [(q.text, c) for q, c in selectors.section11_ratings(scrutinised, grades)]
    assert counts == [("1. Senior management commitment", [1, 0, 0]), ("2. Safer recruitment", [0, 0, 1])]


def test_section11_pages_for_the_board_manager_not_for_a_team_manager(client, s11_tool):
    agency = PartnerAgencyFactory(name="Kings College Hospital")
    board = UserFactory(role=Role.BOARD_MANAGER, scope=Scope.NONE)
    client.force_login(UserFactory(role=Role.TEAM_MANAGER, scope=Scope.TEAM))
    assert client.get("/audits/section11/").status_code == 403
    client.force_login(board)
    response = client.post("/audits/section11/", {"agency": agency.pk, "tool": s11_tool.pk, "due_date": "2026-06-30"})
    assert response.status_code == 302
    a = Section11Assessment.objects.get()
    url = f"/audits/section11/{a.pk}/"
    q1, q2 = s11_tool.sections.first().questions.all()
    fully = s11_tool.scale.grades.get(label="Fully met")
    client.post(url, {"add": "ratings", f"s{q1.pk}_grade": fully.pk, f"s{q2.pk}_grade": fully.pk, "submit": "1"})
    a.refresh_from_db()
    assert a.submitted_on is not None
    client.post(
        url, {"add": "action", "a-text": "Refresh DBS checks", "a-owner": "HR lead", "a-due_date": "2026-09-30"}
    )
    client.post(url, {"add": "scrutiny", "scrutinised_on": "2026-07-15", "notes": "Assured"})
    a.refresh_from_db()
    assert a.scrutinised_on == dt.date(2026, 7, 15) and a.actions.get().text == "Refresh DBS checks"
    client.post(url, {"done": a.actions.get().pk})
    assert a.actions.get().done_date is not None
    page = client.get("/audits/section11/").content.decode()
    assert "Kings College Hospital" in page and "30 Jun 2028" in page


def test_a_section11_tool_is_not_offered_for_case_audit_rounds_nor_a_case_tool_for_section11(client, s11_tool):
    from audits.tests.factories import tool as case_tool

    casework = case_tool()
    with pytest.raises(ValidationError):
        services.create_round(title="x", kind="casework", tool=s11_tool, due_date=dt.date(2026, 5, 1), by=None)
    with pytest.raises(ValidationError):
        services.schedule_section11(PartnerAgencyFactory(), casework, dt.date(2026, 5, 1), by=None)
    client.force_login(UserFactory(role=Role.QA_OFFICER, scope=Scope.COUNCIL))
    rounds_form = client.get("/audits/rounds/new/").content.decode()
    assert f'value="{casework.pk}"' in rounds_form and f'value="{s11_tool.pk}"' not in rounds_form
    schedule_form = client.get("/audits/section11/").content.decode()
    assert f'<option value="{s11_tool.pk}"' in schedule_form and f'<option value="{casework.pk}"' not in schedule_form
