"""Helpers for the SSDA903 tests (no tests here): build sets of tables, import them, and
compare registers by natural keys."""

import csv
import io
import zipfile
from pathlib import Path

from children.models import (
    AdoptionMilestone,
    CareLeaverContact,
    Child,
    Involvement,
    LookedAfterEpisode,
    LookedAfterReview,
    MissingEpisode,
    OutcomesReturn,
    PlacedForAdoption,
    PreviousPermanence,
    UnaccompaniedAsylumSeeker,
)
from returns import services
from returns.models import Status
from returns.ssda903.loader import local_day
from returns.tests.conftest import DATA

D903 = DATA / "ssda903"
SAMPLE = D903 / "sample"
RETURN_2025 = D903 / "return_2025"


def zip_tables(target: Path, folder: Path = RETURN_2025, replace: dict | None = None, drop=()) -> Path:
    """A zip of the CSV tables in `folder`; `replace` maps a table's file name to another file
    (e.g. a hand-made bad one), its text or its bytes; `drop` leaves tables out."""
    replace = replace or {}
    with zipfile.ZipFile(target, "w") as archive:
        for path in sorted(folder.glob("*.csv")):
            if path.name in drop:
                continue
            other = replace.get(path.name, path)
            if isinstance(other, Path):
                other = other.read_bytes()
            archive.writestr(path.name, other.encode() if isinstance(other, str) else other)
    return target


def cut_tables(source: Path, target: Path, keep=None, first: int | None = None, edit=None) -> Path:
    """Copy the sample's CSV tables into `target`, keeping only the rows of the children in
    `keep` (or of the first `first` children of header.csv). `edit(table, row)` may change a row."""
    target.mkdir(parents=True, exist_ok=True)
    if keep is None:
        with open(source / "header.csv", encoding="utf-8-sig", newline="") as handle:
            rows = list(csv.DictReader(handle))
        keep = {r["CHILD"] for r in (rows[:first] if first else rows)}
    for path in sorted(source.glob("*.csv")):
        with open(path, encoding="utf-8-sig", newline="") as handle:
            reader = csv.reader(handle)
            columns = next(reader)
            out = io.StringIO()
            writer = csv.writer(out, lineterminator="\n")
            writer.writerow(columns)
            for row in reader:
                if row and row[0] in keep:
                    writer.writerow(edit(path.name, dict(zip(columns, row, strict=True))).values() if edit else row)
        (target / path.name).write_text(out.getvalue(), encoding="utf-8")
    return target


def run_903(path, commit: bool = True, user=None, paths=None):
    """Preview (and commit) a 903 return: a zip, an XML file, or several CSV paths."""
    if paths:
        run = services.create_run_from_files(
            [(p.name, [p.read_bytes()]) for p in paths], "ssda903", user, file_name="tables.zip"
        )
    else:
        run = services.create_run_from_path(path, "ssda903", user)
    run = services.preview(run)
    if commit:
        assert run.status == Status.PREVIEWED, list(run.problems.values_list("rule", "location", "message")[:5])
        run = services.commit(run)
        assert run.status == Status.COMMITTED, run.message
    return run


def problems(run) -> list[tuple]:
    return list(run.problems.values_list("rule", "file_name", "child_id", "location", "field", "message"))


def snapshot() -> dict:
    """The register's 903 facts keyed by natural keys (no primary keys), to compare registers."""
    return {
        "children": sorted(
            Child.objects.values_list(
                "la_child_id", "sex", "birth_date", "ethnicity", "upn", "upn_unknown", "is_mother", "mother_birth_date"
            )
        ),
        "episodes": sorted(
            LookedAfterEpisode.objects.values_list(
                "child__la_child_id",
                "start_date",
                "reason_new_episode",
                "legal_status",
                "cin_category",
                "placement_type",
                "placement_provider",
                "end_date",
                "reason_ceased",
                "reason_place_change",
                "home_postcode",
                "placement_postcode",
                "urn",
            )
        ),
        "reviews": sorted(LookedAfterReview.objects.values_list("child__la_child_id", "review_date", "participation")),
        "uasc": sorted(UnaccompaniedAsylumSeeker.objects.values_list("child__la_child_id", "date_ceased")),
        "oc2": sorted(
            OutcomesReturn.objects.values_list(
                "child__la_child_id",
                "year_ending",
                "sdq_score",
                "sdq_reason",
                "convicted",
                "health_check",
                "immunisations",
                "teeth_check",
                "health_assessment",
                "substance_misuse",
                "intervention_received",
                "intervention_offered",
            )
        ),
        "oc3": sorted(
            CareLeaverContact.objects.values_list(
                "child__la_child_id", "year_ending", "in_touch", "activity", "accommodation"
            )
        ),
        "ad1": sorted(
            AdoptionMilestone.objects.values_list(
                "child__la_child_id",
                "decision_date",
                "match_date",
                "foster_carer_adoption",
                "number_of_adopters",
                "sex_of_adopters",
                "legal_status_of_adopters",
                "decision_reversed_date",
                "decision_reversed_reason",
            )
        ),
        # The day the child moved in (PlacedForAdoption) is not in the 903, whose DATE_PLACED is the decision.
        "placed": sorted(PlacedForAdoption.objects.values_list("child__la_child_id", "date_placed")),
        "prevperm": sorted(
            PreviousPermanence.objects.values_list("child__la_child_id", "previous_permanence", "la_code", "date_raw")
        ),
        "missing": sorted(
            (m.child.la_child_id, m.kind, local_day(m.started_at), local_day(m.returned_at))
            for m in MissingEpisode.objects.select_related("child")
        ),
        "sw": sorted(
            Involvement.objects.values_list(
                "child__la_child_id", "worker__staff_id", "team__name", "start_date", "end_date", "change_reason"
            )
        ),
    }
