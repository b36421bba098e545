"""Staff forms after the Bescheid: each error stands at its field with the summary; no change."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from applications import payments
from applications.models import (
    DecisionLetter,
    PaymentStatus,
    UsageCheckAnswer,
    UsageReport,
    UsageReportStatus,
)
from tests.factories import signing_authority
from tests.post_helpers import approved_case, checklist_post_data
from tests.test_usage_reports import submitted

pytestmark = pytest.mark.django_db


def d(day):
    return day.strftime("%d.%m.%Y")


def assert_error_at(response, field_id, text=None):
    assert response.status_code == 200
    html = response.content.decode()
    assert f'id="{field_id}-error"' in html, field_id
    assert "data-error-summary" in html
    assert f'href="#{field_id}' in html
    if text:
        assert text in html


def requested(case):
    return payments.request_payment(
        actor=case.member,
        application=case.application,
        amount=Decimal("500.00"),
        period_start=case.application.decision.period_start,
        period_end=case.application.decision.period_start,
    )


# Mittelabruf: the staff check -------------------------------------------------------------


def test_a_payment_check_without_a_result_is_marked_at_the_field(client):
    case = approved_case()
    payment = requested(case)
    client.force_login(case.handler)
    url = reverse(
        "applications:staff_check_payment",
        kwargs={"pk": case.application.pk, "payment_id": payment.pk},
    )
    response = client.post(url, {"reason": ""})
    assert_error_at(
        response, f"id_check{payment.pk}_decision", "Bitte wählen Sie das Ergebnis der Prüfung."
    )
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.REQUESTED


def test_a_refusal_without_a_reason_is_marked_at_the_reason(client):
    case = approved_case()
    payment = requested(case)
    client.force_login(case.handler)
    url = reverse(
        "applications:staff_check_payment",
        kwargs={"pk": case.application.pk, "payment_id": payment.pk},
    )
    response = client.post(url, {"decision": "reject", "reason": "  "})
    assert_error_at(response, f"id_check{payment.pk}_reason", "Bitte begründen Sie die Ablehnung.")
    payment.refresh_from_db()
    assert (payment.status, payment.checked_by) == (PaymentStatus.REQUESTED, None)


# Mittelabruf: the paid date ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("31.02.2027", "Bitte geben Sie das Auszahlungsdatum als TT.MM.JJJJ an."),
        ("", "Bitte geben Sie das Auszahlungsdatum an."),
        ("tomorrow", "zwischen der Freigabe und heute"),
    ],
)
def test_a_bad_paid_date_is_marked_at_the_field_and_nothing_is_paid(client, value, message):
    case = approved_case()
    payment = requested(case)
    payments.check_payment_request(actor=case.handler, payment=payment)
    payments.release_payment_request(actor=case.lead, payment=payment)
    if value == "tomorrow":
        value = d(timezone.localdate() + timedelta(days=1))
    client.force_login(case.handler)
    response = client.post(
        reverse("applications:staff_mark_paid", kwargs={"payment_id": payment.pk}),
        {"paid_on": value},
    )
    assert_error_at(response, f"id_paid{payment.pk}_paid_on", message)
    payment.refresh_from_db()
    assert (payment.status, payment.paid_on) == (PaymentStatus.RELEASED, None)


# Bestandskraft: the posting date ----------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("32.01.2027", "Bitte geben Sie das Datum als TT.MM.JJJJ an."),
        ("tomorrow", "zwischen dem Erlass des Bescheids und heute"),
    ],
)
def test_a_bad_posting_date_is_marked_at_the_field_and_nothing_is_saved(client, value, message):
    case = approved_case()
    letter = case.letter
    if value == "tomorrow":
        value = d(timezone.localdate() + timedelta(days=1))
    client.force_login(case.handler)
    response = client.post(
        reverse(
            "applications:staff_record_posting",
            kwargs={"pk": case.application.pk, "letter_id": letter.pk},
        ),
        {"posted_on": value},
    )
    assert_error_at(response, f"id_posting{letter.pk}_posted_on", message)
    assert DecisionLetter.objects.get(pk=letter.pk).posted_on is None
    assert not case.application.events.filter(note__contains="zur Post gegeben").exists()


# Verwendungsnachweis: the checklist -------------------------------------------------------


def check_url(case):
    return reverse("applications:staff_check_usage_report", kwargs={"pk": case.application.pk})


def test_the_checklist_needs_every_item_answered_and_marks_the_missing_one(client):
    case = approved_case()
    submitted(case)
    client.force_login(case.handler)
    data = checklist_post_data()
    del data["publicity"]
    response = client.post(check_url(case), data)
    assert_error_at(response, "id_publicity", "Bitte beantworten Sie diesen Prüfpunkt.")
    report = UsageReport.objects.get()
    assert (report.status, report.checked_by) == (UsageReportStatus.SUBMITTED, None)
    assert not UsageCheckAnswer.objects.exists()


def test_an_item_not_met_needs_a_remark_at_that_item(client):
    case = approved_case()
    submitted(case)
    client.force_login(case.handler)
    response = client.post(check_url(case), checklist_post_data(receipts="not_met"))
    assert_error_at(response, "id_receipts_remark", "warum dieser Punkt nicht erfüllt ist")
    assert UsageReport.objects.get().status == UsageReportStatus.SUBMITTED
    assert not UsageCheckAnswer.objects.exists()


def test_the_second_person_sees_the_checklist_when_confirming(client):
    case = approved_case()
    submitted(case)
    client.force_login(case.handler)
    data = checklist_post_data(remarks="Alles belegt.", target_groups="not_applicable")
    data["publicity_remark"] = "Logo auf dem Flyer"
    response = client.post(check_url(case), data)
    assert response.status_code == 302
    report = UsageReport.objects.get()
    assert report.status == UsageReportStatus.CHECKED
    assert report.check_answers.count() == 5

    client.force_login(signing_authority())
    page = client.get(reverse("applications:staff_case", kwargs={"pk": case.application.pk}))
    html = page.content.decode()
    assert 'data-testid="usage-checklist"' in html
    for text in [
        "Sachbericht nachvollziehbar",
        "Kreis als Förderer genannt",
        "Logo auf dem Flyer",
        "entfällt",
        "Alles belegt.",
        "Prüfergebnis bestätigen und Fall abschließen",
    ]:
        assert text in html, text


def test_a_check_that_someone_else_already_saved_is_reported_as_a_message(client):
    case = approved_case()
    payment = requested(case)
    payments.check_payment_request(actor=case.lead, payment=payment)
    client.force_login(case.handler)
    response = client.post(
        reverse(
            "applications:staff_check_payment",
            kwargs={"pk": case.application.pk, "payment_id": payment.pk},
        ),
        {"decision": "reject", "reason": "zu spät"},
        follow=True,
    )
    assert "nicht möglich" in response.content.decode()
    payment.refresh_from_db()
    assert (payment.status, payment.checked_by) == (PaymentStatus.CHECKED, case.lead)
