import datetime as dt

import factory

from organisation.tests.factories import PartnerAgencyFactory
from partnership.models import (
    Allegation,
    Attendance,
    Body,
    Category,
    Course,
    CourseSession,
    Delegate,
    Level,
    Meeting,
    Membership,
    Sector,
    Source,
)


class AllegationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Allegation

    reference = factory.Sequence(lambda n: f"LADO-{n:04d}")
    referral_date = dt.date(2014, 6, 2)
    adult_name = factory.Sequence(lambda n: f"Adult {n}")
    adult_role = "Class teacher"
    employer = "Hillside Primary School"
    sector = Sector.EDUCATION
    category = Category.PHYSICAL
    source = Source.EMPLOYER


class CourseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Course

    title = factory.Sequence(lambda n: f"Course {n}")
    level = Level.GROUP_3


class SessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CourseSession

    course = factory.SubFactory(CourseFactory)
    date = dt.date(2014, 10, 1)
    places = 20


class DelegateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Delegate

    session = factory.SubFactory(SessionFactory)
    name = factory.Sequence(lambda n: f"Delegate {n}")
    agency = factory.SubFactory(PartnerAgencyFactory)


class BodyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Body

    name = factory.Sequence(lambda n: f"Sub-group {n}")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    body = factory.SubFactory(BodyFactory)
    agency = factory.SubFactory(PartnerAgencyFactory)
    start_date = dt.date(2014, 1, 1)


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting

    body = factory.SubFactory(BodyFactory)
    date = dt.date(2014, 6, 1)


class AttendanceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Attendance

    meeting = factory.SubFactory(MeetingFactory)
    agency = factory.SubFactory(PartnerAgencyFactory)
    status = Attendance.Status.ATTENDED


def agency(name: str, kind: str = "police"):
    """The agency of that name, made once (tests that combine several years share them)."""
    from organisation.models import PartnerAgency

    return PartnerAgency.objects.get_or_create(name=name, defaults={"kind": kind})[0]
