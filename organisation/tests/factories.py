import factory

from organisation.models import PartnerAgency, Service, Team, TeamType, Worker


class ServiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Service

    name = factory.Sequence(lambda n: f"Service {n}")


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team

    name = factory.Sequence(lambda n: f"Team {n}")
    service = factory.SubFactory(ServiceFactory)
    team_type = TeamType.CIN_CP


class WorkerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Worker

    staff_id = factory.Sequence(lambda n: f"SW{n:04d}")
    name = factory.Sequence(lambda n: f"Worker {n}")
    team = factory.SubFactory(TeamFactory)


class PartnerAgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PartnerAgency

    name = factory.Sequence(lambda n: f"Agency {n}")
    kind = "police"
