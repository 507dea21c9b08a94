"""Everything Line of Sight holds about one child, for a subject access request (UK GDPR Article 15).

The register, tracker, audit and partnership rows are found by following foreign keys from every model
to Child (directly, or through a referral, a plan, proceedings or an episode), so a model added later is
included without a change here. Improvement plans hold no link to a child: their text fields are searched
for the child's identifier and name ("plans evidence naming them"). The audit log answers who viewed or
exported the record and when (audit.selectors). Decision 0030."""

import datetime as dt
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.db import models
from django.db.models import Q
from django.db.models.fields.files import FieldFile

from audit.selectors import who_saw
from children.models import Child

# Apps whose rows can be about a child; audit is read through who_saw(), not row by row.
HOLDING_APPS = ("children", "exploitation", "audits", "partnership", "timescales")
TEXT_SEARCHED_APPS = ("plans",)  # no link to a child: searched for the child's identifier and name
MAX_DEPTH = 3
NOT_SHOWN = {"password"}


@dataclass
class Section:
    title: str
    headers: list[str]
    rows: list[list[Any]] = field(default_factory=list)

    def as_records(self) -> list[dict[str, Any]]:
        return [dict(zip(self.headers, row, strict=True)) for row in self.rows]


def paths_to_child(model: type[models.Model], depth: int = MAX_DEPTH) -> list[str]:
    """The lookups from `model` to Child through its foreign keys (shortest first), e.g. "referral__child"."""
    if depth == 0:
        return []
    found = []
    for f in model._meta.get_fields():
        if not (f.many_to_one or f.one_to_one) or not f.concrete or f.related_model is None:
            continue
        if f.related_model is Child:
            found.append(f.name)
        elif f.related_model._meta.app_label in HOLDING_APPS:
            found += [f"{f.name}__{rest}" for rest in paths_to_child(f.related_model, depth - 1)]
    return sorted(found, key=lambda p: p.count("__"))


def _columns(model: type[models.Model]) -> list[models.Field]:
    return [f for f in model._meta.concrete_fields if f.name not in NOT_SHOWN]


def _value(obj: models.Model, f: models.Field) -> Any:
    """A field as a person reads it: a related row by its name (a team, a worker, a user), not its id."""
    if f.is_relation:
        related = getattr(obj, f.name)
        return None if related is None else str(related)
    value = getattr(obj, f.attname)
    if value is None or isinstance(value, str | int | float | Decimal | dt.date | bool):
        return value
    if isinstance(value, FieldFile):
        return value.name or None  # an uploaded file: its stored name
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, default=str)
    return str(value)


def _section(model: type[models.Model], queryset: models.QuerySet) -> Section | None:
    columns = _columns(model)
    related = [f.name for f in columns if f.is_relation]
    rows = [[_value(obj, f) for f in columns] for obj in queryset.select_related(*related).order_by("pk")]
    if not rows:
        return None
    title = f"{model._meta.app_config.verbose_name}: {model._meta.verbose_name_plural}"
    return Section(title, [str(f.verbose_name) for f in columns], rows)


def linked(child: Child) -> Iterator[tuple[type[models.Model], models.QuerySet]]:
    """Each model that can hold rows about a child, with the query for this child's rows."""
    for app in HOLDING_APPS:
        for model in apps.get_app_config(app).get_models():
            if model is Child:
                continue
            paths = paths_to_child(model)
            if not paths:
                continue
            where = Q()
            for path in paths:
                where |= Q(**{path: child})
            yield model, model._default_manager.filter(where).distinct()


def _linked(child: Child) -> Iterator[Section]:
    for model, queryset in linked(child):
        if section := _section(model, queryset):
            yield section


def _naming(child: Child) -> Iterator[Section]:
    names = [n for n in (child.la_child_id, f"{child.first_name} {child.last_name}".strip()) if n and len(n) > 2]
    for app in TEXT_SEARCHED_APPS:
        for model in apps.get_app_config(app).get_models():
            texts = [f.name for f in _columns(model) if isinstance(f, models.CharField | models.TextField)]
            where = Q()
            for name in names:
                for text in texts:
                    where |= Q(**{f"{text}__icontains": name})
            if texts and names and (section := _section(model, model._default_manager.filter(where))):
                section.title += " (naming the child)"
                yield section


def _viewed(child: Child) -> Section:
    events = who_saw(child.pk).order_by("at", "pk")
    rows = [[e.at, e.username, e.get_action_display(), e.detail] for e in events]
    return Section("Who viewed or exported the record", ["When", "User", "What", "Detail"], rows)


def held_about(child: Child) -> list[Section]:
    """Every section held about the child, the child's own record first and the audit trail last."""
    own = _section(Child, Child.objects.filter(pk=child.pk))
    assert own is not None
    own.title = "The child's record"
    return [own, *_linked(child), *_naming(child), _viewed(child)]
