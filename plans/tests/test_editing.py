"""Typing a plan in: create a plan (its creator owns it), add and change themes and actions; who may."""

import datetime as dt

import pytest

from accounts.models import Role, Scope
from accounts.tests.factories import UserFactory
from audit.models import Action as AuditAction
from audit.models import AuditEvent
from plans import services
from plans.models import Action, Milestone, Plan, PlanRole, RagChange, Theme

from .factories import ActionFactory, LeadFactory, MilestoneFactory, PlanFactory, RoleFactory, ThemeFactory

pytestmark = pytest.mark.django_db


def plan_post(**extra):
    data = {
        "title": "Post-Ofsted plan",
        "theme_label": "Recommendation",
        "show_summary": "on",
        "label_summary": "Action",
        "show_leads": "on",
        "label_leads": "Progress",
        "show_end_date": "on",
        "label_end_date": "Timetable End date",
        "show_rag": "on",
        "label_rag": "RAG",
        "show_progress": "on",
        "label_progress": "",
    }
    data.update(extra)
    return data


def action_post(**extra):
    data = {
        "ref": "",
        "summary": "Formal review of children in need at 12 months",
        "outcomes": "No drift",
        "evidence_base": "",
        "future_ambition": "",
        "end_date": "2027-04-30",
        "milestone_0": "Workflow changed",
        "milestone_0_due": "2027-01-31",
        "milestone_1": "",
        "milestone_1_due": "",
        "milestone_2": "",
        "milestone_2_due": "",
        "lead_0": "Head of Service",
        "lead_0_user": "",
        "lead_1": "",
        "lead_1_user": "",
    }
    data.update(extra)
    return data


def test_creating_a_plan_makes_you_its_owner_in_its_own_columns(client):
    user = UserFactory(role=Role.TEAM_MANAGER, scope=Scope.TEAM)
    client.force_login(user)
    assert b"Create a plan" in client.get("/plans/").content
    assert client.get("/plans/new/").status_code == 200
    response = client.post("/plans/new/", plan_post())
    plan = Plan.objects.get()
    assert response.status_code == 302 and response.url == f"/plans/{plan.pk}/themes/add/"
    assert PlanRole.objects.get(plan=plan).user == user and PlanRole.objects.get(plan=plan).kind == "owner"
    assert (plan.title, plan.theme_label, plan.created_by) == ("Post-Ofsted plan", "Recommendation", user)
    assert plan.columns == ["summary", "leads", "end_date", "progress", "rag"]  # in FIELDS' order
    assert plan.labels == {
        "summary": "Action",
        "leads": "Progress",
        "end_date": "Timetable End date",
        "progress": "Key points to note",  # left blank: the usual name
        "rag": "RAG",
    }
    assert plan.label("leads") == "Progress"
    event = AuditEvent.objects.get(action=AuditAction.CREATE, object_type="plans.Plan")
    assert event.user == user and event.object_id == str(plan.pk)


def test_a_plan_needs_a_new_name_and_an_action_column(client):
    PlanFactory(title="Taken")
    client.force_login(UserFactory(role=Role.DIRECTOR, scope=Scope.COUNCIL))
    page = client.post("/plans/new/", plan_post(title="Taken"))
    assert b"A plan with this name already exists" in page.content
    page = client.post("/plans/new/", plan_post(show_summary="", show_outcomes=""))
    assert b"Show at least the action or the outcomes sought" in page.content
    assert Plan.objects.count() == 1


@pytest.mark.parametrize("role", [Role.SOCIAL_WORKER])
def test_roles_that_may_not_import_may_not_create(client, role):
    client.force_login(UserFactory(role=role))
    assert client.get("/plans/new/").status_code == 403
    assert client.post("/plans/new/", plan_post()).status_code == 403
    assert not Plan.objects.exists()
    assert AuditEvent.objects.filter(action=AuditAction.FORBIDDEN).count() == 2


def test_owner_adds_a_theme_and_an_action_with_milestones_and_leads(client):
    owner = UserFactory()
    lead = UserFactory(username="abald", first_name="April", last_name="Bald")
    plan = PlanFactory(theme_label="Recommendation")
    RoleFactory(plan=plan, user=owner)
    client.force_login(owner)
    page = client.get(f"/plans/{plan.pk}/")
    assert b"Add a recommendation" in page.content
    assert client.get(f"/plans/{plan.pk}/themes/add/").status_code == 200
    response = client.post(
        f"/plans/{plan.pk}/themes/add/", {"number": "1", "title": "Ensure prompt decisions", "description": ""}
    )
    theme = Theme.objects.get(plan=plan)
    assert response.url == f"/plans/{plan.pk}/#theme-{theme.pk}"
    assert (theme.number, theme.title, theme.order) == ("1", "Ensure prompt decisions", 0)
    assert client.get(f"/plans/themes/{theme.pk}/actions/add/").status_code == 200
    response = client.post(
        f"/plans/themes/{theme.pk}/actions/add/",
        action_post(lead_1="April Bald", lead_1_user="abald"),
    )
    action = Action.objects.get(plan=plan)
    assert response.url == f"/plans/actions/{action.pk}/"
    assert action.ref == "1.1"  # numbered after the theme
    assert (action.summary, action.outcomes, action.end_date) == (
        "Formal review of children in need at 12 months",
        "No drift",
        dt.date(2027, 4, 30),
    )
    assert action.rag == "" and not RagChange.objects.exists()  # rated on the update page, with a reason
    assert [(m.text, m.due_date) for m in action.milestones.all()] == [("Workflow changed", dt.date(2027, 1, 31))]
    assert [(lead.name, lead.user) for lead in action.leads.all()] == [("Head of Service", None), ("April Bald", lead)]
    created = AuditEvent.objects.filter(action=AuditAction.CREATE, user=owner)
    assert {e.object_type for e in created} == {"plans.Theme", "plans.Action"}
    page = client.get(f"/plans/{plan.pk}/")
    assert b"Formal review of children in need" in page.content
    # the linked lead may now update it
    client.force_login(lead)
    assert client.get(f"/plans/actions/{action.pk}/edit/").status_code == 200


def test_owner_changes_a_theme_and_it_is_audited(client):
    owner = UserFactory()
    theme = ThemeFactory(number="2", title="Old title")
    RoleFactory(plan=theme.plan, user=owner)
    client.force_login(owner)
    client.post(f"/plans/themes/{theme.pk}/", {"number": "2", "title": "New title", "description": "Why"})
    theme.refresh_from_db()
    assert (theme.title, theme.description) == ("New title", "Why")
    event = AuditEvent.objects.get(action=AuditAction.CHANGE, object_type="plans.Theme")
    assert event.user == owner and "title, description" in event.detail


def test_a_lead_edits_the_action_but_not_its_rag_or_leads(client):
    lead = UserFactory()
    action = ActionFactory(summary="Old", end_date=dt.date(2027, 3, 31), end_text="Mar 2027", rag="red")
    LeadFactory(action=action, user=lead, name="Team manager")
    done = MilestoneFactory(action=action, text="Audit", due_date=dt.date(2027, 1, 31), done_on=dt.date(2026, 11, 1))
    dropped = MilestoneFactory(action=action, text="Drop me")
    client.force_login(lead)
    page = client.get(f"/plans/actions/{action.pk}/edit/")
    assert page.status_code == 200 and b"lead_0_user" not in page.content  # owners change leads
    data = {
        "ref": action.ref,
        "summary": "New summary",
        "outcomes": "",
        "evidence_base": "Audit findings",
        "future_ambition": "",
        "end_date": "2027-06-30",
        "milestone_0_id": done.pk,
        "milestone_0": "Audit of 30 cases",
        "milestone_0_due": "2027-01-31",
        "milestone_1_id": dropped.pk,
        "milestone_1": "",
        "milestone_1_due": "",
        "milestone_2": "Report to the board",
        "milestone_2_due": "2027-05-31",
        "rag": "green",  # not a field of this form: ignored
        "lead_0": "Someone else",
    }
    response = client.post(f"/plans/actions/{action.pk}/edit/", data)
    assert response.status_code == 302
    action.refresh_from_db()
    assert (action.summary, action.evidence_base, action.end_date) == (
        "New summary",
        "Audit findings",
        dt.date(2027, 6, 30),
    )
    assert action.end_text == ""  # the old wording was of the old date
    assert action.rag == "red" and not RagChange.objects.exists()
    assert [lead.name for lead in action.leads.all()] == ["Team manager"]
    assert [(m.text, m.done_on) for m in action.milestones.all()] == [
        ("Audit of 30 cases", dt.date(2026, 11, 1)),
        ("Report to the board", None),
    ]
    event = AuditEvent.objects.get(action=AuditAction.CHANGE, object_type="plans.Action")
    assert event.user == lead and event.object_id == str(action.pk)
    assert event.detail == f"{action.ref}: changed summary, evidence base, end date, milestones"
    # saving it again unchanged writes nothing
    added = action.milestones.get(text="Report to the board")
    data.update(milestone_1_id=added.pk, milestone_1="Report to the board", milestone_1_due="2027-05-31")
    del data["milestone_2"], data["milestone_2_due"]
    client.post(f"/plans/actions/{action.pk}/edit/", data)
    assert AuditEvent.objects.filter(action=AuditAction.CHANGE).count() == 1
    assert Milestone.objects.filter(action=action).count() == 2


def test_an_owner_changes_the_leads(client):
    owner = UserFactory()
    linked = UserFactory(username="jsmith")
    action = ActionFactory()
    RoleFactory(plan=action.plan, user=owner)
    LeadFactory(action=action, name="Business Manager")
    client.force_login(owner)
    data = {
        "ref": action.ref,
        "summary": action.summary,
        "end_date": action.end_date.isoformat(),
        "lead_0": "Business Manager",
        "lead_0_user": "jsmith",
        "lead_1": "",
        "lead_2": "",
        "lead_2_user": "",
    }
    client.post(f"/plans/actions/{action.pk}/edit/", data)
    assert [(lead.name, lead.user) for lead in action.leads.all()] == [("Business Manager", linked)]
    assert AuditEvent.objects.get(action=AuditAction.CHANGE).detail == f"{action.ref}: changed leads"
    page = client.post(f"/plans/actions/{action.pk}/edit/", {**data, "lead_0_user": "nobody"})
    assert b"No user has this username" in page.content


def test_a_bad_end_date_is_a_form_error_and_changes_nothing(client):
    owner = UserFactory()
    action = ActionFactory(summary="Keep me", end_date=dt.date(2027, 3, 31))
    RoleFactory(plan=action.plan, user=owner)
    client.force_login(owner)
    before = AuditEvent.objects.count()
    data = {"ref": action.ref, "summary": "Changed", "end_date": "2027-02-31", "milestone_0": "New"}
    page = client.post(f"/plans/actions/{action.pk}/edit/", data)
    assert page.status_code == 200 and b"End date must be a real date" in page.content
    action.refresh_from_db()
    assert (action.summary, action.end_date) == ("Keep me", dt.date(2027, 3, 31))
    assert not action.milestones.exists() and AuditEvent.objects.count() == before
    # and on a new action
    page = client.post(f"/plans/themes/{action.theme_id}/actions/add/", action_post(end_date="31/02/2027"))
    assert b"End date must be a real date" in page.content
    assert Action.objects.count() == 1 and AuditEvent.objects.count() == before
    # a milestone date that is not a date, likewise
    page = client.post(
        f"/plans/actions/{action.pk}/edit/", {**data, "end_date": "2027-03-31", "milestone_0_due": "2027-13-01"}
    )
    assert b"must be a real date" in page.content and not action.milestones.exists()


def test_a_duplicate_ref_is_a_form_error(client):
    owner = UserFactory()
    first = ActionFactory(ref="1.1")
    ActionFactory(theme=first.theme, ref="1.2")
    RoleFactory(plan=first.plan, user=owner)
    client.force_login(owner)
    page = client.post(f"/plans/actions/{first.pk}/edit/", {"ref": "1.2", "summary": "x"})
    assert b"Another action in this plan has this ref" in page.content
    first.refresh_from_db()
    assert first.ref == "1.1"


@pytest.mark.parametrize("who", ["viewer", "stranger", "head_of_service_without_a_role"])
def test_viewers_and_strangers_get_403_on_every_form(client, who):
    action = ActionFactory(summary="Untouched")
    plan, theme = action.plan, action.theme
    if who == "viewer":
        user = UserFactory()
        RoleFactory(plan=plan, user=user, kind=PlanRole.Kind.VIEWER)
    elif who == "stranger":
        user = UserFactory(role=Role.ANALYST)  # may create plans of their own, but has no role on this one
    else:
        user = UserFactory(role=Role.HEAD_OF_SERVICE, scope=Scope.COUNCIL)  # reads every plan
    client.force_login(user)
    forms = {
        f"/plans/{plan.pk}/themes/add/": {"number": "9", "title": "Sneaked in"},
        f"/plans/themes/{theme.pk}/": {"number": "9", "title": "Sneaked in"},
        f"/plans/themes/{theme.pk}/actions/add/": action_post(),
        f"/plans/actions/{action.pk}/edit/": {"ref": action.ref, "summary": "Sneaked in"},
    }
    for url, data in forms.items():
        assert client.get(url).status_code == 403, url
        assert client.post(url, data).status_code == 403, url
    assert AuditEvent.objects.filter(action=AuditAction.FORBIDDEN).count() == 8
    assert not AuditEvent.objects.filter(action__in=[AuditAction.CREATE, AuditAction.CHANGE]).exists()
    assert Theme.objects.count() == 1 and Action.objects.count() == 1
    action.refresh_from_db()
    theme.refresh_from_db()
    assert action.summary == "Untouched" and theme.title != "Sneaked in"
    if who == "viewer":
        page = client.get(f"/plans/{plan.pk}/")
        assert page.status_code == 200 and b"Add an action" not in page.content
        page = client.get(f"/plans/actions/{action.pk}/")
        assert page.status_code == 200 and b"Change the action" not in page.content


def test_services_record_each_change():
    owner = UserFactory()
    plan = services.create_plan(owner, title="Typed", theme_label="Area", columns=["ref", "summary"], labels={})
    theme = services.add_theme(plan, owner, number="", title="Leadership")
    action = services.add_action(theme, owner, ref="", summary="Appoint", milestones=[(None, "Advert", None)])
    assert action.ref == "1.1" and action.milestones.count() == 1
    assert services.change_action(action, owner, summary="Appoint") == []
    assert services.change_action(action, owner, summary="Appoint a director") == ["summary"]
    with pytest.raises(ValueError):
        services.change_action(action, owner, rag="green")
    kinds = list(AuditEvent.objects.order_by("pk").values_list("action", "object_type"))
    assert kinds == [
        ("create", "plans.Plan"),
        ("create", "plans.Theme"),
        ("create", "plans.Action"),
        ("change", "plans.Action"),
    ]
