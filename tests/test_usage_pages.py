"""The Verwendungsnachweis through the pages, from receipts to the closed case."""

import io
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from applications.models import ApplicationStatus, Receipt
from tests.factories import signing_authority
from tests.post_helpers import approved_case, checklist_post_data

pytestmark = pytest.mark.django_db


def d(day):
    return day.strftime("%d.%m.%Y")


def test_applicant_enters_receipts_submits_and_staff_close_the_case(client):
    case = approved_case()
    url = reverse("applications:usage_report", kwargs={"pk": case.application.pk})
    client.force_login(case.member)
    page = client.get(url)
    assert page.status_code == 200
    assert "Verwendungsnachweis einreichen" in client.get(reverse("applications:dashboard")).text
    start = case.application.decision.period_start
    fees = case.application.programme.eligible_cost_categories.get(code="fees")

    bad = client.post(
        reverse("applications:add_receipt", kwargs={"pk": case.application.pk}),
        {
            "paid_on": d(start - timedelta(days=1)),
            "payee": "Anna",
            "purpose": "Honorar",
            "category": fees.pk,
            "amount": "100,00",
        },
    )
    assert bad.context["receipt_form"].errors["paid_on"]
    client.post(
        reverse("applications:add_receipt", kwargs={"pk": case.application.pk}),
        {
            "paid_on": d(start),
            "payee": "Anna",
            "purpose": "Honorar",
            "category": fees.pk,
            "amount": "1.200,00",
        },
    )
    assert Receipt.objects.count() == 1
    empty = client.post(url, {"activities": "", "participants": "x", "publicity": "x"})
    assert empty.context["report_form"].errors["activities"]
    client.post(
        url,
        {"activities": "20 Termine", "participants": "Neuzugewanderte 35", "publicity": "Logo"},
    )

    client.force_login(case.handler)
    case_url = reverse("applications:staff_case", kwargs={"pk": case.application.pk})
    assert "Als geprüft vermerken" in client.get(case_url).text
    client.post(
        reverse("applications:staff_check_usage_report", kwargs={"pk": case.application.pk}),
        checklist_post_data(remarks="Belege vollständig"),
    )
    client.force_login(signing_authority())
    client.post(
        reverse("applications:staff_confirm_usage_report", kwargs={"pk": case.application.pk})
    )
    case.application.refresh_from_db()
    assert case.application.status == ApplicationStatus.CLOSED


def test_a_bad_import_file_shows_every_problem_at_the_field_and_keeps_nothing(client):
    case = approved_case()
    client.force_login(case.member)
    template = client.get(
        reverse(
            "applications:receipts_template",
            kwargs={"pk": case.application.pk, "file_format": "xlsx"},
        )
    )
    workbook = load_workbook(io.BytesIO(b"".join(template.streaming_content)))
    start = case.application.decision.period_start
    workbook.active.append([d(start), "Anna", "Honorar", "fees", "100,00"])
    workbook.active.append([d(start), "Bernd", "Flyer", "fees", "-5,00"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = client.post(
        reverse("applications:import_receipts", kwargs={"pk": case.application.pk}),
        {"file": SimpleUploadedFile("belege.xlsx", buffer.getvalue())},
    )
    errors = response.context["import_form"].errors["file"]
    assert any("Zeile 3, Spalte „Betrag“" in error for error in errors)
    assert not Receipt.objects.exists()
