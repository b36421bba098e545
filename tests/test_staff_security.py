import time

import pytest
from allauth.mfa.models import Authenticator
from django.urls import reverse

from tests.factories import PASSWORD, administrator, applicant, case_handler


@pytest.mark.django_db
@pytest.mark.parametrize("make_user", [case_handler, administrator])
def test_staff_without_second_factor_is_sent_to_set_it_up(client, settings, make_user):
    settings.PORTAL_STAFF_MFA_REQUIRED = True
    user = make_user()
    client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    response = client.get(reverse("accounts:home"))
    assert response.status_code == 302
    assert response.url == reverse("mfa_activate_totp")
    # The setup pages stay reachable (allauth first asks for the password once more).
    response = client.get(reverse("mfa_activate_totp"), follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[-1][0].startswith("/konto/")


@pytest.mark.django_db
def test_staff_with_totp_works_normally(client, settings):
    settings.PORTAL_STAFF_MFA_REQUIRED = True
    user = case_handler()
    Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={"secret": "x"})
    client.force_login(user)
    assert client.get(reverse("accounts:staff_home")).status_code == 200


@pytest.mark.django_db
def test_applicants_need_no_second_factor(client, settings):
    settings.PORTAL_STAFF_MFA_REQUIRED = True
    client.force_login(applicant())
    assert client.get(reverse("accounts:home")).status_code == 200


@pytest.mark.django_db
def test_idle_staff_session_ends_after_the_timeout(client, settings):
    settings.PORTAL_STAFF_IDLE_TIMEOUT_SECONDS = 1800
    client.force_login(case_handler())
    assert client.get(reverse("accounts:staff_home")).status_code == 200
    session = client.session
    session["last_activity"] = int(time.time()) - 1801
    session.save()
    response = client.get(reverse("accounts:staff_home"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_active_staff_session_continues(client, settings):
    client.force_login(case_handler())
    client.get(reverse("accounts:staff_home"))
    session = client.session
    session["last_activity"] = int(time.time()) - 600
    session.save()
    assert client.get(reverse("accounts:staff_home")).status_code == 200


@pytest.mark.django_db
def test_security_headers_are_sent(client):
    response = client.get("/")
    csp = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"


@pytest.mark.django_db
def test_pages_carry_no_inline_scripts_or_styles(client):
    html = client.get("/").content.decode()
    assert "<script>" not in html
    assert " style=" not in html


@pytest.mark.django_db
def test_staff_pages_carry_the_idle_warning_and_applicant_pages_do_not(client, settings):
    settings.PORTAL_STAFF_IDLE_TIMEOUT_SECONDS = 1800
    client.force_login(case_handler())
    html = client.get(reverse("accounts:staff_home")).content.decode()
    assert 'id="idle-warning"' in html
    assert 'data-idle-timeout="1800"' in html
    client.force_login(applicant())
    assert 'id="idle-warning"' not in client.get(reverse("accounts:home")).content.decode()
