"""Board and sub-group attendance by agency over a period, on hand-worked cases; the pages."""

import datetime as dt

import pytest

from accounts.models import Role
from accounts.tests.factories import UserFactory
from organisation.tests.factories import PartnerAgencyFactory
from partnership import selectors
from partnership.models import Attendance, Meeting

from .factories import AttendanceFactory, BodyFactory, MeetingFactory, MembershipFactory, agency

pytestmark = pytest.mark.django_db

D = dt.date
YEAR = (D(2014, 4, 1), D(2015, 3, 31))
A, DEP, APO, ABS = "attended", "deputy", "apologies", "absent"


def _board():
    board = BodyFactory(name="Board", is_board=True)
    police, health = agency("Police"), agency("Health")
    schools, voluntary = agency("Schools"), agency("Voluntary sector forum")
    MembershipFactory(body=board, agency=police, start_date=D(2014, 1, 1))
    MembershipFactory(body=board, agency=health, start_date=D(2014, 1, 1), end_date=D(2014, 9, 30))
    MembershipFactory(body=board, agency=schools, start_date=D(2014, 10, 1))
    MembershipFactory(body=board, agency=voluntary, start_date=D(2014, 1, 1))
    marks = {
        D(2014, 3, 1): {police: ABS},  # last year
        D(2014, 5, 1): {police: A, health: APO, voluntary: DEP},
        D(2014, 9, 30): {police: ABS, health: A, voluntary: A},  # health's last day as a member
        D(2014, 12, 1): {police: A, schools: A},  # nothing recorded for the voluntary sector
        D(2015, 3, 1): {police: A, schools: APO, voluntary: A, health: A},  # health no longer a member
    }
    for day, statuses in marks.items():
        meeting = MeetingFactory(body=board, date=day)
        for member, status in statuses.items():
            AttendanceFactory(meeting=meeting, agency=member, status=status)
    sub = BodyFactory(name="Training Sub Group")
    MembershipFactory(body=sub, agency=police, start_date=D(2014, 1, 1))
    AttendanceFactory(meeting=MeetingFactory(body=sub, date=D(2014, 7, 1)), agency=police, status=APO)
    return board, sub


def test_attendance_grid_of_the_board():
    board, _ = _board()
    grid = selectors.attendance_grid(board, *YEAR)
    assert [m.date for m in grid.meetings] == [D(2014, 5, 1), D(2014, 9, 30), D(2014, 12, 1), D(2015, 3, 1)]
    got = {r.agency.name: (r.cells, r.expected, r.represented, r.rate) for r in grid.rows}
    assert got == {
        "Health": ([APO, A, "", ""], 2, 1, 50.0),
        "Police": ([A, ABS, A, A], 4, 3, 75.0),
        "Schools": (["", "", A, APO], 2, 1, 50.0),
        "Voluntary sector forum": ([DEP, A, "not_recorded", A], 4, 3, 75.0),
    }
    assert (grid.expected, grid.represented, grid.rate) == (12, 8, 66.7)


def test_attendance_rate_by_agency_over_every_body_lowest_first():
    _board()
    rows = selectors.attendance_by_agency(*YEAR)
    assert [(r.agency, r.expected, r.represented, r.rate) for r in rows] == [
        ("Health", 2, 1, 50.0),
        ("Schools", 2, 1, 50.0),
        ("Police", 5, 3, 60.0),
        ("Voluntary sector forum", 4, 3, 75.0),
    ]


def test_members_on_a_day():
    board, _ = _board()
    assert [a.name for a in selectors.member_agencies(board, D(2014, 9, 30))] == [
        "Health",
        "Police",
        "Voluntary sector forum",
    ]
    assert [a.name for a in selectors.member_agencies(board, D(2014, 10, 1))] == [
        "Police",
        "Schools",
        "Voluntary sector forum",
    ]


def test_pages_record_a_meeting_and_its_attendance(client):
    client.force_login(UserFactory(role=Role.ADMINISTRATOR))
    client.post("/partnership/meetings/bodies/new/", {"name": "BSCB Board", "is_board": "on"})
    board = selectors.Body.objects.get()
    police, ccg = PartnerAgencyFactory(name="Police"), PartnerAgencyFactory(name="CCG")
    PartnerAgencyFactory(name="Not a member")
    client.post(
        f"/partnership/meetings/bodies/{board.pk}/members/new/", {"agency": police.pk, "start_date": "2014-01-01"}
    )
    client.post(f"/partnership/meetings/bodies/{board.pk}/members/new/", {"agency": ccg.pk, "start_date": "2014-01-01"})
    response = client.post(f"/partnership/meetings/bodies/{board.pk}/meetings/new/", {"date": "2014-06-12"})
    meeting = Meeting.objects.get()
    assert response.url == f"/partnership/meetings/{meeting.pk}/"
    again = client.post(f"/partnership/meetings/bodies/{board.pk}/meetings/new/", {"date": "2014-06-12"})
    assert "already has a meeting on that day" in again.content.decode()
    form = client.get(response.url).content.decode()
    assert "Police" in form and "CCG" in form and "Not a member" not in form
    client.post(response.url, {f"agency_{police.pk}": "attended", f"agency_{ccg.pk}": "apologies"})
    assert dict(Attendance.objects.values_list("agency__name", "status")) == {"Police": A, "CCG": APO}
    page = client.get(f"/partnership/meetings/bodies/{board.pk}/?start=2014-04-01&end=2015-03-31").content.decode()
    assert "represented at 1 of 2 expected attendances (50.0%)" in page
    report = client.get("/partnership/meetings/report/?start=2014-04-01&end=2015-03-31").content.decode()
    assert "CCG" in report and "Police" in report


def test_ending_a_seat_takes_later_meetings_out_of_its_rate(client):
    board, _ = _board()
    client.force_login(UserFactory(role=Role.BOARD_MANAGER))
    seat = board.memberships.get(agency__name="Police")
    url = f"/partnership/meetings/members/{seat.pk}/"
    bad = client.post(url, {"agency": seat.agency_id, "start_date": "2014-01-01", "end_date": "2013-12-31"})
    assert "The seat ends before it starts" in bad.content.decode()
    client.post(url, {"agency": seat.agency_id, "start_date": "2014-01-01", "end_date": "2014-10-31"})
    police = next(r for r in selectors.attendance_grid(board, *YEAR).rows if r.agency.name == "Police")
    assert (police.cells, police.expected, police.represented) == ([A, ABS, "", ""], 2, 1)
