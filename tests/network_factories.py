"""Builders for the networks tests: a network with a coordinator and members, meetings."""

from datetime import timedelta

import factory
from django.utils import timezone

from handlungsfelder.models import Handlungsfeld
from networks.models import Meeting, Network, NetworkMembership, Visibility
from tests.factories import OrganisationFactory, applicant, case_handler


class NetworkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Network
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Netzwerk {n}")
    slug = factory.Sequence(lambda n: f"netzwerk-{n}")
    description = "Wir planen gemeinsam."
    visibility = Visibility.PUBLIC

    @factory.post_generation
    def handlungsfelder(self, create, extracted, **kwargs):
        if create:
            self.handlungsfelder.set(extracted or [Handlungsfeld.objects.order_by("order")[0]])


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting

    network = factory.SubFactory(NetworkFactory)
    title = factory.Sequence(lambda n: f"Netzwerktreffen {n}")
    start = factory.LazyFunction(lambda: timezone.now() + timedelta(days=14))
    end = factory.LazyAttribute(lambda meeting: meeting.start + timedelta(hours=2))
    place = "Kreishaus Schleswig, Raum 120"
    agenda = "1. Begrüßung"


def network_with_people(visibility=Visibility.PUBLIC, **kwargs):
    """A network, its coordinator, a member organisation with one person, and an outsider."""
    network = NetworkFactory(visibility=visibility, **kwargs)
    coordinator = case_handler()
    network.coordinators.add(coordinator)
    organisation = OrganisationFactory()
    member = applicant(organisation=organisation)
    NetworkMembership.objects.create(
        network=network, organisation=organisation, role="Träger", listed_publicly=True
    )
    outsider = applicant()
    return {
        "network": network,
        "coordinator": coordinator,
        "organisation": organisation,
        "member": member,
        "outsider": outsider,
    }
