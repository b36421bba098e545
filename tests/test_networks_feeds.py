import pytest
from django.urls import reverse
from icalendar import Calendar

from networks import services
from networks.models import CalendarSubscription, Visibility
from tests.network_factories import MeetingFactory, network_with_people

pytestmark = pytest.mark.django_db


def assert_valid_rfc5545(content):
    """The parts of RFC 5545 a subscribing client relies on."""
    assert content.startswith(b"BEGIN:VCALENDAR\r\n")
    assert content.endswith(b"END:VCALENDAR\r\n")
    for line in content.split(b"\r\n"):
        assert len(line) <= 75, line
        assert b"\n" not in line
    calendar = Calendar.from_ical(content)
    assert str(calendar["version"]) == "2.0"
    assert calendar["prodid"]
    zones = {str(zone["tzid"]) for zone in calendar.walk("VTIMEZONE")}
    assert zones == {"Europe/Berlin"}
    uids = set()
    for event in calendar.walk("VEVENT"):
        for required in ("uid", "dtstamp", "dtstart", "dtend", "summary"):
            assert required in event
        assert event["dtstart"].params["TZID"] in zones
        assert event.decoded("dtend") > event.decoded("dtstart")
        uids.add(str(event["uid"]))
    assert len(uids) == len(calendar.walk("VEVENT"))
    return calendar


def feed(client, network):
    return client.get(reverse("networks:network_feed", kwargs={"slug": network.slug}))


def test_public_network_feed_is_valid_and_hides_private_details(client):
    people = network_with_people()
    meeting = MeetingFactory(network=people["network"], online_url="https://meet.example.org/g")
    response = feed(client, people["network"])
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = assert_valid_rfc5545(response.content)
    [event] = calendar.walk("VEVENT")
    assert meeting.title in str(event["summary"])
    assert "location" not in event
    assert "description" not in event
    assert b"meet.example.org" not in response.content


def test_members_see_place_and_agenda_in_the_network_feed(client):
    people = network_with_people()
    MeetingFactory(network=people["network"], agenda="Haushalt 2027")
    client.force_login(people["member"])
    calendar = assert_valid_rfc5545(feed(client, people["network"]).content)
    [event] = calendar.walk("VEVENT")
    assert str(event["location"]) == "Kreishaus Schleswig, Raum 120"
    assert "Haushalt 2027" in str(event["description"])


def test_members_only_network_feed_is_404_for_outsiders(client):
    people = network_with_people(visibility=Visibility.MEMBERS_ONLY)
    MeetingFactory(network=people["network"])
    assert feed(client, people["network"]).status_code == 404
    client.force_login(people["outsider"])
    assert feed(client, people["network"]).status_code == 404
    client.force_login(people["member"])
    assert feed(client, people["network"]).status_code == 200


def test_empty_feed_is_still_valid(client):
    people = network_with_people()
    calendar = assert_valid_rfc5545(feed(client, people["network"]).content)
    assert calendar.walk("VEVENT") == []


def test_person_feed_shows_own_networks_including_members_only_ones(client):
    people = network_with_people(visibility=Visibility.MEMBERS_ONLY)
    own = MeetingFactory(network=people["network"], title="Geheimes Treffen")
    other = network_with_people()
    MeetingFactory(network=other["network"], title="Fremdes Treffen")
    subscription = services.calendar_subscription_of(people["member"])
    url = reverse("networks:person_feed", kwargs={"token": subscription.token})
    response = client.get(url)  # no login: calendar clients have no session
    assert response.status_code == 200
    calendar = assert_valid_rfc5545(response.content)
    summaries = [str(event["summary"]) for event in calendar.walk("VEVENT")]
    assert summaries == [f"{own.network.name}: Geheimes Treffen"]


def test_renewed_feed_address_revokes_the_old_one(client):
    people = network_with_people()
    old = services.calendar_subscription_of(people["member"]).token
    client.force_login(people["member"])
    client.post(reverse("networks:my_calendar"))
    new = CalendarSubscription.objects.get(user=people["member"]).token
    assert new != old
    client.logout()
    assert client.get(reverse("networks:person_feed", kwargs={"token": old})).status_code == 404
    assert client.get(reverse("networks:person_feed", kwargs={"token": new})).status_code == 200


def test_unknown_or_deactivated_feed_token_is_404(client):
    people = network_with_people()
    token = services.calendar_subscription_of(people["member"]).token
    assert (
        client.get(reverse("networks:person_feed", kwargs={"token": "x" * 43})).status_code == 404
    )
    people["member"].is_active = False
    people["member"].save()
    assert client.get(reverse("networks:person_feed", kwargs={"token": token})).status_code == 404


def test_person_leaving_the_network_disappears_from_their_feed(client):
    people = network_with_people(visibility=Visibility.MEMBERS_ONLY)
    MeetingFactory(network=people["network"])
    token = services.calendar_subscription_of(people["member"]).token
    url = reverse("networks:person_feed", kwargs={"token": token})
    assert len(Calendar.from_ical(client.get(url).content).walk("VEVENT")) == 1
    membership = people["network"].memberships.get()
    services.remove_member(actor=people["coordinator"], membership=membership)
    assert Calendar.from_ical(client.get(url).content).walk("VEVENT") == []


def test_cancelled_meeting_is_marked_cancelled_in_the_feed(client):
    people = network_with_people()
    meeting = MeetingFactory(network=people["network"])
    services.cancel_meeting(actor=people["coordinator"], meeting=meeting)
    [event] = Calendar.from_ical(feed(client, people["network"]).content).walk("VEVENT")
    assert str(event["status"]) == "CANCELLED"
    assert int(event["sequence"]) == 1
