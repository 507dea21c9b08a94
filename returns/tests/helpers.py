import io
import zipfile

from children.models import (
    Assessment,
    AssessmentFactor,
    Child,
    ChildInNeedPlan,
    ChildProtectionConference,
    ChildProtectionPlan,
    Disability,
    Referral,
    Section47Enquiry,
)
from returns import services
from returns.models import Status
from returns.tests.conftest import DATA


def snapshot() -> dict:
    """The register's CIN facts, keyed by natural keys (no primary keys), for comparing registers."""
    return {
        "children": sorted(
            Child.objects.values_list(
                "la_child_id",
                "upn",
                "former_upn",
                "upn_unknown",
                "birth_date",
                "expected_birth_date",
                "sex",
                "death_date",
                "ethnicity",
            )
        ),
        "disabilities": sorted(Disability.objects.values_list("child__la_child_id", "code")),
        "referrals": sorted(
            Referral.objects.values_list(
                "child__la_child_id",
                "referral_date",
                "source",
                "primary_need",
                "closure_date",
                "closure_reason",
                "initial_cpc_date",
                "nfa",
            )
        ),
        "assessments": sorted(
            Assessment.objects.values_list(
                "referral__child__la_child_id",
                "referral__referral_date",
                "start_date",
                "internal_review_date",
                "authorisation_date",
            )
        ),
        "factors": sorted(AssessmentFactor.objects.values_list("assessment__referral__child__la_child_id", "code")),
        "cin_plans": sorted(
            ChildInNeedPlan.objects.values_list("referral__child__la_child_id", "start_date", "end_date")
        ),
        "section47s": sorted(
            Section47Enquiry.objects.values_list(
                "referral__child__la_child_id", "start_date", "icpc_target_date", "icpc_date", "icpc_not_required"
            )
        ),
        "cp_plans": sorted(
            ChildProtectionPlan.objects.values_list(
                "child__la_child_id",
                "start_date",
                "end_date",
                "initial_category",
                "latest_category",
                "categories",
                "number_of_previous_plans",
            )
        ),
        "conferences": sorted(
            ChildProtectionConference.objects.values_list("child__la_child_id", "kind", "conference_date")
        ),
    }


def import_file(name_or_path, commit=True, user=None):
    path = name_or_path if "/" in str(name_or_path) else DATA / name_or_path
    run = services.create_run_from_path(path, "cin", user)
    run = services.preview(run)
    if commit:
        assert run.status == Status.PREVIEWED, list(run.problems.values_list("message", flat=True)[:5])
        run = services.commit(run)
        assert run.status == Status.COMMITTED, run.message
    return run


def zip_with_part(source, change, part: str | None = None) -> bytes:
    """The zip (a workbook) at `source` with one part changed by `change` (bytes -> bytes): the part named `part`,
    or else its first sheet that holds rows."""
    with zipfile.ZipFile(source) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    part = part or next(name for name in parts if name.startswith("xl/worksheets/") and b"<row" in parts[name])
    parts[part] = change(parts[part])
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return out.getvalue()


def cut_short(xml: bytes) -> bytes:
    """A sheet's XML cut in its last row's start tag, as a damaged file is."""
    return xml[: xml.rindex(b"<row")] + b"<row r="
