"""In the browser: a case handler reviews and proposes, the lead approves, the applicant sees it."""

import os

import pytest

from applications.models import ApplicationStatus, Decision
from tests.factories import PASSWORD, case_handler, signing_authority
from tests.review_helpers import applicant_of, submitted_application

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture(scope="module", autouse=True)
def snapshot_for_serialized_tests(django_db_setup, django_db_blocker):
    """Later tests with serialized_rollback restore the rows as they are after this module."""
    yield
    from django.db import connection

    if getattr(connection, "_test_serialized_contents", None) is not None:
        with django_db_blocker.unblock():
            connection._test_serialized_contents = connection.creation.serialize_db_to_string()


@pytest.fixture
def review_browser(chromium_path):
    from playwright.sync_api import sync_playwright

    # Playwright keeps an event loop in this thread; the ORM calls of the test stay sync.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=chromium_path, headless=True, args=["--no-sandbox"]
            )
            yield browser
            browser.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


def logged_in_page(browser, live_server, user):
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    page.goto(f"{live_server.url}/konto/login/")
    page.fill("input[name=login]", user.email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("#inhalt button[type=submit]").last.click()
    page.wait_for_load_state()
    return page


def test_handler_reviews_and_proposes_then_the_lead_approves(review_browser, live_server):
    application = submitted_application()
    handler = case_handler(first_name="Jonas", last_name="Petersen")
    lead = signing_authority(first_name="Maren", last_name="Jensen")
    member = applicant_of(application)

    page = logged_in_page(review_browser, live_server, handler)
    page.goto(f"{live_server.url}/antraege/kitz/eingang/")
    page.get_by_role("link", name=application.reference).click()
    page.get_by_label("Zuständige Person").select_option(str(handler.pk))
    page.get_by_role("button", name="Zuweisen").click()
    assert page.get_by_test_id("status").inner_text() == "in Prüfung"

    page.get_by_role("link", name="Prüfvermerk bearbeiten").click()
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
    page.get_by_label("Bewilligung", exact=True).check()
    page.get_by_role("button", name="Zur Entscheidung vorlegen").click()
    assert page.get_by_test_id("status").inner_text() == "zur Entscheidung vorgeschlagen"

    page = logged_in_page(review_browser, live_server, lead)
    page.goto(f"{live_server.url}/antraege/kitz/{application.pk}/")
    page.get_by_role("link", name="Entscheiden").click()
    page.get_by_label("Bewilligung zeichnen").check()
    page.get_by_role("button", name="Entscheidung speichern").click()
    assert page.get_by_test_id("status").inner_text() == "bewilligt"

    application.refresh_from_db()
    assert application.status == ApplicationStatus.APPROVED
    decision = Decision.objects.get(application=application)
    assert (decision.reviewed_by, decision.decided_by) == (handler, lead)

    page = logged_in_page(review_browser, live_server, member)
    page.goto(f"{live_server.url}/antraege/{application.pk}/")
    assert page.get_by_test_id("status").inner_text() == "Bewilligt"
