"""The outbox: who hears what, written as rows in the transaction that causes it."""

import logging

from django.conf import settings
from django.db import transaction
from django.utils import translation

from .models import Notification

logger = logging.getLogger(__name__)


def queue_notification(*, template, to_email, recipient=None, context=None, language=None):
    """Insert a pending notification and send it once the transaction commits.

    ``context`` must be JSON-serialisable: the task renders the message later,
    possibly in another process, in the recipient's language.
    """
    if language is None:
        language = (
            recipient.language
            if recipient is not None and recipient.language
            else translation.get_language() or settings.LANGUAGE_CODE
        )
    notification = Notification.objects.create(
        recipient=recipient,
        to_email=to_email,
        template=template,
        language=language,
        context=context or {},
    )
    transaction.on_commit(lambda: dispatch(notification.pk))
    return notification


def dispatch(notification_id):
    """Hand a notification to Celery; when the broker is down the beat job resends it."""
    from .tasks import send_notification

    try:
        send_notification.delay(notification_id)
    except Exception:
        logger.warning(
            "Broker unavailable, notification %s stays pending", notification_id, exc_info=True
        )
