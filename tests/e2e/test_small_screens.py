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
