"""Decision e-mails through the outbox with a real worker against Redis."""

import pytest
from celery.contrib.testing.worker import start_worker
from django.core import mail

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
