"""The portal works with the keyboard alone, and the keyboard focus can always be seen."""

import pytest

from accounts.models import User
from tests import factories

from .conftest import assert_no_axe_violations, log_in

pytestmark = pytest.mark.e2e

ACTIVE_ELEMENT = """() => {
  const el = document.activeElement;
  return {tag: el.tagName.toLowerCase(), id: el.id, name: el.getAttribute('name') || '',
          classes: el.className || '', summary: el.hasAttribute('data-error-summary')};
}"""

FOCUS_INDICATOR = """() => {
  const el = document.activeElement;
  const style = getComputedStyle(el);
  const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
  const shadow = style.boxShadow && style.boxShadow !== 'none';
  return {outline: outline, shadow: shadow, element: el.outerHTML.slice(0, 100)};
}"""


def active(page):
    return page.evaluate(ACTIVE_ELEMENT)


def tab_to(page, name, limit=40):
    """Press Tab until the form control with this name has the focus."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if active(page)["name"] == name:
            return
    pytest.fail(f"Tab never reached the field {name!r}")


def test_skip_link_is_the_first_stop_and_moves_focus_to_the_content(page):
    page.goto("/")
    page.keyboard.press("Tab")
    focused = active(page)
    assert "portal-skip-link" in focused["classes"]
    box = page.locator(".portal-skip-link").bounding_box()
    assert box["x"] >= 0 and box["y"] >= 0, "the skip link must be visible when focused"

    page.keyboard.press("Enter")
    assert active(page)["id"] == "inhalt"
    # The next Tab continues inside the main content, not in the header.
    page.keyboard.press("Tab")
    assert page.evaluate("document.getElementById('inhalt').contains(document.activeElement)")
    assert active(page)["tag"] == "a"


def focus_stops_without_visible_focus(page, limit=80):
    """Tab through the whole page; return the stops where the focus cannot be seen."""
    invisible = []
    seen = set()
    for _ in range(limit):
        page.keyboard.press("Tab")
        if active(page)["tag"] == "body":
            break
        indicator = page.evaluate(FOCUS_INDICATOR)
        if indicator["element"] in seen:
            break
        seen.add(indicator["element"])
        if not (indicator["outline"] or indicator["shadow"]):
            invisible.append(indicator["element"])
    assert len(seen) > 5, "Tab reached hardly anything"
    return invisible


@pytest.mark.parametrize("path", ["/", "/konto/signup/"])
def test_keyboard_focus_is_visible_on_every_stop(page, path):
    page.goto(path)
    invisible = focus_stops_without_visible_focus(page)
    assert not invisible, "no visible focus on:\n" + "\n".join(invisible)


def test_keyboard_focus_is_visible_in_the_administration(page):
    log_in(page, factories.administrator())
    page.goto("/handlungsfelder/verwaltung/")
    invisible = focus_stops_without_visible_focus(page)
    assert not invisible, "no visible focus on:\n" + "\n".join(invisible)


def test_registration_can_be_completed_with_the_keyboard_alone(page):
    page.goto("/konto/signup/")
    for name, value in [
        ("first_name", "Amira"),
        ("last_name", "Haddad"),
        ("email", "amira.haddad@example.org"),
        ("password1", "Ein-gutes-Passwort-2026"),
        ("password2", "Ein-gutes-Passwort-2026"),
    ]:
        tab_to(page, name)
        page.keyboard.type(value)
    tab_to(page, "privacy_accepted")
    page.keyboard.press("Space")
    assert page.locator("input[name=privacy_accepted]").is_checked()

    page.keyboard.press("Enter")
    page.wait_for_url("**/konto/confirm-email/")
    assert User.objects.filter(email="amira.haddad@example.org", first_name="Amira").exists()
    assert_no_axe_violations(page)


def test_failed_registration_puts_the_focus_on_the_error_summary(page):
    page.goto("/konto/signup/")
    tab_to(page, "first_name")
    page.keyboard.type("Amira")
    with page.expect_navigation():
        page.keyboard.press("Enter")

    focused = active(page)
    assert focused["summary"], f"focus is on {focused}, not on the error summary"
    summary = page.locator("[data-error-summary]")
    assert summary.get_attribute("role") == "alert"
    # Each error links to its field, so the keyboard gets there in one step.
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    assert active(page)["tag"] in {"input", "select", "textarea"}
    assert not User.objects.exists()


# KERN draws the focus of stretched links (task list, cards) on their ::after box, which covers
# the whole row: that counts as the element's own focus indicator.
FOCUS_STATE = """() => {
  const el = document.activeElement;
  const drawn = style => (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0)
    || (!!style.boxShadow && style.boxShadow !== 'none');
  const visible = drawn(getComputedStyle(el)) || drawn(getComputedStyle(el, '::after'));
  return {tag: el.tagName.toLowerCase(), name: el.getAttribute('name') || '',
          value: el.value === undefined ? '' : String(el.value), type: el.type || '',
          text: (el.innerText || '').trim().replace(/\\s+/g, ' ').slice(0, 120),
          summary: el.hasAttribute('data-error-summary'), visible: visible,
          html: el.outerHTML.slice(0, 160)};
}"""


class KeyboardJourney:
    """Moves through pages with Tab, Shift+Tab, arrows, Space, Enter and typing only, and checks
    at every stop on the way that the focus can be seen."""

    def __init__(self, page):
        self.page = page
        self.stops = 0

    def focused(self):
        return self.page.evaluate(FOCUS_STATE)

    def tab_until(self, matches, what, backwards=False, limit=150):
        for _ in range(limit):
            self.page.keyboard.press("Shift+Tab" if backwards else "Tab")
            state = self.focused()
            if state["tag"] == "body":
                continue
            self.stops += 1
            assert state["visible"], f"no visible focus on {state['html']} ({self.page.url})"
            if matches(state):
                return state
        pytest.fail(f"the keyboard never reached {what} on {self.page.url}")

    def to_field(self, name, **kwargs):
        return self.tab_until(lambda s: s["name"] == name, f"the field {name!r}", **kwargs)

    def to_control(self, text, **kwargs):
        """A link or button by (the start of) its visible text."""
        return self.tab_until(
            lambda s: s["tag"] in {"a", "button"} and s["text"].startswith(text),
            f"{text!r}",
            **kwargs,
        )

    def type_into(self, name, value):
        self.to_field(name)
        self.page.keyboard.press("Control+A")
        self.page.keyboard.type(value)

    def check(self, name, value=None):
        """Tick a checkbox, or choose a radio option with the arrow keys (as a person would)."""
        state = self.to_field(name)
        if state["type"] == "radio":
            for _ in range(10):
                if value is None or self.focused()["value"] == value:
                    break
                self.page.keyboard.press("ArrowDown")
            assert self.focused()["value"] == value, f"option {value!r} of {name!r} not found"
            self.page.keyboard.press("Space")
            return
        while value is not None and state["value"] != value:
            state = self.tab_until(lambda s: s["name"] == name, f"{name}={value}")
        self.page.keyboard.press("Space")

    def choose(self, name, label):
        """Select an option of a closed <select> with the arrow keys."""
        self.to_field(name)
        selected = "el => el.options[el.selectedIndex] ? el.options[el.selectedIndex].text : ''"
        for _ in range(30):
            if self.page.evaluate(f"({selected})(document.activeElement)") == label:
                return
            self.page.keyboard.press("ArrowDown")
        pytest.fail(f"option {label!r} not in {name!r}")

    def activate(self, text, **kwargs):
        """Reach a link or button and press Enter; the next page loads."""
        self.to_control(text, **kwargs)
        with self.page.expect_navigation():
            self.page.keyboard.press("Enter")


def test_an_application_is_completed_and_submitted_with_the_keyboard_alone(page, tmp_path):
    from datetime import timedelta

    from django.utils import timezone

    from applications.models import Application, ApplicationStatus
    from handlungsfelder.models import Handlungsfeld
    from tests.application_helpers import (
        PDF_BYTES,
        complete_organisation,
        member_of,
        sample_programme,
    )

    programme = sample_programme()
    organisation = complete_organisation()
    log_in(page, member_of(organisation))
    keys = KeyboardJourney(page)

    page.goto("/antraege/beantragen/")
    keys.activate("Förderfähigkeit prüfen")

    # The check before the application: every question answered so that funding is possible.
    for criterion in programme.guideline.criteria.filter(kind="eligibility").order_by("order"):
        keys.check(criterion.code, "yes" if criterion.excluding_answer == "no" else "no")
    keys.activate("Weiter")
    assert "/projekt/" in page.url

    # A step sent half-filled: the focus lands on the error summary, whose links lead to the fields.
    keys.type_into("title", "Sprachcafé am Dom")
    keys.activate("Speichern und weiter")
    state = keys.focused()
    assert state["summary"], f"focus is on {state['html']}, not on the error summary"
    assert state["visible"], "the focused error summary must show its focus"
    keys.tab_until(lambda s: s["tag"] == "a", "the first error link")
    page.keyboard.press("Enter")
    assert keys.focused()["tag"] in {"input", "textarea", "select"}

    start = timezone.localdate() + timedelta(weeks=programme.lead_time_weeks, days=7)
    page.keyboard.press("Shift+Tab")
    keys.type_into("summary", "Wöchentliches Sprachcafé")
    keys.type_into("description", "Jeden Mittwoch wird Deutsch gesprochen.")
    keys.check("handlungsfelder", str(Handlungsfeld.objects.get(slug="sprache").pk))
    keys.type_into("target_groups", "Neuzugewanderte")
    keys.type_into("expected_participants", "25")
    keys.type_into("places", "Schleswig")
    keys.type_into("start_date", start.strftime("%d.%m.%Y"))
    keys.type_into("end_date", (start + timedelta(days=60)).strftime("%d.%m.%Y"))
    keys.activate("Speichern und weiter")
    assert "/kosten/" in page.url, page.url

    keys.choose("category", "Honorare für Referierende und Trainer*innen")
    keys.type_into("description", "Honorar Sprachtrainerin")
    keys.type_into("quantity", "2")
    keys.type_into("unit_price", "1.000,00")
    keys.activate("Hinzufügen")
    assert "2.000,00" in page.inner_text("[data-testid=total-costs]")
    keys.activate("Weiter zum Finanzierungsplan")

    keys.type_into("plan-own_funds", "200,00")
    keys.type_into("plan-requested_amount", "1.800,00")
    keys.activate("Speichern und weiter")
    assert "/anlagen/" in page.url, page.url

    upload = tmp_path / "Kostenvoranschlag.pdf"
    upload.write_bytes(PDF_BYTES)
    keys.to_field("file")
    # Choosing a file opens the system dialog; Playwright fills it for the focused input.
    page.locator(":focus").set_input_files(str(upload))
    keys.type_into("description", "Kostenvoranschlag Sprachtrainerin")
    keys.activate("Hochladen")
    assert "Kostenvoranschlag.pdf" in page.inner_text("main")
    keys.activate("Weiter zu den Erklärungen")

    for criterion in programme.guideline.criteria.filter(kind="declaration").order_by("order"):
        keys.check(criterion.code)
    keys.activate("Bestätigen und weiter")
    assert "/zusammenfassung/" in page.url, page.url

    keys.activate("Antrag verbindlich absenden")
    application = Application.objects.get(organisation=organisation)
    assert application.status == ApplicationStatus.SUBMITTED
    assert application.reference in page.inner_text("h1")
    assert application.attachments.count() == 1
    assert keys.stops > 40
