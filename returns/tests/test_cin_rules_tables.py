"""The DfE rules' tables written by the census reader as it reads the file (decision 0073) are the ones
the rules' own reading of the file gives, byte for byte: for the children the schema passes, those it
refuses, those whose sex code or yes/no words it reads differently, and every rule case's file."""

import filecmp
from types import SimpleNamespace

import pytest

from returns.cin.reader import CinReader
from returns.cin.tables import read_tables
from returns.problems import ProblemLog
from returns.tests.cin_rule_cases import CASES, RETURN_LEVEL, SPECIAL, census, child, duplicate_pair, return_level_files
from returns.tests.conftest import DATA


def _same_as_the_rules_reading(tmp_path, path) -> bool:
    reader = CinReader(path, ProblemLog(path.name), for_rules=True)
    try:
        for _ in reader:
            pass
        read = reader.rules_tables()
        if read is None:
            return False
        (tmp_path / "own").mkdir()
        header, tables = read_tables(path, tmp_path / "own")
        assert read[0] == header
        for name, columns in tables.items():
            assert filecmp.cmp(columns.path, read[1][name].path, shallow=False), name
        return True
    finally:
        reader.close()


def _files():
    for case in CASES:
        if case.code in SPECIAL:
            yield f"{case.code}-duplicates", census(duplicate_pair(case.code, same=True))
        else:
            yield f"{case.code}-fail", census([child(**case.fail)])
            yield f"{case.code}-ok", census([child(**case.ok)])
    for code in RETURN_LEVEL:
        fail, ok = return_level_files(code)
        yield f"{code}-fail", fail
        yield f"{code}-ok", ok
    # read by the reader as something else than the file says (the rules judge the file's own text)
    words = census([child(sex=None)]).replace(
        "</ChildIdentifiers>", "<GenderCurrent>1</GenderCurrent></ChildIdentifiers>"
    )
    yield "sex-code", words
    yield "refused-by-the-schema", census([child(expected="1066-04-13")])


FILES = dict(_files())


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(FILES))
def test_the_readers_tables_are_the_rules_own(tmp_path, name):
    path = tmp_path / "census.xml"
    path.write_text(FILES[name])
    reader = CinReader(path, ProblemLog(path.name), for_rules=True)
    for _ in reader:
        pass
    if reader.fatal:  # a file the reader stops on gives no tables: the rules read it themselves
        assert reader.rules_tables() is None
        reader.close()
        return
    reader.close()
    assert _same_as_the_rules_reading(tmp_path, path)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name", ["cin_full_2025.xml", "fake_CIN_data.xml", "bad_codes_dates.xml", "CIN_Census_2024.xml"]
)
def test_the_readers_tables_for_the_test_files(tmp_path, name):
    assert _same_as_the_rules_reading(tmp_path, DATA / name)


@pytest.mark.django_db
def test_a_file_with_comments_is_read_by_the_rules_themselves(tmp_path):
    # The reader drops comments, which joins the text on either side; the rules' reading keeps them.
    path = tmp_path / "census.xml"
    path.write_text(census([child()]).replace("</ChildIdentifiers>", "<!-- a note --></ChildIdentifiers>"))
    reader = CinReader(path, ProblemLog(path.name), for_rules=True)
    for _ in reader:
        pass
    assert not reader.fatal and reader.rules_tables() is None
    reader.close()


@pytest.mark.django_db
def test_the_import_writes_the_rules_tables_in_the_reading_on_sqlite_only():
    # On PostgreSQL the rules read the file in a thread beside the writing (decisions 0060, 0073).
    from django.db import connection

    from returns.formats import format_for

    run = SimpleNamespace(stored_path="census.xml")
    reader = format_for("cin").reader(run, ProblemLog("census.xml"), None)
    assert reader.for_rules is (connection.vendor == "sqlite")
