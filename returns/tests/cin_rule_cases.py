"""A failing and a passing case for each DfE CIN census rule, as tiny census files built from a
child that breaks no rule. Used by test_rules_cin.py, and by bench/agreement_cin.py to compare
with Data to Insight's validator on the same cases. Collection 2025-26: the census year runs
from 1 April 2025 to the reference date, 31 March 2026."""

from __future__ import annotations

from dataclasses import dataclass, field

REFERENCE = "2026-03-31"
CHECK_LETTERS = "ABCDEFGHJKLMNPQRTUVWXYZ"


def upn(n: int, la: str = "201") -> str:
    """A UPN with a correct check letter: LA code, then digits; unique for each n."""
    digits = f"{la}{n:09d}"
    total = sum(int(d) * w for d, w in zip(digits, range(2, 14), strict=True))
    return CHECK_LETTERS[total % 23] + digits


def _el(name: str, value) -> str:
    return "" if value is None else f"<{name}>{value}</{name}>"


def assessment(start="2025-06-03", auth="2025-06-20", factors=("2A",)) -> str:
    codes = "".join(_el("AssessmentFactors", f) for f in factors)
    fia = f"<FactorsIdentifiedAtAssessment>{codes}</FactorsIdentifiedAtAssessment>" if factors else ""
    return (
        f"<Assessments>{_el('AssessmentActualStartDate', start)}{_el('AssessmentAuthorisationDate', auth)}"
        f"{fia}</Assessments>"
    )


def plan(start="2025-07-01", end=None) -> str:
    return f"<CINPlanDates>{_el('CINPlanStartDate', start)}{_el('CINPlanEndDate', end)}</CINPlanDates>"


def s47(start="2025-06-04", target="2025-06-24", icpc="2025-06-20", not_required="0") -> str:
    return (
        f"<Section47>{_el('S47ActualStartDate', start)}{_el('InitialCPCtarget', target)}"
        f"{_el('DateOfInitialCPC', icpc)}{_el('ICPCnotRequired', not_required)}</Section47>"
    )


def cpp(start="2025-06-20", end=None, initial="NEG", latest="NEG", previous="0", reviews=("2025-09-10",)) -> str:
    rev = "".join(_el("CPPreviewDate", r) for r in reviews)
    return (
        f"<ChildProtectionPlans>{_el('CPPstartDate', start)}{_el('CPPendDate', end)}"
        f"{_el('InitialCategoryOfAbuse', initial)}{_el('LatestCategoryOfAbuse', latest)}"
        f"{_el('NumberOfPreviousCPP', previous)}<Reviews>{rev}</Reviews></ChildProtectionPlans>"
    )


def cin(
    referral="2025-06-02",
    source="1A",
    need="N1",
    closure=None,
    reason=None,
    icpc=None,
    nfa="0",
    assessments=(None,),
    plans=(),
    s47s=(),
    cpps=(),
) -> str:
    subs = "".join(assessment() if a is None else a for a in assessments)
    return (
        f"<CINdetails>{_el('CINreferralDate', referral)}{_el('ReferralSource', source)}"
        f"{_el('PrimaryNeedCode', need)}{_el('CINclosureDate', closure)}{_el('ReasonForClosure', reason)}"
        f"{_el('DateOfInitialCPC', icpc)}{subs}{''.join(plans)}{''.join(s47s)}{_el('ReferralNFA', nfa)}"
        f"{''.join(cpps)}</CINdetails>"
    )


def child(
    la="C1",
    n=1,
    upn_=...,
    former=None,
    unknown=None,
    dob="2015-05-01",
    expected=None,
    sex="M",
    death=None,
    ethnicity="WBRI",
    disabilities=("NONE",),
    cins=(None,),
) -> str:
    u = upn(n) if upn_ is ... else upn_
    ids = "".join(
        _el(k, v)
        for k, v in (
            ("LAchildID", la),
            ("UPN", u),
            ("FormerUPN", former),
            ("UPNunknown", unknown),
            ("PersonBirthDate", dob),
            ("ExpectedPersonBirthDate", expected),
            ("Sex", sex),
            ("PersonDeathDate", death),
        )
    )
    dis = "".join(_el("Disability", d) for d in disabilities)
    chars = (
        f"<ChildCharacteristics>{_el('Ethnicity', ethnicity)}"
        + (f"<Disabilities>{dis}</Disabilities>" if disabilities else "")
        + "</ChildCharacteristics>"
    )
    episodes = "".join(cin() if c is None else c for c in cins)
    return f"<Child><ChildIdentifiers>{ids}</ChildIdentifiers>{chars}{episodes}</Child>"


def census(children: list[str], reference=REFERENCE, year="2026") -> str:
    return (
        '<?xml version="1.0" encoding="utf-8"?><Message><Header><CollectionDetails><Collection>CIN</Collection>'
        f"{_el('Year', year)}{_el('ReferenceDate', reference)}</CollectionDetails><Source><SourceLevel>L</SourceLevel>"
        "<LEA>201</LEA><SoftwareCode>LOS</SoftwareCode><Release>1</Release><SerialNo>001</SerialNo>"
        "<DateTime>2026-04-20T10:00:00</DateTime></Source></Header><Children>"
        + "".join(children)
        + "</Children></Message>"
    )


@dataclass
class Case:
    """Keyword arguments for child(): the first breaks the rule, the second keeps it (the nearest
    passing variant, to pin the boundary). Return-level cases give whole files instead."""

    code: str
    fail: dict
    ok: dict
    files: tuple[str, str] | None = None  # (failing file, passing file) for return-level rules
    extra: dict = field(default_factory=dict)


def C(**kw) -> str:  # noqa: N802 - short, for the table below
    return cin(**kw)


OPEN = {"closure": None}
CLOSED = {"closure": "2026-01-10", "reason": "RC1"}

CASES = [
    Case("1510", {"upn_": "B201000000001"}, {"upn_": upn(1)}),
    Case("1520", {}, {}),  # built specially: two children with one UPN
    Case("1530", {"upn_": upn(1, la="999")}, {"upn_": upn(1, la="943")}),
    Case("1540", {"upn_": "A2010000X0001"}, {"upn_": upn(1)}),
    Case("1550", {"upn_": "A20100000001I"}, {"upn_": "A20100000001Z"}),
    Case("1560Q", {"former": "A20100000001"}, {"former": "X201000000011"}),
    Case("1570", {"la": "C" * 21}, {"la": "C" * 20}),
    Case("1580", {"la": "C-1"}, {"la": "C1"}),
    Case("4180", {"sex": "1"}, {"sex": "F"}),
    Case("4220", {"ethnicity": "XXXX"}, {"ethnicity": "AIND"}),
    Case("8500", {"la": None}, {"la": "C1"}),
    Case("8510", {}, {}),  # built specially: two children with one LAchildID
    Case("8520", {"dob": "2026-04-01"}, {"dob": "2026-03-31"}),
    Case("8525Q", {"expected": "2026-05-01"}, {"dob": None, "expected": "2026-05-01", "sex": "U"}),
    Case(
        "8530Q",
        {"dob": None, "sex": "U", "expected": "2026-12-31"},
        {"dob": None, "sex": "U", "expected": "2026-12-30"},
    ),
    Case("8535Q", {"death": "2015-04-30"}, {"death": "2025-05-01"}),
    Case("8540", {"disabilities": ()}, {"disabilities": ("AUT",)}),
    Case("8545Q", {"death": "2025-03-31"}, {"death": "2025-04-01"}),
    Case(
        "8750", {"dob": None, "expected": "2026-05-01", "sex": "M"}, {"dob": None, "expected": "2026-05-01", "sex": "U"}
    ),
    Case("8770Q", {"upn_": None, "unknown": "UN1"}, {"upn_": None, "unknown": "UN2"}),
    Case(
        "8772",
        {"upn_": None, "unknown": "UN7"},
        {"upn_": None, "unknown": "UN7", "cins": (C(nfa="1", assessments=()),)},
    ),
    Case("8775Q", {"dob": "2000-01-01"}, {"dob": "2001-04-01"}),
    Case("8790", {"disabilities": ("NONE", "AUT")}, {"disabilities": ("HAND", "AUT")}),
    Case("8794", {"disabilities": ("AUT", "AUT")}, {"disabilities": ("AUT", "HAND")}),
    Case("8590", {"cins": ("",)}, {}),
    # the episode
    Case(
        "1103",
        {"cins": (C(assessments=(assessment(start="2025-06-01"),)),)},
        {"cins": (C(assessments=(assessment(start="2025-06-02"),)),)},
    ),
    Case(
        "1104",
        {"cins": (C(s47s=(s47(start="2025-06-02", icpc="2025-06-01"),)),)},
        {"cins": (C(s47s=(s47(start="2025-06-02", icpc="2025-06-02"),)),)},
    ),
    Case("1105", {"cins": (C(cpps=(cpp(start="2025-06-01"),)),)}, {"cins": (C(cpps=(cpp(start="2025-06-02"),)),)}),
    Case("2889", {"cins": (C(s47s=(s47(start="2025-06-01"),)),)}, {"cins": (C(s47s=(s47(start="2025-06-02"),)),)}),
    Case("4015", {"cins": (C(plans=(plan(start="2025-06-01"),)),)}, {"cins": (C(plans=(plan(start="2025-06-02"),)),)}),
    Case(
        "2990",
        {"cins": (C(closure="2025-07-01", reason="RC8", plans=(plan(start="2025-06-20", end="2025-06-30"),)),)},
        {"cins": (C(closure="2025-07-01", reason="RC1", plans=(plan(start="2025-06-20", end="2025-06-30"),)),)},
    ),
    Case("2884", {"cins": (C(icpc="2025-06-20", s47s=(s47(),)),)}, {"cins": (C(s47s=(s47(),)),)}),
    Case("4000", {"cins": (C(nfa="1", assessments=(), plans=(plan(),)),)}, {"cins": (C(nfa="0", plans=(plan(),)),)}),
    Case(
        "8565",
        {
            "cins": (
                C(closure="2025-06-10", reason="RC1", assessments=(assessment(start="2025-06-03", auth="2025-06-11"),)),
            )
        },
        {
            "cins": (
                C(closure="2025-06-11", reason="RC1", assessments=(assessment(start="2025-06-03", auth="2025-06-11"),)),
            )
        },
    ),
    Case("8568", {"cins": (C(nfa="yes"),)}, {"cins": (C(nfa="false"),)}),
    Case(
        "8569Q",
        {"cins": (C(referral="2025-03-28", nfa="1", assessments=()),)},
        {"cins": (C(referral="2025-03-31", nfa="1", assessments=()),)},
    ),
    Case("8555Q", {"death": "2025-06-01"}, {"death": "2025-06-02", "cins": (C(closure="2025-06-25", reason="RC2"),)}),
    Case(
        "8585Q",
        {"cins": (C(closure="2025-06-25", reason="RC2"),)},
        {"death": "2025-06-24", "cins": (C(closure="2025-06-25", reason="RC2"),)},
    ),
    Case("8600", {"cins": (C(referral="2026-04-01"),)}, {"cins": (C(referral="2026-03-31", assessments=()),)}),
    Case(
        "8606",
        {"dob": "2026-03-10", "cins": (C(referral="2025-06-02"),)},
        {"dob": "2026-03-09", "cins": (C(referral="2025-06-02"),)},
    ),
    Case("8610", {"cins": (C(need=None),)}, {"cins": (C(need=None, nfa="1", assessments=()),)}),
    Case(
        "8620", {"cins": (C(closure="2026-04-01", reason="RC1"),)}, {"cins": (C(closure="2026-03-31", reason="RC1"),)}
    ),
    Case(
        "8630",
        {"cins": (C(referral="2025-06-02", closure="2025-06-01", reason="RC1", assessments=()),)},
        {"cins": (C(referral="2025-06-02", closure="2025-06-02", reason="RC1", assessments=()),)},
    ),
    Case(
        "8640", {"cins": (C(closure="2026-01-10", reason="RC0"),)}, {"cins": (C(closure="2026-01-10", reason="RC9"),)}
    ),
    Case("8650", {"cins": (C(need="N10"),)}, {"cins": (C(need="N0"),)}),
    Case(
        "8715",
        {"cins": (C(referral="2025-03-01", s47s=(s47(start="2025-03-03", target="2025-03-21", icpc="2025-03-20"),)),)},
        {"cins": (C(referral="2025-03-01", s47s=(s47(start="2025-03-03", target="2025-04-01", icpc="2025-04-01"),)),)},
    ),
    Case("8805", {"cins": (C(closure="2026-01-10"),)}, {"cins": (C(**CLOSED),)}),
    Case("8810", {"cins": (C(reason="RC1"),)}, {"cins": (C(**CLOSED),)}),
    Case(
        "8815",
        {"cins": (C(referral="2025-05-01"), C(referral="2025-06-02"))},
        {"cins": (C(referral="2025-05-01", nfa="1", assessments=()), C(referral="2025-06-02"))},
    ),
    Case(
        "8816",
        {"cins": (C(referral="2025-05-01"), C(referral="2025-06-02", nfa="1", assessments=()))},
        {"cins": (C(referral="2025-05-01", nfa="1", assessments=()), C(referral="2025-06-02"))},
    ),
    Case(
        "8820",
        {
            "cins": (
                C(
                    referral="2025-05-01",
                    closure="2025-07-01",
                    reason="RC1",
                    assessments=(assessment(start="2025-05-02", auth="2025-05-20"),),
                ),
                C(referral="2025-06-30"),
            )
        },
        {
            "cins": (
                C(
                    referral="2025-05-01",
                    closure="2025-06-02",
                    reason="RC1",
                    assessments=(assessment(start="2025-05-02", auth="2025-05-20"),),
                ),
                C(referral="2025-06-02"),
            )
        },
    ),
    Case(
        "8825Q",
        {"cins": (C(closure="2025-07-01", reason="RC8", assessments=()),)},
        {"cins": (C(closure="2025-07-01", reason="RC8"),)},
    ),
    Case("8831", {"cins": (C(nfa="1"),)}, {"cins": (C(nfa="1", assessments=()),)}),
    Case(
        "8832",
        {"cins": (C(nfa="1", assessments=(), cpps=(cpp(),)),)},
        {"cins": (C(nfa="0", s47s=(s47(),), cpps=(cpp(),)),)},
    ),
    Case("8866", {"cins": (C(source="11"),)}, {"cins": (C(source="10"),)}),
    Case(
        "8867",
        {"cins": (C(closure="2025-07-01", reason="RC1", assessments=(assessment(auth=None, factors=()),)),)},
        {"cins": (C(closure="2025-07-01", reason="RC1"),)},
    ),
    Case(
        "8868",
        {"cins": (C(closure="2025-07-01", reason="RC1", s47s=(s47(icpc=None, not_required="0"),)),)},
        {"cins": (C(closure="2025-07-01", reason="RC1", s47s=(s47(icpc=None, not_required="1"),)),)},
    ),
    # assessments
    Case(
        "8608",
        {"cins": (C(assessments=(assessment(start="2025-06-21", auth="2025-06-20"),)),)},
        {"cins": (C(assessments=(assessment(start="2025-06-20", auth="2025-06-20"),)),)},
    ),
    Case(
        "8614",
        {"cins": (C(assessments=(assessment(start="2026-03-20", auth=None),)),)},
        {"cins": (C(assessments=(assessment(start="2026-03-20", auth=None, factors=()),)),)},
    ),
    Case(
        "8670Q",
        {"cins": (C(assessments=(assessment(start="2026-01-26", auth=None, factors=()),)),)},
        {"cins": (C(assessments=(assessment(start="2026-01-27", auth=None, factors=()),)),)},
    ),
    Case(
        "8696",
        {"cins": (C(referral="2025-03-01", assessments=(assessment(start="2025-03-03", auth="2025-03-31"),)),)},
        {"cins": (C(referral="2025-03-01", assessments=(assessment(start="2025-03-03", auth="2025-04-01"),)),)},
    ),
    Case(
        "8736",
        {"cins": (C(referral="2025-03-01", assessments=(assessment(start="2025-03-31", auth=None, factors=()),)),)},
        {"cins": (C(referral="2025-03-01", assessments=(assessment(start="2025-04-01", auth=None, factors=()),)),)},
    ),
    Case(
        "8863Q",
        {
            "cins": (
                C(
                    assessments=(
                        assessment(start="2025-06-03", auth="2025-06-20"),
                        assessment(start="2025-06-20", auth="2025-07-01"),
                    )
                ),
            )
        },
        {
            "cins": (
                C(
                    assessments=(
                        assessment(start="2025-06-03", auth="2025-06-20"),
                        assessment(start="2025-06-21", auth="2025-07-01"),
                    )
                ),
            )
        },
    ),
    Case(
        "8869",
        {"cins": (C(assessments=(assessment(factors=("21", "2A")),)),)},
        {"cins": (C(assessments=(assessment(factors=("21",)),)),)},
    ),
    Case(
        "8873Q",
        {"cins": (C(assessments=(assessment(factors=("21",)),)),)},
        {"cins": (C(closure="2025-07-01", reason="RC8", assessments=(assessment(factors=("21",)),)),)},
    ),
    Case(
        "8896",
        {
            "cins": (
                C(
                    assessments=(
                        assessment(start="2026-03-02", auth=None, factors=()),
                        assessment(start="2026-03-03", auth=None, factors=()),
                    )
                ),
            )
        },
        {
            "cins": (
                C(
                    assessments=(
                        assessment(start="2026-03-02", auth="2026-03-02"),
                        assessment(start="2026-03-03", auth=None, factors=()),
                    )
                ),
            )
        },
    ),
    Case(
        "8897Q",
        {"cins": (C(assessments=(assessment(factors=()),)),)},
        {"cins": (C(assessments=(assessment(factors=("3A",)),)),)},
    ),
    Case(
        "8898",
        {"cins": (C(assessments=(assessment(factors=("2A", "2A")),)),)},
        {"cins": (C(assessments=(assessment(factors=("2A", "2B")),)),)},
    ),
    Case(
        "8945Q",
        {"cins": (C(assessments=(assessment(factors=("18A",)),)),)},
        {"cins": (C(assessments=(assessment(factors=("18B",)),)),)},
    ),
    Case(
        "8950Q",
        {"cins": (C(assessments=(assessment(factors=("19A",)),)),)},
        {"cins": (C(assessments=(assessment(factors=("19C",)),)),)},
    ),
    Case("2991Q", {"cins": (C(assessments=(), s47s=(s47(),)),)}, {"cins": (C(s47s=(s47(),)),)}),
    # section 47 enquiries
    Case(
        "8615",
        {"cins": (C(s47s=(s47(start="2025-06-21", icpc="2025-06-20"),)),)},
        {"cins": (C(s47s=(s47(start="2025-06-20", icpc="2025-06-20"),)),)},
    ),
    Case(
        "8675Q",
        {"cins": (C(s47s=(s47(start="2026-03-09", icpc=None),)),)},
        {"cins": (C(s47s=(s47(start="2026-03-10", icpc=None),)),)},
    ),
    Case(
        "8740",
        {"cins": (C(referral="2025-03-01", s47s=(s47(start="2025-03-31", icpc=None),)),)},
        {"cins": (C(referral="2025-03-01", s47s=(s47(start="2025-03-31", icpc=None, not_required="1"),)),)},
    ),
    Case(
        "8839",
        {"cins": (C(s47s=(s47(start="2026-03-20", icpc=None), s47(start="2026-03-23", icpc=None))),)},
        {"cins": (C(s47s=(s47(start="2026-03-20", icpc=None, not_required="1"), s47(start="2026-03-23", icpc=None))),)},
    ),
    Case("8870Q", {"cins": (C(s47s=(s47(target="2025-06-21"),)),)}, {"cins": (C(s47s=(s47(target="2025-06-23"),)),)}),
    Case("8875", {"cins": (C(s47s=(s47(icpc="2025-06-22"),)),)}, {"cins": (C(s47s=(s47(icpc="2025-06-20"),)),)}),
    Case(
        "8890",
        {"cins": (C(s47s=(s47(start="2025-06-04", icpc="2025-06-20"), s47(start="2025-06-20", icpc="2025-06-27"))),)},
        {"cins": (C(s47s=(s47(start="2025-06-04", icpc="2025-06-20"), s47(start="2025-06-23", icpc="2025-06-27"))),)},
    ),
    # CIN plans
    Case(
        "4001",
        {"cins": (C(plans=(plan(start="2025-07-01"),), s47s=(s47(),), cpps=(cpp(),)),)},
        {"cins": (C(plans=(plan(start="2025-06-10", end="2025-06-20"),), s47s=(s47(),), cpps=(cpp(),)),)},
    ),
    Case(
        "4003",
        {
            "cins": (
                C(
                    plans=(plan(start="2025-09-01", end="2025-09-30"),),
                    s47s=(s47(),),
                    cpps=(cpp(end="2025-08-31", reviews=("2025-09-10",)),),
                ),
            )
        },
        {
            "cins": (
                C(
                    plans=(plan(start="2025-09-01", end="2025-09-30"),),
                    s47s=(s47(),),
                    cpps=(cpp(end="2025-08-31", reviews=("2025-08-20",)),),
                ),
            )
        },
    ),
    Case(
        "4004",
        {"cins": (C(plans=(plan(start="2025-07-01"), plan(start="2025-08-01"))),)},
        {"cins": (C(plans=(plan(start="2025-07-01", end="2025-07-31"), plan(start="2025-08-01"))),)},
    ),
    Case(
        "4008",
        {"death": "2025-06-30", "cins": (C(plans=(plan(start="2025-07-01", end="2025-07-01"),)),)},
        {"death": "2025-07-01", "cins": (C(plans=(plan(start="2025-07-01", end="2025-07-01"),)),)},
    ),
    Case(
        "4009Q",
        {"death": "2025-07-10", "cins": (C(plans=(plan(start="2025-07-01", end="2025-07-11"),)),)},
        {"death": "2025-07-11", "cins": (C(plans=(plan(start="2025-07-01", end="2025-07-11"),)),)},
    ),
    Case("4010", {"cins": (C(plans=(plan(start=None),)),)}, {"cins": (C(plans=(plan(start="2026-03-31"),)),)}),
    Case(
        "4011",
        {"cins": (C(plans=(plan(start="2025-07-02", end="2025-07-01"),)),)},
        {"cins": (C(plans=(plan(start="2025-07-01", end="2025-07-02"),)),)},
    ),
    Case(
        "4012Q",
        {"cins": (C(plans=(plan(start="2025-07-01", end="2025-07-01"),)),)},
        {"cins": (C(plans=(plan(start="2025-07-01", end="2025-07-02"),)),)},
    ),
    Case(
        "4013",
        {"cins": (C(plans=(plan(start="2025-07-01", end="2026-04-01"),)),)},
        {"cins": (C(plans=(plan(start="2025-07-01", end="2026-03-31"),)),)},
    ),
    Case(
        "4014",
        {"cins": (C(plans=(plan(start="2025-07-01", end="2025-07-31"), plan(start="2025-07-31"))),)},
        {"cins": (C(plans=(plan(start="2025-07-01", end="2025-07-31"), plan(start="2025-08-01"))),)},
    ),
    Case(
        "4016",
        {
            "cins": (
                C(s47s=(s47(),), cpps=(cpp(start="2025-06-20", end="2025-07-20"),), plans=(plan(start="2025-07-19"),)),
            )
        },
        {
            "cins": (
                C(s47s=(s47(),), cpps=(cpp(start="2025-06-20", end="2025-07-20"),), plans=(plan(start="2025-07-20"),)),
            )
        },
    ),
    Case(
        "4017",
        {
            "cins": (
                C(plans=(plan(start="2025-06-10", end="2025-06-21"),), s47s=(s47(),), cpps=(cpp(start="2025-06-20"),)),
            )
        },
        {
            "cins": (
                C(plans=(plan(start="2025-06-10", end="2025-06-20"),), s47s=(s47(),), cpps=(cpp(start="2025-06-20"),)),
            )
        },
    ),
    # child protection plans
    Case(
        "2885",
        {"cins": (C(s47s=(s47(icpc="2025-06-20"),), cpps=(cpp(start="2025-06-23"),)),)},
        {"cins": (C(s47s=(s47(icpc="2025-06-20"),), cpps=(cpp(start="2025-06-20"),)),)},
    ),
    Case("8720", {"cins": (C(s47s=(s47(),), cpps=(cpp(start=None),)),)}, {"cins": (C(s47s=(s47(),), cpps=(cpp(),)),)}),
    Case(
        "8730",
        {"cins": (C(s47s=(s47(),), cpps=(cpp(previous=None),)),)},
        {"cins": (C(s47s=(s47(),), cpps=(cpp(previous="0"),)),)},
    ),
    Case(
        "8840",
        {"cins": (C(s47s=(s47(),), cpps=(cpp(end="2025-06-20", reviews=()),)),)},
        {"cins": (C(s47s=(s47(),), cpps=(cpp(end="2025-06-21", reviews=()),)),)},
    ),
    Case(
        "8841",
        {"cins": (C(s47s=(s47(),), cpps=(cpp(reviews=("2025-06-20",)),)),)},
        {"cins": (C(s47s=(s47(),), cpps=(cpp(reviews=("2025-06-21",)),)),)},
    ),
    Case(
        "8842Q", {"cins": (C(s47s=(s47(),), cpps=(cpp(reviews=("",)),)),)}, {"cins": (C(s47s=(s47(),), cpps=(cpp(),)),)}
    ),
    Case(
        "8905",
        {"cins": (C(s47s=(s47(),), cpps=(cpp(initial="XYZ"),)),)},
        {"cins": (C(s47s=(s47(),), cpps=(cpp(initial="MUL"),)),)},
    ),
    Case(
        "8910",
        {"cins": (C(s47s=(s47(),), cpps=(cpp(latest=None),)),)},
        {"cins": (C(s47s=(s47(),), cpps=(cpp(latest="EMO"),)),)},
    ),
    Case(
        "8915",
        {"death": "2025-06-19", "cins": (C(s47s=(s47(),), cpps=(cpp(),)),)},
        {"death": "2025-06-20", "cins": (C(s47s=(s47(),), cpps=(cpp(end="2025-06-20", reviews=()),)),)},
    ),
    Case(
        "8920",
        {"death": "2025-07-01", "cins": (C(s47s=(s47(),), cpps=(cpp(end="2025-07-02", reviews=()),)),)},
        {"death": "2025-07-02", "cins": (C(s47s=(s47(),), cpps=(cpp(end="2025-07-02", reviews=()),)),)},
    ),
    Case(
        "8925",
        {"cins": (C(s47s=(s47(),), cpps=(cpp(end="2025-06-19", reviews=()),)),)},
        {"cins": (C(s47s=(s47(),), cpps=(cpp(end="2025-06-21", reviews=()),)),)},
    ),
    Case(
        "8930",
        {"cins": (C(s47s=(s47(),), cpps=(cpp(end="2026-04-01"),)),)},
        {"cins": (C(s47s=(s47(),), cpps=(cpp(end="2026-03-31"),)),)},
    ),
    Case(
        "8935",
        {"cins": (C(s47s=(s47(),), cpps=(cpp(), cpp(start="2025-06-20"))),)},
        {"cins": (C(s47s=(s47(),), cpps=(cpp(end="2025-08-01"), cpp(start="2025-08-02", reviews=("2025-09-10",)))),)},
    ),
    Case(
        "8940",
        {"cins": (C(s47s=(s47(),), cpps=(cpp(end="2025-08-01"), cpp(start="2025-08-01", reviews=("2025-09-10",)))),)},
        {"cins": (C(s47s=(s47(),), cpps=(cpp(end="2025-08-01"), cpp(start="2025-08-02", reviews=("2025-09-10",)))),)},
    ),
]


def duplicate_pair(code: str, same: bool) -> list[str]:
    """Two children; for 1520 sharing a UPN, for 8510 an LAchildID (when `same`)."""
    if code == "1520":
        return [child(la="D1", n=5), child(la="D2", n=5 if same else 6)]
    return [child(la="D1", n=5), child(la="D1" if same else "D2", n=6)]


def return_level_files(code: str) -> tuple[str, str]:
    """(failing, passing) census files for a rule on the whole return."""
    many = [
        child(la=f"R{i}", n=100 + i, disabilities=(d,))
        for i, d in enumerate(("MOB", "HAND", "PC", "INC", "COMM", "LD", "HEAR", "VIS"))
    ]
    if code == "100":
        return census([child()], reference="2026-03-30"), census([child()])
    if code == "2886Q":
        fail = [child(la=f"R{i}", n=200 + i, sex="U" if i == 0 else "M") for i in range(49)]
        ok = [child(la=f"R{i}", n=200 + i, sex="U" if i == 0 else "M") for i in range(50)]
        return census(fail), census(ok)
    if code == "2887Q":
        return census(many[:7]), census(many)
    if code == "2888Q":
        return census(many), census([*many, child(la="R99", n=199, disabilities=("AUT", "BEH"))])
    if code == "2883":
        fail = C(s47s=(s47(),), cpps=(cpp(), cpp(start="2025-06-20", end="2025-06-21", reviews=())))
        return census([child(cins=(fail,))]), census([child(cins=(C(s47s=(s47(),), cpps=(cpp(),)),))])
    raise KeyError(code)


RETURN_LEVEL = ("100", "2883", "2886Q", "2887Q", "2888Q")
SPECIAL = ("1520", "8510")


def agreement_files() -> dict[str, str]:
    """Every case's failing and passing child in one census (child IDs name the rule and the side),
    and the duplicate-identifier cases in files of their own (a repeated LAchildID would mix them up)."""
    children = []
    for i, case in enumerate(CASES):
        if case.code in SPECIAL:
            continue
        for side, kw in (("F", case.fail), ("P", case.ok)):
            kw = dict(kw)
            la = kw.pop("la", "x")
            if la is None:  # Data to Insight's validator stops on a child without an LAchildID: left out here
                continue
            name = la if la != "x" and case.code in ("1570", "1580") else f"{case.code}{side}"
            children.append(child(la=name, n=1000 + 2 * i + (side == "P"), **kw))
    files = {"rule_cases.xml": census(children)}
    for code in SPECIAL:
        files[f"rule_cases_{code}.xml"] = census(
            duplicate_pair(code, True) + [child(la="E1", n=7), child(la="E2", n=8)]
        )
    for code in RETURN_LEVEL:  # a rule on the whole return: its failing file and its passing file
        files[f"rule_cases_{code}_fails.xml"], files[f"rule_cases_{code}_passes.xml"] = return_level_files(code)
    return files
