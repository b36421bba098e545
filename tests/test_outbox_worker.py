"""The outbox with a real Celery worker against Redis."""

import time

import pytest
from celery.contrib.testing.worker import start_worker
from django.core import mail
from django.urls import reverse

from accounts.models import Notification, NotificationStatus
from accounts.notifications import queue_notification
from accounts.tasks import resend_pending_notifications, send_notification
from tests.celery_helpers import point_broker, wait_for
from tests.factories import PASSWORD


@pytest.mark.django_db(transaction=True)
def test_registration_confirmation_is_sent_by_a_real_worker(client, worker):
    response = client.post(
        reverse("account_signup"),
        {
            "first_name": "Olena",
            "last_name": "Melnyk",
            "email": "olena@example.org",
            "password1": PASSWORD,
            "password2": PASSWORD,
            "privacy_accepted": "on",
        },
    )
    assert response.status_code == 302
    notification = Notification.objects.get(to_email="olena@example.org")
    assert wait_for(
        lambda: Notification.objects.get(pk=notification.pk).status == NotificationStatus.SENT
    )
    assert [m.to for m in mail.outbox] == [["olena@example.org"]]


@pytest.mark.django_db(transaction=True)
def test_a_task_delivered_twice_sends_the_mail_once(worker):
    notification = queue_notification(
        template="account/email/password_changed",
        to_email="twice@example.org",
        context={},
    )
    send_notification.delay(notification.pk)
    send_notification.delay(notification.pk)
    assert wait_for(
        lambda: Notification.objects.get(pk=notification.pk).status == NotificationStatus.SENT
    )
    time.sleep(0.5)
    assert len([m for m in mail.outbox if m.to == ["twice@example.org"]]) == 1


@pytest.mark.django_db(transaction=True)
def test_notification_queued_while_broker_is_down_is_sent_later(redis_celery, redis_broker_url):
    point_broker(redis_celery, "redis://127.0.0.1:1/0")
    notification = queue_notification(
        template="account/email/password_changed", to_email="later@example.org", context={}
    )
    notification.refresh_from_db()
    assert notification.status == NotificationStatus.PENDING
    assert mail.outbox == []

    # The broker is back: the beat job queues what stayed pending.
    point_broker(redis_celery, redis_broker_url)
    with start_worker(redis_celery, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        assert resend_pending_notifications(older_than_seconds=0) == 1
        assert wait_for(
            lambda: Notification.objects.get(pk=notification.pk).status == NotificationStatus.SENT
        )
    assert [m.to for m in mail.outbox] == [["later@example.org"]]
