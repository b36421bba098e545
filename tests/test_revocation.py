"""Widerruf und Rückforderung: every rule and refusal of the services, the letters, the money."""

import io
import re
from datetime import timedelta
from decimal import Decimal

import pypdf
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import Membership, Notification
from applications import revocation, usage_reports
from applications.letters import add_months
from applications.models import (
    ApplicationStatus,
    DecisionLetter,
    Repayment,
    RepaymentReceipt,
    RevocationProcedure,
    RevocationStatus,
    UsageReportStatus,
)
from applications.selectors import budget_overview
from applications.statistics import payments_by
from kitz_portal.errors import PortalError
from tests.application_helpers import PDF_BYTES
from tests.factories import UserFactory, case_handler, signing_authority
from tests.post_helpers import approved_case, checklist_all_met
from tests.revocation_helpers import (
    let_deadline_pass,
    paid_case,
    propose,
    revoked_case,
    start_hearing,
)

pytestmark = pytest.mark.django_db


def text_of(file_field):
    with file_field.open("rb") as handle:
        reader = pypdf.PdfReader(io.BytesIO(handle.read()))
    text = "\n".join(page.extract_text() for page in reader.pages)
    return re.sub(r"\s+", " ", text.replace("\u00a0", " ")), reader


def d(day):
    return day.strftime("%d.%m.%Y")


def notified(template, **filters):
    return Notification.objects.filter(template=f"emails/applications/{template}", **filters)


# Anhörung --------------------------------------------------------------------------------


def test_case_handler_starts_a_hearing_the_letter_is_stored_and_members_hear_of_it():
    case = paid_case("1000.00")
    due = timezone.localdate() + timedelta(days=14)

    procedure = start_hearing(case, amount="400.00")

    assert procedure.status == RevocationStatus.HEARING
    assert procedure.paid_amount == Decimal("1000.00")
    assert procedure.answer_due_on == due
    text, reader = text_of(procedure.hearing_file)
    assert "Anhörung vor einem Widerruf" in text
    assert case.application.reference in text
    assert "400,00 €" in text
    assert "vierhundert Euro" in text
    assert d(due) in text
    assert "5 Prozentpunkte über dem jeweiligen Basiszinssatz nach § 247 BGB" in text
    assert "§ 117a LVwG" in text
    catalog = reader.trailer["/Root"]
    assert catalog["/Lang"] == "de" and "/StructTreeRoot" in catalog
    with procedure.hearing_file.open("rb") as handle:
        import hashlib

        assert hashlib.sha256(handle.read()).hexdigest() == procedure.hearing_sha256
    assert case.application.events.filter(note__contains="Anhörung vor einem Widerruf").exists()
    assert notified("revocation_hearing", recipient=case.member).exists()


def test_a_full_revocation_asks_back_everything_paid_out():
    case = paid_case("1000.00")
    procedure = start_hearing(case, scope="full", amount=None)
    assert procedure.intended_amount == Decimal("1000.00")


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"amount": "0.00"}, "amount", "über 0 €"),
        ({"amount": "1000.01"}, "amount", "1.000,00"),
        ({"scope": "full", "amount": "999.00"}, "amount", "teilweisen Widerruf"),
        ({"reason": "  "}, "reason", "Grund"),
        ({"days": 6}, "answer_due_on", "mindestens 7 Tage"),
    ],
)
def test_bad_hearing_input_is_refused_at_the_field_and_nothing_is_saved(overrides, field, message):
    case = paid_case("1000.00")
    with pytest.raises(PortalError) as error:
        start_hearing(case, **overrides)
    assert error.value.field == field
    assert message in error.value.message
    assert not RevocationProcedure.objects.exists()
    assert not notified("revocation_hearing").exists()


def test_a_seven_day_deadline_is_the_shortest_allowed():
    case = paid_case()
    assert start_hearing(case, days=7).answer_due_on == timezone.localdate() + timedelta(days=7)


def test_only_one_open_procedure_per_case():
    case = paid_case()
    start_hearing(case)
    with pytest.raises(PortalError) as error:
        start_hearing(case)
    assert "bereits ein Widerrufsverfahren" in error.value.message
    assert RevocationProcedure.objects.count() == 1


def test_the_database_refuses_a_second_open_procedure():
    case = paid_case()
    procedure = start_hearing(case)
    with pytest.raises(IntegrityError), transaction.atomic():
        RevocationProcedure.objects.create(
            application=case.application,
            scope="partial",
            reason="x",
            intended_amount=Decimal("1.00"),
            paid_amount=Decimal("1.00"),
            answer_due_on=procedure.answer_due_on,
            started_by=case.handler,
            hearing_file=procedure.hearing_file.name,
            hearing_sha256=procedure.hearing_sha256,
        )


def test_nothing_paid_out_means_nothing_to_revoke():
    case = approved_case()
    with pytest.raises(PortalError) as error:
        start_hearing(case)
    assert "noch nichts ausgezahlt" in error.value.message


@pytest.mark.parametrize(
    "status",
    [ApplicationStatus.CLOSED, ApplicationStatus.REVOKED, ApplicationStatus.REJECTED],
)
def test_a_closed_revoked_or_rejected_case_cannot_be_heard(status):
    case = paid_case()
    type(case.application).objects.filter(pk=case.application.pk).update(status=status)
    with pytest.raises(PortalError) as error:
        start_hearing(case)
    assert "nur bei einer bestehenden Bewilligung" in error.value.message


def test_members_administrators_and_staff_of_the_organisation_cannot_start_a_hearing():
    case = paid_case()
    conflicted = case_handler()
    Membership.objects.create(user=conflicted, organisation=case.application.organisation)
    for person in [case.member, UserFactory(roles=["administration"]), conflicted]:
        with pytest.raises(PortalError):
            start_hearing(case, actor=person)
    assert not RevocationProcedure.objects.exists()


def test_the_hearing_letter_is_immutable():
    procedure = start_hearing(paid_case())
    procedure.hearing_sha256 = "0" * 64
    with pytest.raises(ValidationError):
        procedure.save()


# Stellungnahme ---------------------------------------------------------------------------


def test_applicant_answers_with_an_attachment_and_the_case_handler_hears_of_it():
    case = paid_case()
    case.application.assigned_to = case.handler
    case.application.save()
    start_hearing(case)
    upload = SimpleUploadedFile("belege.pdf", PDF_BYTES)

    procedure = revocation.answer_hearing(
        actor=case.member,
        application=case.application,
        answer="Die Veranstaltung wurde in den Juni verschoben.",
        upload=(upload, "application/pdf"),
    )

    assert procedure.answered_by == case.member
    assert procedure.answer_attachment.original_name == "belege.pdf"
    assert procedure.answer_attachment.application == case.application
    assert case.application.events.filter(note__contains="Stellungnahme").exists()
    assert notified("revocation_answered", recipient=case.handler).exists()


def test_after_the_deadline_answering_is_refused_with_the_reason():
    case = paid_case()
    procedure = let_deadline_pass(start_hearing(case))
    with pytest.raises(PortalError) as error:
        revocation.answer_hearing(actor=case.member, application=case.application, answer="Zu spät")
    assert "abgelaufen" in error.value.message
    assert d(procedure.answer_due_on) in error.value.message
    procedure.refresh_from_db()
    assert procedure.answered_at is None


def test_an_empty_answer_is_refused_at_the_field_and_a_second_answer_is_refused():
    case = paid_case()
    start_hearing(case)
    with pytest.raises(PortalError) as empty:
        revocation.answer_hearing(actor=case.member, application=case.application, answer=" ")
    assert empty.value.field == "answer"
    revocation.answer_hearing(actor=case.member, application=case.application, answer="Ja")
    with pytest.raises(PortalError) as second:
        revocation.answer_hearing(actor=case.member, application=case.application, answer="Noch")
    assert "bereits Stellung genommen" in second.value.message


def test_only_members_answer():
    case = paid_case()
    start_hearing(case)
    with pytest.raises(PortalError):
        revocation.answer_hearing(actor=case.handler, application=case.application, answer="x")


# Vorschlag und Entscheidung --------------------------------------------------------------


def test_no_proposal_while_the_applicant_may_still_answer():
    case = paid_case()
    start_hearing(case)
    with pytest.raises(PortalError) as error:
        propose(case)
    assert "läuft noch bis" in error.value.message


def test_a_proposal_is_possible_right_after_the_answer():
    case = paid_case()
    start_hearing(case)
    revocation.answer_hearing(actor=case.member, application=case.application, answer="Ja")
    assert propose(case).status == RevocationStatus.PROPOSED


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"amount": "0"}, "amount"),
        ({"amount": "1000.01"}, "amount"),
        ({"amount": None}, "amount"),
        ({"due_on": "soon"}, "due_on"),
    ],
)
def test_bad_proposals_are_refused_at_the_field(overrides, field):
    case = paid_case("1000.00")
    let_deadline_pass(start_hearing(case))
    if overrides.get("due_on") == "soon":
        overrides["due_on"] = timezone.localdate() + timedelta(days=13)
    with pytest.raises(PortalError) as error:
        propose(case, **overrides)
    assert error.value.field == field
    assert RevocationProcedure.objects.get().status == RevocationStatus.HEARING


def test_the_proposer_cannot_decide_four_eyes():
    case = paid_case()
    let_deadline_pass(start_hearing(case))
    lead = signing_authority()
    propose(case, actor=lead)
    with pytest.raises(PortalError) as error:
        revocation.decide_revocation(actor=lead, application=case.application)
    assert "Vier-Augen-Prinzip" in error.value.message
    assert RevocationProcedure.objects.get().status == RevocationStatus.PROPOSED


def test_the_database_refuses_the_same_person_proposing_and_approving():
    case = paid_case()
    procedure = let_deadline_pass(start_hearing(case))
    procedure = propose(case)
    with pytest.raises(IntegrityError), transaction.atomic():
        RevocationProcedure.objects.filter(pk=procedure.pk).update(approved_by=case.handler)


def test_case_handlers_without_signing_authority_cannot_decide():
    case = paid_case()
    let_deadline_pass(start_hearing(case))
    propose(case)
    with pytest.raises(PortalError) as error:
        revocation.decide_revocation(actor=case_handler(), application=case.application)
    assert "Zeichnungsbefugte" in error.value.message


def test_revocation_issues_the_letter_with_amount_due_date_and_interest_rule(settings):
    settings.PORTAL_BASE_RATE = "1.27"
    case = paid_case("1000.00")
    let_deadline_pass(start_hearing(case, amount="400.00"))
    propose(case, amount="400.00")
    programme = case.application.programme
    programme.repayment_interest_points = Decimal("4.50")
    programme.save()

    procedure = revocation.decide_revocation(actor=case.lead, application=case.application)

    case.application.refresh_from_db()
    assert case.application.status == ApplicationStatus.REVOKED
    due = add_months(timezone.localdate(), 1)
    letter = procedure.revocation_letter
    assert letter.kind == "revocation" and letter.amount == Decimal("400.00")
    text, _reader = text_of(letter.file)
    assert "Widerrufsbescheid" in text
    assert "400,00 €" in text
    assert d(due) in text
    assert "4,5 Prozentpunkte über dem jeweiligen Basiszinssatz nach § 247 BGB" in text
    assert "derzeit 1,27 % + 4,5 Prozentpunkte = 5,77 % jährlich" in text
    assert "§ 117a" in text and "§ 49a" in text
    assert "nicht geäußert" in text
    assert "Rechtsbehelfsbelehrung" in text
    repayment = Repayment.objects.get()
    assert repayment.amount_due == Decimal("400.00")
    assert repayment.due_on == due
    assert repayment.interest_points == Decimal("4.50")
    assert repayment.base_rate == Decimal("1.27")
    assert case.application.events.filter(
        to_status=ApplicationStatus.REVOKED, note__contains="Widerrufsbescheid erlassen"
    ).exists()
    assert notified("revocation_decided", recipient=case.member).exists()


def test_the_letter_names_the_answer_when_there_was_one():
    case = paid_case()
    start_hearing(case)
    revocation.answer_hearing(actor=case.member, application=case.application, answer="Ja")
    propose(case, due_on=timezone.localdate() + timedelta(days=20))
    procedure = revocation.decide_revocation(actor=case.lead, application=case.application)
    text, _reader = text_of(procedure.revocation_letter.file)
    assert "Ihre Stellungnahme vom" in text
    assert d(timezone.localdate() + timedelta(days=20)) in text


def test_the_second_person_can_send_a_proposal_back_with_a_note():
    case = paid_case()
    let_deadline_pass(start_hearing(case))
    propose(case)
    with pytest.raises(PortalError) as error:
        revocation.decide_revocation(actor=case.lead, application=case.application, approve=False)
    assert error.value.field == "note"
    procedure = revocation.decide_revocation(
        actor=case.lead, application=case.application, approve=False, note="Betrag prüfen"
    )
    assert procedure.status == RevocationStatus.HEARING
    assert procedure.proposed_by is None
    assert not DecisionLetter.objects.filter(kind="revocation").exists()


def test_dropping_the_procedure_keeps_the_grant_and_tells_the_applicant():
    case = paid_case()
    let_deadline_pass(start_hearing(case))
    propose(case, outcome="drop", amount=None)
    procedure = revocation.decide_revocation(actor=case.lead, application=case.application)
    case.application.refresh_from_db()
    assert procedure.status == RevocationStatus.DROPPED
    assert case.application.status == ApplicationStatus.APPROVED
    assert not Repayment.objects.exists()
    assert notified("revocation_dropped", recipient=case.member).exists()
    assert revocation.can_start_hearing(case.application)


# Verwendungsnachweis: "Rückforderung nötig" ----------------------------------------------


def checked_report(case):
    report = usage_reports.usage_report_for(case.application)
    type(report).objects.filter(pk=report.pk).update(status=UsageReportStatus.SUBMITTED)
    return usage_reports.check_usage_report(
        actor=case.handler,
        application=case.application,
        answers=checklist_all_met(),
        remarks="Belege fehlen",
    )


def test_the_usage_report_check_can_end_in_a_repayment_instead_of_closing():
    case = paid_case()
    checked_report(case)
    usage_reports.confirm_usage_report(
        actor=case.lead, application=case.application, repayment_needed=True
    )
    case.application.refresh_from_db()
    assert case.application.status == ApplicationStatus.APPROVED
    assert case.application.events.filter(note__contains="Rückforderung nötig").exists()
    assert not notified("case_closed").exists()
    let_deadline_pass(start_hearing(case))
    propose(case, outcome="drop", amount=None)
    revocation.decide_revocation(actor=case.lead, application=case.application)
    case.application.refresh_from_db()
    assert case.application.status == ApplicationStatus.CLOSED
    assert notified("case_closed", recipient=case.member).exists()


def test_a_case_with_a_running_procedure_is_not_closed_by_the_usage_report():
    case = paid_case()
    start_hearing(case)
    checked_report(case)
    with pytest.raises(PortalError) as error:
        usage_reports.confirm_usage_report(actor=case.lead, application=case.application)
    assert "Widerruf" in error.value.message
    case.application.refresh_from_db()
    assert case.application.status == ApplicationStatus.APPROVED


# Rückforderung ---------------------------------------------------------------------------


def test_partial_repayments_add_up_and_the_full_one_closes_the_case():
    case = revoked_case(amount="400.00")
    today = timezone.localdate()
    revocation.record_repayment(
        actor=case.handler, application=case.application, received_on=today, amount=Decimal("150")
    )
    case.application.refresh_from_db()
    assert case.application.status == ApplicationStatus.REVOKED
    assert notified("repayment_received", recipient=case.member).count() == 1

    revocation.record_repayment(
        actor=case.lead, application=case.application, received_on=today, amount=Decimal("250")
    )

    case.application.refresh_from_db()
    repayment = Repayment.objects.get()
    assert repayment.paid_in_full_on == today
    assert case.application.status == ApplicationStatus.CLOSED
    assert case.application.events.filter(
        to_status=ApplicationStatus.CLOSED, note__contains="vollständig erstattet"
    ).exists()
    assert notified("repayment_received", context__paid_in_full=True).exists()
    with pytest.raises(PortalError):
        revocation.record_repayment(
            actor=case.handler, application=case.application, received_on=today, amount=Decimal(1)
        )


@pytest.mark.parametrize(
    ("amount", "received", "field", "message"),
    [
        ("400.01", 0, "amount", "400,00"),
        ("0", 0, "amount", "über 0 €"),
        ("10", 1, "received_on", "heute"),
        ("10", -400, "received_on", "Anhörung"),
    ],
)
def test_bad_repayment_input_is_refused_at_the_field_and_nothing_is_saved(
    amount, received, field, message
):
    case = revoked_case(amount="400.00")
    with pytest.raises(PortalError) as error:
        revocation.record_repayment(
            actor=case.handler,
            application=case.application,
            received_on=timezone.localdate() + timedelta(days=received),
            amount=Decimal(amount),
        )
    assert error.value.field == field
    assert message in error.value.message
    assert not RepaymentReceipt.objects.exists()


def test_overdue_repayments_are_listed_for_staff_first():
    case = revoked_case()
    Repayment.objects.update(due_on=timezone.localdate() - timedelta(days=1))
    rows = revocation.repayments_for_staff()
    assert [row["overdue"] for row in rows] == [True]
    assert rows[0]["outstanding"] == Decimal("400.00")
    assert Repayment.objects.get().is_overdue()
    assert case.application.reference


# Budget and statistics -------------------------------------------------------------------


def programme_row(case):
    overview = budget_overview()
    return next(r for r in overview["programmes"] if r["programme"] == case.application.programme)


def test_repaid_money_moves_from_paid_to_returned_and_the_unpaid_rest_is_released():
    case = revoked_case(paid="1000.00", amount="400.00")
    budget = case.application.programme.budget
    row = programme_row(case)
    # Grant 1.800 €, 1.000 € paid out; the Widerruf frees the 800 € never paid.
    assert row["committed"] == 0
    assert row["paid"] == Decimal("1000.00")
    assert row["returned"] == 0
    assert row["remaining"] == budget - Decimal("1000.00")

    revocation.record_repayment(
        actor=case.handler,
        application=case.application,
        received_on=timezone.localdate(),
        amount=Decimal("150.00"),
    )
    row = programme_row(case)
    assert row["paid"] == Decimal("850.00")
    assert row["returned"] == Decimal("150.00")
    assert row["committed"] + row["paid"] + row["returned"] + row["remaining"] == budget
    field = next(
        f
        for f in budget_overview()["handlungsfelder"]
        if f["handlungsfeld"] in case.application.handlungsfelder.all()
    )
    assert field["returned"] == Decimal("150.00")
    assert field["committed"] == 0


def test_statistics_read_the_real_paid_and_returned_amounts():
    case = revoked_case(paid="1000.00", amount="400.00")
    revocation.record_repayment(
        actor=case.handler,
        application=case.application,
        received_on=timezone.localdate(),
        amount=Decimal("100.00"),
    )
    queryset = type(case.application).objects.filter(pk=case.application.pk)
    figures = payments_by(queryset, "programme_id")
    assert figures[case.application.programme_id] == (Decimal("1000.00"), Decimal("100.00"))


def test_anonymising_a_repaid_case_removes_letters_and_texts_and_keeps_the_money():
    from privacy.retention import anonymise_case

    case = revoked_case(paid="1000.00", amount="400.00")
    revocation.record_repayment(
        actor=case.handler,
        application=case.application,
        received_on=timezone.localdate(),
        amount=Decimal("400.00"),
    )
    case.application.refresh_from_db()
    anonymise_case(case.application)
    procedure = RevocationProcedure.objects.get()
    assert not procedure.hearing_file
    assert procedure.reason == procedure.reasoning == ""
    assert procedure.revocation_letter is None
    assert not DecisionLetter.objects.filter(application=case.application).exists()
    assert programme_row(case)["returned"] == Decimal("400.00")


def test_no_widerrufsbescheid_while_a_payment_request_is_open():
    from applications import payments

    case = paid_case("1000.00")
    let_deadline_pass(start_hearing(case))
    propose(case)
    start = case.application.decision.period_start
    payments.request_payment(
        actor=case.member,
        application=case.application,
        amount=Decimal("100.00"),
        period_start=start,
        period_end=start + timedelta(days=10),
    )
    with pytest.raises(PortalError) as error:
        revocation.decide_revocation(actor=case.lead, application=case.application)
    assert "ein Mittelabruf offen" in error.value.message
    assert not Repayment.objects.exists()
    case.application.refresh_from_db()
    assert case.application.status == ApplicationStatus.APPROVED
