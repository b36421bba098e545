"""Builders for review tests: a submitted case, a Prüfvermerk, a proposal in a few lines."""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from applications import services
from applications.models import (
    CostOutcome,
    CriterionKind,
    CriterionOutcome,
    FinancingType,
    Proposal,
)
from tests.application_helpers import complete_draft


def submitted_application(**kwargs):
    application = complete_draft(**kwargs)
    member = application.organisation.memberships.first().user
    return services.submit_application(actor=member, application=application)


def applicant_of(application):
    return application.organisation.memberships.select_related("user").first().user


def review_criteria(application):
    return list(application.guideline.criteria.filter(kind=CriterionKind.REVIEW))


def save_full_review(
    actor, application, *, outcome=CriterionOutcome.MET, financing_type=FinancingType.DEFICIT
):
    return services.save_review(
        actor=actor,
        application=application,
        is_complete=True,
        is_in_time=True,
        is_eligible_applicant=True,
        formal_remark="",
        financing_type=financing_type,
        items={criterion.pk: (outcome, "") for criterion in review_criteria(application)},
        cost_decisions={
            item.pk: (CostOutcome.ACCEPTED, None, "") for item in application.cost_items.all()
        },
    )


def propose_approval(actor, application, amount=Decimal("1800.00")):
    start = application.start_date or timezone.localdate() + timedelta(days=60)
    return services.propose_decision(
        actor=actor,
        application=application,
        proposal=Proposal.APPROVE,
        amount=amount,
        period_start=start,
        period_end=start + timedelta(days=90),
        conditions="Fotos der Veranstaltung beilegen.",
    )


def propose_rejection(actor, application):
    return services.propose_decision(
        actor=actor,
        application=application,
        proposal=Proposal.REJECT,
        rejection_reasons="Das Projekt ist eine Pflichtaufgabe und nicht zusätzlich.",
    )


def recommended_application(reviewer, *, approve=True, **kwargs):
    """A submitted case, assigned to and reviewed by ``reviewer``, with a proposal."""
    application = submitted_application(**kwargs)
    services.assign_application(actor=reviewer, application=application, assignee=reviewer)
    save_full_review(reviewer, application)
    if approve:
        propose_approval(reviewer, application)
    else:
        propose_rejection(reviewer, application)
    application.refresh_from_db()
    return application
