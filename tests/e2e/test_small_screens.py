"""At 320 CSS pixels (WCAG 1.4.10 Reflow) and at 200 % zoom the page body never scrolls sideways;
wide tables scroll inside their own wrapper. Screenshots go to test-artifacts/."""

import pytest

from handlungsfelder.models import Handlungsfeld
from tests import factories

from .conftest import ARTIFACTS, assert_no_axe_violations, log_in

pytestmark = pytest.mark.e2e

HORIZONTAL_OVERFLOW = """() => {
  const root = document.documentElement;
  const wide = [...document.body.querySelectorAll('*')]
    .filter(el => el.getBoundingClientRect().right > root.clientWidth + 1)
    .filter(el => !el.closest('.portal-table-wrapper'))
    .map(el => el.tagName.toLowerCase() + '.' + (el.className || ''));
  return {scrollWidth: root.scrollWidth, clientWidth: root.clientWidth, wide: wide.slice(0, 10)};
}"""

# 320 px is the width WCAG names; 640 px is a 1280 px screen at 200 % zoom.
WIDTHS = [320, 640]


def assert_no_horizontal_scrolling(page, name):
    ARTIFACTS.mkdir(exist_ok=True)
    width = page.viewport_size["width"]
    page.screenshot(path=str(ARTIFACTS / f"{width}px-{name}.png"), full_page=True)
    overflow = page.evaluate(HORIZONTAL_OVERFLOW)
    assert overflow["scrollWidth"] <= overflow["clientWidth"], overflow


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("path", ["/", "/en/", "/konto/signup/", "/foerderung/"])
def test_page_has_no_horizontal_scrolling_on_small_screens(page, transactional_db, width, path):
    assert Handlungsfeld.objects.exists()
    page.set_viewport_size({"width": width, "height": 640})
    page.goto(path)
    assert_no_horizontal_scrolling(page, path.strip("/").replace("/", "-") or "start")


def test_administration_table_scrolls_inside_its_wrapper_at_320_pixels(page):
    log_in(page, factories.administrator())
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto("/handlungsfelder/verwaltung/")
    assert_no_horizontal_scrolling(page, "handlungsfelder-verwaltung")
    wrapper = page.locator(".portal-table-wrapper")
    assert wrapper.evaluate("el => getComputedStyle(el).overflowX") == "auto"
    # A scrolling region must be reachable by keyboard (axe: scrollable-region-focusable).
    assert_no_axe_violations(page)


# The WCAG width, a 1280 px screen at 200 % zoom, and that screen at 200 % zoom on a HiDPI device.
ZOOMS = [
    pytest.param(({"width": 320, "height": 640}, 1), id="320px"),
    pytest.param(({"width": 640, "height": 450}, 1), id="200pct"),
    pytest.param(({"width": 640, "height": 450}, 2), id="200pct-hidpi"),
]


@pytest.fixture
def zoomed_page(request, browser, live_server):
    """A page whose CSS viewport and device scale factor come from the test's parameters."""
    viewport, scale = request.param
    context = browser.new_context(
        base_url=live_server.url,
        locale="de-DE",
        timezone_id="Europe/Berlin",
        viewport=viewport,
        device_scale_factor=scale,
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.zoom_name = {"320px": "reflow", "200pct": "zoom200"}.get(
        request.node.callspec.id, "zoom200-hidpi"
    )
    yield page
    context.close()


def assert_wrapper_is_a_named_scroll_region(page, selector):
    wrapper = page.locator(selector).locator(
        "xpath=ancestor::div[contains(@class, 'portal-table-wrapper')][1]"
    )
    assert wrapper.evaluate("el => getComputedStyle(el).overflowX") == "auto"
    assert wrapper.get_attribute("tabindex") == "0"
    name = wrapper.evaluate(
        "el => document.getElementById(el.getAttribute('aria-labelledby')).textContent.trim()"
    )
    assert name, "the scrolling table region needs an accessible name"


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("zoomed_page", ZOOMS, indirect=True)
def test_staff_queue_is_usable_at_320_pixels_and_200_percent_zoom(zoomed_page):
    from tests.review_helpers import submitted_application

    page = zoomed_page
    application = submitted_application()
    log_in(page, factories.case_handler())
    page.goto("/antraege/kitz/eingang/")
    name = f"{page.zoom_name}-eingang"
    assert_no_horizontal_scrolling(page, name)
    assert_wrapper_is_a_named_scroll_region(page, "[data-testid=queue]")
    # The case is reachable from the narrow queue, with the filter above it.
    assert page.get_by_role("link", name=application.reference).is_visible()
    assert page.get_by_role("button", name="Filtern").is_visible()
    assert_no_axe_violations(page)

    page.get_by_role("link", name=application.reference).click()
    assert_no_horizontal_scrolling(page, f"{name}-akte")
    assert_no_axe_violations(page)


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("zoomed_page", ZOOMS, indirect=True)
def test_wizard_is_usable_at_320_pixels_and_200_percent_zoom(zoomed_page):
    from tests.application_helpers import complete_draft

    page = zoomed_page
    application = complete_draft()
    member = application.organisation.memberships.get().user
    log_in(page, member)
    for step in [
        "beantragen/",
        f"{application.pk}/projekt/",
        f"{application.pk}/kosten/",
        f"{application.pk}/finanzierung/",
        f"{application.pk}/anlagen/",
        f"{application.pk}/erklaerungen/",
        f"{application.pk}/zusammenfassung/",
    ]:
        page.goto(f"/antraege/{step}")
        assert_no_horizontal_scrolling(page, page.zoom_name + "-antrag-" + step.split("/")[-2])
    assert_wrapper_is_a_named_scroll_region(page, "table")
    assert_no_axe_violations(page)
