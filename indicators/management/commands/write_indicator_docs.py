"""Rewrite the indicator table in docs/indicators.md from the library, so that the
list and the code agree (the prose around the table is edited by hand).

    manage.py write_indicator_docs"""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from indicators.library import LIBRARY

HEADER = "| code | name | measure | kind | better | definition | source |"


def table() -> str:
    lines = [HEADER, "| --- | --- | --- | --- | --- | --- | --- |"]
    for ind in LIBRARY.values():
        measure = ind.measure
        if ind.measure == "percent" and ind.numerator:
            measure += f" ({ind.numerator} / {ind.denominator})"
        cells = (ind.code, ind.name, measure, ind.kind, ind.polarity, ind.definition, ind.source)
        lines.append("| " + " | ".join(c.replace("|", "/") for c in cells) + " |")
    return "\n".join(lines) + "\n"


def rewrite(text: str) -> str:
    if HEADER not in text or "\n## Seed tables" not in text:
        raise CommandError("docs/indicators.md has lost its table header or its 'Seed tables' section")
    head, rest = text.split(HEADER, 1)
    return head + table() + rest[rest.index("\n## Seed tables") :]


class Command(BaseCommand):
    help = "Rewrite the indicator table in docs/indicators.md from the indicator library."

    def handle(self, *args, **options) -> None:  # noqa: ANN002, ANN003
        path = Path(settings.BASE_DIR) / "docs" / "indicators.md"
        path.write_text(rewrite(path.read_text()))
        self.stdout.write(f"wrote {path} ({len(LIBRARY)} indicators)")
