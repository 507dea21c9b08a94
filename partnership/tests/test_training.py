"""Training: courses run, attendees by agency and the pre / post / follow-up evaluation,
on hand-worked cases; the pages that record them."""

import datetime as dt

import pytest

from accounts.models import Role
from accounts.tests.factories import UserFactory
from organisation.tests.factories import PartnerAgencyFactory
from partnership import selectors
from partnership.models import Delegate

from .factories import CourseFactory, DelegateFactory, SessionFactory, agency

pytestmark = pytest.mark.django_db

D = dt.date
YEAR = (D(2014, 4, 1), D(2015, 3, 31))


def _programme():
    police = agency("Police")
    health = agency("Health", "health")
    schools = agency("Schools", "education")
    group3 = CourseFactory(title="Group 3")
    cse = CourseFactory(title="CSE", level="specialist")
    neglect = CourseFactory(title="Neglect")
    a1 = SessionFactory(course=group3, date=D(2014, 5, 1), places=20)
    a2 = SessionFactory(course=group3, date=D(2014, 11, 1), places=10)
    a3 = SessionFactory(course=group3, date=D(2015, 4, 10), places=10)  # next year
    b1 = SessionFactory(course=cse, date=D(2014, 6, 1), places=15)
    c1 = SessionFactory(course=neglect, date=D(2014, 3, 1), places=10)  # last year
    DelegateFactory(session=a1, agency=police, pre_score=2, post_score=4, follow_up_score=4)
    DelegateFactory(session=a1, agency=health, pre_score=3, post_score=4, follow_up_score=3)
    DelegateFactory(session=a1, agency=schools, attended=False, pre_score=1, post_score=5)  # did not come
    DelegateFactory(session=a2, agency=police, pre_score=1, post_score=3)
    DelegateFactory(session=a2, agency=schools)
    DelegateFactory(session=a3, agency=police, pre_score=1, post_score=5)
    DelegateFactory(session=b1, agency=health, pre_score=4, post_score=5, follow_up_score=5)
    DelegateFactory(session=b1, agency=health, post_score=4, follow_up_score=2)
    DelegateFactory(session=c1, agency=schools)


def test_courses_run_and_attendees():
    _programme()
    rows, total = selectors.course_table(*YEAR)
    assert [(r.course.title, r.sessions, r.places, r.attendees, r.fill_percent) for r in rows] == [
        ("CSE", 1, 15, 2, 13.3),
        ("Group 3", 2, 30, 4, 13.3),
    ]
    assert total is not None
    assert (total.sessions, total.places, total.attendees, total.fill_percent) == (3, 45, 6, 13.3)


def test_attendees_by_agency():
    _programme()
    rows, total = selectors.training_by_agency(*YEAR)
    assert total == 6
    assert [(r.agency, r.attendees, r.percent, r.did_not_attend) for r in rows] == [
        ("Health", 3, 50.0, 0),
        ("Police", 2, 33.3, 0),
        ("Schools", 1, 16.7, 1),  # and one booked on 1 May who did not come
    ]
    # The year before: the Neglect session of 1 March 2014 and its one attendee.
    before = selectors.training_totals(*selectors.year_before(*YEAR))
    assert (before.sessions, before.attendees) == (1, 1)


def test_evaluation_changes_pre_to_post_and_post_to_follow_up():
    _programme()
    rows = {r.course.title: r for r in selectors.evaluation(*YEAR)}
    g3 = rows["Group 3"]
    # before/after pairs (2,4) (3,4) (1,3); after/follow-up pairs (4,4) (4,3)
    assert (g3.pre_post_n, g3.pre_mean, g3.post_mean, g3.pre_post_change) == (3, 2.0, 3.67, 1.67)
    assert (g3.follow_n, g3.follow_mean, g3.post_follow_change) == (2, 3.5, -0.5)
    cse = rows["CSE"]
    # (4,5) only; follow-up pairs (5,5) (4,2): confidence faded for one delegate
    assert (cse.pre_post_n, cse.pre_mean, cse.post_mean, cse.pre_post_change) == (1, 4.0, 5.0, 1.0)
    assert (cse.follow_n, cse.follow_mean, cse.post_follow_change) == (2, 3.5, -1.0)
    assert set(rows) == {"Group 3", "CSE"}


def test_a_course_with_no_scores_has_no_means():
    DelegateFactory(session=SessionFactory(date=D(2014, 5, 1)))
    (row,) = selectors.evaluation(*YEAR)
    assert (row.pre_post_n, row.pre_post_change, row.follow_n, row.post_follow_change) == (0, None, 0, None)
    assert selectors.course_table(D(2020, 1, 1), D(2020, 12, 31)) == ([], None)


def test_pages_add_a_course_a_session_and_delegates_with_scores(client):
    client.force_login(UserFactory(role=Role.BOARD_MANAGER))
    police = PartnerAgencyFactory(name="Police")
    client.post("/partnership/training/courses/new/", {"title": "Chronology", "level": "specialist"})
    course = selectors.Course.objects.get(title="Chronology")
    response = client.post(
        f"/partnership/training/courses/{course.pk}/sessions/new/", {"date": "2014-07-01", "places": "12"}
    )
    session = course.sessions.get()
    assert response.url == f"/partnership/training/sessions/{session.pk}/"
    bad = client.post(
        response.url, {"name": "Alex", "agency": police.pk, "attended": "on", "pre_score": "6", "post_score": "3"}
    )
    assert "Ensure this value is less than or equal to 5" in bad.content.decode()
    assert not Delegate.objects.exists()
    client.post(
        response.url, {"name": "Alex", "agency": police.pk, "attended": "on", "pre_score": "2", "post_score": "4"}
    )
    delegate = Delegate.objects.get()
    client.post(
        f"/partnership/training/delegates/{delegate.pk}/",
        {
            "name": "Alex",
            "agency": police.pk,
            "attended": "on",
            "pre_score": "2",
            "post_score": "4",
            "follow_up_score": "5",
        },
    )
    delegate.refresh_from_db()
    assert delegate.follow_up_score == 5
    page = client.get("/partnership/training/report/?start=2014-04-01&end=2015-03-31").content.decode()
    assert "1 course and 1 session attended by 1 people" in page
    assert client.get("/partnership/training/").status_code == 200


def test_training_pages_are_refused_to_other_roles(client):
    client.force_login(UserFactory(role=Role.TEAM_MANAGER))
    for url in ("/partnership/training/", "/partnership/training/report/", "/partnership/meetings/"):
        assert client.get(url).status_code == 403


def test_scores_for_a_whole_session_on_one_page(client):
    client.force_login(UserFactory(role=Role.BOARD_MANAGER))
    session = SessionFactory()
    ann = DelegateFactory(session=session, name="Ann", pre_score=2, post_score=4)
    bob = DelegateFactory(session=session, name="Bob", pre_score=3, post_score=3)
    other = DelegateFactory(name="Elsewhere", post_score=1)  # another session's
    url = f"/partnership/training/sessions/{session.pk}/scores/"
    page = client.get(url).content.decode()
    assert "Ann" in page and "Bob" in page and "Elsewhere" not in page
    form = {
        f"attended_{ann.pk}": "on",
        f"pre_score_{ann.pk}": "2",
        f"post_score_{ann.pk}": "4",
        f"follow_up_score_{ann.pk}": "3",
        f"pre_score_{bob.pk}": "3",
        f"post_score_{bob.pk}": "3",
        f"follow_up_score_{bob.pk}": "6",
        f"follow_up_score_{other.pk}": "5",
    }
    bad = client.post(url, form)
    assert "Ensure this value is less than or equal to 5" in bad.content.decode()
    ann.refresh_from_db()
    assert ann.follow_up_score is None
    client.post(url, {**form, f"follow_up_score_{bob.pk}": ""})  # Bob unticked: did not attend
    ann.refresh_from_db(), bob.refresh_from_db(), other.refresh_from_db()
    assert (ann.attended, ann.follow_up_score) == (True, 3)
    assert (bob.attended, bob.follow_up_score) == (False, None)
    assert other.follow_up_score is None


def test_removing_a_booking_made_in_error_is_audited(client):
    from audit.models import Action, AuditEvent

    client.force_login(UserFactory(role=Role.BOARD_MANAGER))
    d = DelegateFactory(name="Wrong Session")
    assert "Remove this booking" in client.get(f"/partnership/training/delegates/{d.pk}/").content.decode()
    client.get(f"/partnership/training/delegates/{d.pk}/remove/")  # a GET removes nothing
    assert Delegate.objects.filter(pk=d.pk).exists()
    response = client.post(f"/partnership/training/delegates/{d.pk}/remove/")
    assert response.url == f"/partnership/training/sessions/{d.session_id}/"
    assert not Delegate.objects.filter(pk=d.pk).exists()
    event = AuditEvent.objects.get(action=Action.DELETE)
    assert event.object_id == str(d.pk) and "Wrong Session" in event.detail
