"""Hostile uploads (issue 12): each kind of bomb is refused early, by a limit that names the file,
the limit and what to do; identifiers too long for the register are refused at preview without
their value being copied into a message. The files are built here, small, against limits lowered
where the default would need a large file."""

import shutil
import struct
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from children.models import Child
from returns import limits, services
from returns.annex_a.reader import LISTS
from returns.models import Status
from returns.tests.conftest import DATA
from returns.tests.test_annex_a_helpers import workbook

pytestmark = pytest.mark.django_db
CIN_HEAD = (DATA / "cin_full_2025.xml").read_text().split("<Children>")[0]


def preview(path: Path, kind: str):
    return services.preview(services.create_run_from_path(path, kind))


def problems(run) -> list[tuple[str, str]]:
    """The run's errors (the plausibility warnings a refused sheet may also carry are not what these tests pin)."""
    return list(run.problems.filter(severity="error").values_list("rule", "message"))


def declare_size(path: Path, member: str, size: int) -> None:
    """Make the zip's central directory declare `size` bytes for one member (the data is unchanged)."""
    data = bytearray(path.read_bytes())
    at = data.find(b"PK\x01\x02")
    while at >= 0:
        name_length = struct.unpack_from("<H", data, at + 28)[0]
        if data[at + 46 : at + 46 + name_length].decode() == member:
            struct.pack_into("<I", data, at + 24, size)
            path.write_bytes(bytes(data))
            return
        at = data.find(b"PK\x01\x02", at + 4)
    raise AssertionError(f"{member} not in {path}")


def replace_member(path: Path, member: str, content: bytes) -> None:
    """Rewrite a zip with one member's content replaced."""
    with zipfile.ZipFile(path) as old:
        parts = {info.filename: old.read(info) for info in old.infolist()}
    parts[member] = content
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as new:
        for name, body in parts.items():
            new.writestr(name, body)


def with_shared_strings(path: Path, texts: list[str]) -> Path:
    """Give a workbook a shared-strings part (openpyxl writes none: it writes its text inline)."""
    strings = "".join(f"<si><t>{t}</t></si>" for t in texts)
    ns = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    part = f'<sst xmlns="{ns}" count="{len(texts)}" uniqueCount="{len(texts)}">{strings}</sst>'
    replace_member(path, "xl/sharedStrings.xml", part.encode())
    with zipfile.ZipFile(path) as archive:
        rels = archive.read("xl/_rels/workbook.xml.rels").decode()
        types = archive.read("[Content_Types].xml").decode()
    kind = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"
    rels = rels.replace("</Relationships>", f'<Relationship Id="rIdS" Type="{kind}" Target="sharedStrings.xml"/>')
    replace_member(path, "xl/_rels/workbook.xml.rels", (rels + "</Relationships>").encode())
    content = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
    types = types.replace("</Types>", f'<Override PartName="/xl/sharedStrings.xml" ContentType="{content}"/></Types>')
    replace_member(path, "[Content_Types].xml", types.encode())
    return path


def contacts(tmp_path: Path, name: str = "l1.xlsx", **cells) -> Path:
    return workbook(tmp_path / name, {1: [{"child_id": "C1", "contact_date": "08/01/2024"} | cells]})


def no_openpyxl(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("the workbook was opened: the limit was not checked first")

    monkeypatch.setattr("returns.limits.open_workbook", refuse)


# -- xlsx (Annex A) ----------------------------------------------------------------------------------
def test_a_sheet_that_declares_two_gigabytes_is_refused_before_the_workbook_is_opened(tmp_path, monkeypatch):
    path = contacts(tmp_path, "bomb.xlsx")
    declare_size(path, "xl/worksheets/sheet1.xml", 2**31 - 1)
    no_openpyxl(monkeypatch)
    run = preview(path, "annex_a")
    assert run.status == Status.REJECTED
    [(rule, message)] = problems(run)
    assert rule == "annex_a.too-big"
    assert "bomb.xlsx: xl/worksheets/sheet1.xml would unpack to 2,048 MB" in message
    assert "more than the 512 MB allowed for one part" in message and "Check that it is the right file" in message


def test_a_member_holding_more_than_it_declares_is_cut_at_its_declared_size():
    """What check_zip relies on: zipfile hands out no more than a member declares (and the CRC fails)."""
    path = Path(limits.__file__).with_name("lying.zip")
    try:
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("sheet.xml", b"x" * 100_000)
        declare_size(path, "sheet.xml", 1_000)
        got = 0
        with zipfile.ZipFile(path) as archive, archive.open("sheet.xml") as member:
            with pytest.raises(zipfile.BadZipFile, match="CRC"):
                while chunk := member.read(100):
                    got += len(chunk)
        assert got <= 1_000
    finally:
        path.unlink(missing_ok=True)


def test_a_cell_far_down_or_far_right_is_refused_without_padding_every_row(tmp_path):
    # openpyxl's own reader pads every row to the declared dimension (A1:A1000000 here): a million rows
    path = contacts(tmp_path, "far.xlsx")
    book = load_workbook(path)
    book["List 1"].cell(row=1_000_000, column=1, value="x")
    book.save(path)
    [(rule, message)] = problems(preview(path, "annex_a"))
    assert rule == "annex_a.too-big"
    assert "far.xlsx, sheet List 1 has a row 1,000,000: more than the 500,000 rows allowed" in message
    assert "Delete the empty or unneeded rows" in message

    book = load_workbook(contacts(tmp_path, "wide.xlsx"))
    book["List 1"].cell(row=2, column=16_000, value="x")
    book.save(tmp_path / "wide.xlsx")
    [(rule, message)] = problems(preview(tmp_path / "wide.xlsx", "annex_a"))
    assert "wide.xlsx, sheet List 1 row 2 has a cell in column WQJ: more than the 200 columns allowed" in message


def test_a_row_of_too_many_cells_is_refused_on_the_bytes_before_it_is_built(tmp_path, settings):
    settings.UPLOAD_LIMITS = {"annex_a_columns": 30}
    book = Workbook()
    sheet = book.active
    sheet.title = "List 1"
    sheet.append([c.header for c in LISTS[1].columns])
    sheet.append(["C1", None, None, None, None, "08/01/2024"] + ["x"] * 40)
    book.save(tmp_path / "row.xlsx")
    [(rule, message)] = problems(preview(tmp_path / "row.xlsx", "annex_a"))
    assert rule == "annex_a.too-big"
    assert message.startswith("row.xlsx, sheet List 1 has a row of more than 30 cells")


def test_too_many_shared_strings_are_refused_before_openpyxl_loads_them(tmp_path, settings, monkeypatch):
    settings.UPLOAD_LIMITS = {"annex_a_shared_strings": 10}
    path = with_shared_strings(contacts(tmp_path, "strings.xlsx"), [f"text {i}" for i in range(20)])
    no_openpyxl(monkeypatch)
    [(rule, message)] = problems(preview(path, "annex_a"))
    assert rule == "annex_a.too-big"
    assert message.startswith("strings.xlsx holds more than 10 different texts (shared strings)")


def test_a_sheet_is_not_parsed_to_its_end_for_a_dimension_when_the_workbook_is_opened(tmp_path, monkeypatch):
    # openpyxl's read-only sheets look for <dimension> as they open, through the whole sheet if it has none
    def refuse(self):
        raise AssertionError("the sheet was scanned for its dimension")

    monkeypatch.setattr("openpyxl.worksheet._reader.WorkSheetParser.parse_dimensions", refuse)
    run = preview(contacts(tmp_path), "annex_a")
    assert run.status == Status.PREVIEWED and run.records == 1


def test_a_styles_part_over_its_limit_is_refused(tmp_path, settings):
    settings.UPLOAD_LIMITS = {"xlsx_other_part": 100}
    [(rule, message)] = problems(preview(contacts(tmp_path, "styled.xlsx"), "annex_a"))
    assert rule == "annex_a.too-big" and "allowed for a part other than a sheet" in message


def test_a_cell_longer_than_excel_allows_is_refused_without_its_text(tmp_path):
    path = contacts(tmp_path, "long.xlsx")
    with zipfile.ZipFile(path) as archive:
        sheet = archive.read("xl/worksheets/sheet1.xml")
    assert b"<is><t>C1</t></is>" in sheet  # the child's ID, written inline: made 40,000 characters long
    replace_member(path, "xl/worksheets/sheet1.xml", sheet.replace(b"<t>C1</t>", b"<t>" + b"Q" * 40_000 + b"</t>"))
    run = preview(path, "annex_a")
    assert run.status == Status.REJECTED
    [(rule, message)] = problems(run)
    assert rule == "annex_a.too-big"
    assert message.startswith("long.xlsx, sheet List 1 row 2 column A holds 40,000 characters, more than a cell can")
    assert "QQQQ" not in message


def test_an_identifier_longer_than_the_register_holds_is_not_quoted(tmp_path):
    long_id = "L" * 100
    path = workbook(tmp_path / "ids.xlsx", {1: [{"child_id": long_id, "contact_date": "08/01/2024"}]})
    run = preview(path, "annex_a")
    [problem] = run.problems.filter(rule="annex_a.id-length")
    assert "100 characters long, more than the register holds (36)" in problem.message
    assert "LLLLLLLLLL" not in problem.message and problem.field == "Child Unique ID"
    assert run.status == Status.REJECTED


# -- CIN census XML ----------------------------------------------------------------------------------
def cin_child(n: int, la_id: str = "", disabilities: str = "<Disability>HAND</Disability>") -> str:
    return (
        f"<Child><ChildIdentifiers><LAchildID>{la_id or f'C{n}'}</LAchildID><UPNunknown>UN1</UPNunknown>"
        "<PersonBirthDate>2015-03-27</PersonBirthDate><Sex>M</Sex></ChildIdentifiers><ChildCharacteristics>"
        f"<Ethnicity>WBRI</Ethnicity><Disabilities>{disabilities}</Disabilities></ChildCharacteristics>"
        "<CINdetails><CINreferralDate>2024-05-06</CINreferralDate><ReferralSource>1A</ReferralSource>"
        "<PrimaryNeedCode>N4</PrimaryNeedCode><ReferralNFA>0</ReferralNFA></CINdetails></Child>"
    )


def cin_file(path: Path, children: list[str], tail: str = "</Children></Message>") -> Path:
    path.write_text(CIN_HEAD + "<Children>" + "".join(children) + tail)
    return path


def test_a_child_with_too_many_elements_is_refused_as_the_file_streams(tmp_path):
    # 20,000 <Disability/> in the second child, and then a broken end the reader never reaches
    bomb = cin_child(2, disabilities="<Disability/>" * 20_000)
    path = cin_file(tmp_path / "bomb.xml", [cin_child(1), bomb, cin_child(3)], tail="<Children><<<")
    run = preview(path, "cin")
    assert run.status == Status.REJECTED
    [(rule, message)] = problems(run)
    assert rule == "cin.too-big"
    assert message.startswith("bomb.xml: Message/Children/Child[2] has more than 10,000 elements")
    assert "Check what repeats in that child" in message


def test_too_many_elements_or_children_in_all_are_refused(tmp_path, settings):
    path = cin_file(tmp_path / "census.xml", [cin_child(i) for i in range(1, 4)])
    settings.UPLOAD_LIMITS = {"cin_elements": 30}
    [(rule, message)] = problems(preview(path, "cin"))
    assert rule == "cin.too-big" and "more than 30 elements (XML tags)" in message
    settings.UPLOAD_LIMITS = {"cin_children": 2}
    [(rule, message)] = problems(preview(path, "cin"))
    assert rule == "cin.too-big" and message.startswith("census.xml: The file has more than 2 children")


def test_forty_thousand_repeated_invalid_elements_give_a_bounded_number_of_problems(tmp_path):
    """Schema errors cost more the more siblings share a parent (lxml locates each error by walking
    them): with a child's elements and the file's errors both limited, the check stays short."""
    bad = "<Disability>XX</Disability>" * 1_000
    path = cin_file(tmp_path / "invalid.xml", [cin_child(i, disabilities=bad) for i in range(1, 41)])
    run = preview(path, "cin")
    assert run.status == Status.REJECTED
    assert 10_000 <= run.errors <= 10_000 + 1_001
    stop = run.problems.get(rule="cin.too-many-errors")
    assert "The check stopped at child 10: the file already has 10,000 errors" in stop.message
    assert not Child.objects.exists()


def test_a_five_megabyte_lachildid_is_refused_at_preview_and_never_quoted(tmp_path):
    huge = "X" * 5_000_000
    path = cin_file(tmp_path / "huge.xml", [cin_child(1), cin_child(2, la_id=huge)])
    run = preview(path, "cin")
    assert (run.status, run.children_held_back) == (Status.PREVIEWED, 1)  # the other child can be committed
    [problem] = run.problems.filter(rule="cin.too-long")
    assert (problem.field, problem.child_id) == ("LAchildID", "X" * 36)
    assert not any("X" * 37 in message for _rule, message in problems(run))  # nor in the DfE rules' findings
    assert problem.message.startswith(
        "Message/Children/Child[2]: LAchildID is 5,000,000 characters long, more than the 36 the register "
        "holds; the value is not shown and the child was not read."
    )
    run = services.check_and_commit(services.create_run_from_path(path, "cin"))
    assert run.status == Status.COMMITTED and "XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX" not in run.message
    assert (run.children_committed, run.children_held_back) == (1, 1)
    assert not Child.objects.filter(la_child_id__startswith="XX").exists()


# -- SSD and 903 zips and CSV files ------------------------------------------------------------------------
def ssd_zip(tmp_path: Path, extra: dict[str, bytes] | None = None, replace: dict[str, bytes] | None = None) -> Path:
    path = tmp_path / "extract.ssd.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for table in sorted((DATA / "ssd" / "full").glob("*.csv")):
            archive.writestr(table.name, (replace or {}).get(table.name, table.read_bytes()))
        for name, body in (extra or {}).items():
            archive.writestr(name, body)
    return path


def test_an_ssd_zip_bomb_is_refused_before_it_is_read(tmp_path, settings):
    path = ssd_zip(tmp_path, extra={"ssd_notes.txt": b"\n" * (3 << 20)})  # 3 MB that packs to a few KB
    assert path.stat().st_size < 200_000
    settings.UPLOAD_LIMITS = {"ssd_unpacked": 2 << 20}
    run = preview(path, "ssd")
    assert run.status == Status.REJECTED
    [(rule, message)] = problems(run)
    assert rule == "ssd.too-big"
    assert "extract.ssd.zip would unpack to 3 MB, more than the 2 MB allowed; it was not read" in message


def test_an_ssd_zip_declaring_three_gigabytes_is_refused_at_the_default_limit(tmp_path):
    path = ssd_zip(tmp_path)
    declare_size(path, "ssd_contacts.csv", 3 << 30)
    [(rule, message)] = problems(preview(path, "ssd"))
    assert rule == "ssd.too-big" and "more than the 2,048 MB allowed" in message


def test_a_csv_line_without_line_breaks_is_refused_after_the_limit(tmp_path, settings):
    settings.UPLOAD_LIMITS = {"csv_line_chars": 1_000}
    person = (DATA / "ssd" / "full" / "ssd_person.csv").read_bytes()
    path = ssd_zip(tmp_path, replace={"ssd_contacts.csv": b"cont_contact_id," + b"x" * 5_000})
    assert person
    run = preview(path, "ssd")
    assert (
        "ssd.too-big",
        "ssd_contacts.csv line 1 is longer than 1,000 characters; it was not read. "
        "Check that it is a CSV file with one record a line.",
    ) in problems(run)


def test_an_ssd_person_id_too_long_for_the_register_is_refused_without_its_value(tmp_path):
    person = (DATA / "ssd" / "full" / "ssd_person.csv").read_text().splitlines()
    long_id = "P" * 5_000
    row = person[1].split(",")
    row[0] = long_id
    path = ssd_zip(tmp_path, replace={"ssd_person.csv": "\n".join([*person, ",".join(row)]).encode()})
    run = preview(path, "ssd")
    found = run.problems.filter(rule="ssd.too-long", field="pers_person_id")
    assert found.count() == 1
    assert "pers_person_id is 5,000 characters long, more than the 36" in found[0].message
    assert "PPPPPPPPPP" not in found[0].message
    # the row names no person Line of Sight can hold, so it is left out alone (decision 0064)
    assert run.status == Status.PREVIEWED and found[0].child_id == "" and run.children_held_back == 0


def test_a_903_child_id_too_long_is_refused_without_its_value(tmp_path):
    source = DATA / "ssda903" / "return_2025"
    folder = tmp_path / "return"
    shutil.copytree(source, folder)
    header = folder / "header.csv"
    header.write_text(header.read_text() + "Z" * 5_000 + ",F,12/05/2012,WBRI,,,\n")
    run = services.preview(services.create_run_from_path(folder, "ssda903"))
    [problem] = run.problems.filter(rule="903.child-id")
    assert "CHILD is 5,000 characters long, more than the 36 the register holds" in problem.message
    assert "ZZZZZZZZZZ" not in problem.message and problem.child_id == "Z" * 36


def test_an_overlong_header_text_is_refused_and_not_kept_on_the_run(tmp_path):
    long_code = f"<SoftwareCode>{'S' * 5_000}</SoftwareCode>"
    head = CIN_HEAD.replace("<SoftwareCode>Local Authority</SoftwareCode>", long_code)
    path = tmp_path / "header.xml"
    path.write_text(head + "<Children>" + cin_child(1) + "</Children></Message>")
    run = preview(path, "cin")
    assert run.status == Status.REJECTED
    [(rule, message)] = problems(run)
    assert rule == "cin.too-long" and message.startswith(
        "Header SoftwareCode is 5,000 characters long, more than the 100 allowed; the value is not shown and the "
        "file was not read."
    )
    assert run.header["SoftwareCode"] is None


def test_a_single_csv_or_xml_return_over_the_size_limit_is_refused(tmp_path, settings):
    settings.UPLOAD_LIMITS = {"ssd_unpacked": 100, "ssda903_unpacked": 100}
    person = tmp_path / "ssd_person.csv"
    shutil.copy(DATA / "ssd" / "full" / "ssd_person.csv", person)
    [(rule, message)] = problems(preview(person, "ssd"))
    assert rule == "ssd.too-big" and message.startswith("ssd_person.csv is ") and "more than the 100 bytes" in message
    [(rule, message)] = problems(preview(DATA / "ssda903" / "return_2025.xml", "ssda903"))
    assert rule == "903.too-big" and message.startswith("return_2025.xml is ")
