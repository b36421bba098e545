"""iCalendar (RFC 5545) output for invitations and feeds, built with the icalendar library."""

from datetime import date

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar, Event, Timezone

from .models import MeetingStatus

PRODID = "-//Kreis Schleswig-Flensburg//KITZ-Portal//DE"


def meeting_uid(meeting):
    return f"kitz-meeting-{meeting.pk}@kitz-portal"


def _calendar(name, *, method="PUBLISH"):
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", method)
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    return calendar


def _event(meeting, *, private):
    local = timezone.get_default_timezone()
    event = Event()
    event.add("uid", meeting_uid(meeting))
    event.add("dtstamp", timezone.now())
    event.add("dtstart", meeting.start.astimezone(local))
    event.add("dtend", meeting.end.astimezone(local))
    event.add("summary", f"{meeting.network.name}: {meeting.title}")
    event.add("sequence", meeting.sequence)
    cancelled = meeting.status == MeetingStatus.CANCELLED
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    base = settings.PORTAL_BASE_URL.rstrip("/")
    if private:
        event.add("url", base + meeting.get_absolute_url())
        if meeting.place:
            event.add("location", meeting.place)
        elif meeting.online_url:
            event.add("location", meeting.online_url)
        description = [meeting.agenda.strip()] if meeting.agenda.strip() else []
        if meeting.online_url:
            description.append(meeting.online_url)
        if description:
            event.add("description", "\n\n".join(description))
    else:
        event.add("url", base + meeting.network.get_absolute_url())
    return event


def build_calendar(name, meetings, *, private):
    """A calendar with one VEVENT per meeting and the VTIMEZONE of Europe/Berlin."""
    calendar = _calendar(name)
    meetings = list(meetings)
    for meeting in meetings:
        calendar.add_component(_event(meeting, private=private))
    # The VTIMEZONE covers the feed's years only, which keeps it small.
    years = [meeting.start.year for meeting in meetings] or [timezone.localdate().year]
    first, last = date(min(years) - 1, 1, 1), date(max(years) + 2, 1, 1)
    if meetings:
        calendar.add_missing_timezones(first_date=first, last_date=last)
    else:
        # An empty feed still names its time zone, so clients agree on it.
        calendar.add_component(
            Timezone.from_tzid(settings.TIME_ZONE, first_date=first, last_date=last)
        )
    return calendar.to_ical()


def meeting_invitation_ics(meeting):
    return build_calendar(meeting.network.name, [meeting], private=True)


def feed_url(name, **kwargs):
    return settings.PORTAL_BASE_URL.rstrip("/") + reverse(name, kwargs=kwargs)
