from datetime import timedelta
from email import message_from_bytes

import pytest
from django.core import signing
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from accounts.models import Notification
from kitz_portal.errors import PortalError
from networks import services
from networks.models import Invitation, Meeting, MeetingStatus, Response
from networks.tokens import make_rsvp_token
from tests.factories import applicant
from tests.network_factories import MeetingFactory, network_with_people

pytestmark = pytest.mark.django_db


def meeting_url(name, meeting, **extra):
    return reverse(name, kwargs={"slug": meeting.network.slug, "pk": meeting.pk, **extra})


def test_meeting_ending_before_it_starts_is_refused_at_the_field_and_nothing_is_saved(client):
    people = network_with_people()
    client.force_login(people["coordinator"])
    response = client.post(
        reverse("networks:meeting_create", kwargs={"slug": people["network"].slug}),
        {
            "title": "Planungstreffen",
            "start": "2027-03-09T14:00",
            "end": "2027-03-09T12:00",
            "place": "Kreishaus",
        },
    )
    assert response.status_code == 200
    assert "Das Ende muss nach dem Beginn liegen." in str(response.context["form"].errors["end"])
    assert "kern-error" in response.content.decode() or "aria-invalid" in response.content.decode()
    assert not Meeting.objects.exists()


def test_meeting_without_place_or_link_is_refused_at_the_field(client):
    people = network_with_people()
    client.force_login(people["coordinator"])
    response = client.post(
        reverse("networks:meeting_create", kwargs={"slug": people["network"].slug}),
        {"title": "Treffen", "start": "2027-03-09T14:00", "end": "2027-03-09T16:00"},
    )
    assert "place" in response.context["form"].errors
    assert not Meeting.objects.exists()


def test_coordinator_plans_a_meeting_in_berlin_time(client):
    people = network_with_people()
    client.force_login(people["coordinator"])
    response = client.post(
        reverse("networks:meeting_create", kwargs={"slug": people["network"].slug}),
        {
            "title": "Planungstreffen",
            "start": "2027-07-13T14:00",
            "end": "2027-07-13T16:00",
            "online_url": "https://meet.example.org/raum",
            "agenda": "Sommerfest",
        },
    )
    meeting = Meeting.objects.get()
    assert response.status_code == 302
    assert timezone.localtime(meeting.start).hour == 14
    assert meeting.start.utcoffset() == timedelta(0)  # stored in UTC
    assert meeting.start.astimezone(timezone.get_default_timezone()).utcoffset() == timedelta(
        hours=2
    )


def test_service_refuses_meeting_ending_before_start():
    people = network_with_people()
    start = timezone.now() + timedelta(days=3)
    with pytest.raises(PortalError) as error:
        services.schedule_meeting(
            actor=people["coordinator"],
            network=people["network"],
            title="Falsch",
            start=start,
            end=start - timedelta(hours=1),
            place="Kreishaus",
        )
    assert error.value.field == "end"
    assert not Meeting.objects.exists()


def test_invitation_email_carries_a_valid_ics_that_parses_back(
    mailoutbox, django_capture_on_commit_callbacks
):
    people = network_with_people()
    meeting = MeetingFactory(network=people["network"], online_url="https://meet.example.org/x")
    with django_capture_on_commit_callbacks(execute=True):
        invited = services.invite_members(actor=people["coordinator"], meeting=meeting)
    assert {invitation.user for invitation in invited} == {people["member"], people["coordinator"]}
    assert len(mailoutbox) == 2
    message = next(mail for mail in mailoutbox if mail.to == [people["member"].email])
    assert meeting.title in message.subject
    assert "/netzwerke/einladung/" in message.body
    parsed = message_from_bytes(message.message().as_bytes())
    parts = [part for part in parsed.walk() if part.get_content_type() == "text/calendar"]
    assert len(parts) == 1
    assert parts[0].get_filename() == "netzwerktreffen.ics"
    calendar = Calendar.from_ical(parts[0].get_payload(decode=True))
    assert str(calendar["version"]) == "2.0"
    assert calendar["prodid"]
    [timezone_component] = calendar.walk("VTIMEZONE")
    assert str(timezone_component["tzid"]) == "Europe/Berlin"
    [event] = calendar.walk("VEVENT")
    assert str(event["uid"]) == f"kitz-meeting-{meeting.pk}@kitz-portal"
    assert event["dtstamp"]
    assert event["dtstart"].params["TZID"] == "Europe/Berlin"
    assert event.decoded("dtstart") == meeting.start.replace(microsecond=0)
    assert event.decoded("dtend") == meeting.end.replace(microsecond=0)
    assert str(event["location"]) == meeting.place


def test_inviting_twice_sends_each_person_one_email(mailoutbox, django_capture_on_commit_callbacks):
    people = network_with_people()
    meeting = MeetingFactory(network=people["network"])
    with django_capture_on_commit_callbacks(execute=True):
        services.invite_members(actor=people["coordinator"], meeting=meeting)
        services.invite_members(actor=people["coordinator"], meeting=meeting)
    assert len(mailoutbox) == 2
    assert Notification.objects.filter(template="emails/networks/invitation").count() == 2


def test_outsider_and_member_cannot_send_invitations(client):
    people = network_with_people()
    meeting = MeetingFactory(network=people["network"])
    client.force_login(people["member"])
    response = client.post(meeting_url("networks:meeting_invite", meeting))
    assert response.status_code == 403
    client.force_login(people["outsider"])
    assert client.post(meeting_url("networks:meeting_invite", meeting)).status_code == 404
    assert not Invitation.objects.exists()


def _invited(people):
    meeting = MeetingFactory(network=people["network"])
    services.invite_members(actor=people["coordinator"], meeting=meeting)
    return meeting, Invitation.objects.get(meeting=meeting, user=people["member"])


def test_member_answers_from_the_portal(client):
    people = network_with_people()
    meeting, invitation = _invited(people)
    client.force_login(people["member"])
    client.post(meeting_url("networks:meeting_respond", meeting), {"response": "maybe"})
    invitation.refresh_from_db()
    assert invitation.response == Response.MAYBE


def test_rsvp_link_without_login_records_the_answer(client):
    people = network_with_people()
    _meeting, invitation = _invited(people)
    url = reverse(
        "networks:rsvp_by_token",
        kwargs={"pk": invitation.pk, "token": make_rsvp_token(invitation)},
    )
    page = client.get(url)
    assert page.status_code == 200
    invitation.refresh_from_db()
    assert invitation.response == Response.PENDING  # opening the link changes nothing
    client.post(url, {"response": "yes"})
    invitation.refresh_from_db()
    assert invitation.response == Response.YES
    assert invitation.responded_at is not None


def _assert_refused(client, invitation, token, message):
    url = reverse("networks:rsvp_by_token", kwargs={"pk": invitation.pk, "token": token})
    for response in (client.get(url), client.post(url, {"response": "no"})):
        assert response.status_code == 400
        assert message in response.content.decode()
    invitation.refresh_from_db()
    assert invitation.response == Response.PENDING
    assert invitation.responded_at is None


def test_forged_rsvp_token_is_refused_and_changes_nothing(client):
    people = network_with_people()
    _meeting, invitation = _invited(people)
    token = make_rsvp_token(invitation)
    forged = token[:-3] + ("aaa" if not token.endswith("aaa") else "bbb")
    _assert_refused(client, invitation, forged, "Dieser Link ist ungültig.")
    unsigned = signing.dumps(
        {"i": invitation.pk, "m": invitation.meeting_id, "u": invitation.user_id},
        salt="something-else",
    )
    _assert_refused(client, invitation, unsigned, "Dieser Link ist ungültig.")


def test_expired_rsvp_token_is_refused_and_changes_nothing(client, monkeypatch):
    people = network_with_people()
    _meeting, invitation = _invited(people)
    long_ago = timezone.now().timestamp() - 61 * 24 * 3600
    with monkeypatch.context() as patch:
        patch.setattr("django.core.signing.time.time", lambda: long_ago)
        token = make_rsvp_token(invitation)
    _assert_refused(client, invitation, token, "Dieser Link ist abgelaufen.")


def test_rsvp_token_of_another_person_is_refused_and_changes_nothing(client):
    people = network_with_people()
    colleague = applicant(organisation=people["organisation"])
    meeting, invitation = _invited(people)
    other = Invitation.objects.get(meeting=meeting, user=colleague)
    _assert_refused(client, invitation, make_rsvp_token(other), "Dieser Link ist ungültig.")
    other.refresh_from_db()
    assert other.response == Response.PENDING


def test_member_removed_while_invited_loses_the_invitation_and_the_link(client):
    people = network_with_people()
    _meeting, invitation = _invited(people)
    token = make_rsvp_token(invitation)
    membership = people["network"].memberships.get(organisation=people["organisation"])
    services.remove_member(actor=people["coordinator"], membership=membership)
    assert not Invitation.objects.filter(pk=invitation.pk).exists()
    url = reverse("networks:rsvp_by_token", kwargs={"pk": invitation.pk, "token": token})
    response = client.post(url, {"response": "yes"})
    assert response.status_code == 400
    assert "Diese Einladung wurde zurückgezogen" in response.content.decode()
    forged = reverse("networks:rsvp_by_token", kwargs={"pk": invitation.pk, "token": "abc:def"})
    assert "Dieser Link ist ungültig." in client.get(forged).content.decode()


def test_rsvp_is_refused_when_the_person_left_the_network_after_the_invitation():
    people = network_with_people()
    _meeting, invitation = _invited(people)
    people["member"].memberships.all().delete()
    with pytest.raises(PortalError, match="nicht mehr an"):
        services.respond_by_token(
            invitation_id=invitation.pk, token=make_rsvp_token(invitation), response="yes"
        )
    invitation.refresh_from_db()
    assert invitation.response == Response.PENDING


def test_cancelled_meeting_takes_no_more_answers():
    people = network_with_people()
    meeting, invitation = _invited(people)
    services.cancel_meeting(actor=people["coordinator"], meeting=meeting)
    with pytest.raises(PortalError):
        services.respond_to_invitation(
            actor=people["member"], invitation=invitation, response="yes"
        )
    invitation.refresh_from_db()
    assert invitation.response == Response.PENDING


def test_attendance_is_recorded_after_the_meeting(client):
    people = network_with_people()
    start = timezone.now() - timedelta(hours=3)
    meeting = MeetingFactory(network=people["network"], start=start, end=start + timedelta(hours=2))
    client.force_login(people["coordinator"])
    response = client.post(
        meeting_url("networks:meeting_attendance", meeting), {"people": [people["member"].pk]}
    )
    assert response.status_code == 302
    assert list(meeting.attendances.values_list("user", flat=True)) == [people["member"].pk]
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.HELD


def test_attendance_of_an_outsider_is_refused(client):
    people = network_with_people()
    start = timezone.now() - timedelta(hours=3)
    meeting = MeetingFactory(network=people["network"], start=start, end=start + timedelta(hours=2))
    client.force_login(people["coordinator"])
    response = client.post(
        meeting_url("networks:meeting_attendance", meeting), {"people": [people["outsider"].pk]}
    )
    assert response.status_code == 200
    assert "people" in response.context["form"].errors
    assert not meeting.attendances.exists()


def test_minutes_file_is_shared_with_members_only(client):
    people = network_with_people()
    meeting = MeetingFactory(network=people["network"])
    client.force_login(people["coordinator"])
    upload = SimpleUploadedFile("protokoll.pdf", b"%PDF-1.4 Protokoll", "application/pdf")
    response = client.post(
        meeting_url("networks:meeting_minutes", meeting),
        {"minutes_text": "Beschlüsse", "minutes_file": upload, "notify_members": "on"},
    )
    assert response.status_code == 302
    hint = Notification.objects.get(
        template="emails/networks/minutes_shared", recipient=people["member"]
    )
    assert "Beschlüsse" not in str(hint.context)  # the e-mail points to the portal only
    download = meeting_url("networks:meeting_minutes_file", meeting)
    client.force_login(people["member"])
    response = client.get(download)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 Protokoll"
    client.force_login(people["outsider"])
    assert client.get(download).status_code == 404
    client.logout()
    assert client.get(download).status_code == 302


def test_minutes_upload_of_a_wrong_type_is_refused_and_nothing_saved(client):
    people = network_with_people()
    meeting = MeetingFactory(network=people["network"])
    client.force_login(people["coordinator"])
    upload = SimpleUploadedFile("virus.exe", b"MZ", "application/octet-stream")
    response = client.post(
        meeting_url("networks:meeting_minutes", meeting),
        {"minutes_text": "Beschlüsse", "minutes_file": upload},
    )
    assert response.status_code == 200
    assert "minutes_file" in response.context["form"].errors
    meeting.refresh_from_db()
    assert meeting.minutes_text == ""
    assert not meeting.minutes_file


def test_invited_people_hear_of_a_changed_time_with_an_updated_ics(
    mailoutbox, django_capture_on_commit_callbacks
):
    people = network_with_people()
    meeting, invitation = _invited(people)
    declined = Invitation.objects.get(meeting=meeting, user=people["coordinator"])
    services.respond_to_invitation(actor=people["coordinator"], invitation=declined, response="no")
    new_start = meeting.start + timedelta(days=1)
    with django_capture_on_commit_callbacks(execute=True):
        services.update_meeting(
            actor=people["coordinator"],
            meeting=meeting,
            start=new_start,
            end=new_start + timedelta(hours=1),
        )
        services.update_meeting(actor=people["coordinator"], meeting=meeting, agenda="Neu")
    assert [mail.to for mail in mailoutbox] == [[people["member"].email]]
    assert mailoutbox[0].subject.startswith("[KITZ-Portal] Geändert:")
    [(_name, content, _type)] = mailoutbox[0].attachments
    [event] = Calendar.from_ical(content).walk("VEVENT")
    assert int(event["sequence"]) == 1
    assert event.decoded("dtstart") == new_start.replace(microsecond=0)


def test_invited_people_hear_of_a_cancellation(mailoutbox, django_capture_on_commit_callbacks):
    people = network_with_people()
    meeting, _invitation = _invited(people)
    with django_capture_on_commit_callbacks(execute=True):
        services.cancel_meeting(actor=people["coordinator"], meeting=meeting)
        services.cancel_meeting(actor=people["coordinator"], meeting=meeting)
    assert len(mailoutbox) == 2
    [(_name, content, _type)] = mailoutbox[0].attachments
    [event] = Calendar.from_ical(content).walk("VEVENT")
    assert str(event["status"]) == "CANCELLED"
