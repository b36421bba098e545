"""The Mittelabruf through the pages: applicant, case handler, lead and the payouts list."""

import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from applications.models import PaymentRequest, PaymentStatus
from tests.factories import signing_authority
from tests.post_helpers import approved_case

pytestmark = pytest.mark.django_db


def d(day):
    return day.strftime("%d.%m.%Y")


def request_data(case, amount="800,00", days=20):
    start = case.application.decision.period_start
    return {"amount": amount, "period_start": d(start), "period_end": d(start + timedelta(days))}


def test_from_request_through_check_release_and_payout_to_the_budget(client):
    case = approved_case()
    url = reverse("applications:request_payment", kwargs={"pk": case.application.pk})
    client.force_login(case.member)
    detail = client.get(reverse("applications:detail", kwargs={"pk": case.application.pk}))
    assert url in detail.text
    page = client.get(url)
    assert "1.800,00" in page.text

    response = client.post(url, request_data(case), follow=True)

    assert "Ihr Mittelabruf ist beim KITZ eingegangen" in response.text
    payment = PaymentRequest.objects.get(application=case.application)
    dashboard = client.get(reverse("applications:dashboard"))
    assert "Ihr Mittelabruf über 800,00" in dashboard.text

    client.force_login(case.handler)
    case_url = reverse("applications:staff_case", kwargs={"pk": case.application.pk})
    assert "Mittelabruf 1 prüfen" in client.get(case_url).text
    client.post(
        reverse(
            "applications:staff_check_payment",
            kwargs={"pk": case.application.pk, "payment_id": payment.pk},
        ),
        {"decision": "approve"},
    )
    client.force_login(case.lead)
    client.post(
        reverse(
            "applications:staff_release_payment",
            kwargs={"pk": case.application.pk, "payment_id": payment.pk},
        )
    )
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.RELEASED

    payouts = client.get(reverse("applications:staff_payouts"))
    assert case.application.reference in payouts.text
    export = client.get(
        reverse("applications:staff_payouts_export", kwargs={"file_format": "xlsx"})
    )
    data = b"".join(export.streaming_content)
    rows = list(load_workbook(io.BytesIO(data)).active.iter_rows(values_only=True))
    assert rows[1][0] == case.application.reference
    client.post(
        reverse("applications:staff_mark_paid", kwargs={"payment_id": payment.pk}),
        {"paid_on": d(timezone.localdate())},
    )
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PAID
    budget = client.get(reverse("applications:staff_budget"))
    row = next(
        r for r in budget.context["programmes"] if r["programme"] == case.application.programme
    )
    assert str(row["paid"]) == "800.00"

    client.force_login(case.member)
    assert "1.000,00" in client.get(url).text


def test_bad_amounts_and_dates_get_a_message_at_the_field_and_nothing_is_saved(client):
    case = approved_case()
    url = reverse("applications:request_payment", kwargs={"pk": case.application.pk})
    client.force_login(case.member)
    for data, field in [
        ({**request_data(case), "amount": "zwölf"}, "amount"),
        (request_data(case, amount="1.800,01"), "amount"),
        ({**request_data(case), "period_start": "31.02.2027"}, "period_start"),
        (request_data(case, days=80), "period_end"),
    ]:
        response = client.post(url, data)
        assert response.status_code == 200
        assert response.context["form"].errors.get(field), (data, response.context["form"].errors)
    assert not PaymentRequest.objects.exists()


def test_the_checker_cannot_release_through_the_page(client):
    case = approved_case()
    lead = signing_authority()
    client.force_login(case.member)
    client.post(
        reverse("applications:request_payment", kwargs={"pk": case.application.pk}),
        request_data(case),
    )
    payment = PaymentRequest.objects.get()
    client.force_login(lead)
    kwargs = {"pk": case.application.pk, "payment_id": payment.pk}
    client.post(reverse("applications:staff_check_payment", kwargs=kwargs), {"decision": "approve"})
    response = client.post(
        reverse("applications:staff_release_payment", kwargs=kwargs), follow=True
    )
    assert "Vier-Augen-Prinzip" in response.text
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.CHECKED


def test_the_payouts_list_has_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    from applications import payments

    for _index in range(3):
        case = approved_case()
        payment = payments.request_payment(
            actor=case.member,
            application=case.application,
            amount=case.application.granted_amount,
            period_start=case.application.decision.period_start,
            period_end=case.application.decision.period_start,
        )
        payments.check_payment_request(actor=case.handler, payment=payment)
        payments.release_payment_request(actor=case.lead, payment=payment)
    client.force_login(case.handler)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("applications:staff_payouts"))
    assert response.text.count("Als ausgezahlt vermerken") == 3
    csv_export = client.get(
        reverse("applications:staff_payouts_export", kwargs={"file_format": "csv"})
    )
    data = b"".join(csv_export.streaming_content)
    assert data.startswith("\ufeff".encode())
    assert data.decode("utf-8-sig").count("\r\n") == 4
    assert (
        client.get(
            reverse("applications:staff_payouts_export", kwargs={"file_format": "pdf"})
        ).status_code
        == 404
    )
