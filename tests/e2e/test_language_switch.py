"""Switching the language keeps the person on the page they were reading."""

import pytest

pytestmark = pytest.mark.e2e


def test_switching_to_english_keeps_the_page_and_changes_the_language(page):
    page.goto("/kitz/")
    assert page.locator("html").get_attribute("lang") == "de"

    page.locator(".portal-language-switch button[value=en]").click()
    page.wait_for_url("**/en/kitz/")
    assert page.locator("html").get_attribute("lang") == "en"

    page.locator(".portal-language-switch button[value=de]").click()
    page.wait_for_url(lambda url: url.endswith("/kitz/") and "/en/" not in url)
    assert page.locator("html").get_attribute("lang") == "de"


def test_language_switch_works_with_the_keyboard(page):
    page.goto("/foerderung/")
    button = page.locator(".portal-language-switch button[value=en]")
    button.focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/en/foerderung/")
    assert page.locator("html").get_attribute("lang") == "en"
