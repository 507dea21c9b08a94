"""The returns Line of Sight can import, and how each is read and written into the register.

Each format registers a reader (iterates the stored file, reporting problems to a
ProblemLog; after iteration has `header`, `collection_year` and `count`) and an
importer (`consume(reader)` writes or, with dry_run, only counts; `summary()`
gives new / changed / unchanged by table). The run machinery in services.py
(preview, claim, commit in one transaction, progress, problems) is shared by all.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .models import Kind


@dataclass(frozen=True)
class Format:
    kind: str
    reader: Callable[..., Any]  # (run, problems, progress) -> reader
    importer: Callable[..., Any]  # (problems, run=..., dry_run=...) -> importer
    suffixes: tuple[str, ...] = ()  # file-name endings that identify this kind


_FORMATS: dict[str, Format] = {}


def register(fmt: Format) -> None:
    _FORMATS[fmt.kind] = fmt


def _cin_reader(run, problems, progress):
    from .cin import CinReader

    return CinReader(run.stored_path, problems, progress=progress)


def _cin_importer(problems, run=None, dry_run=True):
    from .cin_import import CinImporter

    return CinImporter(problems, run=run, dry_run=dry_run)


register(Format(Kind.CIN, _cin_reader, _cin_importer, suffixes=(".xml",)))


def format_for(kind: str) -> Format:
    _load_all()
    try:
        return _FORMATS[kind]
    except KeyError:
        raise LookupError(f"Importing '{kind}' returns is not available yet.") from None


def available_kinds() -> list[str]:
    _load_all()
    return [kind for kind in Kind.values if kind in _FORMATS]


def guess_kind_from_name(name: str) -> str | None:
    """The kind whose suffix the file name ends with (the most specific suffix wins)."""
    _load_all()
    lowered = name.lower()
    best: tuple[int, str] | None = None
    for fmt in _FORMATS.values():
        for suffix in fmt.suffixes:
            if lowered.endswith(suffix) and (best is None or len(suffix) > best[0]):
                best = (len(suffix), fmt.kind)
    return best[1] if best else None


# Modules that register further formats on import (each format lives in its own module).
_PLUGINS = ("returns.ssda903_format", "returns.annex_a_format", "returns.ssd_format")


def _load_all() -> None:
    import importlib

    for name in _PLUGINS:
        try:
            importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise
