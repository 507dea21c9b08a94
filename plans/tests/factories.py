import datetime as dt

import factory

from plans.models import Action, ActionLead, Milestone, Plan, PlanRole, Theme


class PlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Plan

    title = factory.Sequence(lambda n: f"Plan {n}")
    theme_label = "Area"
    columns = ["ref", "summary", "outcomes", "milestones", "lead_and_end_date", "rag"]
    labels = {"summary": "Action Summary", "lead_and_end_date": "Lead & Completion Date", "rag": "Current Status (RAG)"}


class ThemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Theme

    plan = factory.SubFactory(PlanFactory)
    number = factory.Sequence(lambda n: str(n + 1))
    title = factory.Sequence(lambda n: f"Theme {n}")


class ActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Action

    theme = factory.SubFactory(ThemeFactory)
    plan = factory.LazyAttribute(lambda a: a.theme.plan)
    ref = factory.Sequence(lambda n: f"{n + 1}.1")
    summary = factory.Sequence(lambda n: f"Action number {n}")
    end_date = factory.LazyFunction(lambda: dt.date.today() + dt.timedelta(days=90))


class LeadFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ActionLead

    action = factory.SubFactory(ActionFactory)
    name = factory.LazyAttribute(lambda lead: str(lead.user) if lead.user else "A lead")
    user = None


class MilestoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Milestone

    action = factory.SubFactory(ActionFactory)
    text = "A milestone"
    due_date = factory.LazyFunction(lambda: dt.date.today() + dt.timedelta(days=30))


class RoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PlanRole

    kind = PlanRole.Kind.OWNER
