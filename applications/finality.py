"""Bestandskraft of a Bescheid: when it counts as delivered and when it becomes final.

- Portal download (§ 41 Abs. 2a VwVfG): delivered on the day after the first download, as
  long as that download happened within 10 days of issue.
- Not downloaded within 10 days: the portal marks the letter for postal delivery; staff record
  the posting date and the letter counts as delivered on the 4th day after posting.
- A delivery day that falls on a Saturday, Sunday or public holiday in Schleswig-Holstein moves
  to the next working day (in favour of the recipient).
- The Widerspruchsfrist is one month after delivery (§§ 187, 188 BGB); if its last day is not a
  working day it ends on the next one. The Bescheid is final (bestandskräftig) the day after.
- A Rechtsbehelfsverzicht in the portal makes the Bescheid final on that day.
"""

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

from django.utils import timezone

DOWNLOAD_WINDOW_DAYS = 10
POSTAL_DELIVERY_DAYS = 4


def easter_sunday(year):
    """Gregorian Easter (anonymous algorithm of Meeus/Jones/Butcher)."""
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    line = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * line) // 451
    month, day = divmod(h + line - 7 * m + 114, 31)
    return date(year, month, day + 1)


def public_holidays(year):
    """Statutory public holidays in Schleswig-Holstein."""
    easter = easter_sunday(year)
    return {
        date(year, 1, 1),
        easter - timedelta(days=2),
        easter + timedelta(days=1),
        date(year, 5, 1),
        easter + timedelta(days=39),
        easter + timedelta(days=50),
        date(year, 10, 3),
        date(year, 10, 31),
        date(year, 12, 25),
        date(year, 12, 26),
    }


def is_working_day(day):
    return day.weekday() < 5 and day not in public_holidays(day.year)


def next_working_day(day):
    """The day itself if it is a working day, else the next working day."""
    while not is_working_day(day):
        day += timedelta(days=1)
    return day


def add_months(day, months):
    """Same day number ``months`` later; the last day of a shorter month (§ 188 Abs. 3 BGB)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def delivered_by_download(downloaded_on):
    return next_working_day(downloaded_on + timedelta(days=1))


def delivered_by_post(posted_on):
    return next_working_day(posted_on + timedelta(days=POSTAL_DELIVERY_DAYS))


def appeal_deadline(delivered_on):
    return next_working_day(add_months(delivered_on, 1))


def final_on(delivered_on):
    return appeal_deadline(delivered_on) + timedelta(days=1)


@dataclass(frozen=True)
class Finality:
    issued_on: date
    delivered_on: date | None
    delivered_by: str  # "download", "post" or ""
    appeal_deadline: date | None
    final_on: date | None
    waived_on: date | None
    awaits_posting: bool

    @property
    def waivable(self):
        return self.waived_on is None and not self.is_final()

    def is_final(self, today=None):
        today = today or timezone.localdate()
        return self.final_on is not None and self.final_on <= today


def _local_date(moment):
    return timezone.localdate(moment) if moment is not None else None


def letter_finality(letter, today=None):
    """Every date of the Bestandskraft of one letter, computed from what is stored on it."""
    today = today or timezone.localdate()
    issued_on = _local_date(letter.issued_at)
    download_deadline = issued_on + timedelta(days=DOWNLOAD_WINDOW_DAYS)
    downloaded_on = _local_date(letter.first_downloaded_at)
    delivered_on, delivered_by = None, ""
    if downloaded_on is not None and downloaded_on <= download_deadline:
        delivered_on, delivered_by = delivered_by_download(downloaded_on), "download"
    elif letter.posted_on is not None:
        delivered_on, delivered_by = delivered_by_post(letter.posted_on), "post"
    awaits_posting = delivered_on is None and today > download_deadline
    deadline = appeal_deadline(delivered_on) if delivered_on else None
    final = final_on(delivered_on) if delivered_on else None
    waived_on = _local_date(letter.appeal_waived_at)
    if waived_on is not None and (final is None or waived_on < final):
        final = waived_on
    return Finality(
        issued_on=issued_on,
        delivered_on=delivered_on,
        delivered_by=delivered_by,
        appeal_deadline=deadline,
        final_on=final,
        waived_on=waived_on,
        awaits_posting=awaits_posting,
    )
