import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from accounts.models import Organisation, User
from tests.factories import UserFactory


@pytest.mark.django_db
def test_healthz_reports_ok_in_the_embedded_setup(client, settings):
    settings.CELERY_BROKER_URL = ""
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "broker": "eager"}


@pytest.mark.django_db
def test_healthz_reports_running_redis_as_ok(client, settings, redis_broker_url):
    settings.CELERY_BROKER_URL = redis_broker_url
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["broker"] == "ok"


@pytest.mark.django_db
def test_healthz_reports_a_stopped_broker_as_503(client, settings):
    # Nothing listens on this port: the broker is down.
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["broker"] == "unavailable"
    assert response.json()["database"] == "ok"


@pytest.mark.django_db
def test_unknown_page_and_language_give_the_styled_404(client):
    for path in ["/gibt-es-nicht/", "/xx/", "/fr/kitz/"]:
        response = client.get(path)
        assert response.status_code == 404
        assert "Seite nicht gefunden" in response.content.decode()
        assert "kern-kopfzeile" in response.content.decode()


def test_server_error_page_has_no_stack_trace(rf):
    from kitz_portal.views import server_error

    response = server_error(rf.get("/"))
    assert response.status_code == 500
    html = response.content.decode()
    assert "Technischer Fehler" in html
    assert "Traceback" not in html


@pytest.mark.django_db
def test_seed_demo_is_idempotent(settings):
    settings.DEBUG = True
    call_command("seed_demo")
    call_command("seed_demo")
    assert User.objects.filter(email__endswith="@example.org").count() == 5
    assert Organisation.objects.count() == 3
    leitung = User.objects.get(email="leitung@example.org")
    assert leitung.has_role("signing_authority")
    assert User.objects.get(email="antrag@example.org").organisations.count() == 1


@pytest.mark.django_db
def test_seed_demo_refuses_without_debug(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError):
        call_command("seed_demo")
    assert not User.objects.exists()


@pytest.mark.django_db
def test_demo_password_only_works_in_development(client, settings):
    UserFactory(email="demo@example.org", password=settings.PORTAL_DEMO_PASSWORD)
    settings.DEBUG = False
    response = client.post(
        reverse("account_login"),
        {"login": "demo@example.org", "password": settings.PORTAL_DEMO_PASSWORD},
    )
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    settings.DEBUG = True
    response = client.post(
        reverse("account_login"),
        {"login": "demo@example.org", "password": settings.PORTAL_DEMO_PASSWORD},
    )
    assert response.status_code == 302
    assert "_auth_user_id" in client.session
