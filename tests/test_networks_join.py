import pytest
from django.urls import reverse

from accounts.models import Notification
from kitz_portal.errors import PortalError
from networks import services
from networks.models import JoinRequest, JoinRequestStatus, NetworkMembership
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory, applicant
from tests.network_factories import network_with_people

pytestmark = pytest.mark.django_db


def test_organisation_asks_to_join_and_the_coordinator_hears_of_it(client):
    people = network_with_people()
    organisation = people["outsider"].organisations.get()
    client.force_login(people["outsider"])
    response = client.post(
        reverse("networks:join_request", kwargs={"slug": people["network"].slug}),
        {"organisation": organisation.pk, "message": "Wir bieten Sprachcafés an."},
    )
    assert response.status_code == 302
    join_request = JoinRequest.objects.get()
    assert join_request.status == JoinRequestStatus.PENDING
    assert Notification.objects.filter(
        template="emails/networks/join_request", recipient=people["coordinator"]
    ).exists()


def test_second_join_request_of_the_same_organisation_is_refused(client):
    people = network_with_people()
    organisation = people["outsider"].organisations.get()
    services.request_to_join(
        actor=people["outsider"], network=people["network"], organisation=organisation
    )
    client.force_login(people["outsider"])
    response = client.post(
        reverse("networks:join_request", kwargs={"slug": people["network"].slug}),
        {"organisation": organisation.pk},
    )
    assert response.status_code == 200
    assert "offene Beitrittsanfrage" in str(response.context["form"].errors["organisation"])
    assert JoinRequest.objects.count() == 1


def test_join_request_from_an_organisation_already_in_the_network_is_refused():
    people = network_with_people()
    with pytest.raises(PortalError) as error:
        services.request_to_join(
            actor=people["member"], network=people["network"], organisation=people["organisation"]
        )
    assert "bereits Mitglied" in str(error.value.message)
    assert error.value.field == "organisation"
    assert not JoinRequest.objects.exists()


def test_only_managers_of_an_organisation_may_ask_to_join():
    people = network_with_people()
    organisation = OrganisationFactory()
    plain_member = UserFactory()
    MembershipFactory(user=plain_member, organisation=organisation, is_manager=False)
    with pytest.raises(PortalError):
        services.request_to_join(
            actor=plain_member, network=people["network"], organisation=organisation
        )
    assert not JoinRequest.objects.exists()


def test_someone_elses_organisation_cannot_be_chosen_in_the_form(client):
    people = network_with_people()
    foreign = OrganisationFactory()
    client.force_login(people["outsider"])
    response = client.post(
        reverse("networks:join_request", kwargs={"slug": people["network"].slug}),
        {"organisation": foreign.pk},
    )
    assert "organisation" in response.context["form"].errors
    assert not JoinRequest.objects.exists()


def test_coordinator_accepts_and_the_organisation_becomes_a_member(client):
    people = network_with_people()
    organisation = people["outsider"].organisations.get()
    join_request = services.request_to_join(
        actor=people["outsider"], network=people["network"], organisation=organisation
    )
    client.force_login(people["coordinator"])
    client.post(
        reverse(
            "networks:join_request_decide",
            kwargs={"slug": people["network"].slug, "pk": join_request.pk},
        ),
        {"decision": "accept"},
    )
    join_request.refresh_from_db()
    assert join_request.status == JoinRequestStatus.ACCEPTED
    assert join_request.decided_by == people["coordinator"]
    assert NetworkMembership.objects.filter(
        network=people["network"], organisation=organisation, listed_publicly=False
    ).exists()
    assert Notification.objects.filter(
        template="emails/networks/join_request_decided", recipient=people["outsider"]
    ).exists()


def test_declined_request_adds_nobody_and_cannot_be_decided_twice():
    people = network_with_people()
    organisation = people["outsider"].organisations.get()
    join_request = services.request_to_join(
        actor=people["outsider"], network=people["network"], organisation=organisation
    )
    services.decide_join_request(
        actor=people["coordinator"], join_request=join_request, accept=False
    )
    with pytest.raises(PortalError):
        services.decide_join_request(
            actor=people["coordinator"], join_request=join_request, accept=True
        )
    assert not NetworkMembership.objects.filter(organisation=organisation).exists()
    # After a decline the organisation may ask again.
    services.request_to_join(
        actor=people["outsider"], network=people["network"], organisation=organisation
    )


def test_member_cannot_decide_join_requests(client):
    people = network_with_people()
    organisation = people["outsider"].organisations.get()
    join_request = services.request_to_join(
        actor=people["outsider"], network=people["network"], organisation=organisation
    )
    client.force_login(people["member"])
    response = client.post(
        reverse(
            "networks:join_request_decide",
            kwargs={"slug": people["network"].slug, "pk": join_request.pk},
        ),
        {"decision": "accept"},
    )
    assert response.status_code == 403
    join_request.refresh_from_db()
    assert join_request.status == JoinRequestStatus.PENDING


def test_adding_the_same_member_twice_is_refused_at_the_field(client):
    people = network_with_people()
    client.force_login(people["coordinator"])
    response = client.post(
        reverse("networks:members", kwargs={"slug": people["network"].slug}),
        {"organisation": people["organisation"].pk, "role": "Träger"},
    )
    assert "bereits Mitglied" in str(response.context["form"].errors["organisation"])
    assert people["network"].memberships.count() == 1


def test_coordinator_adds_a_single_person_as_member(client):
    people = network_with_people()
    person = applicant()
    client.force_login(people["coordinator"])
    client.post(
        reverse("networks:members", kwargs={"slug": people["network"].slug}),
        {"user": person.pk, "role": "Ehrenamtliche Sprachpatin"},
    )
    assert people["network"].memberships.filter(user=person).exists()


def test_member_form_needs_exactly_one_of_organisation_or_person(client):
    people = network_with_people()
    client.force_login(people["coordinator"])
    response = client.post(
        reverse("networks:members", kwargs={"slug": people["network"].slug}), {"role": "x"}
    )
    assert response.context["form"].non_field_errors()
    assert people["network"].memberships.count() == 1
