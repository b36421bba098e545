"""An association applies in a real browser: Playwright driving Debian's chromium, headless."""

import os
import re
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from applications.models import Application, ApplicationStatus
from tests.application_helpers import (
    PDF_BYTES,
    complete_organisation,
    member_of,
    sample_programme,
)
from tests.factories import PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture(scope="module", autouse=True)
def restore_handlungsfelder(django_db_setup, django_db_blocker):
    """The live server needs a transactional database; put back what its flush removes."""
    yield
    with django_db_blocker.unblock():
        call_command("loaddata", "handlungsfelder", verbosity=0)


@pytest.fixture
def browser_page(chromium_path):
    playwright_api = pytest.importorskip("playwright.sync_api")
    # Playwright runs an event loop in this thread; the ORM calls of the test are still sync.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path, args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        yield page
        browser.close()
    os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


def test_an_association_applies_in_the_browser_and_gets_its_reference(
    live_server, browser_page, tmp_path
):
    programme = sample_programme()
    organisation = complete_organisation()
    user = member_of(organisation)
    page = browser_page
    expect = pytest.importorskip("playwright.sync_api").expect
    base = live_server.url

    page.goto(f"{base}/konto/login/")
    page.fill("#id_login", user.email)
    page.fill("#id_password", PASSWORD)
    page.click("form:has(#id_login) button[type=submit]")
    page.goto(f"{base}/antraege/beantragen/")
    page.click("text=Förderfähigkeit prüfen")

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

    page.select_option("#id_category", label="Honorare für Referierende und Trainer*innen")
    page.fill("#id_description", "Honorar Sprachtrainerin")
    page.fill("#id_quantity", "2")
    page.fill("#id_unit_price", "1.000,00")
    page.get_by_role("button", name="Hinzufügen", exact=True).click()
    assert "2.000,00" in page.inner_text("[data-testid=total-costs]")
    page.click("text=Weiter zum Finanzierungsplan")

    page.fill("#id_plan-own_funds", "200,00")
    page.fill("#id_plan-requested_amount", "1.800,00")
    expect(page.locator("[data-financing-difference]")).to_have_text(re.compile(r"^0,00\s€$"))
    page.click("text=Speichern und weiter")

    upload = tmp_path / "Kostenvoranschlag.pdf"
    upload.write_bytes(PDF_BYTES)
    page.set_input_files("#id_file", str(upload))
    page.click("main button:has-text('Hochladen')")
    expect(page.locator("main")).to_contain_text("Kostenvoranschlag.pdf")
    page.click("text=Weiter zu den Erklärungen")

    for checkbox in page.query_selector_all("main input[type=checkbox]"):
        checkbox.check()
    page.click("text=Bestätigen und weiter")
    screenshot_dir = os.environ.get("KITZ_SCREENSHOT_DIR")
    if screenshot_dir:
        page.screenshot(path=os.path.join(screenshot_dir, "antrag-zusammenfassung.png"))
    page.click("text=Antrag verbindlich absenden")
    expect(page.locator("h1")).to_contain_text("KITZ-")

    application = Application.objects.get(organisation=organisation)
    assert application.status == ApplicationStatus.SUBMITTED
    assert application.reference in page.inner_text("h1")
