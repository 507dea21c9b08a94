"""The three demonstration plans (seeds 002, 003, 004), imported from plans/demo/*.xlsx
through the same steps a user takes: read the sheet, map the columns (the guess,
corrected where the seed's headings mislead), preview, commit. Each is then brought
into the present (demo_current.py), so that the demonstration shows a live plan."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model

from . import services
from .demo_current import bring_forward
from .importer import guess_mapping, read_sheet
from .models import ActionLead, Plan, PlanImport, PlanRole

DEMO_DIR = Path(__file__).resolve().parent / "demo"


@dataclass
class DemoPlan:
    filename: str
    title: str
    theme_label: str
    owner: str  # demonstration username
    overrides: dict[str, str] = field(default_factory=dict)  # header -> target, where the guess is wrong
    end_date: dt.date | None = None
    measures: list[tuple[str, str]] = field(default_factory=list)
    evidence: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    lead_users: dict[str, str] = field(default_factory=dict)  # lead name -> demonstration username


DEMO_PLANS = [
    DemoPlan(
        "002-bcp-15-point-action-plan.xlsx",
        "BCP children's services 15-point action plan 2020-21",
        "Point",
        "director",
        end_date=dt.date(2021, 6, 30),  # "a short-term action plan, finishing in June 2021"
        # The seed's 7 obsessions are measured as KPOs, but their wording is not in the text:
        # these are the library's indicators for the points that name a measurable aim.
        measures=[
            ("N14", "Point 4: a sea change in the quality and timeliness of assessments"),
            ("RE-REF", "Point 4: cases well triaged and passed to the right service"),
            ("CLA-STAB-L", "Point 3: greater security and long-term stability for children in care"),
            ("PROC-ISSUED", "Point 6: oversight of Public Law Outline cases"),
        ],
        evidence=[
            ("3.2", {"kind": "indicator", "indicator": "CLA-STAB-L"}),
            ("4.5", {"kind": "indicator", "indicator": "N14"}),
            (
                "7.1",
                {
                    "kind": "audit",
                    "title": "Baseline audit of 80 cases, December 2020 (re-audit March 2021)",
                    "note": "Seed 002 point 7: casework gradings to improve between the audit and the re-audit",
                },
            ),
        ],
    ),
    DemoPlan(
        "003-bscb-business-plan-2013-14.xlsx",
        "Bromley Safeguarding Children Board business plan 2013-14",
        "Area",
        "board.manager",
        lead_users={"Business Manager": "board.manager", "BSCB Business Manager": "board.manager"},
    ),
    DemoPlan(
        "004-southwark-post-ofsted-action-plan.xlsx",
        "Southwark post-Ofsted action plan October 2017",
        "Recommendation",
        "director",
        overrides={"Progress": "leads", "Key points to note": "progress"},
    ),
]


def load(demo: DemoPlan, log: Any = print) -> Plan | None:
    """Import one demonstration plan; None when it is there already (so a second run changes nothing)."""
    if Plan.objects.filter(source=demo.filename).exists():
        log(f"{demo.title}: already loaded")
        return None
    User = get_user_model()
    owner = User.objects.filter(username=demo.owner).first()
    content = (DEMO_DIR / demo.filename).read_bytes()
    sheet = read_sheet(content)
    targets = guess_mapping(sheet.headers)  # step 2: the guess ...
    for col, header in enumerate(sheet.headers):  # ... corrected as a user would
        if header in demo.overrides:
            targets = {c: t for c, t in targets.items() if t != demo.overrides[header]}
            targets[col] = demo.overrides[header]
    run = PlanImport.objects.create(
        filename=demo.filename,
        content=content,
        sheet=sheet.name,
        title=demo.title,
        theme_label=demo.theme_label,
        mapping={"targets": {str(k): v for k, v in targets.items()}},
        created_by=owner,
    )
    parsed = services.preview(run)  # step 3: the preview
    for problem in parsed.warnings:
        log(f"  {demo.filename}: {problem}")
    plan = services.commit_import(run, owner)  # step 4: commit (raises on errors; nothing saved)
    if demo.end_date:
        Plan.objects.filter(pk=plan.pk).update(end_date=demo.end_date)
    for code, note in demo.measures:
        services.add_measure(plan, code, owner, note)
    for ref, fields in demo.evidence:
        services.add_evidence(plan.actions.get(ref=ref), owner, **fields)
    for name, username in demo.lead_users.items():
        user = User.objects.filter(username=username).first()
        if user:
            ActionLead.objects.filter(action__plan=plan, name=name).update(user=user)
            if not PlanRole.objects.filter(plan=plan, user=user).exists():
                PlanRole.objects.create(plan=plan, user=user, kind=PlanRole.Kind.VIEWER)
    years = bring_forward(plan, seed=demo.filename[:3], user=owner)
    plan.refresh_from_db()
    log(
        f"{plan.title}: {len(parsed.actions)} actions in {len(parsed.themes)} {demo.theme_label.lower()}s, "
        f"dates moved forward {years} years"
    )
    return plan
