import pytest
from django.urls import reverse

from tests.factories import administrator, applicant, case_handler, signing_authority


@pytest.mark.django_db
def test_staff_area_redirects_anonymous_visitors_to_login(client):
    response = client.get(reverse("accounts:staff_home"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


@pytest.mark.django_db
@pytest.mark.parametrize("make_user", [applicant, administrator])
def test_staff_area_refuses_applicants_and_administrators(client, make_user):
    client.force_login(make_user())
    assert client.get(reverse("accounts:staff_home")).status_code == 403


@pytest.mark.django_db
@pytest.mark.parametrize("make_user", [case_handler, signing_authority])
def test_staff_area_opens_for_case_handlers_and_signing_authority(client, make_user):
    client.force_login(make_user())
    response = client.get(reverse("accounts:staff_home"))
    assert response.status_code == 200
    assert "KITZ-Arbeitsbereich" in response.content.decode()


@pytest.mark.django_db
def test_navigation_shows_only_what_the_role_may_use(client):
    person = applicant()
    client.force_login(person)
    html = client.get(reverse("accounts:home")).content.decode()
    assert reverse("accounts:staff_home") not in html
    assert reverse("handlungsfelder:manage_list") not in html
    client.force_login(administrator())
    html = client.get(reverse("accounts:home")).content.decode()
    assert reverse("handlungsfelder:manage_list") in html


@pytest.mark.django_db
def test_inactive_staff_loses_the_role_pages(client):
    user = case_handler()
    client.force_login(user)
    user.is_active = False
    user.save()
    response = client.get(reverse("accounts:staff_home"))
    assert response.status_code in (302, 403)
