"""The demo data shows every step of review and decision."""

import pytest
from django.core.management import call_command

from accounts.models import Organisation
from applications.models import Application, ApplicationStatus, Decision

pytestmark = pytest.mark.django_db


def statuses_of(name):
    return sorted(
        Application.objects.filter(organisation__name=name).values_list("status", flat=True)
    )


def test_seed_demo_adds_cases_in_every_review_step_once(settings):
    settings.DEBUG = True
    call_command("seed_demo")
    call_command("seed_demo")
    assert statuses_of("Sprachpaten Angeln") == sorted(
        [
            ApplicationStatus.APPROVED,
            ApplicationStatus.APPROVED,
            ApplicationStatus.CLOSED,
            ApplicationStatus.REJECTED,
            ApplicationStatus.INFO_REQUESTED,
            ApplicationStatus.IN_REVIEW,
            ApplicationStatus.RECOMMENDED,
        ]
    )
    for name in ["Brückenbauer Schleswig e. V.", "Frauenzentrum Vielfalt Kappeln"]:
        assert statuses_of(name) == sorted(
            [ApplicationStatus.DRAFT, ApplicationStatus.SUBMITTED, ApplicationStatus.WITHDRAWN]
        )
    assert Organisation.objects.count() == 3
    approved = Decision.objects.get(
        application__status="approved", application__revocation_procedures__isnull=True
    )
    heard = Application.objects.get(revocation_procedures__status="hearing")
    assert heard.status == ApplicationStatus.APPROVED
    assert heard.payment_requests.get().status == "paid"
    assert approved.decided_by.email == "leitung@example.org"
    assert approved.reviewed_by.email == "sachbearbeitung@example.org"
    assert Decision.objects.filter(outcome="rejected").count() == 1
    payment = approved.application.payment_requests.get()
    assert (payment.status, str(payment.amount)) == ("paid", "600.00")
    assert payment.checked_by != payment.released_by
    assert approved.application.usage_report.status == "open"
    amendment = approved.application.amendment_requests.get()
    assert amendment.status == "requested"
    assert amendment.new_end > amendment.old_end
    closed = Application.objects.get(status=ApplicationStatus.CLOSED)
    assert closed.usage_report.status == "accepted"
    assert closed.events.filter(to_status="closed").exists()
    assert closed.usage_report.attachments.get().content_type == "application/pdf"
    assert closed.usage_report.check_answers.count() == 5
