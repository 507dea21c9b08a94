"""The 903 tables staged for the rules: DuckDB's CSV reader and the Python reader give the same
rows and the same locations, on clean files and on the faults real files have."""

import zipfile

import duckdb
import pytest

from returns.ssda903 import tables as t
from returns.ssda903.reader import TABLES
from returns.tests.conftest import DATA

# ../shared beside the checkout, as CI lays it out.
SAMPLES = DATA.parents[3] / "shared" / "data" / "samples"

HEADER = "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB"


def _both(path):
    python, staged = duckdb.connect(), duckdb.connect()
    t.load(python, t.read_tables(path), 2026)
    t.stage(staged, path)
    t.finish(staged, 2026)

    def rows(con):
        return {
            n: con.execute(f"SELECT * EXCLUDE (row_no) FROM {t.sql_name(n)} ORDER BY row_no").fetchall() for n in TABLES
        }

    return rows(python), rows(staged)


def _zip(tmp_path, files: dict[str, bytes]):
    path = tmp_path / "return.zip"
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return path


FAULTS = {
    "clean": f"{HEADER}\n1,1,01/01/2015,WBRI,,,\n2,2,02/02/2016,WBRI,,,\n",
    "crlf and a byte order mark": "\ufeff" + f"{HEADER}\r\n1,1,01/01/2015,WBRI,,,\r\n",
    "a blank line in the middle": f"{HEADER}\n1,1,01/01/2015,WBRI,,,\n\n2,2,02/02/2016,WBRI,,,\n",
    "a row of commas": f"{HEADER}\n1,1,01/01/2015,WBRI,,,\n,,,,,,\n2,2,02/02/2016,WBRI,,,\n",
    "a row too short and one too long": f"{HEADER}\n1,1,01/01/2015\n2,2,02/02/2016,WBRI,,,,x\n3,1,03/03/2017,WBRI,,,\n",
    "spaces and non-breaking spaces": f"{HEADER}\n 1 ,\u00a01,01/01/2015 ,\tWBRI,  ,,\n",
    # Each character staging trims (as str.strip()), at either end of a cell and alone, in rows where the other
    # cells need nothing; quoted empty cells; the separator staging joins cells with, inside a cell.
    "every edge character, alone in its row": f"{HEADER}\n"
    + "".join(
        f"{i}a,1,01/01/2015{c},WBRI,,,\n{i}b,{c}2,01/01/2015,WBRI,,,\n{i}c,1,01/01/2015,WBRI,{c},,\n"
        for i, c in enumerate(c for c in map(chr, range(0x3001)) if c.isspace() and c not in "\r\n")
    )
    + '8x,"",01/01/2015,WBRI,,,\n"",1,"",WBRI,,,\n9,1,a\x1f b,WBRI,,,\n9,1,01/01/2015,WBRI,,,\n',
    # The same with no quote in the file: staging then skips trimming unless a space is next to a comma or a
    # line end (_untrimmed); each such character must still be found.
    "every edge character, no quote in the file": f"{HEADER}\n"
    + "".join(
        f"{i}a,1,01/01/2015{c},WBRI,,,\n{i}b,{c}2,01/01/2015,WBRI,,,\n{i}c,1,01/01/2015,WBRI,{c},,\n{i}d,1,x,WBRI,,,{c}\n"
        for i, c in enumerate(c for c in map(chr, range(0x3001)) if c.isspace() and c not in "\r\n")
    ),
    "quoted commas and quotes": f'{HEADER}\n"1,a","say ""x""",01/01/2015,WBRI,,,\n',
    "extra and missing columns": "LA,CHILD,DOB,SEX,YEAR\nE1,1,01/01/2015,1,2026\n",
    "header only": f"{HEADER}\n",
    "rows padded with blank cells past the header": f"{HEADER}\n1,1,01/01/2015,WBRI,,,,,\n2,2,02/02/2016,WBRI,,,, \n",
    # two exports joined into one file: the header row again (in another case, too), skipped by both readers
    "the header row repeated": f"{HEADER}\n1,1,01/01/2015,WBRI,,,\n{HEADER}\n2,2,02/02/2016,WBRI,,,\n"
    + f"{HEADER.lower()}\n3,1,03/03/2017,WBRI,,,\n",
    "the header row repeated, CHILD not first": "LA,CHILD,DOB,SEX,YEAR\nE1,1,01/01/2015,1,2026\n"
    + 'la,"Child ",dob,sex,year\nE1,2,01/01/2015,1,2026\n',
    "a child called child": f"{HEADER}\nchild,1,01/01/2015,WBRI,,,\n",
    "dates without leading zeros": f"{HEADER}\n1,1,1/1/2015,WBRI,,,\n2,2,2/12/2016,WBRI,,,\n",
    "a year of two digits": f"{HEADER}\n1,1,01/01/15,WBRI,,,\n",
}


@pytest.mark.parametrize("fault", FAULTS)
def test_duckdb_and_python_read_a_table_alike(tmp_path, fault):
    python, staged = _both(_zip(tmp_path, {"header.csv": FAULTS[fault].encode()}))
    assert staged == python
    assert staged["Header"] or fault == "header only"


@pytest.mark.parametrize(
    ("text", "untrimmed"),
    [
        (FAULTS["clean"], True),
        (FAULTS["a row of commas"], True),
        (f"{HEADER}\r\n1,1,01/01/2015,WBRI,,,\r\n", True),
        (f"{HEADER}\n1,1,01/01/2015 ,WBRI,,,\n", False),
        (f"{HEADER}\n1,1,01/01/2015,WBRI,,, \r\n", False),
        (f"{HEADER}\n1,\u00a01,01/01/2015,WBRI,,,", False),
        (f"{HEADER}\n1,1,01/01/2015,WBRI,,,\t", False),
        (FAULTS["quoted commas and quotes"], False),
    ],
)
def test_trimming_is_skipped_only_when_no_cell_can_start_or_end_with_a_space(tmp_path, text, untrimmed):
    path = tmp_path / "header.csv"
    path.write_text(text)
    with path.open("rb") as source, t._Copy(source) as copy:
        assert t._untrimmed(copy) == untrimmed


def test_headers_in_another_case_or_with_unnamed_columns_stage_as_the_specifications(tmp_path):
    clean = FAULTS["clean"]
    python, staged = _both(_zip(tmp_path, {"header.csv": clean.encode()}))
    for variant in (
        clean.replace(HEADER, HEADER.lower()),
        clean.replace(HEADER, "Child,Sex,Dob,Ethnic,Upn,Mother,Mc_Dob"),
        clean.replace(HEADER, "child ,Sex,D.O.B,Ethnic,UPN,Mother,MC DOB"),
        "".join(line + ",,\n" for line in clean.splitlines()),  # a spreadsheet's empty columns at the end
    ):
        other_python, other_staged = _both(_zip(tmp_path, {"header.csv": variant.encode()}))
        assert other_staged == other_python == staged == python


def test_a_table_given_twice_keeps_the_first_with_rows(tmp_path):
    files = {
        "header.csv": f"{HEADER}\n".encode(),  # no rows: the next one is taken
        "header_2.csv": f"{HEADER}\n1,1,01/01/2015,WBRI,,,\n".encode(),
        "header_3.csv": f"{HEADER}\n9,1,01/01/2015,WBRI,,,\n".encode(),
    }
    python, staged = _both(_zip(tmp_path, files))
    assert staged == python
    assert [r[0] for r in staged["Header"]] == ["1"]


def test_the_locations_name_the_file_and_its_line(tmp_path):
    _python, staged = _both(_zip(tmp_path, {"header.csv": FAULTS["a row of commas"].encode()}))
    assert [r[-1] for r in staged["Header"]] == ["header.csv row 2", "header.csv row 4"]


def test_data_to_insights_test_tables_stage_alike(tmp_path):
    files = {p.name: p.read_bytes() for p in sorted((SAMPLES / "ssda903").glob("*.csv"))}
    python, staged = _both(_zip(tmp_path, files))
    assert staged == python and staged["Episodes"]


def test_a_file_that_is_not_utf8_is_unreadable(tmp_path):
    with pytest.raises(t.UnreadableReturn, match="not UTF-8"):
        t.stage(
            duckdb.connect(),
            _zip(tmp_path, {"header.csv": f"{HEADER}\n1,1,01/01/2015,WBRI,\xe9,,\n".encode("latin-1")}),
        )


def test_lone_carriage_returns_in_a_zip_are_unreadable_to_both_readers(tmp_path):
    path = _zip(tmp_path, {"header.csv": f"{HEADER}\r1,1,01/01/2015,WBRI,,,\r".encode()})
    with pytest.raises(t.UnreadableReturn, match="new-line"):
        t.read_tables(path)
    with pytest.raises(t.UnreadableReturn, match="new-line"):
        t.stage(duckdb.connect(), path)


def _plain(data: bytes) -> bool:
    """The whole-table test of the line ends, as staging made it before tables were copied in pieces."""
    body = data.removeprefix(b"\xef\xbb\xbf").rstrip(b"\r\n")
    return b"\n" in body and b"\n\n" not in body and b"\n\r\n" not in body and body.count(b"\r") == body.count(b"\r\n")


ENDS = {
    **{name: text.encode() for name, text in FAULTS.items()},
    "blank lines at the end": f"{HEADER}\r\n1,1,01/01/2015,WBRI,,,\r\n\r\n\n".encode(),
    "a lone carriage return": f"{HEADER}\r\n1,1,01/01/2015,WBRI,,,\r2,2,02/02/2016,WBRI,,,\r\n".encode(),
    "a blank line of crlf": f"{HEADER}\r\n1,1,01/01/2015,WBRI,,,\r\n\r\n2,2,02/02/2016,WBRI,,,\r\n".encode(),
    "one line": HEADER.encode(),
}


@pytest.mark.parametrize("piece", [1, 2, 3, 7, 1 << 20])
def test_a_table_copied_in_pieces_has_the_line_ends_of_the_whole(tmp_path, monkeypatch, piece):
    # The table is copied to DuckDB's file a piece at a time (decision 0066): a line end or a blank line
    # split between two pieces is seen as in the whole.
    monkeypatch.setattr(t, "PIECE", piece)
    for name, data in ENDS.items():
        path = tmp_path / "table.csv"
        path.write_bytes(data)
        with path.open("rb") as source, t._Copy(source) as copy:
            assert copy.plain == _plain(data), name
            assert copy.first == data.removeprefix(b"\xef\xbb\xbf").split(b"\n", 1)[0], name
            with open(copy.name, "rb") as copied:
                assert copied.read() == data.removeprefix(b"\xef\xbb\xbf"), name


@pytest.mark.parametrize("fault", FAULTS)
def test_a_table_staged_a_few_bytes_at_a_time_reads_as_the_python_reader(tmp_path, monkeypatch, fault):
    monkeypatch.setattr(t, "PIECE", 3)
    python, staged = _both(_zip(tmp_path, {"header.csv": FAULTS[fault].encode()}))
    assert staged == python


def test_a_repeated_header_row_is_not_staged_as_a_child(tmp_path):
    python, staged = _both(_zip(tmp_path, {"header.csv": FAULTS["the header row repeated"].encode()}))
    assert [row[0] for row in staged["Header"]] == ["1", "2", "3"]
    assert [row[-1] for row in staged["Header"]] == ["header.csv row 2", "header.csv row 4", "header.csv row 6"]


def test_a_repeated_header_row_is_found_only_in_the_child_column(tmp_path):
    def found(text: str) -> bool:
        path = tmp_path / "t.csv"
        path.write_bytes(text.encode())
        with path.open("rb") as handle, t._Copy(handle) as copy:
            return t._header_again(copy, ["LA", "CHILD", "X"])

    assert found("LA,CHILD,X\nE1,1,x\nla, child ,x\n")
    assert found('LA,CHILD,X\r\nE1,1,x\r\nE1,"Child"\r\n')
    assert not found("LA,CHILD,X\nE1,1,CHILD\nCHILD,2,x\nE1,CHILDREN,x\n")


SHORT = f"{HEADER}\n1,1,01/01/15,WBRI,,,\n2,2,2/12/2016,WBRI,,,\n"  # a spreadsheet's dd/mm/yy in one row


@pytest.mark.parametrize("python", [False, True], ids=["duckdb", "python"])
def test_a_year_of_two_digits_is_no_date_to_the_rules(tmp_path, python):
    """DuckDB's %Y reads '01/01/15' as the year 15; the importer and Data to Insight's validator (pandas) refuse
    it, and so does d() once staging has seen such a year. Without one, d() is the cheaper macro."""
    con = duckdb.connect()
    path = _zip(tmp_path, {"header.csv": SHORT.encode()})
    if python:
        t.load(con, t.read_tables(path), 2026)
    else:
        assert t.stage(con, path) is True
        t.finish(con, 2026, short_years=None)
    found = con.execute("SELECT CHILD, d(DOB) FROM header ORDER BY row_no").fetchall()
    assert [(c, str(d) if d else None) for c, d in found] == [("1", None), ("2", "2016-12-02")]


def test_staging_says_when_no_date_can_have_a_short_year(tmp_path):
    assert t.stage(duckdb.connect(), _zip(tmp_path, {"header.csv": FAULTS["clean"].encode()})) is False
    # a day or month of two digits is not a year, whatever follows it
    assert (
        t.stage(duckdb.connect(), _zip(tmp_path, {"header.csv": f"{HEADER}\n1,1,01/12/2015,WBRI,,,\n".encode()}))
        is False
    )
    assert t.stage(duckdb.connect(), _zip(tmp_path, {"header.csv": SHORT.encode()})) is True
    # the Python reader's path (a blank line sends the table to it) says so too
    assert t.stage(duckdb.connect(), _zip(tmp_path, {"header.csv": (SHORT + "\n\n").encode()})) is True
