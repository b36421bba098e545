import csv
import io
from datetime import date
from decimal import Decimal

import pytest
from django.http import FileResponse, StreamingHttpResponse
from django.urls import reverse
from openpyxl import load_workbook

from accounts.models import Membership
from applications.models import Application
from tests.factories import administrator, case_handler, signing_authority
from tests.statistics_helpers import statistics_data_set

pytestmark = pytest.mark.django_db


def content_of(response):
    if isinstance(response, StreamingHttpResponse):
        return b"".join(response.streaming_content)
    return response.content


def parse_csv(response):
    raw = content_of(response)
    assert raw.startswith(b"\xef\xbb\xbf"), "Excel needs the byte order mark"
    return list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))


def parse_xlsx(response):
    return load_workbook(io.BytesIO(content_of(response)))


def test_queue_as_csv_has_bom_semicolons_and_german_formats(client):
    statistics_data_set()
    client.force_login(case_handler())
    response = client.get(reverse("administration:queue_export", kwargs={"fmt": "csv"}))
    assert isinstance(response, StreamingHttpResponse)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "kitz-eingang-" in response["Content-Disposition"]
    rows = parse_csv(response)
    assert rows[0][:3] == ["Aktenzeichen", "Titel", "Organisation"]
    assert len(rows) == 1 + 5  # the draft is not in the queue
    by_reference = {row[0]: row for row in rows[1:]}
    third = by_reference["KITZ-2027-0003"]
    assert third[3] == "Migrantenselbstorganisation"
    assert third[4] == "Kappeln"
    assert third[7] == "Arbeit"
    assert third[8] == "bewilligt"
    assert third[9] == "01.02.2027"
    assert third[10] == "3.000,00"
    assert third[11] == "3.000,00"


def test_queue_export_keeps_the_filters_of_the_queue(client):
    statistics_data_set()
    client.force_login(case_handler())
    response = client.get(
        reverse("administration:queue_export", kwargs={"fmt": "csv"}), {"status": "approved"}
    )
    rows = parse_csv(response)
    assert sorted(row[0] for row in rows[1:]) == ["KITZ-2027-0001", "KITZ-2027-0003"]


def test_queue_export_leaves_out_cases_of_the_staff_members_own_organisation(client):
    data = statistics_data_set()
    person = case_handler()
    Membership.objects.create(user=person, organisation=data["cases"][0].organisation)
    client.force_login(person)
    rows = parse_csv(client.get(reverse("administration:queue_export", kwargs={"fmt": "csv"})))
    assert "KITZ-2027-0001" not in {row[0] for row in rows[1:]}
    assert len(rows) == 1 + 3


def test_queue_as_xlsx_has_real_dates_and_euro_amounts(client):
    statistics_data_set()
    client.force_login(signing_authority())
    response = client.get(reverse("administration:queue_export", kwargs={"fmt": "xlsx"}))
    assert isinstance(response, FileResponse)
    assert "kitz-eingang-" in response["Content-Disposition"]
    sheet = parse_xlsx(response).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Aktenzeichen"
    assert len(rows) == 6
    row = next(cells for cells in sheet.iter_rows(min_row=2) if cells[0].value == "KITZ-2027-0001")
    assert row[9].value.date() == date(2027, 2, 1)
    assert row[9].number_format == "DD.MM.YYYY"
    assert row[10].value == 1000
    assert row[10].number_format == '#,##0.00 "€"'
    assert row[11].value == 800


def test_unknown_export_format_is_not_found(client):
    client.force_login(case_handler())
    response = client.get(reverse("administration:queue_export", kwargs={"fmt": "pdf"}))
    assert response.status_code == 404


def test_statistics_as_csv_parse_back_to_the_hand_counted_figures(client):
    statistics_data_set()
    client.force_login(administrator())
    rows = parse_csv(client.get(reverse("administration:statistics_export", kwargs={"fmt": "csv"})))
    assert rows[0] == ["Förderprogramme"]
    header, current = rows[1], rows[2]
    assert header[0] == "Förderprogramm"
    assert current[0] == "Förderprogramm 2027"
    assert current[1] == "2027"
    assert current[2] == "4"
    assert current[header.index("beantragt (€)")] == "6.500,00"
    assert current[header.index("bewilligt (€)")] == "3.800,00"
    assert current[header.index("Bewilligungsquote (%)")] == "66,7"
    assert current[header.index("Bearbeitungszeit (Median, Tage)")] == "20,0"
    assert ["Art der Organisation"] in rows
    mso = next(row for row in rows if row and row[0] == "Migrantenselbstorganisation")
    assert mso[1:4] == ["2", "3.500,00", "3.000,00"]


def test_statistics_as_xlsx_have_one_sheet_per_table(client):
    data = statistics_data_set()
    client.force_login(administrator())
    response = client.get(
        reverse("administration:statistics_export", kwargs={"fmt": "xlsx"}),
        {"programme": data["programme"].pk},
    )
    workbook = parse_xlsx(response)
    assert workbook.sheetnames == [
        "Förderprogramme",
        "Handlungsfelder",
        "Art der Organisation",
        "Gemeinden",
    ]
    programmes = list(workbook["Förderprogramme"].iter_rows(values_only=True))
    assert len(programmes) == 2  # filtered to one programme
    header, row = programmes
    assert row[header.index("bewilligt (€)")] == 3800
    fields = {row[0]: row for row in workbook["Handlungsfelder"].iter_rows(values_only=True)}
    assert fields["Sprache"][1:4] == (2, 3000, 800)


def test_large_queue_export_is_streamed_in_chunks(client, django_assert_max_num_queries):
    data = statistics_data_set()
    template = data["cases"][3]
    Application.objects.bulk_create(
        [
            Application(
                organisation=template.organisation,
                programme=template.programme,
                status="submitted",
                reference=f"KITZ-2030-{number:05d}",
                title="Massenantrag",
                requested_amount=Decimal("100.00"),
                submitted_at=template.submitted_at,
            )
            for number in range(4500)
        ]
    )
    client.force_login(case_handler())
    response = client.get(reverse("administration:queue_export", kwargs={"fmt": "csv"}))
    assert response.streaming
    chunks = iter(response.streaming_content)
    assert next(chunks) == "\ufeff".encode()
    # Rows are read from the database in chunks while the response is being written.
    with django_assert_max_num_queries(30):
        rows = sum(1 for _chunk in chunks)
    assert rows == 1 + 5 + 4500
