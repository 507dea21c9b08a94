"""Setting a year's targets and the council's RAG rule: every value checked before anything is written,
all of a year's targets written in one transaction, and each change recorded in the audit log."""

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.db import transaction

from audit.models import Action
from audit.services import record

from . import periods
from .library import LIBRARY
from .models import RagRule, Target

FIRST_YEAR, LAST_YEAR = 2000, 2100
# The model's own limits (10 digits, 2 places); Django's DecimalField refuses nan, inf and 1e309.
TARGET_FIELD = forms.DecimalField(max_digits=10, decimal_places=2, min_value=0, required=False)
TOLERANCE_FIELD = forms.DecimalField(max_digits=5, decimal_places=2, min_value=0, max_value=100)
TARGET_ERROR = "Enter a number, for example 75 or 15.5"


def financial_year(raw: object) -> int | None:
    """The year a financial year starts (2024 for 2024-25), or None when it is not one we keep."""
    try:
        year = int(str(raw).strip())
    except ValueError:
        return None
    return year if FIRST_YEAR <= year <= LAST_YEAR else None


TARGET_MESSAGES = {
    "min_value": "Enter a target of 0 or more",
    "max_digits": "Enter a target below 100,000,000",
    "max_whole_digits": "Enter a target below 100,000,000",
    "max_decimal_places": "Enter a target with no more than 2 decimal places",
}


def target_value(raw: str) -> Decimal | None:
    """A target as typed (blank: no target). Raises ValidationError with the message to show."""
    try:
        return TARGET_FIELD.clean(raw.strip())
    except ValidationError as error:
        code = error.error_list[0].code or "invalid"
        raise ValidationError(TARGET_MESSAGES.get(code, TARGET_ERROR), code=code) from None


def parse_targets(posted: dict[str, str]) -> tuple[dict[str, Decimal | None], dict[str, str]]:
    """Every indicator's target as typed, and the errors; nothing is written here."""
    values: dict[str, Decimal | None] = {}
    errors: dict[str, str] = {}
    for code in LIBRARY:
        try:
            values[code] = target_value(posted.get(f"target-{code}", ""))
        except ValidationError as error:
            errors[code] = error.messages[0]
    return values, errors


@transaction.atomic
def save_targets(year: int, values: dict[str, Decimal | None]) -> int:
    """Write a year's targets all or nothing; one audit row per target set, changed or removed."""
    current = {t.indicator: t for t in Target.objects.select_for_update().filter(year=year)}
    changed = 0
    for code, value in values.items():
        existing = current.get(code)
        before = existing.value if existing else None
        if before == value:
            continue
        target = existing or Target(indicator=code, year=year)
        detail = f"indicator target {code} {periods.fy_label(year)}: {_shown(before)} -> {_shown(value)}"
        if value is None:
            record(Action.DELETE, obj=target, detail=detail)
            target.delete()
        else:
            target.value = value
            target.save()
            record(Action.CHANGE if existing else Action.CREATE, obj=target, detail=detail)
        changed += 1
    return changed


def _shown(value: Decimal | None) -> str:
    return "none" if value is None else f"{value.normalize():f}"


def tolerance_value(raw: str) -> Decimal:
    """The RAG rule's tolerance as typed ('10' or '10%'). Raises ValidationError."""
    return TOLERANCE_FIELD.clean(raw.strip().rstrip("%"))


@transaction.atomic
def save_rule(tolerance: Decimal, amber_if_improved: bool) -> RagRule:
    # A new row each time: the latest is used, earlier ones are its history.
    rule = RagRule.objects.create(tolerance_percent=tolerance, amber_if_improved=amber_if_improved)
    record(
        Action.CHANGE,
        obj=rule,
        detail=f"RAG rule: green within {tolerance}% of target; "
        f"amber if improved: {'yes' if amber_if_improved else 'no'}",
    )
    return rule
