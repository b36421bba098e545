"""A worker process killed with SIGKILL in the middle of 100 notifications: each is sent once."""

import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
from django.conf import settings

from accounts.models import Notification, NotificationStatus
from accounts.notifications import queue_notification
from accounts.tasks import resend_pending_notifications
from tests.celery_helpers import wait_for

BATCH = 100


def start_worker_process(broker_url, mail_folder):
    database = settings.DATABASES["default"]
    env = {
        **os.environ,
        "DATABASE_URL": (
            f"postgres://{database['USER'] or 'postgres'}@{database['HOST'] or '127.0.0.1'}:"
            f"{database['PORT'] or 5432}/{database['NAME']}"
        ),
        "CELERY_BROKER_URL": broker_url,
        "DJANGO_EMAIL_BACKEND": "tests.mail_sink.SlowFileSink",
        "DJANGO_EMAIL_FILE_PATH": str(mail_folder),
        "KITZ_MAIL_SINK_DELAY": "0.4",
        "DJANGO_DEBUG": "1",
    }
    return subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "kitz_portal", "worker", "--pool=solo"]
        + ["--concurrency=1", "--prefetch-multiplier=1", "--loglevel=WARNING"],
        cwd=settings.BASE_DIR,
        env=env,
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def delivered(mail_folder):
    return Counter(path.name.split("-")[0] for path in Path(mail_folder).glob("*.eml"))


@pytest.mark.django_db(transaction=True)
def test_killed_worker_leaves_every_notification_sent_exactly_once(
    requires_postgresql, redis_celery, redis_broker_url, tmp_path
):
    mail_folder = tmp_path / "mail"
    notifications = [
        queue_notification(
            template="account/email/password_changed", to_email=f"person{n}@example.org"
        )
        for n in range(BATCH)
    ]
    ids = {str(notification.pk) for notification in notifications}

    worker = start_worker_process(redis_broker_url, mail_folder)
    try:
        assert wait_for(lambda: len(delivered(mail_folder)) >= 20, seconds=120)
        # Kill half-way through the next message's wait, when nothing is in flight to the sink.
        seen = len(delivered(mail_folder))
        wait_for(lambda: len(delivered(mail_folder)) > seen, seconds=10)
        time.sleep(0.2)
    finally:
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait(timeout=10)
    sent_before_restart = len(delivered(mail_folder))
    assert 20 <= sent_before_restart < BATCH

    worker = start_worker_process(redis_broker_url, mail_folder)
    try:
        # The beat job queues again what stayed pending, including the killed task's row.
        resend_pending_notifications(older_than_seconds=0)
        assert wait_for(
            lambda: not Notification.objects.exclude(status=NotificationStatus.SENT).exists(),
            seconds=180,
        )
        time.sleep(1)
    finally:
        os.killpg(worker.pid, signal.SIGTERM)
        worker.wait(timeout=30)

    counts = delivered(mail_folder)
    assert set(counts) == ids
    assert max(counts.values()) == 1
