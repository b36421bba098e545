"""The receipt goes through the outbox and a real Celery worker on Redis, exactly once."""

import time

import pytest
from django.core import mail
from django.core.management import call_command

from accounts.models import Notification, NotificationStatus
from accounts.tasks import resend_pending_notifications
from applications import services
from kitz_portal.celery import app as celery_app
from tests.application_helpers import complete_draft, member_of


@pytest.fixture(scope="module", autouse=True)
def restore_handlungsfelder(django_db_setup, django_db_blocker):
    """Transactional tests flush every table; put back the rows the data migration made."""
    yield
    with django_db_blocker.unblock():
        call_command("loaddata", "handlungsfelder", verbosity=0)


@pytest.fixture
def real_worker(worker, requires_postgresql, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    return worker


def _wait_until_sent(count, timeout=20):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if Notification.objects.filter(status=NotificationStatus.SENT).count() >= count:
            return
        time.sleep(0.1)
    raise AssertionError("the worker did not send the receipt in time")


def _wait_until_queue_is_empty(timeout=20):
    with celery_app.connection_for_write() as connection:
        client = connection.default_channel.client
        deadline = time.monotonic() + timeout
        while client.llen("celery") and time.monotonic() < deadline:
            time.sleep(0.1)
    time.sleep(0.5)  # the last task taken from the queue finishes


@pytest.mark.django_db(transaction=True)
def test_every_member_gets_the_receipt_once_through_the_worker(real_worker):
    application = complete_draft()
    user = application.organisation.memberships.first().user
    colleague = member_of(application.organisation)

    submitted = services.submit_application(actor=user, application=application)
    _wait_until_sent(2)

    receipts = [message for message in mail.outbox if submitted.reference in message.subject]
    assert sorted(message.to[0] for message in receipts) == sorted([user.email, colleague.email])

    # Queuing the same rows again (beat job, duplicate delivery) sends nothing more.
    for notification in Notification.objects.all():
        celery_app.send_task("accounts.tasks.send_notification", args=[notification.pk])
    resend_pending_notifications(older_than_seconds=0)
    _wait_until_queue_is_empty()
    assert len([m for m in mail.outbox if submitted.reference in m.subject]) == 2
