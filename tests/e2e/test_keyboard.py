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
