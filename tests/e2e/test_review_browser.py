"""In the browser: a case handler reviews and proposes, the lead approves, the applicant sees it."""

import pytest

from applications.models import ApplicationStatus, Decision
from tests.e2e.conftest import assert_no_axe_violations, log_in
from tests.factories import PASSWORD, case_handler, signing_authority
from tests.review_helpers import applicant_of, submitted_application

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def switch_user(page, user):
    page.context.clear_cookies()
    log_in(page, user, PASSWORD)


def test_handler_reviews_and_proposes_then_the_lead_approves(page):
    application = submitted_application()
    handler = case_handler(first_name="Jonas", last_name="Petersen")
    lead = signing_authority(first_name="Maren", last_name="Jensen")
    member = applicant_of(application)

    switch_user(page, handler)
    page.goto("/antraege/kitz/eingang/")
    assert_no_axe_violations(page)
    page.get_by_role("link", name=application.reference).click()
    page.get_by_label("Zuständige Person").select_option(str(handler.pk))
    page.get_by_role("button", name="Zuweisen").click()
    assert page.get_by_test_id("status").inner_text() == "in Prüfung"

    assert_no_axe_violations(page)
    page.get_by_role("link", name="Prüfvermerk bearbeiten").click()
    assert_no_axe_violations(page)
    for label in ["vollständig", "fristgerecht", "förderberechtigt"]:
        page.get_by_label(label, exact=False).first.check()
    for group in page.locator("fieldset").all():
        legend = group.locator("legend").inner_text()
        if legend.startswith("Finanzierungsart"):
            continue
        options = group.get_by_label("erfüllt", exact=True)
        (options if options.count() else group.get_by_label("anerkannt", exact=True)).check()
    page.get_by_role("button", name="Prüfvermerk speichern").click()

    assert page.get_by_test_id("computed-grant").inner_text() == "1.800,00\u00a0€"
    assert_no_axe_violations(page)
    page.get_by_label("Bewilligung", exact=True).check()
    page.get_by_role("button", name="Zur Entscheidung vorlegen").click()
    assert page.get_by_test_id("status").inner_text() == "zur Entscheidung vorgeschlagen"

    switch_user(page, lead)
    page.goto(f"/antraege/kitz/{application.pk}/")
    page.get_by_role("link", name="Entscheiden").click()
    assert_no_axe_violations(page)
    page.get_by_label("Bewilligung zeichnen").check()
    page.get_by_role("button", name="Entscheidung speichern").click()
    assert page.get_by_test_id("status").inner_text() == "bewilligt"

    application.refresh_from_db()
    assert application.status == ApplicationStatus.APPROVED
    decision = Decision.objects.get(application=application)
    assert (decision.reviewed_by, decision.decided_by) == (handler, lead)

    switch_user(page, member)
    page.goto(f"/antraege/{application.pk}/")
    assert page.get_by_test_id("status").inner_text() == "Bewilligt"
    assert_no_axe_violations(page)
    letter = application.letters.get()
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Zuwendungsbescheid herunterladen").first.click()
    download = download_info.value
    assert download.suggested_filename.endswith(".pdf")
    with open(download.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"
    letter.refresh_from_db()
    assert letter.first_downloaded_at is not None
