"""An export of more than 100.000 rows: CSV streams row by row, XLSX is refused for CSV."""

import csv
import io

import pytest
from django.db import connection
from django.http import StreamingHttpResponse
from django.urls import reverse

from applications.models import Application
from tests.factories import case_handler
from tests.statistics_helpers import statistics_data_set

pytestmark = pytest.mark.django_db

MANY = 100_500


def copy_case(template, count):
    """``count`` copies of one submitted case, inserted by PostgreSQL in one statement."""
    table = Application._meta.db_table
    columns = [
        field.column
        for field in Application._meta.concrete_fields
        if field.column not in ("id", "reference", "title")
    ]
    names = ", ".join(connection.ops.quote_name(column) for column in columns)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (reference, title, {names}) "  # noqa: S608 (names from the model)
            f"SELECT 'KITZ-2031-' || lpad(n::text, 6, '0'), 'Massenantrag ' || n, {names} "
            f"FROM {table}, generate_series(1, %s) AS n WHERE id = %s",
            [count, template.pk],
        )


@pytest.fixture
def many_cases(requires_postgresql):
    data = statistics_data_set()
    copy_case(data["cases"][3], MANY)
    return data


def test_csv_export_of_more_than_100000_rows_streams_and_parses_back(client, many_cases):
    client.force_login(case_handler())
    response = client.get(
        reverse("administration:queue_export", kwargs={"fmt": "csv"}), {"status": "submitted"}
    )
    assert isinstance(response, StreamingHttpResponse)
    assert response.streaming
    raw = b"".join(response.streaming_content)
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:2] == ["Aktenzeichen", "Titel"]
    assert len(rows) == 1 + 1 + MANY  # header, the original case, the copies
    by_reference = {row[0]: row for row in rows[1:]}
    sample = by_reference["KITZ-2031-054321"]
    assert sample[1] == "Massenantrag 54321"
    assert sample[3] == "Migrantenselbstorganisation"
    assert sample[4] == "Kappeln"
    assert sample[8] == "eingereicht"
    assert sample[9] == "01.02.2027"
    assert sample[10] == "500,00"


def test_xlsx_export_above_the_limit_is_refused_with_a_pointer_to_csv(client, many_cases):
    client.force_login(case_handler())
    response = client.get(
        reverse("administration:queue_export", kwargs={"fmt": "xlsx"}), {"status": "submitted"}
    )
    assert response.status_code == 302
    assert response.url == reverse("applications:staff_queue") + "?status=submitted"
    page = client.get(response.url).content.decode()
    assert "Die Auswahl umfasst 100.501 Anträge" in page
    assert "höchstens 100.000 Zeilen" in page
    assert "als CSV-Datei" in page
