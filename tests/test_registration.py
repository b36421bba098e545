import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse

from accounts.models import Notification, NotificationStatus, User
from tests.factories import PASSWORD, UserFactory

SIGNUP = {
    "first_name": "Aylin",
    "last_name": "Kaya",
    "email": "aylin@example.org",
    "password1": PASSWORD,
    "password2": PASSWORD,
    "privacy_accepted": "on",
}


def signup(client, **changes):
    data = {**SIGNUP, **changes}
    return client.post(reverse("account_signup"), data)


def confirmation_link(message):
    return re.search(r"https?://\S+/konto/confirm-email/\S+/", message.body).group(0)


@pytest.mark.django_db
def test_registration_sends_confirmation_and_then_the_person_can_log_in(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = signup(client)
    assert response.status_code == 302
    user = User.objects.get(email="aylin@example.org")
    assert user.first_name == "Aylin"
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["aylin@example.org"]
    assert "E-Mail" in message.subject
    notification = Notification.objects.get(to_email="aylin@example.org")
    assert notification.status == NotificationStatus.SENT
    assert notification.sent_at is not None

    # Before confirmation the login is held back.
    client.logout()
    response = client.post(
        reverse("account_login"), {"login": "aylin@example.org", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert "confirm-email" in response.url

    link = confirmation_link(message)
    path = link.split("://", 1)[1].split("/", 1)[1]
    response = client.post("/" + path)
    assert response.status_code == 302
    assert EmailAddress.objects.get(email="aylin@example.org").verified

    client.logout()
    response = client.post(
        reverse("account_login"), {"login": "aylin@example.org", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert client.get(reverse("accounts:home")).status_code == 200


@pytest.mark.django_db
def test_registration_with_existing_email_is_refused_at_the_field(client):
    UserFactory(email="aylin@example.org")
    response = signup(client)
    assert response.status_code == 200
    assert User.objects.filter(email="aylin@example.org").count() == 1
    html = response.content.decode()
    assert 'id="id_email-error"' in html
    assert "bereits" in html


@pytest.mark.django_db
def test_weak_password_is_refused_and_nothing_created(client):
    response = signup(client, password1="12345678", password2="12345678")
    assert response.status_code == 200
    assert not User.objects.filter(email="aylin@example.org").exists()
    assert 'id="id_password1-error"' in response.content.decode()


@pytest.mark.django_db
def test_mismatched_password_confirmation_is_refused(client):
    response = signup(client, password2=PASSWORD + "x")
    assert response.status_code == 200
    assert not User.objects.filter(email="aylin@example.org").exists()
    assert 'id="id_password2-error"' in response.content.decode()


@pytest.mark.django_db
def test_registration_without_privacy_consent_is_refused(client):
    data = dict(SIGNUP)
    data.pop("privacy_accepted")
    response = client.post(reverse("account_signup"), data)
    assert response.status_code == 200
    assert not User.objects.exists()
    assert 'id="id_privacy_accepted-error"' in response.content.decode()


@pytest.mark.django_db
def test_registration_errors_are_in_english_on_the_english_page(client):
    UserFactory(email="aylin@example.org")
    response = client.post("/en/konto/signup/", SIGNUP)
    assert response.status_code == 200
    assert "already" in response.content.decode()


@pytest.mark.django_db
def test_expired_confirmation_link_is_refused(client, settings, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        signup(client)
    link = confirmation_link(mail.outbox[0])
    settings.ACCOUNT_EMAIL_CONFIRMATION_EXPIRE_DAYS = 0
    path = "/" + link.split("://", 1)[1].split("/", 1)[1]
    response = client.get(path)
    assert response.status_code == 200
    assert "abgelaufen" in response.content.decode() or "ungültig" in response.content.decode()
    response = client.post(path)
    assert not EmailAddress.objects.get(email="aylin@example.org").verified


@pytest.mark.django_db
def test_language_of_registration_is_kept_for_emails(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/en/konto/signup/", {**SIGNUP, "email": "en@example.org"})
    user = User.objects.get(email="en@example.org")
    assert user.language == "en"
    assert "Confirm" in mail.outbox[0].subject or "confirm" in mail.outbox[0].body
