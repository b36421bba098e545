"""In the browser: the applicant asks for a change, a mistake is shown at its field, two KITZ
people decide and the applicant downloads the Änderungsbescheid."""

import pytest

from applications.models import AmendmentRequest, AmendmentStatus
from tests.e2e.conftest import assert_no_axe_violations, log_in
from tests.factories import PASSWORD
from tests.post_helpers import approved_case

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def switch_user(page, user):
    page.context.clear_cookies()
    log_in(page, user, PASSWORD)


def test_applicant_asks_for_a_change_and_gets_the_amendment_letter(page):
    case = approved_case()
    application = case.application
    start = application.decision.period_start.strftime("%d.%m.%Y")

    switch_user(page, case.member)
    page.goto(f"/antraege/{application.pk}/")
    page.get_by_role("link", name="Änderung beantragen").click()
    assert_no_axe_violations(page)
    assert page.locator("h1").count() == 1
    page.get_by_label("Bewilligungszeitraum bis").fill("01.01.2020")
    page.get_by_label("Begründung der Änderung").fill("Weniger Termine als geplant.")
    page.get_by_role("button", name="Änderung beantragen").click()
    assert page.locator("[data-error-summary]").is_visible()
    assert page.locator("#id_new_end[aria-invalid=true]").count() == 1
    assert_no_axe_violations(page)
    assert not AmendmentRequest.objects.exists()

    page.get_by_label("Bewilligungszeitraum bis").fill(start)
    page.get_by_label("Einzelpreis in Euro").first.fill("1.500,00")
    page.get_by_label("Beantragte Förderung in Euro").fill("1.300,00")
    page.get_by_role("button", name="Änderung beantragen").click()
    assert page.get_by_text("Ihr Änderungsantrag ist beim KITZ eingegangen.").is_visible()
    assert_no_axe_violations(page)
    amendment = AmendmentRequest.objects.get()

    switch_user(page, case.handler)
    page.goto(f"/antraege/kitz/{application.pk}/aenderung/{amendment.pk}/")
    assert_no_axe_violations(page)
    page.get_by_label("Änderung bewilligen", exact=True).check()
    page.get_by_role("button", name="Prüfvermerk speichern").click()

    switch_user(page, case.lead)
    page.goto(f"/antraege/kitz/{application.pk}/aenderung/{amendment.pk}/")
    assert_no_axe_violations(page)
    page.get_by_label("Änderung bewilligen und Änderungsbescheid erlassen").check()
    page.get_by_role("button", name="Entscheidung speichern").click()
    amendment.refresh_from_db()
    assert amendment.status == AmendmentStatus.APPROVED

    switch_user(page, case.member)
    page.goto(f"/antraege/{application.pk}/")
    assert page.get_by_text("Änderungsbescheid").first.is_visible()
