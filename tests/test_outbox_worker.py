"""The outbox with a real Celery worker against Redis."""

import time

import pytest
from celery.contrib.testing.worker import start_worker
from django.core import mail
from django.urls import reverse

from accounts.models import Notification, NotificationStatus
from accounts.notifications import queue_notification
from accounts.tasks import resend_pending_notifications, send_notification
from kitz_portal.celery import app as celery_app
from tests.factories import PASSWORD


def point_broker(app, url):
    """Switch the broker and drop connections and producers cached for the previous one."""
    app.conf.broker_url = url
    app._pool = None
    if "amqp" in app.__dict__:
        app.amqp._producer_pool = None


@pytest.fixture
def redis_celery(redis_broker_url):
    conf = celery_app.conf
    saved = {key: conf[key] for key in ("broker_url", "task_always_eager")}
    point_broker(celery_app, redis_broker_url)
    conf.task_always_eager = False
    with celery_app.connection_for_write() as connection:
        connection.default_channel.client.flushdb()
    yield celery_app
    conf.update(saved)
    point_broker(celery_app, saved["broker_url"])


@pytest.fixture
def worker(redis_celery):
    with start_worker(redis_celery, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        yield


def wait_for(predicate, seconds=20):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return False


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
