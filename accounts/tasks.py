import logging
from datetime import timedelta

from celery import shared_task
from django.db import transaction
from django.utils import timezone

from .mail import render_notification, send_rendered
from .models import Notification, NotificationStatus

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 10


@shared_task(acks_late=True)
def send_notification(notification_id):
    """Send one outbox row. Safe to run twice: the row lock and ``sent_at`` decide."""
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update(of=("self",))
            .select_related("recipient")
            .filter(pk=notification_id)
            .first()
        )
        if notification is None or notification.status != NotificationStatus.PENDING:
            return False
        notification.attempts += 1
        try:
            subject, text, html = render_notification(notification)
            send_rendered(notification, subject, text, html)
        except Exception as error:
            logger.exception("Sending notification %s failed", notification_id)
            notification.last_error = str(error)[:2000]
            if notification.attempts >= MAX_ATTEMPTS:
                notification.status = NotificationStatus.FAILED
            notification.save(update_fields=["attempts", "last_error", "status"])
            return False
        notification.subject = subject[:255]
        notification.status = NotificationStatus.SENT
        notification.sent_at = timezone.now()
        notification.last_error = ""
        notification.save(update_fields=["attempts", "subject", "status", "sent_at", "last_error"])
        return True


@shared_task
def resend_pending_notifications(older_than_seconds=60):
    """Beat job: queue again what stayed pending, e.g. because the broker was down."""
    cutoff = timezone.now() - timedelta(seconds=older_than_seconds)
    pending = Notification.objects.filter(
        status=NotificationStatus.PENDING, created_at__lte=cutoff
    ).values_list("pk", flat=True)
    count = 0
    for notification_id in pending.iterator():
        send_notification.delay(notification_id)
        count += 1
    return count
