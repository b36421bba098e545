"""At 320 CSS pixels (WCAG 1.4.10 Reflow) the page body never scrolls sideways."""

import pytest

from handlungsfelder.models import Handlungsfeld

from .conftest import ARTIFACTS

pytestmark = pytest.mark.e2e

HORIZONTAL_OVERFLOW = """() => {
  const root = document.documentElement;
  const wide = [...document.body.querySelectorAll('*')]
    .filter(el => el.getBoundingClientRect().right > root.clientWidth + 1)
    .filter(el => !el.closest('.portal-table-wrapper'))
    .map(el => el.tagName.toLowerCase() + '.' + (el.className || ''));
  return {scrollWidth: root.scrollWidth, clientWidth: root.clientWidth, wide: wide.slice(0, 10)};
}"""


@pytest.fixture
def narrow_page(page):
    page.set_viewport_size({"width": 320, "height": 640})
    return page


@pytest.mark.parametrize("path", ["/", "/en/", "/konto/signup/", "/foerderung/"])
def test_page_has_no_horizontal_scrolling_at_320_pixels(narrow_page, transactional_db, path):
    assert Handlungsfeld.objects.exists()
    narrow_page.goto(path)
    ARTIFACTS.mkdir(exist_ok=True)
    name = path.strip("/").replace("/", "-") or "start"
    narrow_page.screenshot(path=str(ARTIFACTS / f"320px-{name}.png"), full_page=True)
    overflow = narrow_page.evaluate(HORIZONTAL_OVERFLOW)
    assert overflow["scrollWidth"] <= overflow["clientWidth"], overflow
