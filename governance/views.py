"""Subject access: the information governance officer finds a child and downloads everything held
about them (UK GDPR Article 15). Nobody else may, whatever their scope; every look and download is audited."""

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render

from accounts.http import AuthedRequest
from accounts.models import Role
from audit.models import Action
from audit.services import record, record_view
from children.models import Child
from children.selectors import is_partner
from exports.writer import download

from .selectors import held_about
from .services import subject_access_zip


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
