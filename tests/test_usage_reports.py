"""Verwendungsnachweis: due date, receipts import all-or-nothing, comparison, reminders, close."""

import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from openpyxl import Workbook, load_workbook

from accounts.models import Notification
from applications import usage_reports
from applications.finality import add_months
from applications.models import ApplicationStatus, Receipt, UsageReport, UsageReportStatus
from applications.tasks import remind_usage_reports
from applications.usage_reports import (
    RECEIPT_COLUMNS,
    ReceiptImportError,
    import_receipts,
    usage_report_for,
)
from kitz_portal.errors import PortalError
from tests.factories import signing_authority
from tests.post_helpers import approved_case, checklist_all_met

pytestmark = pytest.mark.django_db


def d(day):
    return day.strftime("%d.%m.%Y")


def csv_bytes(rows, header=RECEIPT_COLUMNS, encoding="utf-8"):
    lines = [";".join(header)] + [";".join(row) for row in rows]
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


def content(response):
    return b"".join(response.streaming_content)


def good_rows(case):
    start = case.application.decision.period_start
    return [
        [d(start), "Anna Schmidt", "Honorar Sprachkurs", "fees", "1.200,00"],
        [
            d(start + timedelta(days=3)),
            "Druckerei Nord",
            "Flyer",
            "Druck und Öffentlichkeitsarbeit",
            "80,50",
        ],
    ]


def test_the_report_is_due_three_months_after_the_grant_period():
    case = approved_case()
    report = usage_report_for(case.application)
    assert report.due_on == add_months(case.application.decision.period_end, 3)
    assert usage_report_for(case.application).pk == report.pk


def test_a_good_csv_is_imported_completely():
    case = approved_case()
    import_receipts(
        actor=case.member,
        application=case.application,
        filename="belege.csv",
        data=b"\xef\xbb\xbf" + csv_bytes(good_rows(case)),
    )
    receipts = Receipt.objects.filter(report__application=case.application)
    assert receipts.count() == 2
    assert sum(r.amount for r in receipts) == Decimal("1280.50")


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            lambda rows: rows[1].__setitem__(4, "-80,50"),
            "Zeile 3, Spalte „Betrag“: muss größer als 0",
        ),
        (
            lambda rows: rows[0].__setitem__(0, "01.01.2020"),
            "Zeile 2, Spalte „Datum“: liegt außerhalb",
        ),
        (lambda rows: rows[1].__setitem__(3, "Alkohol"), "Zeile 3, Spalte „Kostenart“: unbekannte"),
        (lambda rows: rows[0].__setitem__(1, ""), "Zeile 2, Spalte „Zahlungsempfänger“: fehlt"),
        (lambda rows: rows[0].__setitem__(0, "2027-03-01"), "Zeile 2, Spalte „Datum“: kein Datum"),
    ],
)
def test_a_bad_row_is_named_and_nothing_is_imported(change, expected):
    case = approved_case()
    import_receipts(
        actor=case.member,
        application=case.application,
        filename="belege.csv",
        data=csv_bytes(good_rows(case)[:1]),
    )
    rows = good_rows(case)
    change(rows)
    with pytest.raises(ReceiptImportError) as error:
        import_receipts(
            actor=case.member, application=case.application, filename="b.csv", data=csv_bytes(rows)
        )
    assert any(expected in str(problem) for problem in error.value.problems), error.value.problems
    assert Receipt.objects.count() == 1  # the earlier import stays as it was


def test_a_wrong_column_a_wrong_encoding_and_too_many_rows_are_refused():
    case = approved_case()
    header = [*RECEIPT_COLUMNS[:4], "Summe"]
    with pytest.raises(ReceiptImportError) as column:
        import_receipts(
            actor=case.member,
            application=case.application,
            filename="b.csv",
            data=csv_bytes(good_rows(case), header=header),
        )
    assert "Spalte 5: erwartet „Betrag“, gefunden „Summe“." in column.value.problems[0]
    with pytest.raises(ReceiptImportError) as encoding:
        import_receipts(
            actor=case.member,
            application=case.application,
            filename="b.csv",
            data=csv_bytes(good_rows(case), encoding="cp1252"),
        )
    assert "UTF-8" in str(encoding.value.problems[0])
    many = good_rows(case)[:1] * 10_000
    with pytest.raises(ReceiptImportError) as too_many:
        import_receipts(
            actor=case.member, application=case.application, filename="b.csv", data=csv_bytes(many)
        )
    assert "10000" in str(too_many.value.problems[0]).replace(".", "")
    assert not Receipt.objects.exists()


def test_the_xlsx_template_round_trips_through_the_import():
    case = approved_case()
    template = load_workbook(io.BytesIO(content(usage_reports.receipts_template("xlsx"))))
    assert [c.value for c in template.active[1]] == RECEIPT_COLUMNS
    workbook = Workbook()
    workbook.active.append(RECEIPT_COLUMNS)
    start = case.application.decision.period_start
    workbook.active.append([start, "Anna Schmidt", "Honorar", "fees", 1200.5])
    buffer = io.BytesIO()
    workbook.save(buffer)
    import_receipts(
        actor=case.member, application=case.application, filename="b.xlsx", data=buffer.getvalue()
    )
    receipt = Receipt.objects.get()
    assert (receipt.paid_on, receipt.amount) == (start, Decimal("1200.50"))
    csv_template = content(usage_reports.receipts_template("csv"))
    assert csv_template.startswith("\ufeff".encode()) and b"Datum;Zahlungsempf" in csv_template


def test_deviations_above_twenty_percent_are_flagged_per_category():
    case = approved_case()
    import_receipts(
        actor=case.member,
        application=case.application,
        filename="b.csv",
        data=csv_bytes(good_rows(case)),
    )
    rows = {
        row["category"].code: row
        for row in usage_reports.cost_comparison(usage_report_for(case.application))
    }
    for row in rows.values():
        expected = abs(row["actual"] - row["planned"]) > row["planned"] * Decimal("0.2")
        assert row["flagged"] == (expected or (row["planned"] == 0 and row["actual"] > 0))
    assert rows["publicity"]["actual"] == Decimal("80.50")


def submitted(case):
    import_receipts(
        actor=case.member,
        application=case.application,
        filename="b.csv",
        data=csv_bytes(good_rows(case)),
    )
    return usage_reports.submit_usage_report(
        actor=case.member,
        application=case.application,
        activities="20 Termine Sprachcafé",
        participants="Neuzugewanderte: 35, Einheimische: 12",
        publicity="Logo des Kreises auf allen Flyern",
    )


def test_submit_check_and_confirm_close_the_case_with_four_eyes():
    case = approved_case()
    with pytest.raises(PortalError) as empty:
        usage_reports.submit_usage_report(
            actor=case.member,
            application=case.application,
            activities="",
            participants="x",
            publicity="x",
        )
    assert empty.value.field == "activities"
    submitted(case)
    with pytest.raises(PortalError):
        import_receipts(
            actor=case.member,
            application=case.application,
            filename="b.csv",
            data=csv_bytes(good_rows(case)),
        )
    usage_reports.check_usage_report(
        actor=case.lead, application=case.application, answers=checklist_all_met(), remarks="passt"
    )
    with pytest.raises(PortalError) as same:
        usage_reports.confirm_usage_report(actor=case.lead, application=case.application)
    assert "Vier-Augen-Prinzip" in same.value.message
    report = UsageReport.objects.get()
    with pytest.raises(IntegrityError), transaction.atomic():
        UsageReport.objects.filter(pk=report.pk).update(confirmed_by=case.lead)
    usage_reports.confirm_usage_report(actor=signing_authority(), application=case.application)
    case.application.refresh_from_db()
    assert case.application.status == ApplicationStatus.CLOSED
    assert UsageReport.objects.get().status == UsageReportStatus.ACCEPTED
    assert case.application.events.filter(to_status="closed").exists()
    assert Notification.objects.filter(template="emails/applications/case_closed").exists()


def reminders():
    return Notification.objects.filter(template="emails/applications/usage_report_reminder").count()


def test_reminders_come_14_days_before_on_the_due_date_then_weekly_and_only_once(monkeypatch):
    from django.utils import timezone

    case = approved_case()
    report = usage_report_for(case.application)
    members = case.application.organisation.memberships.count()
    for offset, expected in [(-20, 0), (-14, 1), (-13, 1), (0, 2), (0, 2), (3, 3), (5, 3), (10, 4)]:
        today = report.due_on + timedelta(days=offset)
        monkeypatch.setattr(timezone, "localdate", lambda *args, today=today: today)
        remind_usage_reports()
        assert reminders() == expected * members, offset
