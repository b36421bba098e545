import os
import shutil
import socket

import pytest
from django.conf import settings
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from kitz_portal.celery import app as celery_app
from tests.celery_helpers import redis_celery, worker  # noqa: F401  (shared fixtures)

REQUIRE_SERVICES = os.environ.get("KITZ_REQUIRE_SERVICES") == "1"

# Property tests check rules, never speed: no per-example deadline, however busy the machine is.
hypothesis_settings.register_profile(
    "portal", deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
hypothesis_settings.load_profile("portal")


def require(condition, reason):
    """Skip a test whose service is missing locally; in CI a missing service is a failure."""
    if condition:
        return
    if REQUIRE_SERVICES:
        pytest.fail(f"Required service missing: {reason}")
    pytest.skip(reason)


def on_postgresql():
    return settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"


def redis_reachable(host="127.0.0.1", port=6379):
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


@pytest.fixture
def requires_postgresql():
    require(on_postgresql(), "needs PostgreSQL (set DATABASE_URL)")


@pytest.fixture
def redis_broker_url():
    url = os.environ.get("CELERY_BROKER_URL") or "redis://127.0.0.1:6379/0"
    require(redis_reachable(), "needs Redis on 127.0.0.1:6379")
    return url


@pytest.fixture
def chromium_path():
    path = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
    require(shutil.which(path) is not None, "needs Debian's chromium package")
    return path


@pytest.fixture(autouse=True)
def eager_celery(settings):
    """Unit tests run tasks in-process; the worker tests switch to the real broker."""
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    settings.CELERY_TASK_ALWAYS_EAGER = True
    yield
    celery_app.conf.task_always_eager = previous


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def staff_without_second_factor(settings):
    """Most tests log staff in directly; tests/test_staff_security.py checks the MFA duty."""
    settings.PORTAL_STAFF_MFA_REQUIRED = False


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def simple_static(settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def no_rate_limit_cache_leak():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def default_language():
    """Each test starts in German, whatever language the previous test's requests left active."""
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def nine_handlungsfelder(request):
    """Transactional tests start after another one flushed the tables: restore the defaults."""
    marker = request.node.get_closest_marker("django_db")
    transactional = (
        "transactional_db" in request.fixturenames or "live_server" in request.fixturenames
    )
    if marker and marker.kwargs.get("transaction"):
        transactional = True
    if transactional:
        from handlungsfelder.defaults import ensure_default_handlungsfelder

        request.getfixturevalue("transactional_db")
        ensure_default_handlungsfelder()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """A reused test database may have been flushed by a transactional test: restore defaults."""
    from handlungsfelder.defaults import ensure_default_handlungsfelder

    with django_db_blocker.unblock():
        ensure_default_handlungsfelder()
