"""Verwendungsnachweis: due date, receipts import (all or nothing), comparison, check and close."""

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts import permissions as account_permissions
from kitz_portal.errors import PortalError
from kitz_portal.money import parse_amount

from .exports import Money, export_response
from .finality import add_months
from .letters import USAGE_REPORT_MONTHS
from .models import ZERO, Application, ApplicationEvent, ApplicationStatus, CostCategory
from .payments import _notify_members, _notify_user
from .permissions import can_work_on_case, is_applicant_for
from .revocation_models import OPEN_REVOCATION_STATUSES
from .services import MAX_TOTAL_ATTACHMENT_SIZE, store_attachment
from .usage_models import (
    Receipt,
    UsageAttachment,
    UsageCheckAnswer,
    UsageCheckItem,
    UsageCheckOutcome,
    UsageReport,
    UsageReportStatus,
)

RECEIPT_COLUMNS = ["Datum", "Zahlungsempfänger", "Zweck", "Kostenart", "Betrag"]
MAX_RECEIPT_ROWS = 1000
DEVIATION_LIMIT = Decimal("0.20")
REMIND_DAYS_BEFORE = 14
REMIND_EVERY_DAYS = 7


def usage_report_for(application):
    """The report of an approved case; due 3 months after the Bewilligungszeitraum ends."""
    report = UsageReport.objects.filter(application=application).first()
    if report is None:
        due_on = add_months(application.decision.period_end, USAGE_REPORT_MONTHS)
        report, _created = UsageReport.objects.get_or_create(
            application=application, defaults={"due_on": due_on}
        )
    return report


class ReceiptImportError(PortalError):
    """Every problem of an import file, each naming its row and column."""

    def __init__(self, problems):
        self.problems = problems
        super().__init__(
            _("Die Datei wurde nicht übernommen: %(count)s Fehler.") % {"count": len(problems)}
        )


@dataclass
class ReceiptRow:
    paid_on: object
    payee: str
    purpose: str
    category: CostCategory
    amount: Decimal


def _table_from_upload(filename, data):
    if filename.lower().endswith(".xlsx"):
        from openpyxl import load_workbook

        try:
            sheet = load_workbook(io.BytesIO(data), read_only=True, data_only=True).active
        except Exception:
            raise ReceiptImportError(
                [_("Die Datei ist keine lesbare Excel-Datei (XLSX).")]
            ) from None
        return [list(row) for row in sheet.iter_rows(values_only=True)]
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ReceiptImportError(
            [
                _(
                    "Die Datei ist nicht in UTF-8 gespeichert. Bitte speichern Sie sie als "
                    "„CSV UTF-8 (durch Trennzeichen getrennt)“ oder nutzen Sie die Vorlage."
                )
            ]
        ) from None
    return list(csv.reader(io.StringIO(text), delimiter=";"))


def _cell_text(value):
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%d.%m.%Y")
    return str(value).strip()


def parse_receipts(*, filename, data, application):
    """Read and check every row; raise with all problems, or return the rows to save."""
    table = [row for row in _table_from_upload(filename, data) if any(_cell_text(c) for c in row)]
    if not table:
        raise ReceiptImportError([_("Die Datei enthält keine Zeilen.")])
    header = [_cell_text(cell) for cell in table[0]]
    header = header[: len(RECEIPT_COLUMNS)] if len(header) >= len(RECEIPT_COLUMNS) else header
    problems = []
    for index, expected in enumerate(RECEIPT_COLUMNS):
        found = header[index] if index < len(header) else ""
        if found != expected:
            problems.append(
                _("Spalte %(number)s: erwartet „%(expected)s“, gefunden „%(found)s“.")
                % {"number": index + 1, "expected": expected, "found": found}
            )
    if problems:
        raise ReceiptImportError(problems)
    rows = table[1:]
    if len(rows) > MAX_RECEIPT_ROWS:
        raise ReceiptImportError(
            [
                _("Die Datei hat %(count)s Belegzeilen; höchstens %(max)s sind möglich.")
                % {"count": len(rows), "max": MAX_RECEIPT_ROWS}
            ]
        )
    decision = application.decision
    categories = {}
    for category in CostCategory.objects.all():
        categories[category.code.lower()] = category
        categories[category.name_de.lower()] = category
    eligible = set(application.programme.eligible_cost_categories.values_list("pk", flat=True))
    parsed = []
    for number, row in enumerate(rows, start=2):
        cells = dict(zip(RECEIPT_COLUMNS, [*row, *[None] * len(RECEIPT_COLUMNS)], strict=False))

        def problem(column, message, number=number):
            problems.append(
                _("Zeile %(row)s, Spalte „%(column)s“: %(message)s")
                % {"row": number, "column": column, "message": message}
            )

        raw_date = cells["Datum"]
        paid_on = raw_date.date() if isinstance(raw_date, datetime) else None
        if paid_on is None:
            try:
                paid_on = datetime.strptime(_cell_text(raw_date), "%d.%m.%Y").date()
            except ValueError:
                problem("Datum", _("kein Datum im Format TT.MM.JJJJ"))
        if paid_on is not None and not (decision.period_start <= paid_on <= decision.period_end):
            problem(
                "Datum",
                _("liegt außerhalb des Bewilligungszeitraums %(start)s bis %(end)s")
                % {
                    "start": decision.period_start.strftime("%d.%m.%Y"),
                    "end": decision.period_end.strftime("%d.%m.%Y"),
                },
            )
        payee = _cell_text(cells["Zahlungsempfänger"])
        if not payee:
            problem("Zahlungsempfänger", _("fehlt"))
        purpose = _cell_text(cells["Zweck"])
        if not purpose:
            problem("Zweck", _("fehlt"))
        category = categories.get(_cell_text(cells["Kostenart"]).lower())
        if category is None:
            problem(
                "Kostenart", _("unbekannte Kostenart „%(value)s“") % {"value": cells["Kostenart"]}
            )
        elif category.pk not in eligible:
            problem(
                "Kostenart", _("„%(value)s“ ist nicht förderfähig") % {"value": category.name_de}
            )
        raw_amount = cells["Betrag"]
        if isinstance(raw_amount, int | float | Decimal):
            amount = Decimal(str(raw_amount)).quantize(Decimal("0.01"))
        else:
            amount = parse_amount(_cell_text(raw_amount))
        if amount is None:
            problem("Betrag", _("kein Betrag, zum Beispiel 1.234,56"))
        elif amount <= 0:
            problem("Betrag", _("muss größer als 0 sein"))
        if not problems:
            parsed.append(ReceiptRow(paid_on, payee[:200], purpose[:300], category, amount))
    if problems:
        raise ReceiptImportError(problems)
    return parsed


def _open_report(*, actor, application):
    application = Application.objects.select_for_update(of=("self",)).get(pk=application.pk)
    if not is_applicant_for(actor, application):
        raise PortalError(_("Sie gehören nicht zu der Organisation dieses Antrags."))
    if application.status != ApplicationStatus.APPROVED:
        raise PortalError(_("Für diesen Antrag ist kein Verwendungsnachweis offen."))
    report = UsageReport.objects.select_for_update().get(pk=usage_report_for(application).pk)
    if report.status != UsageReportStatus.OPEN:
        raise PortalError(_("Der Verwendungsnachweis ist bereits eingereicht."))
    return application, report


@transaction.atomic
def import_receipts(*, actor, application, filename, data):
    """Replace the receipts with the rows of the file: all of them, or none."""
    application, report = _open_report(actor=actor, application=application)
    rows = parse_receipts(filename=filename, data=data, application=application)
    report.receipts.all().delete()
    Receipt.objects.bulk_create(
        Receipt(
            report=report,
            paid_on=row.paid_on,
            payee=row.payee,
            purpose=row.purpose,
            category=row.category,
            amount=row.amount,
        )
        for row in rows
    )
    return report


def receipts_template(file_format):
    """The Belegliste template as a download: one example row in CSV, the codes in XLSX."""
    if file_format == "csv":
        example = [date(2027, 3, 15), "Muster GmbH", "Raummiete Gemeindehaus", "room_rent"]
        sheets = [("Belege", RECEIPT_COLUMNS, [[*example, Money("120.00")]])]
    else:
        codes = [
            [category.code, category.name_de] for category in CostCategory.objects.order_by("order")
        ]
        sheets = [
            ("Belege", RECEIPT_COLUMNS, []),
            ("Kostenarten", ["Kostenart", "Bezeichnung"], codes),
        ]
    return export_response(fmt=file_format, filename="KITZ-Belegliste", sheets=sheets)


def cost_comparison(report):
    """Planned and actual costs per category; deviations above 20 % and ineligible ones flagged."""
    application = report.application
    planned = {}
    for item in application.cost_items.select_related("category"):
        planned[item.category] = planned.get(item.category, ZERO) + item.total
    actual = {
        row["category"]: row["total"]
        for row in report.receipts.values("category").annotate(total=Sum("amount"))
    }
    eligible = set(application.programme.eligible_cost_categories.values_list("pk", flat=True))
    categories = {category.pk: category for category in planned}
    categories.update(
        {c.pk: c for c in CostCategory.objects.filter(pk__in=actual) if c.pk not in categories}
    )
    rows = []
    for pk, category in sorted(categories.items(), key=lambda item: item[1].order):
        plan = planned.get(category, ZERO)
        spent = actual.get(pk, ZERO)
        deviation = ((spent - plan) / plan) if plan else (Decimal("1") if spent else ZERO)
        rows.append(
            {
                "category": category,
                "planned": plan,
                "actual": spent,
                "deviation": deviation,
                "flagged": abs(deviation) > DEVIATION_LIMIT,
                "ineligible": pk not in eligible,
            }
        )
    return rows


def _event(application, *, actor, note, to_status=None):
    ApplicationEvent.objects.create(
        application=application,
        actor=actor,
        from_status=application.status,
        to_status=to_status or application.status,
        note=str(note),
    )


def _context(application):
    return {
        "reference": application.reference,
        "title": application.title,
        "application_id": application.pk,
    }


@transaction.atomic
def submit_usage_report(*, actor, application, activities, participants, publicity):
    application, report = _open_report(actor=actor, application=application)
    problems = {
        "activities": activities,
        "participants": participants,
        "publicity": publicity,
    }
    for field, value in problems.items():
        if not (value or "").strip():
            raise PortalError(_("Bitte füllen Sie dieses Feld aus."), field=field)
    if not report.receipts.exists():
        raise PortalError(_("Bitte erfassen oder importieren Sie zuerst die Belege."))
    report.activities, report.participants, report.publicity = activities, participants, publicity
    report.status = UsageReportStatus.SUBMITTED
    report.submitted_at = timezone.now()
    report.submitted_by = actor
    report.save()
    _event(application, actor=actor, note=_("Verwendungsnachweis eingereicht."))
    _notify_user(
        application.assigned_to,
        template="emails/applications/usage_report_submitted",
        context=_context(application),
    )
    return report


def _locked_staff_report(*, actor, application, allowed):
    application = Application.objects.select_for_update(of=("self",)).get(pk=application.pk)
    if not can_work_on_case(actor, application):
        raise PortalError(_("Dafür fehlt Ihnen die Berechtigung."))
    report = UsageReport.objects.select_for_update().filter(application=application).first()
    if report is None or report.status != allowed:
        raise PortalError(_("Der Verwendungsnachweis ist nicht in dem Stand für diesen Schritt."))
    return application, report


@transaction.atomic
def check_usage_report(*, actor, application, answers, remarks=""):
    """The case handler's check along the checklist; a second person confirms it.

    ``answers`` maps every ``UsageCheckItem`` to ``(outcome, remark)``.
    """
    application, report = _locked_staff_report(
        actor=actor, application=application, allowed=UsageReportStatus.SUBMITTED
    )
    rows = []
    for item in UsageCheckItem:
        outcome, remark = answers.get(item.value, ("", ""))
        remark = (remark or "").strip()
        if outcome not in UsageCheckOutcome.values:
            raise PortalError(_("Bitte beantworten Sie diesen Prüfpunkt."), field=item.value)
        if outcome == UsageCheckOutcome.NOT_MET and not remark:
            raise PortalError(
                _("Bitte begründen Sie, warum dieser Punkt nicht erfüllt ist."),
                field=f"{item.value}_remark",
            )
        rows.append(UsageCheckAnswer(report=report, item=item, outcome=outcome, remark=remark))
    report.check_answers.all().delete()
    UsageCheckAnswer.objects.bulk_create(rows)
    report.status = UsageReportStatus.CHECKED
    report.checked_by = actor
    report.check_remarks = remarks
    report.save(update_fields=["status", "checked_by", "check_remarks"])
    _event(application, actor=actor, note=_("Verwendungsnachweis geprüft."))
    return report


@transaction.atomic
def confirm_usage_report(*, actor, application, note="", repayment_needed=False):
    """Four-eyes: another person with signing authority confirms; the case is closed,
    or with ``repayment_needed`` stays open for the Anhörung of a Widerruf."""
    application, report = _locked_staff_report(
        actor=actor, application=application, allowed=UsageReportStatus.CHECKED
    )
    if not account_permissions.has_signing_authority(actor):
        raise PortalError(_("Das Prüfergebnis bestätigen nur Zeichnungsbefugte."))
    if report.checked_by_id == actor.pk:
        raise PortalError(
            _(
                "Sie haben den Verwendungsnachweis geprüft. Bestätigen muss eine andere Person "
                "(Vier-Augen-Prinzip)."
            )
        )
    running = application.revocation_procedures.filter(status__in=OPEN_REVOCATION_STATUSES).exists()
    if not repayment_needed and (application.status == ApplicationStatus.REVOKED or running):
        raise PortalError(_("Zu diesem Fall läuft ein Widerruf; er wird danach abgeschlossen."))
    report.status = UsageReportStatus.ACCEPTED
    report.confirmed_by = actor
    report.confirmed_at = timezone.now()
    report.save(update_fields=["status", "confirmed_by", "confirmed_at"])
    if repayment_needed:
        _event(
            application,
            actor=actor,
            note=note or _("Verwendungsnachweis geprüft: Rückforderung nötig, Anhörung folgt."),
        )
        return report
    _event(
        application,
        actor=actor,
        to_status=ApplicationStatus.CLOSED,
        note=note or _("Verwendungsnachweis anerkannt; die Förderung ist abgeschlossen."),
    )
    application.status = ApplicationStatus.CLOSED
    application.save(update_fields=["status", "updated_at"])
    _notify_members(
        application, template="emails/applications/case_closed", context=_context(application)
    )
    return report


def reminder_kind(report, today):
    """Which reminder is due today, if any: before, on the due date, then weekly."""
    if report.status != UsageReportStatus.OPEN:
        return None
    if today > report.due_on:
        last = report.last_overdue_reminder_on
        if last is None or today - last >= timedelta(days=REMIND_EVERY_DAYS):
            return "overdue"
        return None
    if today == report.due_on:
        return None if report.reminded_due_on else "due"
    if (
        report.due_on - today <= timedelta(days=REMIND_DAYS_BEFORE)
        and not report.reminded_before_on
    ):
        return "before"
    return None


REMINDER_STAMPS = {
    "before": "reminded_before_on",
    "due": "reminded_due_on",
    "overdue": "last_overdue_reminder_on",
}


@transaction.atomic
def send_usage_report_reminder(*, report_id, today):
    """Stamp and notify under a row lock, so two runs on the same day send once."""
    report = (
        UsageReport.objects.select_for_update(of=("self",))
        .select_related("application", "application__organisation")
        .get(pk=report_id)
    )
    kind = reminder_kind(report, today)
    if kind is None:
        return None
    setattr(report, REMINDER_STAMPS[kind], today)
    report.save(update_fields=[REMINDER_STAMPS[kind]])
    _notify_members(
        report.application,
        template="emails/applications/usage_report_reminder",
        context={**_context(report.application), "due_on": report.due_on.strftime("%d.%m.%Y")},
    )
    return kind


@transaction.atomic
def add_receipt(*, actor, application, paid_on, payee, purpose, category, amount):
    """One receipt typed into the table; the same rules as for an imported row."""
    application, report = _open_report(actor=actor, application=application)
    decision = application.decision
    if not (decision.period_start <= paid_on <= decision.period_end):
        raise PortalError(
            _("Das Datum liegt außerhalb des Bewilligungszeitraums %(start)s bis %(end)s.")
            % {
                "start": decision.period_start.strftime("%d.%m.%Y"),
                "end": decision.period_end.strftime("%d.%m.%Y"),
            },
            field="paid_on",
        )
    if amount is None or amount <= 0:
        raise PortalError(_("Der Betrag muss größer als 0 sein."), field="amount")
    if not application.programme.eligible_cost_categories.filter(pk=category.pk).exists():
        raise PortalError(_("Diese Kostenart ist nicht förderfähig."), field="category")
    return Receipt.objects.create(
        report=report,
        paid_on=paid_on,
        payee=payee,
        purpose=purpose,
        category=category,
        amount=amount,
    )


def checklist_of(report):
    """The answered checklist in the order of the items, for the staff and the confirmation."""
    order = {item.value: index for index, item in enumerate(UsageCheckItem)}
    return sorted(report.check_answers.all(), key=lambda answer: order.get(answer.item, 99))


@transaction.atomic
def add_usage_attachment(*, actor, application, upload, content_type, description=""):
    """Store a checked upload with the open report; the total stays within the limit."""
    application, report = _open_report(actor=actor, application=application)
    attachment = UsageAttachment(
        report=report,
        original_name=upload.name,
        content_type=content_type,
        size=upload.size,
        description=description,
        uploaded_by=actor,
    )
    return store_attachment(
        attachment, upload, stored=report.attachments.all(), limit=MAX_TOTAL_ATTACHMENT_SIZE
    )


@transaction.atomic
def delete_usage_attachment(*, actor, application, attachment_id):
    application, report = _open_report(actor=actor, application=application)
    attachment = report.attachments.filter(pk=attachment_id).first()
    if attachment is None:
        return False
    storage, name = attachment.file.storage, attachment.file.name
    attachment.delete()
    transaction.on_commit(lambda: storage.delete(name))
    return True
