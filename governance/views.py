"""Subject access: the information governance officer finds a child and downloads everything held
about them (UK GDPR Article 15). Nobody else may, whatever their scope; every look and download is audited."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import ProtectedError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from accounts.http import AuthedRequest
from accounts.models import Role
from audit.models import Action
from audit.services import record, record_view
from children.models import Child
from children.selectors import is_partner
from exports.writer import download

from .forms import ErasureForm
from .models import RetentionRule
from .retention import past_retention
from .selectors import held_about
from .services import erase_child, subject_access_zip


def _only_governance(request: AuthedRequest) -> None:
    # The council's own officer: a partner agency's user is refused whatever role it was given by mistake.
    if request.user.role != Role.INFO_GOVERNANCE or is_partner(request.user):
        record(Action.FORBIDDEN, request=request, detail="subject access: not the information governance role")
        raise PermissionDenied


def subject_access(request: AuthedRequest) -> HttpResponse:
    _only_governance(request)
    query = request.GET.get("child", "").strip()[:60]
    child = Child.objects.filter(la_child_id=query).first() if query else None
    sections = held_about(child) if child else []
    if child:
        record_view(request, child, detail="subject access: what is held")
    context = {"query": query, "child": child, "sections": sections}
    return render(request, "governance/subject_access.html", context)


def subject_access_download(request: AuthedRequest, pk: int) -> HttpResponse:
    _only_governance(request)
    child = get_object_or_404(Child, pk=pk)
    data = subject_access_zip(child)
    record(Action.EXPORT, request=request, child=child, detail="subject access: everything held (xlsx and json)")
    return download(data, "application/zip", f"subject-access-child-{child.pk}.zip")


def retention(request: AuthedRequest) -> HttpResponse:
    """The schedule, and the children whose records are past it, for review."""
    _only_governance(request)
    due = past_retention(timezone.localdate())
    record(Action.VIEW, request=request, detail=f"retention review: {len(due)} records past retention")
    context = {"rules": RetentionRule.objects.all(), "due": due[:500], "count": len(due)}
    return render(request, "governance/retention.html", context)


def erase(request: AuthedRequest, pk: int) -> HttpResponse:
    _only_governance(request)
    child = get_object_or_404(Child, pk=pk)
    form = ErasureForm(request.POST or None, la_child_id=child.la_child_id)
    if request.method == "POST" and form.is_valid():
        try:
            done = erase_child(child, request.user, form.cleaned_data["reason"])
        except ProtectedError:
            form.add_error(None, "Another record still points at this child's records, so nothing was erased.")
        else:
            messages.success(request, f"The record was erased: {done.rows} rows and {done.files} stored return files")
            return redirect("retention")
    record_view(request, child, detail="erasure: confirm")
    return render(request, "governance/erase.html", {"child": child, "form": form})
