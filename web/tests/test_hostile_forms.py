"""Every form rejects hostile input cleanly and changes nothing when it fails.

For each app, every page of the project is opened (object ids taken from a small world of one of everything)
as the first user that may open it; every POST form on it is found in the HTML and posted with hostile values in
every field (nan, inf, 1e309, overlong text, negative and unknown ids, an impossible date, a wrong type).
No response may be a server error; a form shown again (200 or 400) must have changed nothing in the database.
A redirect means the input was taken (text such as "nan" is good text) or refused with a message."""

import datetime as dt
import hashlib
from html.parser import HTMLParser

import pytest
from django.apps import apps
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from accounts.models import Role, Scope
from accounts.tests.factories import UserFactory
from audits.tests.factories import CaseAuditFactory, QAOfficerFactory
from children.models import CareProceedings
from children.tests.factories import ChildFactory, LookedAfterEpisodeFactory, ReferralFactory
from exploitation.models import Action as MaseAction
from exploitation.models import Meeting as MaseMeeting
from exploitation.models import MeetingItem
from exploitation.tests.factories import CohortEntryFactory, MissingEpisodeFactory
from organisation.tests.factories import PartnerAgencyFactory, TeamFactory, WorkerFactory
from partnership.tests.factories import (
    AllegationFactory,
    DelegateFactory,
    MeetingFactory,
    MembershipFactory,
)
from plans.tests.factories import ActionFactory, LeadFactory, MilestoneFactory, RoleFactory

pytestmark = pytest.mark.django_db

HOSTILE = ["nan", "inf", "-inf", "1e309", "x" * 20_000, "-1", "999999999", "2025-02-30", "abc"]
APPS = [
    "accounts",
    "audits",
    "children",
    "exploitation",
    "indicators",
    "partnership",
    "plans",
    "returns",
    "timescales",
    "web",
]
# web and returns have no form but sign-out and uploads (file forms are left to the import tests).
FORMS_REACHED = {
    "accounts": 1,
    "audits": 10,
    "children": 2,
    "exploitation": 10,
    "indicators": 3,
    "partnership": 15,
    "plans": 10,
    "returns": 0,
    "timescales": 2,
    "web": 0,
}
SKIP = {"logout", "login"}  # sign-in and sign-out: accounts/tests


class Forms(HTMLParser):
    """The POST forms of a page: action, fields (name -> value) and the first named submit button."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict] = []
        self.current: dict | None = None

    def handle_starttag(self, tag: str, attrs: list) -> None:
        a = dict(attrs)
        if tag == "form":
            self.current = None
            if (a.get("method") or "").lower() == "post":
                self.current = {"action": a.get("action") or "", "fields": {}, "button": None, "files": False}
                self.forms.append(self.current)
        elif self.current is not None and tag in ("input", "select", "textarea", "button") and a.get("name"):
            kind = (a.get("type") or "").lower()
            if kind == "file":
                self.current["files"] = True
            elif tag == "button" or kind == "submit":
                self.current["button"] = self.current["button"] or (a["name"], a.get("value") or "")
            else:
                self.current["fields"][a["name"]] = a.get("value") or ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.current = None


def snapshot(app: str) -> str:
    """Every row of the tables a form of this app could change (its own, the register's, the organisation's)."""
    digest = hashlib.sha256()
    for model in apps.get_models():
        if model._meta.app_label not in {app, "children", "organisation", "indicators"}:
            continue
        for row in model.objects.order_by("pk").values_list():
            digest.update(repr(row).encode())
    return digest.hexdigest()


def patterns(resolver=None, prefix: str = ""):
    for p in (resolver or get_resolver()).url_patterns:
        if isinstance(p, URLResolver):
            if "admin" not in str(p.pattern):
                yield from patterns(p, prefix + str(p.pattern))
        elif isinstance(p, URLPattern) and p.name not in SKIP:
            yield prefix + str(p.pattern), p


@pytest.fixture
def world():
    """One of everything a page can be about, and a user of every role."""
    team = TeamFactory()
    worker = WorkerFactory(team=team)
    agency = PartnerAgencyFactory()
    child = ChildFactory(team=team, worker=worker)
    ReferralFactory(child=child)
    proceedings = CareProceedings.objects.create(child=child, issued_date=dt.date.today() - dt.timedelta(days=30))
    placement = LookedAfterEpisodeFactory(child=child)
    CohortEntryFactory(child=child)
    episode = MissingEpisodeFactory(child=child)
    meeting = MaseMeeting.objects.create(held_on=dt.date(2025, 1, 10))
    item = MeetingItem.objects.create(meeting=meeting, child=child, reasons="cohort")
    mase_action = MaseAction.objects.create(
        item=item, child=child, description="Call", owner="Police", due_on=dt.date(2025, 2, 1)
    )
    action = ActionFactory()
    LeadFactory(action=action)
    MilestoneFactory(action=action)
    case = CaseAuditFactory(child=child, auditor=QAOfficerFactory(team=team))
    allegation = AllegationFactory()
    delegate = DelegateFactory(agency=agency)
    membership = MembershipFactory(agency=agency)
    body = membership.body
    partnership_meeting = MeetingFactory(body=body)
    users = [
        case.auditor,
        UserFactory(role=Role.DIRECTOR, scope=Scope.COUNCIL),
        UserFactory(role=Role.HEAD_OF_SERVICE, scope=Scope.COUNCIL),
        UserFactory(role=Role.TEAM_MANAGER, scope=Scope.TEAM, team=team),
        UserFactory(role=Role.ANALYST, scope=Scope.COUNCIL),
        UserFactory(role=Role.BOARD_MANAGER, scope=Scope.COUNCIL),
        UserFactory(role=Role.LADO, scope=Scope.NONE),
        UserFactory(role=Role.ADMINISTRATOR, scope=Scope.NONE, is_staff=True, is_superuser=True),
        UserFactory(role=Role.SOCIAL_WORKER, scope=Scope.CASELOAD, team=team, worker=worker),
        UserFactory(role=Role.MASE_MEMBER, scope=Scope.COUNCIL),
    ]
    RoleFactory(plan=action.plan, user=users[1])  # the director owns the plan
    ids = {
        "child": child.pk,
        "proceedings": proceedings.pk,
        "placement": placement.pk,
        "team": team.pk,
        "worker": worker.pk,
        "episode": episode.pk,
        "meeting": meeting.pk,
        "item": item.pk,
        "mase_action": mase_action.pk,
        "plan": action.plan_id,
        "theme": action.theme_id,
        "action": action.pk,
        "case": case.pk,
        "round": case.round_id,
        "tool": case.round.tool_id,
        "allegation": allegation.pk,
        "course": delegate.session.course_id,
        "session": delegate.session_id,
        "delegate": delegate.pk,
        "body": body.pk,
        "membership": membership.pk,
        "partnership_meeting": partnership_meeting.pk,
    }
    return users, ids


# Which object each page with an id is about (URL name -> kwargs); pages not listed need objects this world lacks.
def kwargs_for(name: str, ids: dict) -> dict | None:
    by_name = {
        "oversight_team": {"pk": ids["team"]},
        "team_detail": {"pk": ids["team"]},
        "worker_detail": {"pk": ids["worker"]},
        "child_detail": {"pk": ids["child"]},
        "proceedings_extension": {"pk": ids["proceedings"]},
        "placement_regulation": {"pk": ids["placement"]},
        "timescale_rule_edit": {"pk": 1},
        "indicator": {"code": "N14"},
        "indicator_commentary": {"code": "N14", "fy": 2024, "quarter": 1},
        "exploitation_return": {"pk": ids["episode"]},
        "exploitation_interview": {"pk": ids["episode"]},
        "exploitation_meeting": {"pk": ids["meeting"]},
        "exploitation_item": {"pk": ids["meeting"], "item_pk": ids["item"]},
        "exploitation_complete": {"pk": ids["mase_action"]},
        "plan_detail": {"pk": ids["plan"]},
        "plan_roles": {"pk": ids["plan"]},
        "plan_measures": {"pk": ids["plan"]},
        "plan_theme_add": {"pk": ids["plan"]},
        "plan_theme_edit": {"pk": ids["theme"]},
        "plan_action_add": {"pk": ids["theme"]},
        "plan_action_edit": {"pk": ids["action"]},
        "plan_action": {"pk": ids["action"]},
        "plan_action_update": {"pk": ids["action"]},
        "plan_action_leads": {"pk": ids["action"]},
        "plan_evidence_add": {"pk": ids["action"]},
        "audits_tool": {"pk": ids["tool"]},
        "audits_round": {"pk": ids["round"]},
        "audits_round_sample": {"pk": ids["round"]},
        "audits_round_reaudit": {"pk": ids["round"]},
        "audits_case": {"pk": ids["case"]},
        "audits_case_grade": {"pk": ids["case"]},
        "audits_case_moderate": {"pk": ids["case"]},
        "audits_case_reassign": {"pk": ids["case"]},
        "audits_action_add": {"pk": ids["case"]},
        "partnership_allegation": {"pk": ids["allegation"]},
        "partnership_allegation_edit": {"pk": ids["allegation"]},
        "partnership_allegation_chase": {"pk": ids["allegation"]},
        "partnership_course": {"pk": ids["course"]},
        "partnership_session_add": {"pk": ids["course"]},
        "partnership_session": {"pk": ids["session"]},
        "partnership_session_scores": {"pk": ids["session"]},
        "partnership_delegate": {"pk": ids["delegate"]},
        "partnership_body": {"pk": ids["body"]},
        "partnership_member_add": {"pk": ids["body"]},
        "partnership_meeting_add": {"pk": ids["body"]},
        "partnership_meeting": {"pk": ids["partnership_meeting"]},
        "partnership_member": {"pk": ids["membership"]},
    }
    if name.startswith("exploitation_") and name in {
        "exploitation_child",
        "exploitation_rating",
        "exploitation_plan",
        "exploitation_missing",
        "exploitation_assessment",
        "exploitation_link",
        "exploitation_network",
    }:
        return {"pk": ids["child"]}
    return by_name.get(name)


def pages_of(app: str, ids: dict):
    for _route, pattern in patterns():
        if pattern.callback.__module__.split(".")[0] != app:
            continue
        kwargs = kwargs_for(pattern.name, ids) if pattern.pattern.converters else {}
        if kwargs is None:
            continue
        from django.urls import reverse

        yield reverse(pattern.name, kwargs=kwargs)


def forms_on(client: Client, users: list, url: str) -> list[dict]:
    """The POST forms of a page, as the first user who may open it sees them (no file uploads)."""
    for user in users:
        client.force_login(user)
        response = client.get(url)
        if response.status_code == 200 and "text/html" in response.get("Content-Type", ""):
            parser = Forms()
            parser.feed(response.content.decode())
            found = [f for f in parser.forms if not f["files"] and "/logout/" not in f["action"]]
            if found:
                return found
    return []


@pytest.mark.parametrize("app", APPS)
def test_every_form_refuses_hostile_values_without_a_server_error_or_a_partial_change(app, world):
    users, ids = world
    client = Client(raise_request_exception=True)
    posted, failures, reached = 0, [], set()
    for url in pages_of(app, ids):
        for form in forms_on(client, users, url):
            target = form["action"] or url
            reached.add(target)
            if target.startswith("?"):
                target = url.split("?")[0] + target
            for value in HOSTILE:
                data = {name: value for name in form["fields"] if name != "csrfmiddlewaretoken"}
                if form["button"]:
                    data[form["button"][0]] = form["button"][1]
                before = snapshot(app)
                try:
                    response = client.post(target, data)
                except Exception as exc:  # a server error: the request raised
                    failures.append(f"{target} {value[:12]!r}: {exc.__class__.__name__}: {str(exc)[:200]}")
                    continue
                posted += 1
                if response.status_code >= 500:
                    failures.append(f"{target} {value[:12]!r}: status {response.status_code}")
                elif response.status_code in (200, 400) and snapshot(app) != before:
                    failures.append(f"{target} {value[:12]!r}: form shown again but the database changed")
    assert not failures, "\n".join(failures)
    # So that the test cannot pass by reaching nothing: the forms this world reached when it was written.
    assert len(reached) >= FORMS_REACHED[app], f"{app}: only {sorted(reached)} reached"
    assert posted >= len(reached) * len(HOSTILE) // 2
