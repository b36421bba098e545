"""In the browser, from the Bescheid to the closed case: Mittelabruf, payout, proof of use."""

import io
from datetime import timedelta

import pytest
from django.utils import timezone
from pypdf import PdfWriter

from applications.models import (
    ApplicationStatus,
    PaymentRequest,
    PaymentStatus,
    UsageReport,
    UsageReportStatus,
)
from tests.e2e.conftest import assert_no_axe_violations, log_in
from tests.factories import PASSWORD, signing_authority
from tests.post_helpers import approved_case

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def switch_user(page, user):
    page.context.clear_cookies()
    log_in(page, user, PASSWORD)


def d(day):
    return day.strftime("%d.%m.%Y")


def flyer_pdf():
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def test_from_payment_request_to_the_closed_case(page):
    case = approved_case()
    application = case.application
    decision = application.decision
    second_signer = signing_authority(first_name="Maren", last_name="Jensen")
    case_url = f"/antraege/kitz/{application.pk}/"

    # The applicant asks for money.
    switch_user(page, case.member)
    page.goto(f"/antraege/{application.pk}/mittelabruf/")
    assert_no_axe_violations(page)
    page.get_by_label("Betrag").fill("800,00")
    page.get_by_label("Benötigt für Ausgaben vom").fill(d(decision.period_start))
    page.get_by_label("bis", exact=True).fill(d(decision.period_start + timedelta(days=20)))
    page.get_by_role("button", name="Mittel abrufen").click()
    assert page.get_by_text("Ihr Mittelabruf ist beim KITZ eingegangen").is_visible()
    payment = PaymentRequest.objects.get(application=application)

    # The case handler checks; a missing result is shown at the field first.
    switch_user(page, case.handler)
    page.goto(case_url)
    page.get_by_role("button", name="Prüfung speichern").click()
    assert page.locator(f"#id_check{payment.pk}_decision-error").is_visible()
    assert_no_axe_violations(page)
    page.get_by_label("In Ordnung – zur Freigabe").check()
    page.get_by_role("button", name="Prüfung speichern").click()
    assert page.get_by_text("Die Prüfung des Mittelabrufs ist gespeichert").is_visible()

    # A second person with signing authority releases it.
    switch_user(page, case.lead)
    page.goto(case_url)
    page.get_by_role("button", name="Mittelabruf 1 zur Auszahlung freigeben").click()
    assert page.get_by_text("Der Mittelabruf ist zur Auszahlung freigegeben").is_visible()

    # The treasury list is downloaded and the payout recorded.
    page.goto("/antraege/kitz/auszahlungen/")
    assert_no_axe_violations(page)
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Liste als CSV herunterladen").click()
    download = download_info.value
    with open(download.path(), encoding="utf-8-sig") as exported:
        assert application.reference in exported.read()
    page.get_by_label("Ausgezahlt am").fill(d(timezone.localdate()))
    page.get_by_role("button", name="Als ausgezahlt vermerken").click()
    assert page.get_by_text("Die Auszahlung ist vermerkt").is_visible()
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PAID

    # The applicant enters a receipt, adds a flyer and submits the Verwendungsnachweis.
    switch_user(page, case.member)
    page.goto(f"/antraege/{application.pk}/verwendungsnachweis/")
    assert_no_axe_violations(page)
    fees = application.programme.eligible_cost_categories.get(code="fees")
    page.get_by_label("Datum").fill(d(decision.period_start))
    page.get_by_label("Zahlungsempfänger").fill("Sprachtrainerin A. Hansen")
    page.get_by_label("Zweck").fill("Honorar, 20 Termine")
    page.get_by_label("Kostenart", exact=True).select_option(str(fees.pk))
    page.get_by_label("Betrag", exact=True).fill("1.200,00")
    page.get_by_role("button", name="Beleg hinzufügen").click()
    assert page.get_by_text("Der Beleg ist erfasst").is_visible()
    page.locator("#id_attachment-file").set_input_files(
        {"name": "Flyer.pdf", "mimeType": "application/pdf", "buffer": flyer_pdf()}
    )
    page.locator("#id_attachment-description").fill("Flyer mit dem Logo des Kreises")
    page.get_by_role("button", name="Anlage hochladen").click()
    assert (
        page.get_by_test_id("usage-attachments").get_by_role("link", name="Flyer.pdf").is_visible()
    )
    assert_no_axe_violations(page)
    page.get_by_label("Sachbericht: Was ist geschehen?").fill("20 Nachmittage Sprachcafé")
    page.get_by_label("Erreichte Teilnehmende je Zielgruppe").fill("Neuzugewanderte: 35")
    page.get_by_label("Wie haben Sie den Kreis als Förderer genannt?").fill("Logo auf dem Flyer")
    page.get_by_role("button", name="Verwendungsnachweis einreichen").click()
    assert page.get_by_test_id("usage-status").inner_text() == "eingereicht"

    # The case handler checks along the checklist.
    switch_user(page, case.handler)
    page.goto(case_url)
    assert (
        page.get_by_test_id("usage-attachments").get_by_role("link", name="Flyer.pdf").is_visible()
    )
    for group in page.locator("#usage-heading ~ form fieldset").all():
        group.get_by_label("erfüllt", exact=True).check()
    page.get_by_label("Prüfvermerk zum Verwendungsnachweis").fill("Belege vollständig.")
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Als geprüft vermerken").click()
    assert page.get_by_text("eine zweite Person bestätigt").is_visible()

    # A second person with signing authority sees the checklist and closes the case.
    switch_user(page, second_signer)
    page.goto(case_url)
    checklist = page.get_by_test_id("usage-checklist")
    assert checklist.get_by_text("Kreis als Förderer genannt").is_visible()
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Prüfergebnis bestätigen und Fall abschließen").click()
    assert page.get_by_test_id("status").inner_text() == "abgeschlossen"

    report = UsageReport.objects.get(application=application)
    assert report.status == UsageReportStatus.ACCEPTED
    assert (report.checked_by, report.confirmed_by) == (case.handler, second_signer)

    # The applicant sees the case closed.
    switch_user(page, case.member)
    page.goto(f"/antraege/{application.pk}/")
    assert page.get_by_test_id("status").inner_text() == "Abgeschlossen"
    assert_no_axe_violations(page)
    application.refresh_from_db()
    assert application.status == ApplicationStatus.CLOSED
