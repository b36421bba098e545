"""CSV and XLSX exports of the work queue and the Auswertung.

CSV is UTF-8 with a byte order mark and semicolons, with German dates and numbers, so that
Excel opens it correctly; it is written row by row into a streaming response. XLSX is built
by openpyxl in write-only mode, which keeps rows in a temporary file rather than in memory,
and the finished file is streamed from disk, so no export sits in memory as a whole. XLSX
stops at ``XLSX_MAX_ROWS`` rows: building more would take minutes of a web worker, and CSV
carries any number of rows.
"""

import csv
import tempfile
from collections import defaultdict
from datetime import date, datetime
from decimal import Decimal
from itertools import islice

from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

CHUNK_SIZE = 2000
# Building an XLSX costs far more than writing CSV; above this many rows the portal offers CSV.
XLSX_MAX_ROWS = 100_000
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


QUEUE_FIELDS = [
    "pk",
    "reference",
    "title",
    "organisation__name",
    "organisation__kind",
    "organisation__municipality",
    "programme__title",
    "programme__budget_year",
    "status",
    "submitted_at",
    "requested_amount",
    "granted_amount",
    "assigned_to__first_name",
    "assigned_to__last_name",
    "assigned_to__email",
]


def queue_rows(queryset):
    """One row per case, read from the database in chunks.

    Plain tuples rather than model instances, and the Handlungsfelder of each chunk in one
    query: an export of 100.000 cases costs seconds, not minutes.
    """
    from accounts.models import OrganisationKind

    from .models import Application, ApplicationStatus

    statuses = dict(ApplicationStatus.choices)
    kinds = dict(OrganisationKind.choices)
    rows = (
        queryset.prefetch_related(None).values_list(*QUEUE_FIELDS).iterator(chunk_size=CHUNK_SIZE)
    )
    links = Application.handlungsfelder.through.objects.select_related("handlungsfeld")
    while chunk := list(islice(rows, CHUNK_SIZE)):
        fields = defaultdict(list)
        for link in links.filter(application_id__in=[row[0] for row in chunk]).order_by(
            "handlungsfeld__order", "handlungsfeld__name_de"
        ):
            fields[link.application_id].append(link.handlungsfeld.name)
        for (
            pk,
            reference,
            title,
            organisation,
            kind,
            municipality,
            programme,
            budget_year,
            status,
            submitted_at,
            requested,
            granted,
            first_name,
            last_name,
            email,
        ) in chunk:
            yield [
                reference,
                title,
                organisation,
                str(kinds.get(kind, kind)),
                municipality,
                programme,
                budget_year,
                ", ".join(fields[pk]),
                str(statuses.get(status, status)),
                submitted_at,
                Money(requested),
                Money(granted) if granted is not None else None,
                f"{first_name} {last_name}".strip() or email or "",
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
