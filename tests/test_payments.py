"""Mittelabruf: what an applicant may request, the four-eyes release, the treasury export."""

import csv
import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone
from openpyxl import load_workbook

from accounts.models import Notification
from applications import payments
from applications.models import ApplicationStatus, PaymentRequest, PaymentStatus
from applications.selectors import budget_overview
from kitz_portal.errors import PortalError
from tests.factories import signing_authority
from tests.post_helpers import approved_case

pytestmark = pytest.mark.django_db


def period(case, days=30):
    start = case.application.decision.period_start
    return {"period_start": start, "period_end": start + timedelta(days=days)}


def request(case, amount="800.00", **overrides):
    arguments = {"actor": case.member, "application": case.application, "amount": Decimal(amount)}
    arguments.update(period(case))
    arguments.update(overrides)
    return payments.request_payment(**arguments)


def paid(case, amount="800.00"):
    payment = request(case, amount)
    payments.check_payment_request(actor=case.handler, payment=payment)
    payments.release_payment_request(actor=case.lead, payment=payment)
    return payments.mark_payment_paid(
        actor=case.handler, payment=payment, paid_on=timezone.localdate()
    )


def test_applicant_requests_part_of_the_grant_and_the_case_handler_hears_of_it():
    case = approved_case()
    case.application.assigned_to = case.handler
    case.application.save()

    payment = request(case)

    assert payment.status == PaymentStatus.REQUESTED
    assert payment.number == 1
    assert payment.iban == "DE89370400440532013000"
    assert case.application.events.filter(note__contains="Mittelabruf 1").exists()
    assert Notification.objects.filter(
        template="emails/applications/payment_requested", recipient=case.handler
    ).exists()


def test_a_request_above_the_grant_minus_paid_is_refused_with_the_rest():
    case = approved_case()
    with pytest.raises(PortalError) as above_grant:
        request(case, "1800.01")
    assert "1.800,00" in above_grant.value.message
    assert above_grant.value.field == "amount"
    paid(case, "1000.00")
    with pytest.raises(PortalError) as above_rest:
        request(case, "800.01")
    assert "800,00" in above_rest.value.message
    assert request(case, "800.00").number == 2
    assert PaymentRequest.objects.filter(application=case.application).count() == 2


def test_a_second_request_while_one_is_pending_is_refused():
    case = approved_case()
    request(case, "100.00")
    with pytest.raises(PortalError) as error:
        request(case, "100.00")
    assert "offenen Mittelabruf" in error.value.message
    assert case.application.payment_requests.count() == 1


def test_a_request_after_the_case_closed_or_by_others_is_refused():
    case = approved_case()
    from tests.factories import applicant

    with pytest.raises(PortalError):
        request(case, actor=applicant())
    case.application.status = ApplicationStatus.CLOSED
    case.application.save()
    with pytest.raises(PortalError) as error:
        request(case)
    assert "abgeschlossen" in error.value.message
    assert not PaymentRequest.objects.exists()


def test_money_for_later_than_two_months_or_outside_the_grant_period_is_refused():
    case = approved_case()
    start = case.application.decision.period_start
    with pytest.raises(PortalError) as outside:
        request(case, period_start=start - timedelta(days=1), period_end=start)
    assert outside.value.field == "period_start"
    with pytest.raises(PortalError) as too_long:
        request(case, period_start=start, period_end=start + timedelta(days=89))
    assert "zwei Monate" in too_long.value.message
    with pytest.raises(PortalError):
        request(case, amount="0")
    assert not PaymentRequest.objects.exists()


def test_the_person_who_checked_cannot_release_and_the_database_agrees():
    case = approved_case()
    payment = request(case)
    payments.check_payment_request(actor=case.lead, payment=payment)
    with pytest.raises(PortalError) as error:
        payments.release_payment_request(actor=case.lead, payment=payment)
    assert "Vier-Augen-Prinzip" in error.value.message
    with pytest.raises(PortalError):
        payments.release_payment_request(actor=case.handler, payment=payment)  # no signing
    with pytest.raises(IntegrityError), transaction.atomic():
        PaymentRequest.objects.filter(pk=payment.pk).update(
            status=PaymentStatus.RELEASED, released_by=case.lead, released_at=timezone.now()
        )
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.CHECKED
    released = payments.release_payment_request(actor=signing_authority(), payment=payment)
    assert released.status == PaymentStatus.RELEASED


def test_a_refused_request_needs_a_reason_and_frees_the_way_for_a_new_one():
    case = approved_case()
    payment = request(case)
    with pytest.raises(PortalError):
        payments.check_payment_request(actor=case.handler, payment=payment, approve=False)
    payments.check_payment_request(
        actor=case.handler, payment=payment, approve=False, reason="Zeitraum zu früh."
    )
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.REJECTED
    assert Notification.objects.filter(template="emails/applications/payment_rejected").exists()
    assert request(case).number == 2


def test_applicants_cannot_check_release_or_mark_paid():
    case = approved_case()
    payment = request(case)
    for step in (payments.check_payment_request, payments.release_payment_request):
        with pytest.raises(PortalError):
            step(actor=case.member, payment=payment)
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.REQUESTED


def test_paid_money_moves_from_committed_to_paid_on_the_budget():
    case = approved_case()
    paid(case, "800.00")
    row = next(
        r for r in budget_overview()["programmes"] if r["programme"] == case.application.programme
    )
    assert row["paid"] == Decimal("800.00")
    assert row["committed"] == Decimal("1000.00")
    assert row["committed"] + row["paid"] + row["returned"] + row["remaining"] == row["planned"]
    assert Notification.objects.filter(template="emails/applications/payment_paid").exists()


def test_a_payment_date_before_the_release_or_in_the_future_is_refused():
    case = approved_case()
    payment = request(case)
    payments.check_payment_request(actor=case.handler, payment=payment)
    payments.release_payment_request(actor=case.lead, payment=payment)
    for day in (timezone.localdate() - timedelta(days=1), timezone.localdate() + timedelta(1)):
        with pytest.raises(PortalError) as error:
            payments.mark_payment_paid(actor=case.handler, payment=payment, paid_on=day)
        assert error.value.field == "paid_on"
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.RELEASED


def content(response):
    return b"".join(response.streaming_content)


def released(case, amount):
    payment = request(case, amount)
    payments.check_payment_request(actor=case.handler, payment=payment)
    return payments.release_payment_request(actor=case.lead, payment=payment)


def test_the_treasury_csv_is_german_excel_ready():
    case = approved_case()
    released(case, "1234.56")

    data = content(payments.treasury_export("csv", payments.payments_for_treasury()))

    assert data.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == payments.TREASURY_COLUMNS
    header = dict(zip(rows[0], rows[1], strict=True))
    assert header["Aktenzeichen"] == case.application.reference
    assert header["IBAN"] == "DE89370400440532013000"
    assert header["Betrag"] == "1.234,56"
    assert header["Freigegeben am"] == timezone.localdate().strftime("%d.%m.%Y")
    assert header["Verwendungszweck"].startswith(f"{case.application.reference} Mittelabruf 1")


def test_the_treasury_xlsx_round_trips_amounts_and_dates():
    first, second = approved_case(), approved_case()
    released(first, "1234.56")
    released(second, "99.90")

    export = payments.treasury_export("xlsx", payments.payments_for_treasury())
    workbook = load_workbook(io.BytesIO(content(export)))

    rows = list(workbook.active.iter_rows(values_only=True))
    assert list(rows[0]) == payments.TREASURY_COLUMNS
    by_reference = {row[0]: row for row in rows[1:]}
    assert Decimal(str(by_reference[first.application.reference][5])) == Decimal("1234.56")
    assert Decimal(str(by_reference[second.application.reference][5])) == Decimal("99.90")
    assert by_reference[first.application.reference][4] == "DE89370400440532013000"
    assert by_reference[first.application.reference][7].date() == timezone.localdate()
