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


@register.filter
def target_show(target: Any, ind: Any) -> str:
    """A target as the board shows numbers: thousands separated, no needless decimals, % for percentages."""
    if target is None:
        return "–"
    number = float(target)
    text = f"{number:,.0f}" if number == int(number) else f"{number:,.1f}"
    return text + ("%" if ind.unit == "%" else "")


@register.filter
def benchmark_show(bench: Any) -> str:
    """'England 2023-24: 22.4', as the board and the board pack name a benchmark."""
    from indicators.selectors import benchmark_label

    return benchmark_label(bench)
