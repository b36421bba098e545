"""Bestandskraft: when a Bescheid counts as delivered and when it becomes final."""

from datetime import date, datetime, timedelta
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Notification
from applications.finality import (
    add_months,
    easter_sunday,
    is_working_day,
    letter_finality,
)
from applications.letter_models import DecisionLetter
from applications.letters import record_letter_posting, waive_appeal
from kitz_portal.errors import PortalError
from tests.factories import applicant
from tests.post_helpers import approved_case

BERLIN = ZoneInfo("Europe/Berlin")


def at(day, hour=10):
    return datetime(day.year, day.month, day.day, hour, tzinfo=BERLIN)


def letter(issued, downloaded=None, posted=None, waived=None):
    return SimpleNamespace(
        issued_at=at(issued),
        first_downloaded_at=at(downloaded) if downloaded else None,
        posted_on=posted,
        appeal_waived_at=at(waived) if waived else None,
    )


def test_easter_and_the_holidays_of_schleswig_holstein():
    assert easter_sunday(2027) == date(2027, 3, 28)
    assert easter_sunday(2026) == date(2026, 4, 5)
    assert not is_working_day(date(2027, 3, 26))  # Karfreitag
    assert not is_working_day(date(2027, 3, 29))  # Ostermontag
    assert not is_working_day(date(2027, 10, 31))  # Reformationstag (a Sunday anyway)
    assert not is_working_day(date(2026, 10, 31))  # Reformationstag on a Saturday
    assert not is_working_day(date(2027, 5, 6))  # Christi Himmelfahrt
    assert is_working_day(date(2027, 3, 30))


def test_one_month_keeps_to_the_end_of_short_months():
    assert add_months(date(2027, 1, 31), 1) == date(2027, 2, 28)
    assert add_months(date(2028, 1, 31), 1) == date(2028, 2, 29)
    assert add_months(date(2027, 12, 15), 1) == date(2028, 1, 15)


def test_a_download_on_a_weekday_is_delivered_the_next_day_and_final_a_month_later():
    result = letter_finality(
        letter(date(2027, 3, 3), downloaded=date(2027, 3, 4)), today=date(2027, 3, 5)
    )
    assert result.delivered_on == date(2027, 3, 5)
    assert result.delivered_by == "download"
    assert result.appeal_deadline == date(2027, 4, 5)
    assert result.final_on == date(2027, 4, 6)
    assert not result.awaits_posting


def test_a_friday_download_counts_as_delivered_on_monday():
    result = letter_finality(letter(date(2027, 3, 3), downloaded=date(2027, 3, 5)))
    assert result.delivered_on == date(2027, 3, 8)
    assert result.appeal_deadline == date(2027, 4, 8)
    assert result.final_on == date(2027, 4, 9)


def test_an_appeal_deadline_on_good_friday_runs_to_the_tuesday_after_easter():
    # Delivered Fri 26.02.2027; one month later is Karfreitag, then Easter weekend and Monday.
    result = letter_finality(letter(date(2027, 2, 24), downloaded=date(2027, 2, 25)))
    assert result.delivered_on == date(2027, 2, 26)
    assert result.appeal_deadline == date(2027, 3, 30)
    assert result.final_on == date(2027, 3, 31)


def test_an_appeal_deadline_on_a_saturday_runs_to_monday():
    result = letter_finality(letter(date(2027, 4, 20), downloaded=date(2027, 4, 21)))
    assert result.delivered_on == date(2027, 4, 22)
    assert date(2027, 5, 22).weekday() == 5
    assert result.appeal_deadline == date(2027, 5, 24)
    assert result.final_on == date(2027, 5, 25)


def test_without_a_download_for_ten_days_the_letter_waits_for_the_post():
    issued = date(2027, 3, 1)
    within = letter_finality(letter(issued), today=date(2027, 3, 11))
    assert within.delivered_on is None and not within.awaits_posting
    after = letter_finality(letter(issued), today=date(2027, 3, 12))
    assert after.delivered_on is None and after.awaits_posting
    assert after.final_on is None


def test_a_late_download_does_not_count_and_the_posting_date_does():
    late = letter(date(2027, 3, 1), downloaded=date(2027, 3, 12))
    assert letter_finality(late, today=date(2027, 3, 12)).awaits_posting
    # Posted Wed 10.03. + 4 days = Sunday 14.03. -> Monday 15.03.
    posted = letter(date(2027, 3, 1), downloaded=date(2027, 3, 12), posted=date(2027, 3, 10))
    result = letter_finality(posted, today=date(2027, 3, 20))
    assert result.delivered_by == "post"
    assert result.delivered_on == date(2027, 3, 15)
    assert result.appeal_deadline == date(2027, 4, 15)
    assert result.final_on == date(2027, 4, 16)


def test_posting_on_a_thursday_is_delivered_on_monday_the_fourth_day():
    result = letter_finality(letter(date(2027, 3, 1), posted=date(2027, 3, 11)))
    assert result.delivered_on == date(2027, 3, 15)


def test_a_waiver_makes_the_bescheid_final_on_that_day():
    result = letter_finality(
        letter(date(2027, 3, 3), downloaded=date(2027, 3, 4), waived=date(2027, 3, 6))
    )
    assert result.final_on == date(2027, 3, 6)
    assert result.waived_on == date(2027, 3, 6)
    before_download = letter_finality(letter(date(2027, 3, 3), waived=date(2027, 3, 3)))
    assert before_download.final_on == date(2027, 3, 3)


# The stored letter, the services and the pages -------------------------------------------


@pytest.mark.django_db
def test_applicant_waives_appeal_in_the_portal_and_the_case_handler_hears_of_it(client):
    case = approved_case()
    client.force_login(case.member)
    page = client.get(reverse("applications:detail", kwargs={"pk": case.application.pk}))
    assert "Auf Rechtsbehelfe gegen den Zuwendungsbescheid verzichten" in page.text
    assert "bestandskräftig ab" in page.text

    url = reverse(
        "applications:waive_appeal",
        kwargs={"pk": case.application.pk, "letter_id": case.letter.pk},
    )
    response = client.post(url, follow=True)

    assert "Der Bescheid ist bestandskräftig" in response.text
    stored = DecisionLetter.objects.get(pk=case.letter.pk)
    assert stored.appeal_waived_by == case.member
    assert stored.finality.final_on == timezone.localdate()
    assert stored.finality.is_final()
    assert case.application.events.filter(note__contains="Rechtsbehelfsverzicht").exists()
    assert Notification.objects.filter(
        template="emails/applications/appeal_waived", recipient=case.handler
    ).exists()
    with pytest.raises(PortalError):
        waive_appeal(actor=case.member, letter=stored)


@pytest.mark.django_db
def test_other_organisations_cannot_waive_and_get_404(client):
    case = approved_case()
    client.force_login(applicant())
    url = reverse(
        "applications:waive_appeal",
        kwargs={"pk": case.application.pk, "letter_id": case.letter.pk},
    )
    assert client.post(url).status_code == 404
    assert DecisionLetter.objects.get(pk=case.letter.pk).appeal_waived_at is None


@pytest.mark.django_db
def test_staff_record_the_posting_date_of_a_letter_not_downloaded_in_ten_days(client):
    case = approved_case()
    issued = timezone.localdate() - timedelta(days=20)
    DecisionLetter.objects.filter(pk=case.letter.pk).update(issued_at=at(issued))
    client.force_login(case.handler)
    page = client.get(reverse("applications:staff_case", kwargs={"pk": case.application.pk}))
    assert "Versand per Post" in page.text
    url = reverse(
        "applications:staff_record_posting",
        kwargs={"pk": case.application.pk, "letter_id": case.letter.pk},
    )
    posted = issued + timedelta(days=11)

    client.post(url, {"posted_on": posted.strftime("%d.%m.%Y")})

    stored = DecisionLetter.objects.get(pk=case.letter.pk)
    assert stored.posted_on == posted
    assert stored.finality.delivered_by == "post"
    assert stored.finality.delivered_on >= posted + timedelta(days=4)
    assert case.application.events.filter(note__contains="zur Post gegeben").exists()


@pytest.mark.django_db
def test_a_posting_date_in_the_future_or_for_a_downloaded_letter_is_refused():
    case = approved_case()
    with pytest.raises(PortalError) as future:
        record_letter_posting(
            actor=case.handler,
            letter=case.letter,
            posted_on=timezone.localdate() + timedelta(days=1),
        )
    assert future.value.field == "posted_on"
    DecisionLetter.objects.filter(pk=case.letter.pk).update(first_downloaded_at=timezone.now())
    with pytest.raises(PortalError):
        record_letter_posting(
            actor=case.handler, letter=case.letter, posted_on=timezone.localdate()
        )
    with pytest.raises(PortalError):
        record_letter_posting(actor=case.member, letter=case.letter, posted_on=timezone.localdate())
    assert DecisionLetter.objects.get(pk=case.letter.pk).posted_on is None
