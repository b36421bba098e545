"""Every step of review and decision, and every refusal: a refused step changes nothing."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import Membership, Notification
from applications import services
from applications.models import (
    ApplicationEvent,
    ApplicationStatus,
    CaseMessage,
    CostOutcome,
    CriterionOutcome,
    Decision,
    DecisionOutcome,
    FinancingType,
    InformationRequest,
    InternalNote,
    Review,
)
from kitz_portal.errors import PortalError
from tests.application_helpers import PDF_BYTES
from tests.factories import administrator, case_handler, signing_authority
from tests.review_helpers import (
    applicant_of,
    propose_approval,
    recommended_application,
    save_full_review,
    submitted_application,
)

pytestmark = pytest.mark.django_db


def assert_unchanged(application, status, events):
    application.refresh_from_db()
    assert application.status == status
    assert ApplicationEvent.objects.filter(application=application).count() == events


def events(application):
    return ApplicationEvent.objects.filter(application=application).count()


def in_review(handler):
    application = submitted_application()
    services.assign_application(actor=handler, application=application, assignee=handler)
    application.refresh_from_db()
    return application


# Assign ------------------------------------------------------------------------------------


def test_assigning_a_submitted_application_puts_it_in_review_and_tells_the_assignee():
    lead = signing_authority()
    handler = case_handler()
    application = submitted_application()

    services.assign_application(actor=lead, application=application, assignee=handler)

    application.refresh_from_db()
    assert application.status == ApplicationStatus.IN_REVIEW
    assert application.assigned_to == handler
    event = application.events.last()
    assert (event.from_status, event.to_status, event.actor) == ("submitted", "in_review", lead)
    assert Notification.objects.filter(
        to_email=handler.email, template="emails/applications/case_assigned"
    ).exists()


def test_reassigning_keeps_the_status_and_records_the_new_handler():
    first, second = case_handler(), case_handler()
    application = in_review(first)
    services.assign_application(actor=first, application=application, assignee=second)
    application.refresh_from_db()
    assert application.status == ApplicationStatus.IN_REVIEW
    assert application.assigned_to == second
    assert str(second) in application.events.last().note


def test_an_applicant_or_administrator_cannot_assign_and_nothing_changes():
    application = submitted_application()
    before = events(application)
    for person in (applicant_of(application), administrator()):
        with pytest.raises(PortalError):
            services.assign_application(
                actor=person, application=application, assignee=case_handler()
            )
    assert_unchanged(application, ApplicationStatus.SUBMITTED, before)
    assert application.assigned_to is None


def test_a_case_cannot_be_given_to_someone_who_belongs_to_the_organisation():
    application = submitted_application()
    conflicted = case_handler()
    Membership.objects.create(user=conflicted, organisation=application.organisation)
    before = events(application)
    with pytest.raises(PortalError) as error:
        services.assign_application(
            actor=case_handler(), application=application, assignee=conflicted
        )
    assert error.value.field == "assignee"
    assert_unchanged(application, ApplicationStatus.SUBMITTED, before)


def test_staff_who_belong_to_the_organisation_cannot_work_on_its_case():
    application = submitted_application()
    conflicted = signing_authority()
    Membership.objects.create(user=conflicted, organisation=application.organisation)
    before = events(application)
    with pytest.raises(PortalError, match="antragstellenden Organisation"):
        services.assign_application(actor=conflicted, application=application, assignee=conflicted)
    with pytest.raises(PortalError):
        services.add_internal_note(actor=conflicted, application=application, text="Hallo")
    assert_unchanged(application, ApplicationStatus.SUBMITTED, before)
    assert not InternalNote.objects.exists()


def test_a_withdrawn_application_cannot_be_assigned():
    application = submitted_application()
    services.withdraw_application(actor=applicant_of(application), application=application)
    before = events(application)
    handler = case_handler()
    with pytest.raises(PortalError, match="zurückgezogen"):
        services.assign_application(actor=handler, application=application, assignee=handler)
    assert_unchanged(application, ApplicationStatus.WITHDRAWN, before)


# Information requests ----------------------------------------------------------------------


def test_a_question_with_due_date_reaches_the_applicant_and_the_answer_returns_to_review():
    handler = case_handler()
    application = in_review(handler)
    member = applicant_of(application)
    due = timezone.localdate() + timedelta(days=14)

    services.request_information(
        actor=handler, application=application, message="Bitte Kostenvoranschlag.", due_on=due
    )
    application.refresh_from_db()
    assert application.status == ApplicationStatus.INFO_REQUESTED
    assert application.response_due_on == due
    mail = Notification.objects.get(template="emails/applications/information_requested")
    assert mail.to_email == member.email
    assert mail.context["due_on"] == due.strftime("%d.%m.%Y")

    services.answer_information_request(
        actor=member,
        application=application,
        answer="Anbei der Voranschlag.",
        uploads=[(SimpleUploadedFile("angebot.pdf", PDF_BYTES), "application/pdf", "")],
    )
    application.refresh_from_db()
    assert application.status == ApplicationStatus.IN_REVIEW
    assert application.response_due_on is None
    request = InformationRequest.objects.get(application=application)
    assert request.answer == "Anbei der Voranschlag." and request.answered_by == member
    assert application.attachments.filter(original_name="angebot.pdf").exists()
    assert list(CaseMessage.objects.values_list("from_kitz", flat=True)) == [True, False]
    assert Notification.objects.filter(
        to_email=handler.email, template="emails/applications/information_answered"
    ).exists()


def test_answering_twice_is_refused_and_changes_nothing():
    handler = case_handler()
    application = in_review(handler)
    member = applicant_of(application)
    services.request_information(
        actor=handler,
        application=application,
        message="Frage",
        due_on=timezone.localdate() + timedelta(days=3),
    )
    services.answer_information_request(actor=member, application=application, answer="Antwort")
    before = events(application)
    with pytest.raises(PortalError, match="schon beantwortet"):
        services.answer_information_request(
            actor=member, application=application, answer="Noch eine Antwort"
        )
    assert_unchanged(application, ApplicationStatus.IN_REVIEW, before)
    assert InformationRequest.objects.get().answer == "Antwort"
    assert CaseMessage.objects.count() == 2


def test_only_members_answer_and_an_empty_answer_is_refused():
    handler = case_handler()
    application = in_review(handler)
    services.request_information(
        actor=handler,
        application=application,
        message="Frage",
        due_on=timezone.localdate() + timedelta(days=3),
    )
    before = events(application)
    with pytest.raises(PortalError):
        services.answer_information_request(actor=handler, application=application, answer="x")
    with pytest.raises(PortalError) as error:
        services.answer_information_request(
            actor=applicant_of(application), application=application, answer="  "
        )
    assert error.value.field == "answer"
    assert_unchanged(application, ApplicationStatus.INFO_REQUESTED, before)
    assert InformationRequest.objects.get().answered_at is None


def test_a_question_needs_a_future_due_date_and_a_case_in_review():
    handler = case_handler()
    application = submitted_application()
    before = events(application)
    with pytest.raises(PortalError):
        services.request_information(
            actor=handler,
            application=application,
            message="Frage",
            due_on=timezone.localdate() + timedelta(days=3),
        )
    assert_unchanged(application, ApplicationStatus.SUBMITTED, before)
    services.assign_application(actor=handler, application=application, assignee=handler)
    before = events(application)
    with pytest.raises(PortalError) as error:
        services.request_information(
            actor=handler, application=application, message="Frage", due_on=timezone.localdate()
        )
    assert error.value.field == "due_on"
    assert_unchanged(application, ApplicationStatus.IN_REVIEW, before)
    assert not InformationRequest.objects.exists()


# Notes and messages ------------------------------------------------------------------------


def test_notes_are_staff_only_and_messages_go_both_ways():
    handler = case_handler()
    application = in_review(handler)
    member = applicant_of(application)
    services.add_internal_note(actor=handler, application=application, text="Verein bekannt.")
    with pytest.raises(PortalError):
        services.add_internal_note(actor=member, application=application, text="Hallo")
    services.send_case_message(actor=handler, application=application, text="Guten Tag")
    services.send_case_message(actor=member, application=application, text="Danke")
    assert InternalNote.objects.count() == 1
    assert list(CaseMessage.objects.values_list("from_kitz", "text")) == [
        (True, "Guten Tag"),
        (False, "Danke"),
    ]
    assert Notification.objects.filter(
        to_email=member.email, template="emails/applications/case_message"
    ).exists()


# Prüfvermerk and proposal --------------------------------------------------------------------


def test_the_review_has_one_item_per_criterion_and_computes_the_grant():
    handler = case_handler()
    application = in_review(handler)
    review = save_full_review(handler, application)
    assert review.items.count() == 5
    assert review.eligible_total == Decimal("2000.00")
    # Fehlbedarf: 2.000 € eligible minus 200 € own money.
    assert review.computed_grant == Decimal("1800.00")
    assert application.events.last().to_status == ApplicationStatus.IN_REVIEW


def test_reduced_costs_lower_the_grant_per_financing_type():
    handler = case_handler()
    application = in_review(handler)
    item = application.cost_items.get()
    criteria_items = {
        criterion.pk: (CriterionOutcome.MET, "")
        for criterion in application.guideline.criteria.filter(kind="review")
    }
    expected = {
        FinancingType.DEFICIT: Decimal("1300.00"),  # 1.500 − 200
        FinancingType.SHARE: Decimal("1350.00"),  # 1.500 × 1.800 / 2.000
        FinancingType.FIXED: Decimal("1500.00"),  # the request, as far as the costs carry it
    }
    for financing_type, grant in expected.items():
        review = services.save_review(
            actor=handler,
            application=application,
            is_complete=True,
            is_in_time=True,
            is_eligible_applicant=True,
            formal_remark="",
            financing_type=financing_type,
            items=criteria_items,
            cost_decisions={item.pk: (CostOutcome.REDUCED, Decimal("1500.00"), "zu hoch")},
        )
        assert review.eligible_total == Decimal("1500.00")
        assert review.computed_grant == grant, financing_type


def test_a_reduced_or_refused_cost_line_needs_a_reason_and_a_sensible_amount():
    handler = case_handler()
    application = in_review(handler)
    item = application.cost_items.get()
    items = {
        criterion.pk: (CriterionOutcome.MET, "")
        for criterion in application.guideline.criteria.filter(kind="review")
    }
    arguments = {
        "actor": handler,
        "application": application,
        "is_complete": True,
        "is_in_time": True,
        "is_eligible_applicant": True,
        "formal_remark": "",
        "financing_type": FinancingType.DEFICIT,
        "items": items,
    }
    for decision, field in [
        ((CostOutcome.REFUSED, None, ""), f"cost_{item.pk}_reason"),
        ((CostOutcome.REDUCED, Decimal("2500.00"), "x"), f"cost_{item.pk}_amount"),
        ((CostOutcome.REDUCED, None, "x"), f"cost_{item.pk}_amount"),
    ]:
        with pytest.raises(PortalError) as error:
            services.save_review(**arguments, cost_decisions={item.pk: decision})
        assert error.value.field == field
    with pytest.raises(PortalError):
        services.save_review(**{**arguments, "items": {}}, cost_decisions={})
    assert not Review.objects.exists()


def test_an_approval_proposal_over_the_computed_grant_or_with_an_unmet_criterion_is_refused():
    handler = case_handler()
    application = in_review(handler)
    save_full_review(handler, application)
    before = events(application)
    with pytest.raises(PortalError) as error:
        propose_approval(handler, application, amount=Decimal("1900.00"))
    assert error.value.field == "amount"
    save_full_review(handler, application, outcome=CriterionOutcome.NOT_MET)
    with pytest.raises(PortalError, match="Prüfpunkt"):
        propose_approval(handler, application)
    assert_unchanged(application, ApplicationStatus.IN_REVIEW, before + 1)


def test_a_proposal_without_review_or_a_rejection_without_reasons_is_refused():
    handler = case_handler()
    application = in_review(handler)
    with pytest.raises(PortalError, match="Prüfvermerk"):
        propose_approval(handler, application)
    save_full_review(handler, application)
    before = events(application)
    with pytest.raises(PortalError) as error:
        services.propose_decision(
            actor=handler, application=application, proposal="reject", rejection_reasons=" "
        )
    assert error.value.field == "rejection_reasons"
    assert_unchanged(application, ApplicationStatus.IN_REVIEW, before)


def test_proposing_moves_the_case_to_recommended():
    handler = case_handler()
    application = recommended_application(handler)
    assert application.status == ApplicationStatus.RECOMMENDED
    review = application.review
    assert review.proposal == "approve" and review.proposed_amount == Decimal("1800.00")
    assert review.reviewed_by == handler


# Decision ------------------------------------------------------------------------------------


def test_a_lead_who_did_not_review_approves_and_the_money_is_committed():
    handler, lead = case_handler(), signing_authority()
    application = recommended_application(handler)

    decision = services.decide_application(actor=lead, application=application, action="approve")

    application.refresh_from_db()
    assert application.status == ApplicationStatus.APPROVED
    assert application.granted_amount == Decimal("1800.00")
    assert decision.outcome == DecisionOutcome.APPROVED
    assert (decision.decided_by, decision.reviewed_by) == (lead, handler)
    assert decision.financing_type == FinancingType.DEFICIT
    assert services.committed_amount(application.programme) == Decimal("1800.00")
    event = application.events.get(from_status="recommended", to_status="approved")
    assert event.actor == lead
    assert application.letters.get().kind == "grant"
    assert Notification.objects.filter(
        to_email=applicant_of(application).email, template="emails/applications/decision_made"
    ).exists()


def test_a_lead_rejects_on_a_rejection_proposal():
    handler, lead = case_handler(), signing_authority()
    application = recommended_application(handler, approve=False)
    decision = services.decide_application(actor=lead, application=application, action="reject")
    application.refresh_from_db()
    assert application.status == ApplicationStatus.REJECTED
    assert application.granted_amount is None
    assert "Pflichtaufgabe" in decision.reasons


def test_a_lead_sends_the_case_back_with_a_note():
    handler, lead = case_handler(), signing_authority()
    application = recommended_application(handler)
    with pytest.raises(PortalError) as error:
        services.decide_application(actor=lead, application=application, action="return")
    assert error.value.field == "note"
    result = services.decide_application(
        actor=lead, application=application, action="return", note="Bitte Eigenanteil prüfen."
    )
    assert result is None
    application.refresh_from_db()
    assert application.status == ApplicationStatus.IN_REVIEW
    assert application.events.last().note == "Bitte Eigenanteil prüfen."
    assert not Decision.objects.exists()


def test_the_reviewer_cannot_decide_their_own_case():
    lead = signing_authority()
    application = recommended_application(lead)
    before = events(application)
    with pytest.raises(PortalError, match="Vier-Augen"):
        services.decide_application(actor=lead, application=application, action="approve")
    assert_unchanged(application, ApplicationStatus.RECOMMENDED, before)
    assert not Decision.objects.exists()


def test_a_case_handler_without_signing_authority_cannot_decide():
    application = recommended_application(case_handler())
    before = events(application)
    with pytest.raises(PortalError, match="Berechtigung"):
        services.decide_application(actor=case_handler(), application=application, action="approve")
    assert_unchanged(application, ApplicationStatus.RECOMMENDED, before)


def test_a_lead_who_belongs_to_the_organisation_cannot_decide():
    application = recommended_application(case_handler())
    lead = signing_authority()
    Membership.objects.create(user=lead, organisation=application.organisation)
    before = events(application)
    with pytest.raises(PortalError, match="antragstellenden Organisation"):
        services.decide_application(actor=lead, application=application, action="approve")
    assert_unchanged(application, ApplicationStatus.RECOMMENDED, before)


def test_a_decision_against_the_proposal_is_refused():
    application = recommended_application(case_handler())
    before = events(application)
    with pytest.raises(PortalError, match="Vorschlag"):
        services.decide_application(
            actor=signing_authority(), application=application, action="reject"
        )
    assert_unchanged(application, ApplicationStatus.RECOMMENDED, before)


def test_approving_a_withdrawn_application_is_refused():
    application = recommended_application(case_handler())
    services.withdraw_application(actor=applicant_of(application), application=application)
    before = events(application)
    with pytest.raises(PortalError, match="zurückgezogen"):
        services.decide_application(
            actor=signing_authority(), application=application, action="approve"
        )
    assert_unchanged(application, ApplicationStatus.WITHDRAWN, before)
    assert not Decision.objects.exists()


def test_deciding_twice_is_refused():
    application = recommended_application(case_handler())
    lead = signing_authority()
    services.decide_application(actor=lead, application=application, action="approve")
    before = events(application)
    with pytest.raises(PortalError):
        services.decide_application(actor=lead, application=application, action="approve")
    assert_unchanged(application, ApplicationStatus.APPROVED, before)
    assert Decision.objects.count() == 1


def test_the_database_refuses_a_decision_by_the_reviewer():
    handler = signing_authority()
    application = recommended_application(handler)
    with pytest.raises(IntegrityError), transaction.atomic():
        Decision.objects.create(
            application=application,
            outcome=DecisionOutcome.APPROVED,
            amount=Decimal("100.00"),
            reviewed_by=handler,
            decided_by=handler,
        )
    assert not Decision.objects.exists()


def test_a_letter_that_fails_to_render_rolls_the_decision_back(monkeypatch):
    """The Bescheid is issued inside the decision; its failure leaves the case recommended."""
    import sys
    import types

    calls = []

    def issue_decision_letter(*, application, actor, kind, **details):
        calls.append((application.status, kind, actor))
        raise PortalError("Der Bescheid konnte nicht erstellt werden.")

    monkeypatch.setitem(
        sys.modules,
        "applications.letters",
        types.SimpleNamespace(issue_decision_letter=issue_decision_letter),
    )
    application = recommended_application(case_handler())
    lead = signing_authority()
    before = events(application)
    with pytest.raises(PortalError, match="Bescheid"):
        services.decide_application(actor=lead, application=application, action="approve")
    assert calls == [(ApplicationStatus.APPROVED, "grant", lead)]
    assert_unchanged(application, ApplicationStatus.RECOMMENDED, before)
    assert application.granted_amount is None
    assert not Decision.objects.exists()
    assert not Notification.objects.filter(template="emails/applications/decision_made").exists()


def test_a_lead_who_worked_on_the_review_cannot_decide_even_if_someone_else_proposed():
    lead, handler = signing_authority(), case_handler()
    application = in_review(handler)
    save_full_review(lead, application)
    propose_approval(handler, application)
    application.refresh_from_db()
    before = events(application)
    with pytest.raises(PortalError, match="Vier-Augen"):
        services.decide_application(actor=lead, application=application, action="approve")
    assert_unchanged(application, ApplicationStatus.RECOMMENDED, before)
    decision = services.decide_application(
        actor=signing_authority(), application=application, action="approve"
    )
    assert decision.reviewed_by == handler
