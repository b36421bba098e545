"""An association applies in a real browser: Playwright driving Debian's chromium, headless."""

import os
import re
from datetime import timedelta

import pytest
from django.utils import timezone

from applications.models import Application, ApplicationStatus
from tests.application_helpers import (
    PDF_BYTES,
    complete_organisation,
    member_of,
    sample_programme,
)
from tests.e2e.conftest import assert_no_axe_violations, log_in
from tests.factories import PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_an_association_applies_in_the_browser_and_gets_its_reference(page, tmp_path):
    programme = sample_programme()
    organisation = complete_organisation()
    user = member_of(organisation)
    from playwright.sync_api import expect

    log_in(page, user, PASSWORD)
    page.goto("/antraege/beantragen/")
    assert_no_axe_violations(page)
    page.click("text=Förderfähigkeit prüfen")
    assert_no_axe_violations(page)

    for criterion in programme.guideline.criteria.filter(kind="eligibility"):
        answer = "yes" if criterion.excluding_answer == "no" else "no"
        page.check(f"input[name='{criterion.code}'][value='{answer}']")
    page.click("main button[type=submit]")

    start = timezone.localdate() + timedelta(weeks=programme.lead_time_weeks, days=7)
    page.fill("#id_title", "Sprachcafé am Dom")
    page.fill("#id_summary", "Wöchentliches Sprachcafé")
    page.fill("#id_description", "Jeden Mittwoch wird Deutsch gesprochen.")
    page.get_by_label("Sprache", exact=True).check()
    page.fill("#id_target_groups", "Neuzugewanderte")
    page.fill("#id_expected_participants", "25")
    page.fill("#id_places", "Schleswig")
    page.fill("#id_start_date", start.strftime("%d.%m.%Y"))
    page.fill("#id_end_date", (start + timedelta(days=60)).strftime("%d.%m.%Y"))
    page.click("text=Speichern und weiter")
    assert_no_axe_violations(page)

    page.select_option("#id_category", label="Honorare für Referierende und Trainer*innen")
    page.fill("#id_description", "Honorar Sprachtrainerin")
    page.fill("#id_quantity", "2")
    page.fill("#id_unit_price", "1.000,00")
    page.get_by_role("button", name="Hinzufügen", exact=True).click()
    assert "2.000,00" in page.inner_text("[data-testid=total-costs]")
    assert_no_axe_violations(page)
    page.click("text=Weiter zum Finanzierungsplan")

    page.fill("#id_plan-own_funds", "200,00")
    page.fill("#id_plan-requested_amount", "1.800,00")
    expect(page.locator("[data-financing-difference]")).to_have_text(re.compile(r"^0,00\s€$"))
    assert_no_axe_violations(page)
    page.click("text=Speichern und weiter")

    upload = tmp_path / "Kostenvoranschlag.pdf"
    upload.write_bytes(PDF_BYTES)
    page.set_input_files("#id_file", str(upload))
    page.click("main button:has-text('Hochladen')")
    expect(page.locator("main")).to_contain_text("Kostenvoranschlag.pdf")
    assert_no_axe_violations(page)
    page.click("text=Weiter zu den Erklärungen")
    assert_no_axe_violations(page)

    for checkbox in page.query_selector_all("main input[type=checkbox]"):
        checkbox.check()
    page.click("text=Bestätigen und weiter")
    screenshot_dir = os.environ.get("KITZ_SCREENSHOT_DIR")
    if screenshot_dir:
        page.screenshot(path=os.path.join(screenshot_dir, "antrag-zusammenfassung.png"))
    assert_no_axe_violations(page)
    page.click("text=Antrag verbindlich absenden")
    expect(page.locator("h1")).to_contain_text("KITZ-")

    application = Application.objects.get(organisation=organisation)
    assert application.status == ApplicationStatus.SUBMITTED
    assert application.reference in page.inner_text("h1")
    assert_no_axe_violations(page)
    page.goto("/antraege/")
    assert_no_axe_violations(page)
