"""Overdue Verwendungsnachweise in the staff queue: a filter and a marker on the row."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from applications.filters import _latest_overdue_period_end
from applications.finality import add_months
from applications.models import Decision, UsageReport, UsageReportStatus
from applications.usage_reports import usage_report_for
from tests.post_helpers import approved_case
from tests.test_usage_reports import submitted

pytestmark = pytest.mark.django_db

QUEUE = "/antraege/kitz/eingang/"


def with_due_date(case, days_from_today):
    report = usage_report_for(case.application)
    report.due_on = timezone.localdate() + timedelta(days=days_from_today)
    report.save(update_fields=["due_on"])
    return case


def test_only_overdue_reports_are_listed_and_marked(client):
    today = timezone.localdate()
    overdue = with_due_date(approved_case(), -1)
    due_today = with_due_date(approved_case(), 0)
    handed_in = approved_case()
    submitted(handed_in)
    with_due_date(handed_in, -30)
    without_row = approved_case()
    Decision.objects.filter(application=without_row.application).update(
        period_start=today - timedelta(days=300), period_end=today - timedelta(days=200)
    )
    assert not UsageReport.objects.filter(application=without_row.application).exists()

    client.force_login(overdue.handler)
    everything = client.get(QUEUE)
    assert everything.content.decode().count('data-testid="usage-overdue"') == 2
    assert "Verwendungsnachweis überfällig" in everything.content.decode()

    filtered = client.get(QUEUE, {"usage_overdue": "on"})
    references = {application.reference for application in filtered.context["page"].object_list}
    assert references == {overdue.application.reference, without_row.application.reference}
    assert due_today.application.reference not in filtered.content.decode()
    assert UsageReport.objects.get(application=handed_in.application).status == (
        UsageReportStatus.SUBMITTED
    )


@pytest.mark.parametrize(
    "today",
    [
        timezone.localdate(),
        *[timezone.localdate().replace(month=5, day=day) for day in (1, 29, 31)],
    ],
)
def test_the_last_overdue_period_end_matches_the_due_date_rule(today):
    last = _latest_overdue_period_end(today)
    assert add_months(last, 3) < today
    assert add_months(last + timedelta(days=1), 3) >= today


def test_the_queue_link_to_the_filter_is_a_checkbox_with_a_label(client):
    case = approved_case()
    client.force_login(case.handler)
    html = client.get(reverse("applications:staff_queue")).content.decode()
    assert 'name="usage_overdue"' in html
    assert "Verwendungsnachweis überfällig" in html
