"""Decision e-mails through the outbox with a real worker against Redis."""

import pytest
from celery.contrib.testing.worker import start_worker
from django.core import mail
from django.urls import reverse

from accounts.models import Notification, NotificationStatus
from accounts.tasks import resend_pending_notifications
from applications import services
from applications.models import ApplicationStatus
from tests.celery_helpers import point_broker, wait_for
from tests.factories import case_handler, signing_authority
from tests.review_helpers import applicant_of, recommended_application

DECISION_MAIL = "emails/applications/decision_made"


@pytest.mark.django_db(transaction=True)
def test_a_decision_while_redis_is_down_is_saved_and_mailed_once_when_it_is_back(
    redis_celery,  # noqa: F811
    redis_broker_url,
):
    application = recommended_application(case_handler())
    member = applicant_of(application)
    point_broker(redis_celery, "redis://127.0.0.1:1/0")

    services.decide_application(
        actor=signing_authority(), application=application, action="approve"
    )

    application.refresh_from_db()
    assert application.status == ApplicationStatus.APPROVED
    notification = Notification.objects.get(template=DECISION_MAIL)
    assert notification.status == NotificationStatus.PENDING
    assert not [m for m in mail.outbox if m.to == [member.email] and "Entscheidung" in m.subject]

    point_broker(redis_celery, redis_broker_url)
    with start_worker(redis_celery, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        resend_pending_notifications(older_than_seconds=0)
        resend_pending_notifications(older_than_seconds=0)
        assert wait_for(
            lambda: Notification.objects.get(pk=notification.pk).status == NotificationStatus.SENT
        )
    decision_mails = [m for m in mail.outbox if "Entscheidung über Ihren Antrag" in m.subject]
    assert [m.to for m in decision_mails] == [[member.email]]
    assert application.reference in decision_mails[0].subject


@pytest.mark.django_db(transaction=True)
def test_an_application_submitted_while_redis_is_down_gets_its_receipt_later(
    client, redis_celery, redis_broker_url
):
    from tests.application_helpers import complete_draft
    from tests.factories import PASSWORD

    draft = complete_draft()
    member = draft.organisation.memberships.first().user
    point_broker(redis_celery, "redis://127.0.0.1:1/0")

    client.login(email=member.email, password=PASSWORD)
    response = client.post(reverse("applications:submit", args=[draft.pk]))

    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == ApplicationStatus.SUBMITTED
    receipt = Notification.objects.get(to_email=member.email, template__contains="received")
    assert receipt.status == NotificationStatus.PENDING

    point_broker(redis_celery, redis_broker_url)
    with start_worker(redis_celery, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        resend_pending_notifications(older_than_seconds=0)
        assert wait_for(
            lambda: Notification.objects.get(pk=receipt.pk).status == NotificationStatus.SENT
        )
    receipts = [m for m in mail.outbox if draft.reference in m.subject]
    assert [m.to for m in receipts] == [[member.email]]
