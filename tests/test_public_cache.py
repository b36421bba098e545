"""Public pages are kept rendered for anonymous visitors, never for people who are logged in."""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from handlungsfelder.models import Handlungsfeld
from tests.factories import PASSWORD, administrator, applicant

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.fixture(autouse=True)
def public_cache_on(settings):
    settings.PORTAL_PUBLIC_PAGE_CACHE_SECONDS = 300


def anonymous_get(path):
    """A new visitor; returns the page and the number of database queries it needed."""
    with CaptureQueriesContext(connection) as queries:
        response = Client().get(path)
    assert response.status_code == 200
    return response, len(queries)


def test_a_second_visitor_gets_the_start_page_without_asking_the_database():
    first, first_queries = anonymous_get("/")
    second, second_queries = anonymous_get("/")
    assert first_queries > 0
    assert second_queries == 0
    assert "Wohnen" in second.content.decode()
    assert {"Cookie", "Accept-Language"} <= {value.strip() for value in second["Vary"].split(",")}


def test_the_start_page_shows_a_renamed_handlungsfeld_at_once(client):
    anonymous_get("/")
    anonymous_get("/handlungsfelder/wohnen/")
    wohnen = Handlungsfeld.objects.get(slug="wohnen")
    client.login(email=administrator().email, password=PASSWORD)
    response = client.post(
        f"/handlungsfelder/verwaltung/{wohnen.pk}/bearbeiten/",
        {
            "name_de": "Wohnen und Nachbarschaft",
            "name_en": wohnen.name_en,
            "slug": "wohnen",
            "description_de": wohnen.description_de,
            "description_en": wohnen.description_en,
        },
    )
    assert response.status_code == 302

    home, _queries = anonymous_get("/")
    assert "Wohnen und Nachbarschaft" in home.content.decode()
    field_page, _queries = anonymous_get("/handlungsfelder/wohnen/")
    assert "Wohnen und Nachbarschaft" in field_page.content.decode()


def test_each_language_has_its_own_cached_page():
    anonymous_get("/")
    english, _queries = anonymous_get("/en/")
    html = english.content.decode()
    assert 'lang="en"' in html
    assert "Housing" in html


def test_logged_in_people_never_get_the_cached_anonymous_page(client):
    anonymous, _queries = anonymous_get("/")
    assert "Anmelden" in anonymous.content.decode()
    client.login(email=applicant().email, password=PASSWORD)
    html = client.get("/").content.decode()
    assert "Abmelden" in html
    assert "Mein Bereich" in html


def test_every_visitor_of_a_cached_page_gets_a_token_of_their_own_that_works():
    first = Client(enforce_csrf_checks=True)
    first_html = first.get("/").content.decode()
    second = Client(enforce_csrf_checks=True)
    second_html = second.get("/").content.decode()
    first_token = TOKEN.search(first_html).group(1)
    second_token = TOKEN.search(second_html).group(1)
    assert first_token != second_token
    assert "csrf-token" not in second_html

    response = second.post(
        "/i18n/setlang/",
        {"language": "en", "next": "/", "csrfmiddlewaretoken": second_token},
    )
    assert response.status_code == 302
    assert response.url == "/en/"


def test_a_message_for_the_visitor_is_shown_on_a_cached_page(client):
    anonymous_get("/")
    client.login(email=applicant().email, password=PASSWORD)
    response = client.post("/konto/logout/", follow=True)
    assert response.request["PATH_INFO"] == "/"
    assert "portal-messages" in response.content.decode()
