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
