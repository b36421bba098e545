"""Arabic, Farsi and Dari read right to left: the page mirrors, numbers and IBANs do not."""

import pytest

from tests.application_helpers import complete_organisation, member_of, sample_programme
from tests.factories import PASSWORD

from .conftest import ARTIFACTS, assert_no_axe_violations, log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

NAV_EDGES = """() => {
  const link = document.querySelector('.portal-nav__list li a');
  const list = document.querySelector('.portal-nav__list');
  const style = getComputedStyle(list);
  const box = list.getBoundingClientRect();
  return {
    linkLeft: link.getBoundingClientRect().left,
    linkRight: link.getBoundingClientRect().right,
    contentLeft: box.left + parseFloat(style.paddingLeft),
    contentRight: box.right - parseFloat(style.paddingRight),
  };
}"""


def direction(locator):
    return locator.evaluate("el => getComputedStyle(el).direction")


def assert_mirrored_navigation(page):
    edges = page.evaluate(NAV_EDGES)
    assert abs(edges["contentRight"] - edges["linkRight"]) <= 2, edges
    assert edges["linkLeft"] - edges["contentLeft"] > 100, edges


def assert_no_horizontal_scrolling(page):
    widths = page.evaluate(
        "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert widths[0] <= widths[1], widths


def screenshot(page, name):
    assert_no_horizontal_scrolling(page)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"rtl-{name}.png"), full_page=True)


@pytest.mark.parametrize("language", ["ar", "fa", "fa-af"])
def test_start_page_reads_right_to_left(page, language):
    page.goto(f"/{language}/")
    html = page.locator("html")
    assert html.get_attribute("dir") == "rtl"
    assert html.get_attribute("lang") == language
    assert direction(page.locator("body")) == "rtl"
    assert_mirrored_navigation(page)
    assert_no_axe_violations(page)
    screenshot(page, f"start-{language}")


def test_german_start_page_keeps_the_navigation_on_the_left(page):
    page.goto("/")
    assert page.locator("html").get_attribute("dir") == "ltr"
    edges = page.evaluate(NAV_EDGES)
    assert abs(edges["linkLeft"] - edges["contentLeft"]) <= 2, edges


def test_application_wizard_in_arabic_mirrors_but_keeps_amounts_left_to_right(page):
    sample_programme()
    organisation = complete_organisation()
    user = member_of(organisation)
    log_in(page, user, PASSWORD, language_prefix="/ar")
    page.goto("/ar/antraege/beantragen/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert_mirrored_navigation(page)
    amounts = page.locator("main bdi.portal-ltr")
    assert amounts.count() >= 3
    for index in range(amounts.count()):
        amount = amounts.nth(index)
        assert amount.get_attribute("dir") == "ltr"
        assert direction(amount) == "ltr"
        assert amount.inner_text().rstrip().endswith("€")
    assert_no_axe_violations(page)
    screenshot(page, "wizard-programmes-ar")

    page.locator("main .kern-card__footer a").first.click()
    page.wait_for_url("**/ar/antraege/beantragen/*/vorpruefung/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert_no_axe_violations(page)
    screenshot(page, "wizard-eligibility-ar")


def test_iban_stays_left_to_right_on_the_arabic_organisation_page(page):
    organisation = complete_organisation()
    user = member_of(organisation)
    log_in(page, user, PASSWORD, language_prefix="/ar")
    page.goto(f"/ar/mein-bereich/organisation/{organisation.pk}/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    iban = page.locator("main .portal-ltr", has_text="DE89")
    assert direction(iban) == "ltr"
    assert_no_axe_violations(page)
    screenshot(page, "organisation-ar")
    page.goto(f"/ar/mein-bereich/organisation/{organisation.pk}/bearbeiten/")
    assert direction(page.locator("input[name=iban]")) == "ltr"


def test_arabic_start_page_fits_a_small_screen(page):
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto("/ar/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    screenshot(page, "start-ar-320px")
