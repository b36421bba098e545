import pytest
from django.core.management import call_command

from handlungsfelder.models import Handlungsfeld

NINE = [
    "Wohnen",
    "Sprache",
    "Arbeit",
    "Ausbildung",
    "Gesundheit",
    "Demokratie/Kultur und Werte",
    "Vereine",
    "Frauen",
    "Interkulturelle Öffnung",
]


@pytest.mark.django_db
def test_fixture_loads_the_nine_handlungsfelder_in_order():
    Handlungsfeld.objects.all().delete()
    call_command("loaddata", "handlungsfelder", verbosity=0)
    assert list(Handlungsfeld.objects.values_list("name_de", flat=True)) == NINE


@pytest.mark.django_db
def test_start_page_lists_the_fields_in_german(client):
    html = client.get("/").content.decode()
    html = html[html.index('data-testid="handlungsfelder"') :]
    positions = [html.index(name) for name in NINE]
    assert positions == sorted(positions)
    assert "Förderung beantragen" in html
    assert 'lang="de"' in html


@pytest.mark.django_db
def test_start_page_lists_the_fields_in_english(client):
    response = client.get("/en/")
    html = response.content.decode()
    assert 'lang="en"' in html
    for name in ["Housing", "Language", "Work", "Vocational training", "Intercultural opening"]:
        assert name in html


@pytest.mark.django_db
def test_language_switch_keeps_the_page(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/kitz/"})
    assert response.status_code == 302
    assert response.url == "/en/kitz/"
    response = client.post("/i18n/setlang/", {"language": "de", "next": "/en/kitz/"})
    assert response.url == "/kitz/"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    ["/", "/kitz/", "/foerderung/", "/impressum/", "/datenschutz/", "/barrierefreiheit/"],
)
def test_public_pages_have_one_h1_and_the_legal_links(client, path):
    html = client.get(path).content.decode()
    assert html.count("<h1") == 1
    for link in ["/impressum/", "/datenschutz/", "/barrierefreiheit/", "/leichte-sprache/"]:
        assert f'href="{link}"' in html
    assert 'href="#inhalt"' in html


@pytest.mark.django_db
def test_handlungsfeld_page_describes_the_field(client):
    response = client.get("/handlungsfelder/sprache/")
    assert response.status_code == 200
    assert "Deutschkurse" in response.content.decode()
    response = client.get("/en/handlungsfelder/sprache/")
    assert "German courses" in response.content.decode()


@pytest.mark.django_db
def test_handlungsfeld_page_lists_its_funded_projects_only(client, django_assert_max_num_queries):
    from applications.models import Application, ApplicationStatus
    from tests.application_helpers import complete_draft

    sprache = Handlungsfeld.objects.get(slug="sprache")
    funded = complete_draft()
    funded.title = "Sprachcafé am Dom"
    funded.status = ApplicationStatus.APPROVED
    funded.reference = "KITZ-2026-0001"
    funded.save()
    funded.handlungsfelder.set([sprache])
    pending = complete_draft()
    pending.title = "Noch nicht entschieden"
    pending.save()
    pending.handlungsfelder.set([sprache])
    assert Application.objects.count() == 2
    with django_assert_max_num_queries(12):
        html = client.get("/handlungsfelder/sprache/").content.decode()
    assert "Sprachcafé am Dom" in html
    assert funded.organisation.name in html
    assert "Noch nicht entschieden" not in html
    assert "Sprachcafé am Dom" not in client.get("/handlungsfelder/wohnen/").content.decode()
