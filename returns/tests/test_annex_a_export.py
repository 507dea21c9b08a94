import datetime as dt

import pytest

from returns.annex_a_export import export_annex_a
from returns.models import SourceRecord

from .test_annex_a_helpers import SAMPLE, clear_register, import_workbook, snapshot

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
