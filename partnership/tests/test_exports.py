"""The annual report workbook holds the same hand-worked numbers as the pages."""

from io import BytesIO

import pytest
from openpyxl import load_workbook

from accounts.models import Role
from accounts.tests.factories import UserFactory
from audit.models import Action, AuditEvent

from .test_allegations import _year
from .test_meetings import _board
from .test_training import _programme

pytestmark = pytest.mark.django_db


def _rows(sheet):
    return [[c for c in row] for row in sheet.iter_rows(values_only=True)]


def test_workbook_of_the_year(client):
    _year()
    _programme()
    _board()
    client.force_login(UserFactory(role=Role.BOARD_MANAGER))
    response = client.get("/partnership/report.xlsx?start=2014-04-01&end=2015-03-31")
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="partnership-2014-04-01-to-2015-03-31.xlsx"'
    book = load_workbook(BytesIO(response.content))
    allegations = _rows(book["Allegations"])
    assert ["Allegations referred", 4] == allegations[1][:2]
    assert ["Referred in the same period a year earlier", 1] == allegations[2][:2]
    assert ["Change on a year earlier, %", 300.0] == allegations[3][:2]
    assert ["Still open at the end of the period", 2] == allegations[10][:2]
    assert ["Education", 2, 50.0] in allegations and ["No outcome yet", 1, 25.0] in allegations
    courses = _rows(book["Training courses"])
    assert courses[2:] == [["CSE", 1, 15, 2, 13.3], ["Group 3", 2, 30, 4, 13.3], ["Total", 3, 45, 6, 13.3]]
    assert _rows(book["Training by agency"])[2:] == [
        ["Health", 3, 50.0, 0],
        ["Police", 2, 33.3, 0],
        ["Schools", 1, 16.7, 1],
        ["Total", 6, None, None],
    ]
    assert _rows(book["Training evaluation"])[3] == ["Group 3", 3, 2.0, 3.67, 1.67, 2, 3.5, -0.5]
    assert _rows(book["Attendance by agency"])[2] == ["Health", 2, 1, 50.0]
    board = _rows(book["Board"])
    assert board[2] == ["Health", "Apologies", "Attended", "Not a member", "Not a member", 1, 2, 50.0]
    assert board[5] == ["Voluntary sector forum", "Sent a deputy", "Attended", "Not recorded", "Attended", 3, 4, 75.0]
    assert board[6][-3:] == [8, 12, 66.7]
    assert AuditEvent.objects.filter(action=Action.EXPORT).count() == 1


def test_workbook_is_refused_to_other_roles(client):
    client.force_login(UserFactory(role=Role.ANALYST))
    assert client.get("/partnership/report.xlsx").status_code == 403
