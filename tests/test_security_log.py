import pytest
from django.urls import reverse

from accounts.models import SecurityEvent, SecurityEventKind
from tests.factories import PASSWORD, UserFactory, administrator


@pytest.mark.django_db
def test_login_and_failed_login_are_logged(client):
    user = UserFactory(email="log@example.org")
    client.post(reverse("account_login"), {"login": "log@example.org", "password": "falsch"})
    client.post(reverse("account_login"), {"login": "log@example.org", "password": PASSWORD})
    kinds = list(SecurityEvent.objects.order_by("created_at").values_list("kind", "email"))
    assert kinds == [
        (SecurityEventKind.LOGIN_FAILED, "log@example.org"),
        (SecurityEventKind.LOGIN, "log@example.org"),
    ]
    assert SecurityEvent.objects.get(kind=SecurityEventKind.LOGIN).user == user


@pytest.mark.django_db
def test_administrators_read_the_log(client, django_assert_max_num_queries):
    for number in range(30):
        SecurityEvent.objects.create(kind=SecurityEventKind.LOGIN_FAILED, email=f"x{number}@e.org")
    client.force_login(administrator())
    with django_assert_max_num_queries(10):
        response = client.get(reverse("accounts:security_log"))
    assert response.status_code == 200
    assert "x29@e.org" in response.content.decode()


@pytest.mark.django_db
def test_repeated_failed_logins_are_throttled_even_with_the_right_password(client):
    UserFactory(email="ziel@example.org")
    for _ in range(5):
        client.post(reverse("account_login"), {"login": "ziel@example.org", "password": "falsch"})
    response = client.post(
        reverse("account_login"), {"login": "ziel@example.org", "password": PASSWORD}
    )
    assert response.status_code in (200, 429)
    assert "_auth_user_id" not in client.session
    assert SecurityEvent.objects.filter(kind=SecurityEventKind.LOGIN_FAILED).count() >= 5
