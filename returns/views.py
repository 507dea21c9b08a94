"""Upload, preview, problem report, commit and export of statutory returns.
Only performance analysts and administrators may use them."""

import datetime as dt
import tempfile
from functools import wraps
from pathlib import Path

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from accounts.http import AuthedRequest
from accounts.models import Role
from accounts.views import is_administrator
from audit.models import Action
from audit.services import record_shown
from children.models import Child
from children.selectors import children_for_statutory_returns, children_in_scope
from exports.writer import xlsx_response
from returns import progress as run_progress
from returns import selectors, services
from returns.cin import schemas as cin_schemas
from returns.cin.exporter import export_cin
from returns.cin.reader import FIRST_YEAR, LAST_YEAR, SCHEMA_YEARS, collection_label
from returns.models import ImportRun, InstalledSchema, Kind, OfstedRegister, PostcodeDirectory, Status
from returns.ssda903 import ofsted as ofsted_register
from returns.ssda903 import postcodes as postcode_directory
from web.forms import GovukForm

ALLOWED = {Role.ANALYST, Role.ADMINISTRATOR}


def analyst_only(view):
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.user.role not in ALLOWED:
            raise PermissionDenied("Only performance analysts and administrators can import or export returns.")
        return view(request, *args, **kwargs)

    return wrapped


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """One or several files in one input (`<input type="file" multiple>`, no JavaScript needed):
    a return sent as several CSV tables is chosen in one go. cleaned_data is a list of files."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        one = super().clean
        if isinstance(data, list | tuple):
            return [one(d, initial) for d in data] if data else [one(None, initial)]
        return [one(data, initial)]


class UploadForm(GovukForm):
    kind = forms.ChoiceField(label="Which return is it?", choices=Kind.choices, initial=Kind.CIN)
    file = MultipleFileField(
        label="Upload the file, or all the files of the return",
        help_text=(
            "CIN census: the .xml file as exported (not zipped). SSDA903: its CSV tables (choose them all, or one "
            ".zip holding them) or its .xml file. Ofsted Annex A: the .xlsx workbook. SSD: its CSV tables or a "
            ".zip of them. Tables saved as Excel workbooks are not read: save each as CSV UTF-8."
        ),
        widget=MultipleFileInput(attrs={"accept": ".xml,.csv,.zip,.xlsx"}),
    )


class ExportForm(GovukForm):
    kind = forms.ChoiceField(
        label="Which return?",
        choices=[(Kind.CIN, "CIN census (XML)"), (Kind.SSDA903, "SSDA903 looked-after children (CSV tables, zipped)")],
        initial=Kind.CIN,
        required=False,
    )
    year = forms.TypedChoiceField(
        label="Collection year",
        coerce=int,
        choices=[(y, collection_label(y)) for y in range(SCHEMA_YEARS[0], LAST_YEAR + 1)],
    )


class SchemaForm(forms.Form):
    year = forms.TypedChoiceField(
        label="Collection year",
        coerce=int,
        choices=[(y, collection_label(y)) for y in range(LAST_YEAR, FIRST_YEAR - 2, -1)],
    )
    file = forms.FileField(
        label="The DfE's XML schema (.xsd) for the CIN census of that year",
        help_text="From the DfE's children in need census specification for the year.",
    )


class AnnexAExportForm(GovukForm):
    """Annex A covers the 6 or 12 months before an inspection: any start and end date. A date may
    also come whole in the address (start=2024-01-01 or 01/01/2024), as links and scripts send it."""

    start = forms.DateField(label="From", input_formats=["%Y-%m-%d", "%d/%m/%Y"])
    end = forms.DateField(label="To", input_formats=["%Y-%m-%d", "%d/%m/%Y"])

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            self.add_error("end", "The end of the period must be the same as or after its start")
        return data


@analyst_only
def schemas(request: AuthedRequest) -> HttpResponse:
    """Install a DfE CIN census schema for a collection year without a release (administrators only)."""
    if not is_administrator(request.user):
        raise PermissionDenied("Only administrators can install schemas.")
    form = SchemaForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        content = upload.read(cin_schemas.MOST_BYTES + 1)
        try:
            schema = cin_schemas.install(form.cleaned_data["year"], upload.name, content, request.user)
        except cin_schemas.SchemaRefused as exc:
            form.add_error("file", str(exc))
        else:
            messages.success(
                request, f"Installed {schema}. Files of that year uploaded from now on are checked against it."
            )
            return redirect("returns_schemas")
    context = {
        "form": form,
        "years": cin_schemas.years(),
        "installed": InstalledSchema.objects.filter(kind=Kind.CIN).defer("content"),
    }
    return render(request, "returns/schemas.html", context)


@analyst_only
def acceptance(request: AuthedRequest) -> HttpResponse:
    """How each return kind is accepted: all-or-nothing or per child (issue 13 point 4, decision 0071).
    Analysts see it; only administrators change it, each change audited (who, when, old and new)."""
    if request.method == "POST":
        if not is_administrator(request.user):
            raise PermissionDenied("Only administrators can change how returns are accepted.")
        changed = [
            Kind(kind).label
            for kind in sorted(services.PER_CHILD_KINDS)
            if request.POST.get(kind) in {"all", "child"}
            and services.set_acceptance(kind, request.POST[kind] == "all", request.user)
        ]
        if changed:
            messages.success(
                request, f"Changed how {', '.join(changed)} returns are accepted, from the next file uploaded."
            )
        return redirect("returns_acceptance")
    context = {
        "acceptances": selectors.acceptances(),
        "can_change": is_administrator(request.user),
    }
    return render(request, "returns/acceptance.html", context)


class PostcodeDirectoryForm(forms.Form):
    file = forms.FileField(
        label="The ONS Postcode Directory (the zip as published, or its main CSV)",
        help_text="From the ONS Open Geography Portal (ONSPD), published every three months.",
    )
    council = forms.CharField(
        label="Your council's local authority code",
        max_length=9,
        help_text="9 characters, for example E09000027: a placement in this area is IN the council's area.",
    )

    def clean_council(self) -> str:
        try:
            return postcode_directory.council_code(self.cleaned_data["council"])
        except postcode_directory.DirectoryError as exc:
            raise forms.ValidationError(str(exc)) from None


@analyst_only
def postcodes(request: AuthedRequest) -> HttpResponse:
    """Install the ONS Postcode Directory the SSDA903 postcode rules read (administrators only;
    decision 0057). The same as manage.py install_postcodes."""
    if not is_administrator(request.user):
        raise PermissionDenied("Only administrators can install the postcode directory.")
    latest = PostcodeDirectory.objects.first()
    initial = {"council": latest.council if latest else ""}
    form = PostcodeDirectoryForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            postcode_directory.queue_install(upload.chunks(), upload.name, form.cleaned_data["council"], request.user)
        except postcode_directory.DirectoryError as exc:
            form.add_error("file", str(exc))
        else:
            messages.success(
                request,
                f"{upload.name} is being installed by the background worker (some minutes for the whole directory). "
                "This page shows it in use when it has finished.",
            )
            return redirect("returns_postcodes")
    context = {"form": form, "installed": PostcodeDirectory.objects.all()[:20], "pending": postcode_directory.pending()}
    return render(request, "returns/postcodes.html", context)


class OfstedProvidersForm(forms.Form):
    file = MultipleFileField(
        label="Ofsted's children's homes list and social care providers list",
        help_text="The spreadsheets (.xlsx) as Ofsted publishes them: choose both, or the combined list.",
        widget=MultipleFileInput(attrs={"accept": ".xlsx"}),
    )


@analyst_only
def ofsted_providers(request: AuthedRequest) -> HttpResponse:
    """Install Ofsted's provider lists the SSDA903 URN rules read (administrators only; decision
    0059). The same as manage.py install_ofsted_providers."""
    if not is_administrator(request.user):
        raise PermissionDenied("Only administrators can install Ofsted's provider lists.")
    form = OfstedProvidersForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        uploads = form.cleaned_data["file"]
        try:
            register = ofsted_register.install_uploads([(f.name, f.chunks()) for f in uploads], request.user)
        except ofsted_register.RegisterError as exc:
            form.add_error("file", str(exc))
        else:
            messages.success(request, f"Installed {register.file_names}: {register.providers} providers.")
            return redirect("returns_ofsted_providers")
    context = {"form": form, "installed": OfstedRegister.objects.all()[:20]}
    return render(request, "returns/ofsted_providers.html", context)


@analyst_only
def runs(request: AuthedRequest) -> HttpResponse:
    runs = [run_progress.current(run) for run in selectors.recent_runs()]
    return render(request, "returns/runs.html", {"runs": runs, "acceptances": selectors.acceptances()})


@analyst_only
def upload(request: AuthedRequest) -> HttpResponse:
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        uploaded = form.cleaned_data["file"]
        try:
            run = services.create_run_from_files(
                [(f.name, f.chunks()) for f in uploaded], form.cleaned_data["kind"], request.user
            )
        except services.ImportFailed as exc:
            form.add_error("file", str(exc))
        else:
            services.queue_preview(run)
            return redirect("returns_run", run.pk)
    return render(request, "returns/upload.html", {"form": form})


@analyst_only
def run_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    run = run_progress.current(get_object_or_404(ImportRun, pk=pk))
    problems = list(run.problems.all()[:200])
    held = selectors.held_back_children(run)
    named = [p.child_id for p in problems] + [h["child_id"] for h in held]
    record_shown(request, _register_children(named), detail=f"import run {run.pk} problems")
    return render(
        request,
        "returns/run.html",
        {
            "run": run,
            "groups": selectors.problem_groups(run),
            "problems": problems,
            "held": held,
            "all_or_nothing": services.run_all_or_nothing(run),
            "can_commit": run.status == Status.PREVIEWED,
        },
    )


def _register_children(la_child_ids) -> list[int]:
    """The register's children that problems name by their LA child ID (a file's other identifiers name no one
    the register holds)."""
    ids = {i for i in la_child_ids if i}
    return list(Child.objects.filter(la_child_id__in=ids).values_list("pk", flat=True)) if ids else []


@analyst_only
@require_POST
def commit(request: AuthedRequest, pk: int) -> HttpResponse:
    run = get_object_or_404(ImportRun, pk=pk)
    if services.claim(run):
        services.queue_commit(run)
    return redirect("returns_run", run.pk)


@analyst_only
def problems_xlsx(request: AuthedRequest, pk: int) -> HttpResponse:
    run = get_object_or_404(ImportRun, pk=pk)
    held = selectors.held_back_ids(run)
    rows = (
        (
            p.severity,
            p.rule,
            p.file_name,
            p.child_id,
            p.location,
            p.field,
            p.message,
            "yes" if p.child_id in held else "",
        )
        for p in run.problems.order_by("severity", "rule", "pk")
    )
    named = run.problems.exclude(child_id="").values_list("child_id", flat=True).distinct()
    record_shown(
        request,
        _register_children(named.iterator()),
        action=Action.EXPORT,
        obj=run,
        detail=f"problem report for import run {run.pk}",
    )
    return xlsx_response(
        f"problems-run-{run.pk}.xlsx",
        "Problems",
        ["Severity", "Rule", "File", "Child ID", "Where", "Field", "Problem", "Child held back"],
        rows,
    )


@analyst_only
def export(request: AuthedRequest) -> HttpResponse | FileResponse:
    annex_form = AnnexAExportForm(request.GET if request.GET.get("kind") == Kind.ANNEX_A else None)
    if annex_form.is_bound and annex_form.is_valid():
        return _export_annex_a(request, annex_form.cleaned_data["start"], annex_form.cleaned_data["end"])
    form = ExportForm(request.GET if request.GET and not annex_form.is_bound else None)
    if request.GET and form.is_valid():
        year = form.cleaned_data["year"]
        if form.cleaned_data.get("kind") == Kind.SSDA903:
            return _export_903(request, year)
        handle = tempfile.NamedTemporaryFile(suffix=".xml", delete=False)  # noqa: SIM115 (streamed, then removed)
        handle.close()
        path = Path(handle.name)
        written: set[int] = set()
        count = export_cin(str(path), year, children=children_for_statutory_returns(request.user), written=written)
        record_shown(
            request, written, action=Action.EXPORT, detail=f"CIN census {collection_label(year)}: {count} children"
        )
        stream = open(path, "rb")  # noqa: SIM115 (FileResponse closes it)
        path.unlink()  # the open handle keeps the data until the response is sent
        return FileResponse(
            stream, as_attachment=True, filename=f"CIN_census_{year}.xml", content_type="application/xml"
        )
    # Referrals the Annex A import made up are not sent in the census: say how many children that leaves out.
    held = children_in_scope(request.user).filter(referrals__placeholder=True).distinct().count()
    context = {"form": form, "annex_form": annex_form, "today": dt.date.today(), "held_referrals": held}
    return render(request, "returns/export.html", context)


def _export_903(request: AuthedRequest, year: int) -> FileResponse:
    from returns.ssda903.exporter import export_903

    handle = tempfile.NamedTemporaryFile(suffix=".zip", delete=False)  # noqa: SIM115 (streamed, then removed)
    handle.close()
    path = Path(handle.name)
    written: set[int] = set()
    count = export_903(str(path), year, children=children_for_statutory_returns(request.user), written=written)
    record_shown(request, written, action=Action.EXPORT, detail=f"SSDA903 {collection_label(year)}: {count} children")
    stream = open(path, "rb")  # noqa: SIM115 (FileResponse closes it)
    path.unlink()
    return FileResponse(stream, as_attachment=True, filename=f"SSDA903_{year}.zip", content_type="application/zip")


def _export_annex_a(request: AuthedRequest, start: dt.date, end: dt.date) -> FileResponse:
    from returns.annex_a.exporter import export_annex_a

    handle = tempfile.NamedTemporaryFile(suffix=".xlsx", delete=False)  # noqa: SIM115 (streamed, then removed)
    handle.close()
    path = Path(handle.name)
    written: set[int] = set()
    counts = export_annex_a(
        str(path), start, end, children=children_for_statutory_returns(request.user), written=written
    )
    record_shown(
        request,
        written,
        action=Action.EXPORT,
        detail=f"Ofsted Annex A {start:%d/%m/%Y} to {end:%d/%m/%Y}: "
        + ", ".join(f"List {n} {rows} rows" for n, rows in counts.items()),
    )
    stream = open(path, "rb")  # noqa: SIM115 (FileResponse closes it)
    path.unlink()
    return FileResponse(
        stream,
        as_attachment=True,
        filename=f"Annex_A_{start:%Y%m%d}_{end:%Y%m%d}.xlsx",
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
