"""The 903 reader's rows on disk (returns/ssda903/store.py): children back in the order first seen,
each with its rows in the order read, as the reader held them in memory before (decision 0042)."""

import datetime as dt

from returns.ssda903.reader import Rec
from returns.ssda903.store import BAD, ChildStore


def rec(location: str, **values) -> Rec:
    return Rec(location, values, dob=dt.date(2015, 1, 2), file="t.csv")


def test_children_come_back_in_the_order_first_seen_with_their_rows_in_the_order_read():
    store = ChildStore()
    store.add("B", "Header", "header.csv row 2", "header.csv", rec("header.csv row 2", sex="F"))
    store.add("A", "Header", "header.csv row 3", "header.csv", rec("header.csv row 3", sex="M"))
    store.add("A", "Episodes", "episodes.csv row 2", "episodes.csv", None)  # rejected row
    store.add("C", "Episodes", "episodes.csv row 3", "episodes.csv", rec("e", start_date=dt.date(2025, 4, 1)))
    store.add("B", "Episodes", "episodes.csv row 4", "episodes.csv", rec("e2", start_date=dt.date(2025, 5, 1)))
    store.mark_bad("B")
    got = list(store.children())
    store.close()
    assert [la_id for la_id, _e in got] == ["B", "A", "C"]
    assert store.count == 3
    b = got[0][1]
    assert [(table, location) for table, location, _f, _r in b] == [
        ("Header", "header.csv row 2"),
        ("Episodes", "episodes.csv row 4"),
        (BAD, ""),
    ]
    assert b[0][3] == ({"sex": "F"}, dt.date(2015, 1, 2), None)
    assert b[1][3][0] == {"start_date": dt.date(2025, 5, 1)}
    assert got[1][1][1] == ("Episodes", "episodes.csv row 2", "episodes.csv", None)


def test_a_second_header_for_a_child_names_where_the_first_was_read():
    store = ChildStore()
    assert store.first_header("A", "header.csv row 2") is None
    assert store.first_header("B", "header.csv row 3") is None
    assert store.first_header("A", "header.csv row 9") == "header.csv row 2"
    store.close()


def test_more_rows_than_a_batch_keep_their_order():
    store = ChildStore()
    for i in range(12_001):
        store.add(f"C{i % 7}", "Reviews", f"reviews.csv row {i + 2}", "reviews.csv", rec(f"r{i}", n=i))
    got = dict(store.children())
    store.close()
    assert list(got) == [f"C{i}" for i in range(7)]
    assert [row[3][0]["n"] for row in got["C3"]] == list(range(3, 12_001, 7))
