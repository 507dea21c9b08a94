import datetime as dt

import factory

from children import models
from organisation.tests.factories import TeamFactory


class ChildFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Child

    la_child_id = factory.Sequence(lambda n: f"C{n:06d}")
    first_name = factory.Sequence(lambda n: f"Child{n}")
    last_name = "Example"
    birth_date = dt.date(2015, 6, 1)
    sex = models.Sex.FEMALE
    ethnicity = "WBRI"
    team = factory.SubFactory(TeamFactory)


class ReferralFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Referral

    child = factory.SubFactory(ChildFactory)
    referral_date = dt.date(2024, 1, 8)


class AssessmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Assessment

    referral = factory.SubFactory(ReferralFactory)
    start_date = factory.LazyAttribute(lambda a: a.referral.referral_date)


class ChildProtectionPlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.ChildProtectionPlan

    referral = factory.SubFactory(ReferralFactory)
    child = factory.LazyAttribute(lambda p: p.referral.child)
    start_date = dt.date(2024, 2, 1)
    initial_category = models.CategoryOfAbuse.NEGLECT
    categories = "NEG"


class LookedAfterEpisodeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.LookedAfterEpisode

    child = factory.SubFactory(ChildFactory)
    start_date = dt.date(2024, 3, 1)
    reason_new_episode = "S"
    legal_status = "C2"
    placement_type = "U1"


class DeprivationOfLibertyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.DeprivationOfLiberty

    child = factory.SubFactory(ChildFactory)
    start_date = dt.date(2026, 6, 1)
    end_date = None
