"""The themes a board reads performance by (docs/decisions/0038-performance-themes-and-exceptions.md):
the child's journey from the front door to adoption, with exploitation beside it. Every indicator in
the library belongs to exactly one theme; a new indicator with no theme shows under "Other" until it
is given one (a test names it)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Theme:
    slug: str
    title: str
    codes: tuple[str, ...]


_CATEGORIES = tuple(
    f"CAT-{c}"
    for c in (
        "EMO",
        "NEG",
        "NEG-EMO",
        "PHY",
        "PHY-NEG",
        "PHY-EMO",
        "PHY-EMO-NEG",
        "SAB",
        "SAB-NEG",
        "SAB-EMO",
        "SAB-PHY",
        "MUL",
    )
)
_LEAVERS = tuple(f"CL-{m}{a}" for m in ("TOUCH", "EET", "ACCOM") for a in ("", "-17", "-19", "-22"))

THEMES: tuple[Theme, ...] = (
    Theme("front-door", "Front door", ("CONTACTS", "REFERRALS", "REF-RATE", "RE-REF", "N9")),
    Theme("assessment", "Assessment and children in need", ("N7", "N14", "ASMT-45-REF", "CIN-PLAN")),
    Theme(
        "child-protection",
        "Child protection",
        ("ICPC-15", "CPP", "N19", "CPP-NEW", "CPP-2ND", "CPP-2ND-2Y", "CPP-2YR", "CPP-BME", "CPP-DIS", *_CATEGORIES),
    ),
    Theme(
        "looked-after",
        "Looked after children",
        (
            "CLA",
            "CLA-RATE",
            "CLA-STAB-S",
            "CLA-STAB-L",
            "CLA-MISS",
            "CLA-MISS-N",
            "CLA-AWAY",
            "CLA-AWAY-N",
            "CLA-SEN",
            "CLA-BME",
            "N22",
            "PROC-ISSUED",
        ),
    ),
    Theme("care-leavers", "Care leavers", _LEAVERS),
    Theme("adoption", "Adoption", ("A1", "A2", "A10", "ADOPTED")),
    Theme("exploitation", "Exploitation and missing", ("REF-CSE", "MASE-NEW", "CLA-MISS24")),
)
OTHER = Theme("other", "Other", ())

_THEME_OF = {code: theme for theme in THEMES for code in theme.codes}


def theme_of(code: str) -> Theme:
    return _THEME_OF.get(code, OTHER)
