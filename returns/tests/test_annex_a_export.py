import datetime as dt

import pytest

from children.models import Child, Referral
from returns.annex_a.exporter import export_annex_a
from returns.models import SourceRecord
from returns.tests.test_annex_a_helpers import SAMPLE, clear_register, import_workbook, snapshot

pytestmark = pytest.mark.django_db

WIDE = (dt.date(1990, 1, 1), dt.date(2030, 12, 31))


def test_round_trip_of_the_sample(tmp_path):
    import_workbook(SAMPLE)
    first = snapshot()
    out = tmp_path / "export.xlsx"
    counts = export_annex_a(out, *WIDE)
    print(counts)
    clear_register()
    assert snapshot()["children"] == []
    import_workbook(out)
    second = snapshot()
    for key in first:
        assert second[key] == first[key], key
    sources = SourceRecord.objects.count()
    again = import_workbook(out)
    assert snapshot() == first
    assert SourceRecord.objects.count() == sources
    assert all(set(c) <= {"unchanged"} for c in again.summary.values()), again.summary


def _sheet(path, number):
    from openpyxl import load_workbook

    from returns.annex_a.reader import LISTS

    rows = list(load_workbook(path)[f"List {number}"].values)
    keys = [c.key for c in LISTS[number].columns]
    assert rows[0] == tuple(c.header for c in LISTS[number].columns)
    return [dict(zip(keys, r, strict=True)) for r in rows[1:]]


def _d(*args):
    return dt.datetime(*args)


def test_period_rules_and_derived_columns_worked_by_hand(tmp_path):
    from children.models import LookedAfterEpisode, Section47Enquiry
    from children.tests.factories import ChildFactory, LookedAfterEpisodeFactory, ReferralFactory

    a = ChildFactory(la_child_id="A", birth_date=dt.date(2010, 7, 1), sex="M", ethnicity="APKN")
    b = ChildFactory(la_child_id="B")
    ReferralFactory(child=a, referral_date=dt.date(2023, 3, 1), closure_date=dt.date(2023, 5, 1), source="6")
    r2 = ReferralFactory(child=a, referral_date=dt.date(2023, 9, 1), source="2A")
    ReferralFactory(child=a, referral_date=dt.date(2024, 1, 10), source="1A")
    ReferralFactory(child=b, referral_date=dt.date(2024, 7, 1))  # after the period
    Section47Enquiry.objects.create(referral=r2, start_date=dt.date(2023, 9, 2))
    Section47Enquiry.objects.create(referral=r2, start_date=dt.date(2023, 6, 1))  # before the period
    LookedAfterEpisodeFactory(
        child=a, start_date=dt.date(2022, 1, 1), end_date=dt.date(2022, 6, 1), reason_ceased="X1", placement_type="U4"
    )
    LookedAfterEpisodeFactory(
        child=a,
        start_date=dt.date(2022, 6, 1),
        end_date=dt.date(2023, 8, 1),
        reason_ceased="X1",
        reason_new_episode="P",
        placement_type="U6",
    )
    LookedAfterEpisodeFactory(
        child=a, start_date=dt.date(2023, 8, 1), reason_new_episode="L", legal_status="E1", placement_type="U6"
    )
    out = tmp_path / "period.xlsx"
    counts = export_annex_a(out, dt.date(2023, 7, 1), dt.date(2024, 6, 30))
    list3 = _sheet(out, 3)
    assert [(r["child_id"], r["referral_date"], r["source"], r["referrals_12m"]) for r in list3] == [
        ("A", _d(2023, 9, 1), "e) 2A: Schools", 1),  # the referral of 01/03/2023 is within 12 months before
        ("A", _d(2024, 1, 10), "a) 1A: Individual", 2),
    ]
    assert list3[0]["sex"] == "a) Male" and list3[0]["ethnicity"] == "k) APKN" and list3[0]["age"] == 13
    assert [r["referral_date"] for r in _sheet(out, 6)] == [_d(2023, 9, 1), _d(2024, 1, 10)]  # the first closed before
    list5 = _sheet(out, 5)
    assert [(r["start_date"], r["s47_12m"]) for r in list5] == [(_d(2023, 9, 2), 1)]
    (list8,) = _sheet(out, 8)
    assert (list8["date_started"], list8["ls_start"], list8["placement_start"]) == (
        _d(2022, 1, 1),
        _d(2023, 8, 1),
        _d(2022, 6, 1),
    )
    assert (list8["legal_status"], list8["placement_type"], list8["placements_12m"]) == ("E1", "U6", 1)
    assert list8["second_period"] == "b) No" and list8["date_ceased"] is None
    assert counts[3] == 2 and counts[8] == 1
    assert LookedAfterEpisode.objects.count() == 3  # the export writes nothing
    # narrowed to some children (the page passes the user's scope)
    export_annex_a(out, dt.date(2023, 7, 1), dt.date(2024, 6, 30), children=Child.objects.filter(la_child_id="B"))
    assert _sheet(out, 3) == [] and _sheet(out, 8) == []


def test_made_up_referrals_are_not_sent_back_as_referrals(tmp_path):
    from returns.tests.test_annex_a_helpers import workbook

    path = workbook(
        tmp_path / "l4.xlsx", {4: [{"child_id": "A", "start_date": dt.date(2024, 1, 8), "child_seen": "Yes"}]}
    )
    import_workbook(path)
    assert Referral.objects.count() == 1  # made up to hold the assessment
    out = tmp_path / "out.xlsx"
    export_annex_a(out, dt.date(2023, 7, 1), dt.date(2024, 6, 30))
    assert _sheet(out, 3) == [] and _sheet(out, 6) == []
    (row,) = _sheet(out, 4)
    assert (row["start_date"], row["child_seen"]) == (_d(2024, 1, 8), "Yes")


def test_the_exporter_reads_the_placeholder_field_not_the_provenance(tmp_path):
    from children.tests.factories import AssessmentFactory, ChildFactory, ReferralFactory

    a = ChildFactory(la_child_id="A")
    ReferralFactory(child=a, referral_date=dt.date(2023, 9, 1), source="6")
    holder = ReferralFactory(child=a, referral_date=dt.date(2024, 1, 8), placeholder=True)
    AssessmentFactory(referral=holder, start_date=dt.date(2024, 1, 8))
    ReferralFactory(child=a, referral_date=dt.date(2024, 2, 1), source="6")
    out = tmp_path / "out.xlsx"
    export_annex_a(out, dt.date(2023, 7, 1), dt.date(2024, 6, 30))
    # List 3: the two real referrals; the second had one real referral in the 12 months before it
    assert [(r["referral_date"], r["referrals_12m"]) for r in _sheet(out, 3)] == [
        (_d(2023, 9, 1), 0),
        (_d(2024, 2, 1), 1),
    ]
    assert [r["referral_date"] for r in _sheet(out, 6)] == [_d(2023, 9, 1), _d(2024, 2, 1)]
    assert [r["start_date"] for r in _sheet(out, 4)] == [_d(2024, 1, 8)]  # what it holds is still sent


def test_a_backwards_period_is_refused(tmp_path):
    with pytest.raises(ValueError, match="starts"):
        export_annex_a(tmp_path / "x.xlsx", dt.date(2024, 2, 1), dt.date(2024, 1, 1))
