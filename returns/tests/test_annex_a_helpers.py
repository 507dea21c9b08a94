"""Helpers for the Annex A tests (no tests here): import a workbook, build small
workbooks with openpyxl, and take a snapshot of the register by natural keys."""

from pathlib import Path

from openpyxl import Workbook

from children.models import (
    Adopter,
    AdoptionMilestone,
    Assessment,
    CareLeaverContact,
    Child,
    ChildProtectionConference,
    ChildProtectionPlan,
    Contact,
    EarlyHelpEpisode,
    HealthAssessment,
    LookedAfterEpisode,
    LookedAfterReview,
    PathwayPlan,
    PermanencePlan,
    PlacedForAdoption,
    Referral,
    Section47Enquiry,
    UnaccompaniedAsylumSeeker,
    Visit,
)
from returns import services
from returns.annex_a.reader import LISTS
from returns.models import SourceRecord, Status

# ../shared beside the checkout, as CI lays it out (README: the source documents and samples).
SAMPLE = Path(__file__).resolve().parents[3] / "shared" / "data" / "samples" / "annex_a" / "Annex_A_2024_Jan.xlsx"


def import_workbook(path, commit=True):
    run = services.create_run_from_path(path, "annex_a")
    run = services.preview(run)
    if commit:
        errors = list(run.problems.filter(severity="error").values_list("message", flat=True)[:5])
        assert run.status == Status.PREVIEWED, errors
        run = services.commit(run)
        assert run.status == Status.COMMITTED, run.message
    return run


def workbook(path: Path, lists: dict, headers: dict | None = None) -> Path:
    """A workbook with the template's headers (or `headers[n]`) and the given rows per list:
    rows are dicts of column key -> cell value (missing keys are blank cells)."""
    book = Workbook()
    book.remove(book.active)
    for number, rows in lists.items():
        sheet_name = number if isinstance(number, str) else f"List {number}"
        number = int("".join(ch for ch in str(number) if ch.isdigit()) or 0) if isinstance(number, str) else number
        spec = LISTS[number]
        ws = book.create_sheet(sheet_name)
        heads = (headers or {}).get(number) or [c.header for c in spec.columns]
        ws.append(heads)
        keys = [c.key for c in spec.columns]
        for row in rows:
            ws.append([row.get(k) for k in keys])
    book.save(path)
    return path


def _rows(qs, *fields):
    return sorted(qs.values_list(*fields), key=repr)


def snapshot() -> dict:
    """The register's Annex A facts keyed by natural keys (no primary keys)."""
    c = "child__la_child_id"
    rc = "referral__child__la_child_id"
    return {
        "children": _rows(
            Child.objects,
            "la_child_id",
            "sex",
            "ethnicity",
            "birth_date",
            "has_disability",
            "care_leaver_eligibility",
            "team__name",
            "worker__name",
        ),
        "contacts": _rows(Contact.objects, c, "contact_date", "source"),
        "early_help": _rows(
            EarlyHelpEpisode.objects,
            c,
            "start_date",
            "assessment_start_date",
            "assessment_completion_date",
            "organisation",
        ),
        "referrals": _rows(
            Referral.objects,
            c,
            "referral_date",
            "source",
            "nfa",
            "primary_need",
            "closure_date",
            "closure_reason",
            "case_status",
            "team__name",
            "worker__name",
            "placeholder",
        ),
        "assessments": _rows(
            Assessment.objects,
            rc,
            "referral__referral_date",
            "start_date",
            "child_seen",
            "authorisation_date",
            "requires_support",
            "outcome",
            "team__name",
            "worker__name",
        ),
        "section47s": _rows(
            Section47Enquiry.objects,
            rc,
            "referral__referral_date",
            "start_date",
            "icpc_not_required",
            "icpc_date",
            "team__name",
            "worker__name",
        ),
        "cp_plans": _rows(
            ChildProtectionPlan.objects,
            c,
            "referral__referral_date",
            "start_date",
            "end_date",
            "initial_category",
            "latest_category",
            "categories",
            "emergency_protection_recent",
            "number_of_previous_plans",
            "team__name",
            "worker__name",
        ),
        "conferences": _rows(
            ChildProtectionConference.objects, c, "kind", "conference_date", "plan_made", "section47__start_date"
        ),
        "visits": _rows(Visit.objects, c, "kind", "visit_date", "seen", "seen_alone"),
        "episodes": _rows(
            LookedAfterEpisode.objects,
            c,
            "start_date",
            "reason_new_episode",
            "legal_status",
            "cin_category",
            "placement_type",
            "placement_provider",
            "placement_postcode",
            "urn",
            "in_borough",
            "placement_la",
            "end_date",
            "reason_ceased",
        ),
        "reviews": _rows(LookedAfterReview.objects, c, "review_date"),
        "health": _rows(HealthAssessment.objects, c, "kind", "assessment_date"),
        "permanence": _rows(PermanencePlan.objects, c, "plan_type"),
        "uasc": _rows(UnaccompaniedAsylumSeeker.objects, c, "date_ceased"),
        "care_leaver_contacts": _rows(
            CareLeaverContact.objects, c, "contact_date", "in_touch", "activity", "accommodation"
        ),
        "pathway_plans": _rows(PathwayPlan.objects, c, "plan_date", "personal_adviser"),
        "adoption": _rows(
            AdoptionMilestone.objects,
            c,
            "adoptive_family_id",
            "entered_care_date",
            "decision_date",
            "placement_order_date",
            "match_date",
            "adoption_order_date",
            "decision_reversed_date",
            "decision_reversed_reason",
            "ffa_placement_date",
        ),
        "placed": _rows(PlacedForAdoption.objects, c, "date_placed"),
        "adopters": _rows(
            Adopter.objects,
            "adopter_id",
            "family_id",
            "sex",
            "ethnicity",
            "has_disability",
            "fostering_for_adoption",
            "enquiry_date",
            "stage1_start_date",
            "stage1_end_date",
            "stage2_start_date",
            "stage2_end_date",
            "application_date",
            "approval_date",
            "matched_date",
            "placed_date",
            "children_placed",
            "adoption_order_date",
            "left_process_date",
            "left_process_reason",
        ),
    }


def clear_register() -> None:
    """Empty the register of everything an Annex A import writes (for the round trip)."""
    Child.objects.all().delete()
    Adopter.objects.all().delete()
    SourceRecord.objects.all().delete()
