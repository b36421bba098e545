import pytest


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "link"),
    [
        ("/konto/login/", '<a class="kern-link" href="/konto/signup/">Jetzt registrieren</a>'),
        ("/konto/signup/", '<a class="kern-link" href="/konto/login/">Zur Anmeldung</a>'),
    ],
)
def test_account_pages_address_people_formally_with_links_that_say_where_they_go(
    client, path, link
):
    html = client.get(path).content.decode()
    assert link in html
    assert "Du hast" not in html


@pytest.mark.django_db
def test_password_reset_page_names_the_address_for_help(client):
    html = client.get("/konto/password/reset/").content.decode()
    assert "mailto:kitz@schleswig-flensburg.de" in html
    assert "kontaktiere" not in html
