import pytest
from django.urls import reverse

from handlungsfelder.models import Handlungsfeld
from tests.factories import administrator, applicant, case_handler, signing_authority

MANAGE_URLS = [
    ("handlungsfelder:manage_list", {}),
    ("handlungsfelder:create", {}),
    ("handlungsfelder:edit", {"pk": 1}),
    ("handlungsfelder:delete", {"pk": 1}),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "kwargs"), MANAGE_URLS)
def test_anonymous_visitors_are_sent_to_login(client, name, kwargs):
    response = client.get(reverse(name, kwargs=kwargs))
    assert response.status_code == 302
    assert reverse("account_login") in response.url


@pytest.mark.django_db
@pytest.mark.parametrize("make_user", [applicant, case_handler, signing_authority])
@pytest.mark.parametrize(("name", "kwargs"), MANAGE_URLS)
def test_other_roles_get_403(client, make_user, name, kwargs):
    client.force_login(make_user())
    response = client.get(reverse(name, kwargs=kwargs))
    assert response.status_code == 403
    assert "Kein Zugriff" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("make_user", [applicant, case_handler, signing_authority])
def test_other_roles_cannot_change_fields_by_post(client, make_user):
    client.force_login(make_user())
    wohnen = Handlungsfeld.objects.get(slug="wohnen")
    response = client.post(reverse("handlungsfelder:set_active", args=[wohnen.pk]), {"active": "0"})
    assert response.status_code == 403
    assert client.post(reverse("handlungsfelder:delete", args=[wohnen.pk])).status_code == 403
    assert Handlungsfeld.objects.filter(pk=wohnen.pk, is_active=True).exists()


@pytest.mark.django_db
def test_administrator_sees_all_fields(client, django_assert_max_num_queries):
    client.force_login(administrator())
    with django_assert_max_num_queries(8):
        response = client.get(reverse("handlungsfelder:manage_list"))
    assert response.status_code == 200
    for field in Handlungsfeld.objects.all():
        assert field.name_de in response.content.decode()


@pytest.mark.django_db
def test_administrator_creates_a_field_that_appears_last(client):
    client.force_login(administrator())
    response = client.post(
        reverse("handlungsfelder:create"),
        {"name_de": "Sport", "name_en": "Sport", "slug": "sport", "description_de": "Bewegung"},
    )
    assert response.status_code == 302
    assert list(Handlungsfeld.objects.values_list("slug", flat=True))[-1] == "sport"
    assert "Sport" in client.get("/").content.decode()


@pytest.mark.django_db
def test_create_with_missing_and_duplicate_values_shows_errors_and_saves_nothing(client):
    client.force_login(administrator())
    response = client.post(
        reverse("handlungsfelder:create"),
        {"name_de": "Wohnen", "name_en": "", "slug": "wohnen"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="id_name_en-error"' in html
    assert 'id="id_name_de-error"' in html
    assert "data-error-summary" in html
    assert Handlungsfeld.objects.count() == 9


@pytest.mark.django_db
def test_rename_and_reorder(client):
    client.force_login(administrator())
    sprache = Handlungsfeld.objects.get(slug="sprache")
    response = client.post(
        reverse("handlungsfelder:edit", args=[sprache.pk]),
        {"name_de": "Sprache und Bildung", "name_en": "Language and education", "slug": "sprache"},
    )
    assert response.status_code == 302
    client.post(reverse("handlungsfelder:move", args=[sprache.pk, "up"]))
    order = list(Handlungsfeld.objects.values_list("name_de", flat=True))
    assert order[:2] == ["Sprache und Bildung", "Wohnen"]
    assert (
        client.post(reverse("handlungsfelder:move", args=[sprache.pk, "sideways"])).status_code
        == 404
    )


@pytest.mark.django_db
def test_deactivated_field_disappears_from_the_start_page(client):
    client.force_login(administrator())
    frauen = Handlungsfeld.objects.get(slug="frauen")
    client.post(reverse("handlungsfelder:set_active", args=[frauen.pk]), {"active": "0"})
    frauen.refresh_from_db()
    assert not frauen.is_active
    html = client.get("/").content.decode()
    assert reverse("handlungsfelder:detail", args=["frauen"]) not in html
    assert client.get(reverse("handlungsfelder:detail", args=["frauen"])).status_code == 404


@pytest.mark.django_db
def test_unused_field_can_be_deleted(client):
    client.force_login(administrator())
    field = Handlungsfeld.objects.create(name_de="Test", name_en="Test", slug="test", order=10)
    response = client.post(reverse("handlungsfelder:delete", args=[field.pk]))
    assert response.status_code == 302
    assert not Handlungsfeld.objects.filter(pk=field.pk).exists()


@pytest.mark.django_db
def test_field_in_use_cannot_be_deleted_only_deactivated(client):
    from tests.network_factories import NetworkFactory

    client.force_login(administrator())
    field = Handlungsfeld.objects.get(slug="arbeit")
    NetworkFactory(handlungsfelder=[field])
    page = client.get(reverse("handlungsfelder:delete", args=[field.pk])).content.decode()
    assert "wird verwendet" in page
    response = client.post(reverse("handlungsfelder:delete", args=[field.pk]), follow=True)
    assert Handlungsfeld.objects.filter(pk=field.pk).exists()
    assert "kann nicht gelöscht werden" in response.content.decode()
    client.post(reverse("handlungsfelder:set_active", args=[field.pk]), {"active": "0"})
    field.refresh_from_db()
    assert not field.is_active
