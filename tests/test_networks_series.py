from datetime import date, datetime, time, timedelta

import pytest
from dateutil.relativedelta import TU, relativedelta
from django.urls import reverse
from django.utils import timezone

from kitz_portal.errors import PortalError
from networks import services
from networks.models import MeetingSeries, MeetingStatus, SeriesException
from networks.tasks import extend_meeting_series
from tests.network_factories import network_with_people

pytestmark = pytest.mark.django_db

QUARTERLY_SECOND_TUESDAY = "FREQ=MONTHLY;INTERVAL=3;BYDAY=+2TU"


def second_tuesdays_of_coming_quarters(count):
    """The second Tuesday of each quarter, starting with the next quarter."""
    today = timezone.localdate()
    month = date(today.year, today.month, 1)
    while month.month not in (1, 4, 7, 10) or month <= today:
        month += relativedelta(months=1)
    return [month + relativedelta(months=3 * index, weekday=TU(+2)) for index in range(count)]


def berlin(day, hour):
    return timezone.make_aware(datetime.combine(day, time(hour)), timezone.get_default_timezone())


@pytest.fixture
def series_setup():
    people = network_with_people()
    days = second_tuesdays_of_coming_quarters(3)
    series = services.create_series(
        actor=people["coordinator"],
        network=people["network"],
        title="Quartalstreffen",
        first_start=berlin(days[0], 14),
        duration_minutes=120,
        rrule=QUARTERLY_SECOND_TUESDAY,
        place="Kreishaus",
    )
    return people, series, days


def test_every_second_tuesday_of_the_quarter_gives_meetings_at_14_berlin_time(series_setup):
    _people, series, days = series_setup
    meetings = list(series.meetings.order_by("start")[:3])
    assert [meeting.occurrence_date for meeting in meetings] == days
    for meeting in meetings:
        local = timezone.localtime(meeting.start)
        assert (local.weekday(), local.hour, local.minute) == (1, 14, 0)
        assert 8 <= local.day <= 14
        assert meeting.end - meeting.start == timedelta(hours=2)


def test_skipped_date_disappears_and_stays_away_when_the_series_is_extended(series_setup):
    people, series, days = series_setup
    services.add_series_exception(
        actor=people["coordinator"], series=series, original_date=days[1], kind="skipped"
    )
    assert not series.meetings.filter(occurrence_date=days[1]).exists()
    extend_meeting_series()
    assert not series.meetings.filter(occurrence_date=days[1]).exists()
    assert series.meetings.filter(occurrence_date=days[2]).exists()


def test_moved_date_moves_the_meeting_and_is_not_duplicated(series_setup):
    people, series, days = series_setup
    new_start = berlin(days[2] + timedelta(days=2), 10)
    services.add_series_exception(
        actor=people["coordinator"],
        series=series,
        original_date=days[2],
        kind="moved",
        new_start=new_start,
    )
    meeting = series.meetings.get(occurrence_date=days[2])
    assert meeting.start == new_start
    assert meeting.end == new_start + timedelta(hours=2)
    assert meeting.sequence == 1
    extend_meeting_series()
    assert series.meetings.filter(occurrence_date=days[2]).count() == 1


def test_skipping_a_date_with_invitations_cancels_the_meeting_instead(series_setup):
    people, series, days = series_setup
    meeting = series.meetings.get(occurrence_date=days[0])
    services.invite_members(actor=people["coordinator"], meeting=meeting)
    services.add_series_exception(
        actor=people["coordinator"], series=series, original_date=days[0], kind="skipped"
    )
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.CANCELLED


def test_exception_for_a_day_without_meeting_is_refused_and_nothing_changes(series_setup):
    people, series, days = series_setup
    before = list(series.meetings.values_list("pk", "start"))
    with pytest.raises(PortalError) as error:
        services.add_series_exception(
            actor=people["coordinator"],
            series=series,
            original_date=days[0] + timedelta(days=1),
            kind="skipped",
        )
    assert error.value.field == "original_date"
    assert not SeriesException.objects.exists()
    assert list(series.meetings.values_list("pk", "start")) == before


def test_exception_form_shows_the_error_at_the_field(client, series_setup):
    people, series, days = series_setup
    client.force_login(people["coordinator"])
    url = reverse("networks:series", kwargs={"slug": series.network.slug, "pk": series.pk})
    response = client.post(url, {"original_date": days[1].isoformat(), "kind": "moved"})
    assert "new_start" in response.context["form"].errors
    response = client.post(
        url, {"original_date": (days[1] + timedelta(days=1)).isoformat(), "kind": "skipped"}
    )
    assert "original_date" in response.context["form"].errors
    assert not SeriesException.objects.exists()


def test_invalid_recurrence_rule_is_refused_at_the_field(client):
    people = network_with_people()
    client.force_login(people["coordinator"])
    response = client.post(
        reverse("networks:series_create", kwargs={"slug": people["network"].slug}),
        {
            "title": "Reihe",
            "first_start": "2027-01-12T14:00",
            "duration_minutes": "120",
            "rrule": "jeden zweiten Dienstag",
            "place": "Kreishaus",
        },
    )
    assert response.status_code == 200
    assert "rrule" in response.context["form"].errors
    assert not MeetingSeries.objects.exists()


def test_coordinator_creates_a_series_in_the_portal(client):
    people = network_with_people()
    client.force_login(people["coordinator"])
    day = second_tuesdays_of_coming_quarters(1)[0]
    response = client.post(
        reverse("networks:series_create", kwargs={"slug": people["network"].slug}),
        {
            "title": "Quartalstreffen",
            "first_start": f"{day.isoformat()}T14:00",
            "duration_minutes": "90",
            "rrule": "RRULE:" + QUARTERLY_SECOND_TUESDAY,
            "place": "Kreishaus",
        },
    )
    series = MeetingSeries.objects.get()
    assert response.status_code == 302
    assert series.rrule == QUARTERLY_SECOND_TUESDAY
    assert series.meetings.count() >= 3


def test_extending_series_twice_creates_nothing_the_second_time(series_setup):
    _people, series, _days = series_setup
    count = series.meetings.count()
    assert extend_meeting_series() == 0
    assert series.meetings.count() == count
