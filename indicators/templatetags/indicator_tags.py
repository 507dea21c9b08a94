from typing import Any

from django import template

register = template.Library()

RAG_CLASSES = {"red": "govuk-tag--red", "amber": "govuk-tag--yellow", "green": "govuk-tag--green"}


@register.filter
def show(value: Any, ind: Any) -> str:
    """A Value as the seed shows it: '243 (14%)', '31.7', '2,256'."""
    if value is None:
        return "–"
    return value.display(ind)


@register.filter
def rag_class(rag: str) -> str:
    return RAG_CLASSES.get(rag, "govuk-tag--grey")


@register.filter
def fy_label(fy: int) -> str:
    return f"{fy}-{(fy + 1) % 100:02d}"
