"""CSV and XLSX exports of the work queue and the Auswertung.

CSV is UTF-8 with a byte order mark and semicolons, with German dates and numbers, so that
Excel opens it correctly; it is written row by row into a streaming response. XLSX is built
by openpyxl in write-only mode, which keeps rows in a temporary file rather than in memory,
and the finished file is streamed from disk. So an export of any size, also far beyond
100.000 rows, never sits in memory as a whole.
"""

import csv
import tempfile
from datetime import date, datetime
from decimal import Decimal

from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

CHUNK_SIZE = 2000
DATE_FORMAT = "DD.MM.YYYY"
MONEY_FORMAT = '#,##0.00 "€"'
NUMBER_FORMAT = "#,##0.0"
CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class Money(Decimal):
    """An amount in euros: formatted with the euro format in XLSX."""


def german_number(value, places=2):
    text = f"{value:,.{places}f}"
    return text.replace(",", "\0").replace(".", ",").replace("\0", ".")


def _csv_text(value):
    if value is None:
        return ""
    if isinstance(value, datetime):
        return timezone.localtime(value).strftime("%d.%m.%Y")
    if isinstance(value, date):
        return value.strftime("%d.%m.%Y")
    if isinstance(value, Money):
        return german_number(value, 2)
    if isinstance(value, Decimal):
        return german_number(value, 1)
    return str(value)


class _Echo:
    def write(self, value):
        return value


def csv_response(*, filename, sheets):
    """``sheets``: [(title, header, rows iterable)]; several sheets follow each other."""

    def lines():
        writer = csv.writer(_Echo(), delimiter=";", quoting=csv.QUOTE_MINIMAL)
        yield "\ufeff"
        for index, (title, header, rows) in enumerate(sheets):
            if len(sheets) > 1:
                if index:
                    yield writer.writerow([])
                yield writer.writerow([title])
            yield writer.writerow([str(label) for label in header])
            for row in rows:
                yield writer.writerow([_csv_text(value) for value in row])

    response = StreamingHttpResponse(
        (line.encode("utf-8") for line in lines()), content_type=CSV_TYPE
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response


def _xlsx_cell(sheet, value):
    if isinstance(value, datetime):
        value = timezone.localtime(value).date()
    cell = WriteOnlyCell(sheet, value=value if not isinstance(value, Decimal) else float(value))
    if isinstance(value, date):
        cell.number_format = DATE_FORMAT
    elif isinstance(value, Money):
        cell.number_format = MONEY_FORMAT
    elif isinstance(value, Decimal):
        cell.number_format = NUMBER_FORMAT
    return cell


def xlsx_response(*, filename, sheets):
    workbook = Workbook(write_only=True)
    bold = Font(bold=True)
    for title, header, rows in sheets:
        sheet = workbook.create_sheet(title=str(title)[:31])
        header_cells = []
        for label in header:
            cell = WriteOnlyCell(sheet, value=str(label))
            cell.font = bold
            header_cells.append(cell)
        sheet.append(header_cells)
        for row in rows:
            sheet.append([_xlsx_cell(sheet, value) for value in row])
    # Closed by FileResponse once the file has been sent.
    output = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115
    workbook.save(output)
    output.seek(0)
    return FileResponse(
        output, as_attachment=True, filename=f"{filename}.xlsx", content_type=XLSX_TYPE
    )


def export_response(*, fmt, filename, sheets):
    if fmt == "csv":
        return csv_response(filename=filename, sheets=sheets)
    return xlsx_response(filename=filename, sheets=sheets)


# The work queue ---------------------------------------------------------------------------


def queue_header():
    return [
        _("Aktenzeichen"),
        _("Titel"),
        _("Organisation"),
        _("Art der Organisation"),
        _("Gemeinde"),
        _("Förderprogramm"),
        _("Haushaltsjahr"),
        _("Handlungsfelder"),
        _("Status"),
        _("eingereicht am"),
        _("beantragt (€)"),
        _("bewilligt (€)"),
        _("Zuständig"),
    ]


def queue_rows(queryset):
    """One row per case, read from the database in chunks."""
    queryset = queryset.select_related("organisation", "programme", "assigned_to").prefetch_related(
        "handlungsfelder"
    )
    for application in queryset.iterator(chunk_size=CHUNK_SIZE):
        yield [
            application.reference,
            application.title,
            application.organisation.name,
            application.organisation.get_kind_display(),
            application.organisation.municipality,
            application.programme.title,
            application.programme.budget_year,
            ", ".join(field.name for field in application.handlungsfelder.all()),
            application.get_status_display(),
            application.submitted_at,
            Money(application.requested_amount),
            Money(application.granted_amount) if application.granted_amount is not None else None,
            (
                application.assigned_to.get_full_name() or application.assigned_to.email
                if application.assigned_to
                else ""
            ),
        ]


# The Auswertung ---------------------------------------------------------------------------


def _figures_header(first):
    return [
        first,
        _("Anträge"),
        _("beantragt (€)"),
        _("bewilligt (€)"),
        _("ausgezahlt (€)"),
        _("zurückgezahlt (€)"),
        _("Bewilligungsquote (%)"),
    ]


def _figures_row(label, row):
    return [
        str(label),
        row["count"],
        Money(row["requested"]),
        Money(row["approved"]),
        Money(row["paid"]),
        Money(row["returned"]),
        row["approval_rate"],
    ]


def statistics_sheets(figures):
    statuses = figures["statuses"]
    programme_header = [
        _("Förderprogramm"),
        _("Haushaltsjahr"),
        _("Anträge"),
        *[label for _value, label in statuses],
        _("beantragt (€)"),
        _("bewilligt (€)"),
        _("ausgezahlt (€)"),
        _("zurückgezahlt (€)"),
        _("Bewilligungsquote (%)"),
        _("Bearbeitungszeit (Median, Tage)"),
    ]
    programme_rows = [
        [
            row["programme"].title,
            row["programme"].budget_year,
            row["count"],
            *[entry["count"] for entry in row["by_status"]],
            Money(row["requested"]),
            Money(row["approved"]),
            Money(row["paid"]),
            Money(row["returned"]),
            row["approval_rate"],
            row["median_days"],
        ]
        for row in figures["by_programme"]
    ]
    return [
        (_("Förderprogramme"), programme_header, programme_rows),
        (
            _("Handlungsfelder"),
            _figures_header(_("Handlungsfeld")),
            [_figures_row(row["label"], row) for row in figures["by_handlungsfeld"]],
        ),
        (
            _("Art der Organisation"),
            _figures_header(_("Art der Organisation")),
            [_figures_row(row["label"], row) for row in figures["by_organisation_kind"]],
        ),
        (
            _("Gemeinden"),
            _figures_header(_("Gemeinde")),
            [_figures_row(row["label"], row) for row in figures["by_municipality"]],
        ),
    ]
