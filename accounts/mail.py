"""Rendering and sending of one outbox row as a multipart e-mail."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string
from django.utils import translation


def render_notification(notification):
    """Return subject, plain text and HTML (or None) for a notification row."""
    context = {
        **notification.context,
        "recipient": notification.recipient,
        "user": notification.recipient,
        "portal_base_url": settings.PORTAL_BASE_URL.rstrip("/"),
    }
    with translation.override(notification.language):
        subject = render_to_string(f"{notification.template}_subject.txt", context)
        subject = settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + " ".join(subject.split())
        text = render_to_string(f"{notification.template}_message.txt", context)
        try:
            html = render_to_string(f"{notification.template}_message.html", context)
        except TemplateDoesNotExist:
            html = None
    return subject, text, html


def send_rendered(notification, subject, text, html):
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[notification.to_email],
        headers={"X-KITZ-Notification": str(notification.pk)},
    )
    if html:
        message.attach_alternative(html, "text/html")
    # Calendar files (e.g. meeting invitations) travel in the JSON context of the outbox row.
    for attachment in notification.context.get("ics_attachments", []):
        message.attach(attachment["filename"], attachment["content"], "text/calendar")
    message.send()
