"""Restricting a child's record to named users (decision 0027): administrators only, every change audited."""

from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest

from audit.models import Action
from audit.services import record

from .models import RecordRestriction


class RestrictionForm(forms.ModelForm):
    class Meta:
        model = RecordRestriction
        fields = ("child", "reason", "allowed_users")

    def __init__(self, *args: Any, editor: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.editor = editor

    def clean_allowed_users(self) -> Any:
        """Nobody widens a restriction for themselves (as accounts.access refuses one's own access change):
        an administrator may keep themselves named, never add themselves."""
        users = self.cleaned_data["allowed_users"]
        before = set(self.instance.allowed_users.values_list("pk", flat=True)) if self.instance.pk else set()
        if self.editor is not None and self.editor.pk not in before and users.filter(pk=self.editor.pk).exists():
            raise forms.ValidationError("You may not name yourself on a restriction: ask another administrator.")
        return users


def summary(obj: RecordRestriction) -> str:
    names = ", ".join(sorted(obj.allowed_users.values_list("username", flat=True)))
    return f"record restriction: named users [{names}]"


@admin.register(RecordRestriction)
class RecordRestrictionAdmin(admin.ModelAdmin):
    form = RestrictionForm
    list_display = ("child", "reason", "set_by", "set_at")
    raw_id_fields = ("child",)
    filter_horizontal = ("allowed_users",)

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
        form = super().get_form(request, obj, change=change, **kwargs)

        class WithEditor(form):  # type: ignore[misc, valid-type]
            def __init__(self, *args: Any, **kw: Any) -> None:
                super().__init__(*args, editor=request.user, **kw)

        return WithEditor

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return ("child",) if obj is not None else ()

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        if not change:
            obj.set_by = request.user
        super().save_model(request, obj, form, change)

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        obj = form.instance
        verb = "changed" if change else "set"
        record(
            Action.CHANGE if change else Action.CREATE,
            request=request,
            child=obj.child_id,
            obj=obj,
            detail=f"{summary(obj)} {verb}",
        )

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        pk, child_id = obj.pk, obj.child_id
        super().delete_model(request, obj)
        obj.pk = pk
        record(Action.DELETE, request=request, child=child_id, obj=obj, detail="record restriction lifted")

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        for restriction in list(queryset):
            self.delete_model(request, restriction)
