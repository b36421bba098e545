"""Änderungsantrag: the rules, the refusals, four-eyes, the budget and the Änderungsbescheid."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import Notification
from applications import amendments, payments
from applications.amendments import CostLine
from applications.models import (
    AmendmentRequest,
    AmendmentStatus,
    ApplicationStatus,
    CostCategory,
    UsageReport,
)
from applications.selectors import budget_overview
from applications.usage_reports import usage_report_for
from applications.wizard import next_step
from kitz_portal.errors import PortalError
from tests.factories import case_handler, signing_authority
from tests.post_helpers import approved_case
from tests.test_letters import pdf_text

pytestmark = pytest.mark.django_db


def lines_of(case, **changes):
    """The case's cost plan as amendment lines; ``changes`` set fields of the first line."""
    lines = amendments.current_values(case.application)["lines"]
    for name, value in changes.items():
        setattr(lines[0], name, value)
    return lines


def amend(case, **overrides):
    decision = case.application.decision
    arguments = {
        "actor": case.member,
        "application": case.application,
        "new_start": decision.period_start,
        "new_end": decision.period_end + timedelta(days=30),
        "new_amount": Decimal("1800.00"),
        "justification": "Die Kursreihe dauert einen Monat länger.",
        "lines": lines_of(case),
    }
    arguments.update(overrides)
    return amendments.request_amendment(**arguments)


def cheaper(case):
    """A smaller project: 1.500 € costs, 1.300 € grant, a month longer."""
    return amend(
        case, lines=lines_of(case, unit_price=Decimal("1500.00")), new_amount=Decimal("1300.00")
    )


def reviewed(case, amendment, proposal="approve", remarks=""):
    return amendments.review_amendment(
        actor=case.handler, amendment=amendment, proposal=proposal, remarks=remarks
    )


def decided(case, amendment, action="approve", note=""):
    return amendments.decide_amendment(
        actor=case.lead, amendment=amendment, action=action, note=note
    )


def refused(case, **overrides):
    with pytest.raises(PortalError) as error:
        amend(case, **overrides)
    assert not AmendmentRequest.objects.filter(application=case.application).exists()
    return error.value


# Requesting -------------------------------------------------------------------------------


def test_applicant_asks_for_a_change_and_the_case_handler_hears_of_it():
    case = approved_case()
    case.application.assigned_to = case.handler
    case.application.save()

    amendment = cheaper(case)

    assert amendment.status == AmendmentStatus.REQUESTED
    assert amendment.number == 1
    assert amendment.old_amount == Decimal("1800.00")
    assert amendment.old_total == Decimal("2000.00")
    assert amendment.new_total == Decimal("1500.00")
    assert case.application.events.filter(note__contains="Änderungsantrag 1 gestellt").exists()
    assert Notification.objects.filter(
        template="emails/applications/amendment_requested", recipient=case.handler
    ).exists()
    case.application.refresh_from_db()
    assert case.application.granted_amount == Decimal("1800.00"), "nothing changes before"
    assert "prüft Ihren Änderungsantrag" in str(next_step(case.application)[0])


def test_the_end_may_not_lie_before_the_start():
    case = approved_case()
    start = case.application.decision.period_start
    error = refused(case, new_end=start - timedelta(days=1))
    assert error.field == "new_end"


def test_the_programme_limits_the_duration():
    case = approved_case()
    start = case.application.decision.period_start
    error = refused(case, new_end=start + timedelta(days=400))
    assert error.field == "new_end"
    assert "12 Monate" in error.message


def test_the_start_cannot_move_into_the_past():
    case = approved_case()
    error = refused(case, new_start=timezone.localdate() - timedelta(days=1))
    assert error.field == "new_start"


@pytest.mark.parametrize(
    ("amount", "expected"),
    [("100.00", "mindestens 250,00"), ("5000.01", "höchstens 5.000,00")],
)
def test_the_grant_stays_within_the_programme_limits(amount, expected):
    case = approved_case()
    error = refused(case, new_amount=Decimal(amount))
    assert error.field == "new_amount"
    assert expected in error.message


def test_the_grant_cannot_fall_below_what_was_paid():
    case = approved_case()
    payment = payments.request_payment(
        actor=case.member,
        application=case.application,
        amount=Decimal("1000.00"),
        period_start=case.application.decision.period_start,
        period_end=case.application.decision.period_start,
    )
    payments.check_payment_request(actor=case.handler, payment=payment)
    payments.release_payment_request(actor=case.lead, payment=payment)
    payments.mark_payment_paid(actor=case.handler, payment=payment, paid_on=timezone.localdate())

    error = refused(
        case, lines=lines_of(case, unit_price=Decimal("1100.00")), new_amount=Decimal("900.00")
    )

    assert error.field == "new_amount"
    assert "1.000,00" in error.message


def test_more_costs_need_the_own_share_of_the_programme():
    case = approved_case()
    error = refused(
        case, lines=lines_of(case, unit_price=Decimal("2500.00")), new_amount=Decimal("2300.00")
    )
    assert error.field == "cost_lines"
    assert "Eigenanteil" in error.message


def test_the_grant_cannot_exceed_the_costs_not_covered_otherwise():
    case = approved_case()
    error = refused(case, new_amount=Decimal("1900.00"))
    assert error.field == "new_amount"
    assert "1.800,00" in error.message


def test_an_ineligible_cost_line_is_named_at_its_field():
    case = approved_case()
    staff = CostCategory.objects.get(code="staff")
    lines = [*lines_of(case), CostLine(staff, "Hausmeister", Decimal("1"), Decimal("10.00"))]
    error = refused(case, lines=lines)
    assert error.field == "line-1-category"


def test_nothing_changed_is_refused():
    case = approved_case()
    decision = case.application.decision
    error = refused(case, new_end=decision.period_end)
    assert "nichts geändert" in error.message


def test_a_justification_is_required():
    case = approved_case()
    error = refused(case, justification="   ")
    assert error.field == "justification"


def test_a_second_request_while_one_is_open_is_refused():
    case = approved_case()
    cheaper(case)
    with pytest.raises(PortalError) as error:
        cheaper(case)
    assert "offenen Änderungsantrag" in error.value.message
    assert AmendmentRequest.objects.filter(application=case.application).count() == 1


def test_no_request_after_the_usage_report_was_submitted():
    from tests.test_usage_reports import submitted

    case = approved_case()
    submitted(case)
    error = refused(case)
    assert "Verwendungsnachweis" in error.message


@pytest.mark.parametrize(
    "status",
    [
        ApplicationStatus.CLOSED,
        ApplicationStatus.REVOKED,
        ApplicationStatus.REJECTED,
        ApplicationStatus.WITHDRAWN,
    ],
)
def test_no_request_for_a_case_that_is_not_granted(status):
    case = approved_case()
    case.application.status = status
    case.application.save(update_fields=["status"])
    error = refused(case)
    assert "bewilligte Förderung" in error.message


def test_only_members_of_the_organisation_may_ask():
    case = approved_case()
    error = refused(case, actor=case.handler)
    assert "Organisation" in error.message


# Four-eyes --------------------------------------------------------------------------------


def test_the_reviewer_cannot_decide_and_a_case_handler_cannot_sign():
    case = approved_case()
    amendment = reviewed(case, cheaper(case))
    with pytest.raises(PortalError) as own:
        amendments.decide_amendment(actor=case.handler, amendment=amendment, action="approve")
    assert "Zeichnungsbefugte" in own.value.message
    lead = signing_authority()
    other = cheaper_after_review_by(lead)
    with pytest.raises(PortalError) as same:
        amendments.decide_amendment(actor=lead, amendment=other, action="approve")
    assert "Vier-Augen" in same.value.message
    other.refresh_from_db()
    assert other.status == AmendmentStatus.PROPOSED


def cheaper_after_review_by(person):
    case = approved_case()
    return amendments.review_amendment(
        actor=person, amendment=cheaper(case), proposal="approve", remarks=""
    )


def test_the_database_refuses_one_person_for_both_steps():
    case = approved_case()
    amendment = reviewed(case, cheaper(case))
    with pytest.raises(IntegrityError), transaction.atomic():
        AmendmentRequest.objects.filter(pk=amendment.pk).update(decided_by=case.handler)


def test_the_decision_follows_the_proposal_or_goes_back_with_a_note():
    case = approved_case()
    amendment = reviewed(case, cheaper(case))
    with pytest.raises(PortalError) as other_way:
        decided(case, amendment, action="reject")
    assert "Vorschlag" in other_way.value.message
    with pytest.raises(PortalError) as no_note:
        decided(case, amendment, action="return")
    assert no_note.value.field == "note"

    decided(case, amendment, action="return", note="Bitte Kostenplan nachrechnen.")

    amendment.refresh_from_db()
    assert amendment.status == AmendmentStatus.REQUESTED
    assert amendment.reviewed_by is None
    assert Notification.objects.filter(
        template="emails/applications/amendment_returned", recipient=case.handler
    ).exists()


def test_a_rejection_needs_reasons():
    case = approved_case()
    with pytest.raises(PortalError) as error:
        reviewed(case, cheaper(case), proposal="reject")
    assert error.value.field == "remarks"


# Approval, budget and letters -------------------------------------------------------------


def test_approval_changes_dates_costs_and_grant_in_one_go():
    case = approved_case()
    report = usage_report_for(case.application)
    old_end = case.application.decision.period_end
    amendment = decided(case, reviewed(case, cheaper(case)))

    application = case.application
    application.refresh_from_db()
    application.decision.refresh_from_db()
    report.refresh_from_db()
    assert amendment.status == AmendmentStatus.APPROVED
    assert application.granted_amount == Decimal("1300.00")
    assert application.decision.amount == Decimal("1300.00")
    assert application.decision.period_end == old_end + timedelta(days=30)
    assert application.end_date == old_end + timedelta(days=30)
    assert [item.total for item in application.cost_items.all()] == [Decimal("1500.00")]
    assert report.due_on == amendments.add_months(old_end + timedelta(days=30), 3)
    assert Notification.objects.filter(
        template="emails/applications/amendment_decided", recipient=case.member
    ).exists()
    assert application.events.filter(note__contains="Änderungsantrag 1 bewilligt").exists()
    assert "Änderungsantrag" not in str(next_step(application)[0])


def test_added_and_removed_cost_lines_become_the_cost_plan():
    case = approved_case()
    material = CostCategory.objects.get(code="material")
    lines = [CostLine(material, "Lehrbücher", Decimal("10"), Decimal("150.00"))]
    amendment = amend(case, lines=lines, new_amount=Decimal("1300.00"))
    decided(case, reviewed(case, amendment))

    items = list(case.application.cost_items.all())
    assert [(item.description, item.total) for item in items] == [
        ("Lehrbücher", Decimal("1500.00"))
    ]


def test_an_increase_must_fit_in_the_remaining_budget_and_moves_the_commitment():
    case = approved_case()
    programme = case.application.programme
    programme.min_own_share_percent = Decimal("0")
    programme.save(update_fields=["min_own_share_percent"])
    amendment = amend(
        case, lines=lines_of(case, unit_price=Decimal("2500.00")), new_amount=Decimal("2300.00")
    )
    amendment = reviewed(case, amendment)
    committed = sum(
        a.granted_amount or 0
        for a in programme.applications.filter(status__in=["approved", "closed"])
    )
    programme.budget = committed + Decimal("499.99")
    programme.save(update_fields=["budget"])

    with pytest.raises(PortalError) as error:
        decided(case, amendment)
    assert "499,99" in error.value.message and "500,00" in error.value.message
    amendment.refresh_from_db()
    case.application.refresh_from_db()
    assert amendment.status == AmendmentStatus.PROPOSED
    assert case.application.granted_amount == Decimal("1800.00")
    assert not case.application.letters.filter(kind="amendment").exists()

    programme.budget = committed + Decimal("500.00")
    programme.save(update_fields=["budget"])
    decided(case, amendment)

    row = next(r for r in budget_overview()["programmes"] if r["programme"] == programme)
    assert row["remaining"] == Decimal("0.00")
    assert row["committed"] + row["paid"] + row["returned"] + row["remaining"] == programme.budget


def test_the_amendment_letter_names_the_original_bescheid_and_old_and_new_values():
    case = approved_case()
    grant = case.letter
    amendment = decided(case, reviewed(case, cheaper(case)))

    letter = amendment.letter
    assert letter.kind == "amendment"
    assert letter.amount == Decimal("1300.00")
    text = pdf_text(letter)
    assert "Änderungsbescheid" in text
    assert f"Zuwendungsbescheid vom {timezone.localdate(grant.issued_at):%d.%m.%Y}" in text
    assert case.application.reference in text
    assert "1.800,00 €" in text and "1.300,00 €" in text
    assert "2.000,00 €" in text and "1.500,00 €" in text
    old_end = amendment.old_end.strftime("%d.%m.%Y")
    new_end = amendment.new_end.strftime("%d.%m.%Y")
    assert old_end in text and new_end in text
    assert "eintausenddreihundert Euro" in text
    assert "Rechtsbehelfsbelehrung" in text
    assert not letter.finality.is_final()


def test_a_rejected_amendment_is_a_letter_with_reasons_and_nothing_changes():
    case = approved_case()
    amendment = reviewed(
        case, cheaper(case), proposal="reject", remarks="Die Verlängerung ist nicht begründet."
    )
    amendment = decided(case, amendment, action="reject")

    assert amendment.status == AmendmentStatus.REJECTED
    letter = amendment.letter
    assert letter.kind == "amend_rejection"
    text = pdf_text(letter)
    assert "Ablehnung des Änderungsantrags" in text
    assert "lehne ich ab" in text
    assert "Die Verlängerung ist nicht begründet." in text
    assert case.application.reference in text
    assert "Rechtsbehelfsbelehrung" in text and "Widerspruch" in text
    case.application.refresh_from_db()
    assert case.application.granted_amount == Decimal("1800.00")
    assert case.application.cost_items.get().total == Decimal("2000.00")
    assert amend(case).number == 2, "a new request is possible after the decision"


def test_the_usage_report_due_date_stays_when_the_end_stays():
    case = approved_case()
    report = usage_report_for(case.application)
    due = report.due_on
    decision = case.application.decision
    amendment = amend(
        case,
        new_end=decision.period_end,
        lines=lines_of(case, unit_price=Decimal("1500.00")),
        new_amount=Decimal("1300.00"),
    )
    decided(case, reviewed(case, amendment))
    assert UsageReport.objects.get(pk=report.pk).due_on == due


def test_staff_of_the_applying_organisation_cannot_review():
    from accounts.models import Membership

    case = approved_case()
    insider = case_handler()
    Membership.objects.create(user=insider, organisation=case.application.organisation)
    with pytest.raises(PortalError):
        amendments.review_amendment(
            actor=insider, amendment=cheaper(case), proposal="approve", remarks=""
        )


def test_no_approval_once_the_usage_report_came_in_meanwhile():
    from tests.test_usage_reports import submitted

    case = approved_case()
    amendment = reviewed(case, amend(case))
    submitted(case)
    with pytest.raises(PortalError) as error:
        decided(case, amendment)
    assert "Verwendungsnachweis" in error.value.message
    amendment.refresh_from_db()
    assert amendment.status == AmendmentStatus.PROPOSED
