"""The Widerruf through the pages: Anhörung, Stellungnahme, decision, Rückforderung."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from applications.models import (
    ApplicationStatus,
    Attachment,
    Repayment,
    RepaymentReceipt,
    RevocationProcedure,
    RevocationStatus,
)
from tests.application_helpers import PDF_BYTES
from tests.factories import administrator
from tests.revocation_helpers import let_deadline_pass, paid_case, revoked_case, start_hearing

pytestmark = pytest.mark.django_db


def d(day):
    return day.strftime("%d.%m.%Y")


def url(name, case, **kwargs):
    return reverse(f"applications:{name}", kwargs={"pk": case.application.pk, **kwargs})


def field_errors(response, form="form"):
    return response.context[form].errors


def test_from_hearing_through_answer_and_decision_to_the_closed_case(client):
    case = paid_case("1000.00")
    client.force_login(case.handler)
    case_page = client.get(url("staff_case", case))
    assert url("staff_start_hearing", case) in case_page.text

    response = client.post(
        url("staff_start_hearing", case),
        {
            "scope": "partial",
            "amount": "400,00",
            "reason": "Die Veranstaltung im Mai hat nicht stattgefunden.",
            "answer_due_on": d(timezone.localdate() + timedelta(days=14)),
        },
        follow=True,
    )
    assert "Die Anhörung ist eingeleitet" in response.text
    procedure = RevocationProcedure.objects.get()

    client.force_login(case.member)
    dashboard = client.get(reverse("applications:dashboard"))
    assert "Zur Anhörung Stellung nehmen" in dashboard.text
    detail = client.get(url("detail", case))
    assert url("answer_hearing", case) in detail.text
    letter = client.get(url("hearing_letter", case, procedure_id=procedure.pk))
    assert letter["Content-Type"] == "application/pdf"
    response = client.post(
        url("answer_hearing", case),
        {
            "answer": "Die Veranstaltung wurde in den Juni verschoben.",
            "file": SimpleUploadedFile("nachweis.pdf", PDF_BYTES),
        },
        follow=True,
    )
    assert "Ihre Stellungnahme ist beim KITZ eingegangen" in response.text
    assert (
        "Nichts zu tun – das KITZ entscheidet" in client.get(reverse("applications:dashboard")).text
    )

    client.force_login(case.handler)
    response = client.post(
        url("staff_propose_revocation", case),
        {"outcome": "revoke", "amount": "400,00", "due_on": "", "reasoning": "Zweck verfehlt."},
        follow=True,
    )
    assert "zeichnungsbefugten Person vor" in response.text
    decide = client.get(url("staff_decide_revocation", case))
    assert decide.status_code == 403  # the case handler has no signing authority

    client.force_login(case.lead)
    page = client.get(url("staff_decide_revocation", case))
    assert "Prozentpunkte über dem jeweiligen Basiszinssatz" in page.text
    response = client.post(url("staff_decide_revocation", case), {"decision": "approve"})
    assert response.status_code == 302
    case.application.refresh_from_db()
    assert case.application.status == ApplicationStatus.REVOKED

    client.force_login(case.member)
    dashboard = client.get(reverse("applications:dashboard"))
    assert "Rückforderung über 400,00" in dashboard.text
    detail = client.get(url("detail", case))
    assert "Widerrufsbescheid" in detail.text
    assert f"{case.application.reference} Rückforderung" in detail.text

    client.force_login(case.handler)
    client.post(
        url("staff_record_repayment", case),
        {"received_on": d(timezone.localdate()), "amount": "400,00"},
    )
    case.application.refresh_from_db()
    assert case.application.status == ApplicationStatus.CLOSED
    client.force_login(case.member)
    assert "Nichts mehr zu tun" in client.get(reverse("applications:dashboard")).text


def test_bad_hearing_input_is_shown_at_the_field_and_nothing_is_saved(client):
    case = paid_case("1000.00")
    client.force_login(case.handler)
    response = client.post(
        url("staff_start_hearing", case),
        {
            "scope": "partial",
            "amount": "1.200,00",
            "reason": "Zweck verfehlt",
            "answer_due_on": d(timezone.localdate() + timedelta(days=14)),
        },
    )
    assert response.status_code == 200
    assert "1.000,00" in field_errors(response)["amount"][0]
    response = client.post(
        url("staff_start_hearing", case),
        {
            "scope": "partial",
            "amount": "100",
            "reason": "Zweck verfehlt",
            "answer_due_on": d(timezone.localdate() + timedelta(days=3)),
        },
    )
    assert "mindestens 7 Tage" in field_errors(response)["answer_due_on"][0]
    response = client.post(url("staff_start_hearing", case), {"scope": "partial", "amount": "x"})
    assert "Betrag in Euro" in field_errors(response)["amount"][0]
    assert "reason" in field_errors(response)
    assert not RevocationProcedure.objects.exists()


def test_a_file_that_is_not_a_document_is_refused_at_the_field(client):
    case = paid_case()
    start_hearing(case)
    client.force_login(case.member)
    response = client.post(
        url("answer_hearing", case),
        {"answer": "Siehe Anlage", "file": SimpleUploadedFile("programm.pdf", b"MZ\x90\x00")},
    )
    assert response.status_code == 200
    assert "Dateityp ist nicht erlaubt" in field_errors(response)["file"][0]
    assert RevocationProcedure.objects.get().answered_at is None
    assert not Attachment.objects.filter(application=case.application).exists()


def test_after_the_deadline_the_answer_page_refuses_with_the_reason(client):
    case = paid_case()
    procedure = let_deadline_pass(start_hearing(case))
    client.force_login(case.member)
    page = client.get(url("answer_hearing", case))
    assert "abgelaufen" in page.text
    assert "Stellungnahme senden" not in page.text
    response = client.post(url("answer_hearing", case), {"answer": "Zu spät"})
    assert "abgelaufen" in response.text
    assert d(procedure.answer_due_on) in response.text
    assert RevocationProcedure.objects.get().answered_at is None


def test_bad_proposal_input_is_shown_at_the_field(client):
    case = paid_case("1000.00")
    let_deadline_pass(start_hearing(case))
    client.force_login(case.handler)
    response = client.post(
        url("staff_propose_revocation", case),
        {"outcome": "revoke", "amount": "1.000,01", "reasoning": "Zweck verfehlt."},
    )
    assert "1.000,00" in field_errors(response)["amount"][0]
    response = client.post(
        url("staff_propose_revocation", case),
        {"outcome": "revoke", "amount": "100", "due_on": "31.02.2027", "reasoning": "x"},
    )
    assert "due_on" in field_errors(response)
    assert RevocationProcedure.objects.get().status == RevocationStatus.HEARING


def test_bad_repayment_input_is_shown_at_the_field_on_the_case_page(client):
    case = revoked_case(amount="400.00")
    client.force_login(case.handler)
    response = client.post(
        url("staff_record_repayment", case),
        {"received_on": d(timezone.localdate()), "amount": "500,00"},
    )
    assert response.status_code == 200
    assert "400,00" in field_errors(response, "repayment_form")["amount"][0]
    response = client.post(
        url("staff_record_repayment", case), {"received_on": "gestern", "amount": "10"}
    )
    assert "received_on" in field_errors(response, "repayment_form")
    assert not RepaymentReceipt.objects.exists()


def test_overdue_repayments_show_on_the_case_page_and_the_list(client):
    case = revoked_case()
    Repayment.objects.update(due_on=timezone.localdate() - timedelta(days=2))
    client.force_login(case.handler)
    assert 'data-testid="repayment-overdue"' in client.get(url("staff_case", case)).text
    listing = client.get(reverse("applications:staff_repayments"))
    assert case.application.reference in listing.text
    assert "überfällig" in listing.text


def test_administrators_set_the_interest_points_of_a_programme(client):
    case = paid_case()
    programme = case.application.programme
    client.force_login(administrator())
    edit = reverse("administration:programme_edit", kwargs={"pk": programme.pk})
    form = client.get(edit)
    assert "repayment_interest_points" in form.text
    data = {
        key: value
        for key, value in form.context["form"].initial.items()
        if value is not None and value is not False and key != "eligible_cost_categories"
    }
    data.update(
        {
            "opens_on": programme.opens_on.isoformat(),
            "closes_on": programme.closes_on.isoformat(),
            "eligible_cost_categories": list(
                programme.eligible_cost_categories.values_list("pk", flat=True)
            ),
            "min_grant": str(programme.min_grant).replace(".", ","),
            "max_grant": str(programme.max_grant).replace(".", ","),
            "volunteer_hourly_rate": str(programme.volunteer_hourly_rate).replace(".", ","),
            "max_investment_per_item": str(programme.max_investment_per_item).replace(".", ","),
        }
    )
    bad = client.post(edit, {**data, "repayment_interest_points": "-1"})
    assert bad.status_code == 200
    assert "repayment_interest_points" in bad.context["form"].errors
    programme.refresh_from_db()
    assert programme.repayment_interest_points == Decimal("5.00")
    good = client.post(edit, {**data, "repayment_interest_points": "3"})
    assert good.status_code == 302, good.context["form"].errors
    programme.refresh_from_db()
    assert programme.repayment_interest_points == Decimal("3.00")
