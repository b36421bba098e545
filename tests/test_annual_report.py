"""The Jahresbericht as PDF: the figures of the Auswertung, tagged, German, fonts embedded."""

import io
import re

import pypdf
import pytest
from django.urls import reverse

from tests.factories import administrator, case_handler, signing_authority
from tests.statistics_helpers import statistics_data_set

pytestmark = pytest.mark.django_db


def report(client, data=None):
    response = client.get(reverse("administration:statistics_report"), data or {})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    return response


def text_of(reader):
    text = "\n".join(page.extract_text() for page in reader.pages)
    return re.sub(r"[ \t]+", " ", text.replace("\u00a0", " "))


def table_line(text, label):
    """The line of a table row that starts with ``label``, e.g. "Sprache 2 3.000,00 € …"."""
    for line in text.splitlines():
        if line.strip().startswith(label + " "):
            return line.strip()
    raise AssertionError(f"no row {label!r} in:\n{text}")


def test_annual_report_carries_the_hand_counted_figures_of_the_year(client):
    data = statistics_data_set()
    client.force_login(signing_authority())
    response = report(client, {"budget_year": "2027"})
    assert 'filename="kitz-jahresbericht-2027.pdf"' in response["Content-Disposition"]
    reader = pypdf.PdfReader(io.BytesIO(response.content))
    text = text_of(reader)

    assert "Jahresbericht 2027" in text
    assert "Haushaltsjahr 2027" in text  # the filter in force
    # Totals of the four 2027 cases (the draft and the 2026 case do not count).
    assert "Anträge 4" in text
    assert "davon entschieden 3" in text
    assert "beantragt 6.500,00 €" in text
    assert "bewilligt 3.800,00 €" in text
    assert "Bewilligungsquote 66,7 %" in text
    assert "20,0 Tage" in text
    assert data["previous"].title not in text
    # Per status, per Handlungsfeld, per kind of organisation, per municipality.
    lines = {line.strip() for line in text.splitlines()}
    assert {"eingereicht 1", "bewilligt 2", "abgelehnt 1", "zurückgezogen 0"} <= lines
    assert table_line(text, "Sprache") == "Sprache 2 3.000,00 € 800,00 € 0,00 € 0,00 € 50,0 %"
    assert table_line(text, "Arbeit") == "Arbeit 2 5.000,00 € 3.000,00 € 0,00 € 0,00 € 50,0 %"
    assert table_line(text, "Migrantenselbstorganisation") == (
        "Migrantenselbstorganisation 2 3.500,00 € 3.000,00 € 0,00 € 0,00 € 100,0 %"
    )
    assert table_line(text, "Verein") == "Verein 2 3.000,00 € 800,00 € 0,00 € 0,00 € 50,0 %"
    assert table_line(text, "Kappeln").startswith("Kappeln 2 3.500,00 €")
    assert table_line(text, "Schleswig").startswith("Schleswig 2 3.000,00 €")
    assert "Förderprogramm 2027 2027 4 6.500,00 € 3.800,00 €" in text


def test_annual_report_for_one_programme_names_it_in_the_title(client):
    data = statistics_data_set()
    client.force_login(administrator())
    response = report(client, {"programme": data["previous"].pk})
    text = text_of(pypdf.PdfReader(io.BytesIO(response.content)))
    assert "Jahresbericht 2026: Förderprogramm 2026" in text
    assert "Anträge 1" in text
    assert "beantragt 1.500,00 €" in text
    assert "Bewilligungsquote –" in text


def test_annual_report_is_tagged_german_archivable_and_embeds_its_fonts(client):
    statistics_data_set()
    client.force_login(administrator())
    reader = pypdf.PdfReader(io.BytesIO(report(client, {"budget_year": "2027"}).content))
    catalog = reader.trailer["/Root"]
    assert catalog["/Lang"] == "de"
    assert reader.metadata.title == "Jahresbericht 2027"
    assert "/StructTreeRoot" in catalog
    assert bool(catalog["/MarkInfo"]["/Marked"])
    xmp = catalog["/Metadata"].get_object().get_data().decode()
    assert 'pdfaid:conformance="A"' in xmp

    types, stack = set(), [catalog["/StructTreeRoot"]]
    while stack:
        node = stack.pop()
        node = node.get_object() if hasattr(node, "get_object") else node
        if isinstance(node, list):
            stack.extend(node)
        elif isinstance(node, dict):
            if "/S" in node:
                types.add(node["/S"])
            if "/K" in node:
                stack.append(node["/K"])
    assert {"/H1", "/H2", "/Table", "/TH", "/TD"} <= types

    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            for descendant in font.get_object().get("/DescendantFonts", [font]):
                descriptor = descendant.get_object()["/FontDescriptor"].get_object()
                assert {"/FontFile", "/FontFile2", "/FontFile3"} & set(descriptor.keys())


def test_statistics_page_offers_the_annual_report_with_its_filters(client):
    statistics_data_set()
    client.force_login(administrator())
    html = client.get(reverse("administration:statistics"), {"budget_year": "2027"}).content
    expected = reverse("administration:statistics_report") + "?budget_year=2027"
    assert f'href="{expected}"'.encode() in html
    assert b"Jahresbericht als PDF herunterladen" in html


def test_case_handlers_get_no_annual_report(client):
    client.force_login(case_handler())
    assert client.get(reverse("administration:statistics_report")).status_code == 403
