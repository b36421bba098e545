"""Browser tests: Playwright (sync API) with Debian's chromium against pytest-django's live server.

The live server serves static files through django.contrib.staticfiles, so KERN's CSS is loaded
and axe can judge colour contrast on the real rendering.
"""

import json
import os
import re
import shutil
from pathlib import Path

import pytest
from django.conf import settings

from tests.conftest import require
from tests.factories import PASSWORD

# Playwright's sync API keeps an event loop in the main thread; the ORM calls of the tests
# (factories, assertions) run there too and are not concurrent with it.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
AXE_SCRIPT = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
ARTIFACTS = Path(settings.BASE_DIR) / "test-artifacts"
VIEWPORT = {"width": 1280, "height": 900}


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture(scope="session")
def chromium_executable():
    path = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
    require(shutil.which(path) is not None, "needs Debian's chromium package")
    require(AXE_SCRIPT.exists(), "needs axe-core from npm (npm install)")
    return shutil.which(path)


@pytest.fixture(scope="session")
def browser(chromium_executable, django_db_setup):
    from django.db import connections
    from playwright.sync_api import sync_playwright

    # While Playwright's event loop runs, asgiref hands the main thread a fresh set of database
    # connections; keep the ones the test database was set up (and serialised) with.
    set_up_connections = {alias: connections[alias] for alias in connections}
    with sync_playwright() as playwright:
        for alias, connection in set_up_connections.items():
            connections[alias] = connection
        browser = playwright.chromium.launch(
            executable_path=chromium_executable, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def migration_data_left_in_place(django_db_setup, django_db_blocker):
    """The last flush would leave the reused test database (--reuse-db) without the rows of the
    data migrations, and the next run would start without them: put them back at the end."""
    yield
    from django.core.management import call_command
    from django.db import connection

    contents = getattr(connection, "_test_serialized_contents", None)
    if contents:
        with django_db_blocker.unblock():
            # Other transactional tests flush with post_migrate, which recreates content types.
            call_command("flush", interactive=False, inhibit_post_migrate=True, verbosity=0)
            connection.creation.deserialize_db_from_string(contents)


@pytest.fixture(autouse=True)
def keep_migration_data(migration_data_left_in_place, django_db_serialized_rollback):
    """The live server needs flushed (transactional) tests; every test gets the data migrations'
    rows (the nine Handlungsfelder …) back, as on a freshly migrated database."""


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Logging in through the form happens in almost every test; PBKDF2 would dominate the run."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def page(request, browser, live_server):
    context = browser.new_context(
        base_url=live_server.url,
        locale="de-DE",
        timezone_id="Europe/Berlin",
        viewport=VIEWPORT,
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:
        ARTIFACTS.mkdir(exist_ok=True)
        name = re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.nodeid)[-150:]
        page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
    context.close()


def log_in(page, user, password=PASSWORD, language_prefix=""):
    """Log in through the real login form, as a person would."""
    page.goto(f"{language_prefix}/konto/login/")
    page.locator("input[name=login]").fill(user.email)
    page.locator("input[name=password]").fill(password)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").first.click()
    assert "/konto/login/" not in page.url, f"login as {user.email} failed"


def assert_kern_css_loaded(page):
    """axe judges contrast on the rendered page: without KERN's CSS it would judge the wrong one."""
    font = page.evaluate("getComputedStyle(document.body).fontFamily")
    assert "Fira Sans" in font, f"KERN's stylesheet is not applied on {page.url} (font: {font})"


def axe_violations(page):
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        # Evaluated through the debugging protocol: the page's strict CSP stays in force.
        page.evaluate(AXE_SCRIPT.read_text(encoding="utf-8"))
    # resultTypes only trims the passes/incomplete lists (speed); every rule still runs.
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags},"
        " resultTypes: ['violations']})",
        AXE_TAGS,
    )
    return result["violations"]


def format_violations(violations):
    lines = []
    for violation in violations:
        lines.append(f"[{violation['impact']}] {violation['id']}: {violation['help']}")
        lines.append(f"    {violation['helpUrl']}")
        for node in violation["nodes"][:10]:
            lines.append(f"    - {json.dumps(node['target'])}")
            summary = (node.get("failureSummary") or "").replace("\n", " ")
            if summary:
                lines.append(f"      {summary[:300]}")
    return "\n".join(lines)


def assert_no_axe_violations(page):
    assert_kern_css_loaded(page)
    violations = axe_violations(page)
    assert not violations, f"axe found problems on {page.url}:\n{format_violations(violations)}"
