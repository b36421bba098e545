import pytest


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("next_url", "language", "expected"),
    [
        ("/kitz/", "en", "/en/kitz/"),
        ("/en/kitz/", "de", "/kitz/"),
        ("/en/foerderung/?seite=2", "de", "/foerderung/?seite=2"),
        ("/", "en", "/en/"),
        ("/en/", "de", "/"),
    ],
)
def test_language_switch_stays_on_the_same_page(client, next_url, language, expected):
    response = client.post("/i18n/setlang/", {"language": language, "next": next_url})
    assert response.status_code == 302
    assert response.headers["Location"] == expected
    assert response.cookies["django_language"].value == language


@pytest.mark.django_db
def test_language_switch_refuses_to_send_people_to_other_sites(client):
    response = client.post(
        "/i18n/setlang/", {"language": "en", "next": "https://example.com/en/kitz/"}
    )
    assert "example.com" not in response.headers.get("Location", "")
