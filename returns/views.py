"""Upload, preview, problem report, commit and export of statutory returns.
Only performance analysts and administrators may use them."""

import datetime as dt
import tempfile
from functools import wraps
from pathlib import Path

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from accounts.http import AuthedRequest
from accounts.models import Role
from audit.models import Action
from audit.services import record
from children.selectors import children_in_scope
from timescales.exports import xlsx_response

from . import selectors, services
from .cin import FIRST_YEAR, SCHEMA_YEARS, collection_label
from .cin_export import export_cin
from .models import ImportRun, Kind, Status

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


class UploadForm(forms.Form):
    kind = forms.ChoiceField(label="Which return is it?", choices=Kind.choices, initial=Kind.CIN)
    file = MultipleFileField(
        label="Upload the file, or all the files of the return",
        help_text="A return sent as several CSV tables: choose them all, or one .zip holding them.",
    )


class ExportForm(forms.Form):
    year = forms.TypedChoiceField(
        label="Collection year",
        coerce=int,
        choices=[(y, collection_label(y)) for y in SCHEMA_YEARS if y >= FIRST_YEAR - 1],
    )


@analyst_only
def runs(request: AuthedRequest) -> HttpResponse:
    return render(request, "returns/runs.html", {"runs": selectors.recent_runs()})


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
            services.start_in_background(run, services.preview)
            return redirect("returns_run", run.pk)
    return render(request, "returns/upload.html", {"form": form})


@analyst_only
def run_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    run = get_object_or_404(ImportRun, pk=pk)
    return render(
        request,
        "returns/run.html",
        {
            "run": run,
            "groups": selectors.problem_groups(run),
            "problems": run.problems.all()[:200],
            "can_commit": run.status == Status.PREVIEWED,
        },
    )


@analyst_only
@require_POST
def commit(request: AuthedRequest, pk: int) -> HttpResponse:
    run = get_object_or_404(ImportRun, pk=pk)
    if services.claim(run):
        services.start_in_background(run, lambda r: services.commit(r, claimed=True))
    return redirect("returns_run", run.pk)


@analyst_only
def problems_xlsx(request: AuthedRequest, pk: int) -> HttpResponse:
    run = get_object_or_404(ImportRun, pk=pk)
    rows = (
        (p.severity, p.rule, p.file_name, p.child_id, p.location, p.field, p.message)
        for p in run.problems.order_by("severity", "rule", "pk")
    )
    record(Action.EXPORT, request=request, obj=run, detail=f"problem report for import run {run.pk}")
    return xlsx_response(
        f"problems-run-{run.pk}.xlsx",
        "Problems",
        ["Severity", "Rule", "File", "Child ID", "Where", "Field", "Problem"],
        rows,
    )


@analyst_only
def export(request: AuthedRequest) -> HttpResponse | FileResponse:
    form = ExportForm(request.GET or None)
    if request.GET and form.is_valid():
        year = form.cleaned_data["year"]
        handle = tempfile.NamedTemporaryFile(suffix=".xml", delete=False)  # noqa: SIM115 (streamed, then removed)
        handle.close()
        path = Path(handle.name)
        count = export_cin(str(path), year, children=children_in_scope(request.user))
        record(Action.EXPORT, request=request, detail=f"CIN census {collection_label(year)}: {count} children")
        stream = open(path, "rb")  # noqa: SIM115 (FileResponse closes it)
        path.unlink()  # the open handle keeps the data until the response is sent
        return FileResponse(
            stream, as_attachment=True, filename=f"CIN_census_{year}.xml", content_type="application/xml"
        )
    return render(request, "returns/export.html", {"form": form, "today": dt.date.today()})
