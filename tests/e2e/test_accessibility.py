"""Every page that exists, for every role, in German and English: zero axe violations (WCAG 2.1 AA),
exactly one h1, and a label for every visible form control."""

import pytest

from handlungsfelder.models import Handlungsfeld
from tests import factories

from .conftest import (
    assert_kern_css_loaded,
    assert_no_axe_violations,
    axe_violations,
    format_violations,
    log_in,
)

pytestmark = pytest.mark.e2e

LANGUAGES = ["", "/en"]

UNLABELLED_CONTROLS = """() => [...document.querySelectorAll('input, select, textarea')]
  .filter(el => el.type !== 'hidden' && el.type !== 'submit' && el.type !== 'button')
  .filter(el => el.offsetWidth > 0 || el.offsetHeight > 0 || el.getClientRects().length > 0)
  .filter(el => !(el.labels && el.labels.length)
                && !el.getAttribute('aria-label') && !el.getAttribute('aria-labelledby'))
  .map(el => el.outerHTML.slice(0, 120))"""


def page_problems(page):
    """Everything wrong with the page in view, as readable lines (empty when it is fine)."""
    assert_kern_css_loaded(page)
    problems = []
    violations = axe_violations(page)
    if violations:
        problems.append(format_violations(violations))
    h1_count = page.locator("h1").count()
    if h1_count != 1:
        problems.append(f"expected exactly one h1, found {h1_count}")
    unlabelled = page.evaluate(UNLABELLED_CONTROLS)
    if unlabelled:
        problems.append("form controls without a label: " + "; ".join(unlabelled))
    if not problems:
        return []
    return [f"{page.url}:\n" + "\n".join(problems)]


def assert_accessible(page):
    problems = page_problems(page)
    assert not problems, "\n\n".join(problems)


@pytest.fixture
def handlungsfelder(transactional_db):
    fields = list(Handlungsfeld.objects.order_by("order"))
    assert fields, "the data migration's Handlungsfelder are missing"
    return fields


PUBLIC_PAGES = [
    "/",
    "/kitz/",
    "/foerderung/",
    "/impressum/",
    "/datenschutz/",
    "/barrierefreiheit/",
    "/leichte-sprache/",
    "/handlungsfelder/wohnen/",
    "/konto/login/",
    "/konto/signup/",
    "/konto/password/reset/",
]


def visit(page, path, status=200):
    response = page.goto(path)
    if response.status != status:
        return [f"{path}: status {response.status}, expected {status}"]
    return page_problems(page)


def submit_empty_form(page, path):
    """Send a form without input, so the page shows its error summary and field errors."""
    page.goto(path)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    assert page.locator("[data-error-summary]").count() == 1, f"no error summary on {path}"
    return page_problems(page)


@pytest.mark.parametrize("language", LANGUAGES, ids=["de", "en"])
def test_public_pages_are_accessible(page, handlungsfelder, language):
    problems = []
    for path in PUBLIC_PAGES:
        problems += visit(page, language + path)
    problems += submit_empty_form(page, f"{language}/konto/signup/")
    problems += submit_empty_form(page, f"{language}/konto/login/")
    problems += submit_empty_form(page, f"{language}/konto/password/reset/")
    problems += visit(page, f"{language}/diese-seite-gibt-es-nicht/", status=404)

    page.goto(f"{language}/konto/password/reset/")
    page.locator("input[name=email]").fill(factories.applicant().email)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    assert "/password/reset/done/" in page.url
    problems += page_problems(page)
    assert not problems, "\n\n".join(problems)


ROLES = {
    "applicant": factories.applicant,
    "case_handler": factories.case_handler,
    "signing_authority": factories.signing_authority,
    "administrator": factories.administrator,
}

PERSONAL_PAGES = {
    "applicant": ["/", "/mein-bereich/", "/konto/password/change/", "/konto/email/", "/konto/2fa/"],
    "case_handler": ["/", "/mein-bereich/", "/mein-bereich/kitz/"],
    "signing_authority": ["/", "/mein-bereich/", "/mein-bereich/kitz/"],
    "administrator": ["/", "/mein-bereich/", "/handlungsfelder/verwaltung/"],
}


@pytest.mark.parametrize("language", LANGUAGES, ids=["de", "en"])
@pytest.mark.parametrize("role", ROLES)
def test_pages_of_each_role_are_accessible(page, handlungsfelder, role, language):
    user = ROLES[role]()
    log_in(page, user, language_prefix=language)
    problems = []
    for path in PERSONAL_PAGES[role]:
        problems += visit(page, language + path)
    if role == "applicant":
        problems += visit(page, f"{language}/mein-bereich/kitz/", status=403)
    assert not problems, "\n\n".join(problems)


@pytest.mark.parametrize("language", LANGUAGES, ids=["de", "en"])
def test_handlungsfelder_administration_is_accessible(page, handlungsfelder, language):
    log_in(page, factories.administrator(), language_prefix=language)
    field = handlungsfelder[0]
    problems = []

    problems += visit(page, f"{language}/handlungsfelder/verwaltung/neu/")
    problems += submit_empty_form(page, f"{language}/handlungsfelder/verwaltung/neu/")
    problems += visit(page, f"{language}/handlungsfelder/verwaltung/{field.pk}/bearbeiten/")
    problems += visit(page, f"{language}/handlungsfelder/verwaltung/{field.pk}/loeschen/")
    assert not problems, "\n\n".join(problems)


def test_axe_check_reports_a_real_problem_readably(page):
    """Guards the guard: a page with known faults must not pass."""
    page.goto("/kitz/")
    page.evaluate(
        """() => {
      const main = document.querySelector('main');
      main.insertAdjacentHTML('beforeend', '<img src="/static/kern/none.png">');
      main.insertAdjacentHTML('beforeend', '<p id="faint">Kaum lesbar</p>');
      document.getElementById('faint').style.color = '#ddd';
    }"""
    )
    with pytest.raises(AssertionError) as failure:
        assert_no_axe_violations(page)
    message = str(failure.value)
    assert "image-alt" in message and "color-contrast" in message
    assert '["#faint"]' in message and "[critical]" in message
