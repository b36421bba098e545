from datetime import timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from accounts.models import Notification
from handlungsfelder.models import Handlungsfeld
from networks import services
from networks.models import Meeting, Network, NetworkMembership, Offer, Task, Visibility
from networks.tasks import send_meeting_reminders, send_overdue_task_reminders
from tests.factories import OrganisationFactory, applicant
from tests.network_factories import MeetingFactory, NetworkFactory, network_with_people

pytestmark = pytest.mark.django_db


def _grow(people, count=4):
    """More members, meetings, offers and tasks: list pages must not grow in queries."""
    network = people["network"]
    field = network.handlungsfelder.get()
    for index in range(count):
        organisation = OrganisationFactory()
        applicant(organisation=organisation)
        NetworkMembership.objects.create(
            network=network, organisation=organisation, listed_publicly=index % 2 == 0
        )
        meeting = MeetingFactory(network=network)
        services.invite_members(actor=people["coordinator"], meeting=meeting)
        offer = services.create_offer(
            actor=people["coordinator"],
            network=network,
            title=f"Angebot {index}",
            handlungsfeld=field,
            responsible_organisations=[organisation],
        )
        services.create_task(
            actor=people["coordinator"],
            network=network,
            title=f"Aufgabe {index}",
            owner=people["member"],
            offer=offer,
        )


@pytest.mark.parametrize("role", ["anonymous", "member", "coordinator"])
def test_network_pages_have_a_fixed_number_of_queries(client, django_assert_max_num_queries, role):
    people = network_with_people()
    _grow(people, 1)
    NetworkFactory()
    if role != "anonymous":
        client.force_login(people[role])
    urls = [
        reverse("networks:list"),
        people["network"].get_absolute_url(),
        reverse("handlungsfelder:detail", kwargs={"slug": "wohnen"}),
        reverse("networks:network_feed", kwargs={"slug": people["network"].slug}),
    ]
    if role == "coordinator":
        meeting = MeetingFactory(network=people["network"])
        services.invite_members(actor=people["coordinator"], meeting=meeting)
        urls += [
            reverse("networks:members", kwargs={"slug": people["network"].slug}),
            meeting.get_absolute_url(),
        ]
    counts = {}
    for url in urls:
        with django_assert_max_num_queries(30) as captured:
            assert client.get(url).status_code == 200
        counts[url] = len(captured)
    _grow(people, 3)
    for _index in range(3):
        NetworkFactory()
    for url in urls:
        with django_assert_max_num_queries(counts[url]):
            assert client.get(url).status_code == 200


def test_handlungsfeld_page_lists_public_networks_and_next_meetings_without_details(client):
    field = Handlungsfeld.objects.get(slug="sprache")
    public = network_with_people(handlungsfelder=[field])
    hidden = network_with_people(visibility=Visibility.MEMBERS_ONLY, handlungsfelder=[field])
    MeetingFactory(
        network=public["network"],
        title="Sprachcafé-Planung",
        place="Geheimer Raum 7",
        online_url="https://meet.example.org/geheim",
    )
    MeetingFactory(network=hidden["network"], title="Internes Treffen")
    html = client.get(field.get_absolute_url()).content.decode()
    section = html[html.index('data-testid="handlungsfeld-networks"') :]
    assert public["network"].name in section
    assert "Sprachcafé-Planung" in section
    assert hidden["network"].name not in html
    assert "Internes Treffen" not in html
    assert "Geheimer Raum 7" not in html
    assert "meet.example.org" not in html


def test_network_page_names_only_organisations_that_agreed(client):
    people = network_with_people()
    shy = OrganisationFactory(name="Stiller Verein e. V.")
    NetworkMembership.objects.create(
        network=people["network"], organisation=shy, listed_publicly=False
    )
    html = client.get(people["network"].get_absolute_url()).content.decode()
    listed = html[html.index('data-testid="listed-organisations"') :]
    assert people["organisation"].name in listed
    assert "Stiller Verein" not in html


def test_public_network_page_hides_place_link_and_agenda_from_the_public(client):
    people = network_with_people()
    MeetingFactory(
        network=people["network"],
        place="Geheimer Raum 7",
        agenda="Personalien",
        online_url="https://meet.example.org/geheim",
    )
    html = client.get(people["network"].get_absolute_url()).content.decode()
    for secret in ("Geheimer Raum 7", "Personalien", "meet.example.org", "/treffen/"):
        assert secret not in html


def test_offer_with_a_malformed_funding_reference_is_refused_at_the_field(client):
    people = network_with_people()
    client.force_login(people["coordinator"])
    field = people["network"].handlungsfelder.get()
    url = reverse("networks:offer_create", kwargs={"slug": people["network"].slug})
    data = {
        "title": "Sprachcafé",
        "handlungsfeld": field.pk,
        "status": "planned",
        "starts_on": "2027-03-01",
        "ends_on": "2027-02-01",
        "funding_reference": "Antrag 42",
    }
    response = client.post(url, data)
    errors = response.context["form"].errors
    assert "funding_reference" in errors
    assert "ends_on" in errors
    assert not Offer.objects.exists()
    data.update(ends_on="2027-06-30", funding_reference="KITZ-2027-0042")
    assert client.post(url, data).status_code == 302
    assert Offer.objects.get().funding_reference == "KITZ-2027-0042"


def test_meeting_reminder_goes_once_to_those_who_did_not_decline(
    django_capture_on_commit_callbacks, mailoutbox
):
    people = network_with_people()
    soon = timezone.now() + timedelta(hours=20)
    meeting = MeetingFactory(network=people["network"], start=soon, end=soon + timedelta(hours=2))
    services.invite_members(actor=people["coordinator"], meeting=meeting)
    invitation = meeting.invitations.get(user=people["coordinator"])
    services.respond_to_invitation(
        actor=people["coordinator"], invitation=invitation, response="no"
    )
    later = MeetingFactory(network=people["network"])
    services.invite_members(actor=people["coordinator"], meeting=later)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert send_meeting_reminders() == 1
        assert send_meeting_reminders() == 0
    assert [mail.to for mail in mailoutbox] == [[people["member"].email]]
    assert "Erinnerung" in mailoutbox[0].subject
    meeting.refresh_from_db()
    assert meeting.reminded_at is not None


def test_overdue_task_reminder_goes_once_to_the_owner(django_capture_on_commit_callbacks):
    people = network_with_people()
    yesterday = timezone.localdate() - timedelta(days=1)
    services.create_task(
        actor=people["coordinator"],
        network=people["network"],
        title="Raum buchen",
        owner=people["member"],
        due_on=yesterday,
    )
    services.create_task(
        actor=people["coordinator"],
        network=people["network"],
        title="Später",
        owner=people["member"],
        due_on=timezone.localdate() + timedelta(days=3),
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert send_overdue_task_reminders() == 1
        assert send_overdue_task_reminders() == 0
    notification = Notification.objects.get(template="emails/networks/task_overdue")
    assert notification.recipient == people["member"]
    assert Task.objects.filter(reminded_at__isnull=False).count() == 1


def test_demo_data_has_a_network_per_handlungsfeld_and_is_idempotent(settings):
    settings.DEBUG = True
    call_command("seed_demo", stdout=None)
    counts = (Network.objects.count(), Meeting.objects.count(), NetworkMembership.objects.count())
    call_command("seed_demo", stdout=None)
    assert (
        Network.objects.count(),
        Meeting.objects.count(),
        NetworkMembership.objects.count(),
    ) == counts
    for field in Handlungsfeld.objects.all():
        network = field.networks.get()
        assert network.memberships.exists()
        assert network.coordinators.exists()
        assert network.meetings.filter(start__gt=timezone.now()).exists()


def test_coordinator_edits_an_offer_and_links_its_funding_application(client):
    people = network_with_people()
    field = people["network"].handlungsfelder.get()
    offer = services.create_offer(
        actor=people["coordinator"],
        network=people["network"],
        title="Sprachcafé",
        handlungsfeld=field,
    )
    client.force_login(people["coordinator"])
    url = reverse("networks:offer_edit", kwargs={"slug": people["network"].slug, "pk": offer.pk})
    response = client.post(
        url,
        {
            "title": "Sprachcafé Kappeln",
            "handlungsfeld": field.pk,
            "responsible_organisations": [people["organisation"].pk],
            "target_group": "Neu zugewanderte Frauen",
            "status": "running",
            "funding_reference": "KITZ-2027-0042",
        },
    )
    assert response.status_code == 302
    offer.refresh_from_db()
    assert offer.title == "Sprachcafé Kappeln"
    assert offer.status == "running"
    assert list(offer.responsible_organisations.all()) == [people["organisation"]]
    page = client.get(people["network"].get_absolute_url()).content.decode()
    assert "KITZ-2027-0042" in page


def test_offer_links_to_the_funding_application_for_staff(client):
    from applications.models import ApplicationStatus
    from tests.application_helpers import complete_draft

    people = network_with_people()
    field = people["network"].handlungsfelder.get()
    application = complete_draft()
    application.status = ApplicationStatus.APPROVED
    application.reference = "KITZ-2027-0042"
    application.save()
    services.create_offer(
        actor=people["coordinator"],
        network=people["network"],
        title="Sprachcafé",
        handlungsfeld=field,
        funding_reference="KITZ-2027-0042",
    )
    link = reverse("applications:detail", args=[application.pk])
    client.force_login(people["coordinator"])
    assert f'href="{link}"' in client.get(people["network"].get_absolute_url()).content.decode()
    client.force_login(people["member"])
    page = client.get(people["network"].get_absolute_url()).content.decode()
    assert "KITZ-2027-0042" in page
    assert f'href="{link}"' not in page


def test_member_ticks_off_own_task_on_the_network_page(client):
    people = network_with_people()
    task = services.create_task(
        actor=people["coordinator"],
        network=people["network"],
        title="Flyer",
        owner=people["member"],
    )
    client.force_login(people["member"])
    client.post(
        reverse("networks:task_done", kwargs={"slug": people["network"].slug, "pk": task.pk}),
        {"done": "1"},
    )
    task.refresh_from_db()
    assert task.done


def test_network_pages_work_in_english(client):
    people = network_with_people()
    client.force_login(people["member"])
    for url in (reverse("networks:list"), people["network"].get_absolute_url()):
        response = client.get("/en" + url)
        assert response.status_code == 200
        assert 'lang="en"' in response.content.decode()
