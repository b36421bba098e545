"""Feedback on barriers (Erklärung zur Barrierefreiheit): stored, and sent to the KITZ."""

from email.utils import parseaddr

from django.conf import settings
from django.db import transaction
from django.utils import translation

from .models import AccessibilityFeedback, Role, User
from .notifications import queue_notification


def feedback_recipients():
    """The configured address; without one the active administrators; else the portal's sender."""
    configured = settings.PORTAL_ACCESSIBILITY_FEEDBACK_EMAIL
    if configured:
        return [(configured, None)]
    administrators = User.objects.filter(
        is_active=True, role_assignments__role=Role.ADMINISTRATION
    ).order_by("pk")
    recipients = [(person.email, person) for person in administrators.distinct()]
    return recipients or [(parseaddr(settings.DEFAULT_FROM_EMAIL)[1], None)]


@transaction.atomic
def submit_accessibility_feedback(*, name="", email="", page_url="", message, sender=None):
    """Store the feedback, tell the KITZ and confirm to the sender when an address is given."""
    language = translation.get_language() or settings.LANGUAGE_CODE
    feedback = AccessibilityFeedback.objects.create(
        name=name.strip(),
        email=email.strip(),
        page_url=page_url.strip(),
        message=message.strip(),
        language=language,
        sender=sender if sender is not None and sender.is_authenticated else None,
    )
    context = {
        "feedback_id": feedback.pk,
        "name": feedback.name,
        "email": feedback.email,
        "page_url": feedback.page_url,
        "message": feedback.message,
        "language": language,
    }
    for to_email, person in feedback_recipients():
        queue_notification(
            template="emails/accessibility_feedback_received",
            to_email=to_email,
            recipient=person,
            context=context,
            language=(person.language if person and person.language else settings.LANGUAGE_CODE),
        )
    if feedback.email:
        queue_notification(
            template="emails/accessibility_feedback_confirmation",
            to_email=feedback.email,
            context=context,
            language=language,
        )
    return feedback


def accessibility_feedback_for_staff():
    return AccessibilityFeedback.objects.select_related("sender").order_by("-created_at")
