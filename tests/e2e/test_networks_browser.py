"""A coordinator plans a meeting in a real browser (Debian's chromium via Playwright)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from networks.models import Invitation, Meeting
from tests.e2e.conftest import assert_no_axe_violations, log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_coordinator_plans_a_meeting_and_invites_the_members(page):
    from tests.network_factories import network_with_people

    people = network_with_people()
    network = people["network"]
    log_in(page, people["coordinator"])
    day = (timezone.localdate() + timedelta(days=30)).isoformat()

    page.goto(network.get_absolute_url())
    assert_no_axe_violations(page)
    page.get_by_role("link", name="Treffen planen").click()
    assert page.locator("h1").inner_text() == "Treffen planen"

    page.get_by_label("Titel").fill("Frühjahrstreffen")
    page.get_by_label("Beginn").fill(f"{day}T14:00")
    page.get_by_label("Ende").fill(f"{day}T12:00")
    page.get_by_label("Ort").fill("Kreishaus Schleswig, Raum 120")
    page.get_by_label("Tagesordnung").fill("1. Begrüßung\n2. Sommerfest")
    page.get_by_role("button", name="Speichern").click()
    assert "Das Ende muss nach dem Beginn liegen." in page.content()
    assert_no_axe_violations(page)
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
    assert_no_axe_violations(page)

    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement !== document.body")
