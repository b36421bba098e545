"""A coordinator plans a meeting in a real browser (Debian's chromium via Playwright)."""

import shutil
from datetime import timedelta

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from handlungsfelder.models import Handlungsfeld
from networks.models import Invitation, Meeting

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _ensure_handlungsfelder():
    if not Handlungsfeld.objects.exists():
        call_command("loaddata", "handlungsfelder", verbosity=0)


@pytest.fixture(scope="session")
def handlungsfelder_after_flush(django_db_setup, django_db_blocker):
    """Transactional tests empty the tables; later runs of a reused database need the fields."""
    yield
    with django_db_blocker.unblock():
        _ensure_handlungsfelder()


@pytest.fixture
def browser_page(live_server, monkeypatch):
    if shutil.which(CHROMIUM) is None:
        pytest.skip("needs Debian's chromium package")
    # Playwright's sync API runs an event loop in this thread; the ORM calls here stay sync.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(locale="de-DE", timezone_id="Europe/Berlin")
        page = context.new_page()
        page.set_default_timeout(15000)
        yield context, page
        context.close()
        browser.close()


def _log_in(context, live_server, user):
    client = Client()
    client.force_login(user)
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )


def test_coordinator_plans_a_meeting_and_invites_the_members(
    handlungsfelder_after_flush, live_server, browser_page
):
    _ensure_handlungsfelder()
    from tests.network_factories import network_with_people

    people = network_with_people()
    network = people["network"]
    context, page = browser_page
    _log_in(context, live_server, people["coordinator"])
    day = (timezone.localdate() + timedelta(days=30)).isoformat()

    page.goto(live_server.url + network.get_absolute_url())
    page.get_by_role("link", name="Treffen planen").click()
    assert page.locator("h1").inner_text() == "Treffen planen"

    page.get_by_label("Titel").fill("Frühjahrstreffen")
    page.get_by_label("Beginn").fill(f"{day}T14:00")
    page.get_by_label("Ende").fill(f"{day}T12:00")
    page.get_by_label("Ort").fill("Kreishaus Schleswig, Raum 120")
    page.get_by_label("Tagesordnung").fill("1. Begrüßung\n2. Sommerfest")
    page.get_by_role("button", name="Speichern").click()
    assert "Das Ende muss nach dem Beginn liegen." in page.content()
    assert not Meeting.objects.exists()

    page.get_by_label("Ende").fill(f"{day}T16:00")
    page.get_by_role("button", name="Speichern").click()
    page.wait_for_url("**/treffen/*/")
    assert page.locator("h1").inner_text() == "Frühjahrstreffen"
    meeting = Meeting.objects.get()
    assert timezone.localtime(meeting.start).strftime("%H:%M") == "14:00"

    page.get_by_role("button", name="Mitglieder einladen").click()
    page.get_by_text("Einladungen wurden verschickt").wait_for()
    assert Invitation.objects.filter(meeting=meeting, user=people["member"]).exists()

    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement !== document.body")
