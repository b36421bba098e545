from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import translation

from .notifications import queue_notification

JSON_TYPES = (str, int, float, bool, type(None))


class PortalAccountAdapter(DefaultAccountAdapter):
    """Account e-mails go through the outbox; demo passwords only work in development."""

    def send_mail(self, template_prefix, email, context):
        user = context.get("user")
        if user is None or not getattr(user, "pk", None):
            user = get_user_model().objects.filter(email__iexact=email).first()
        serialisable = {
            key: value for key, value in context.items() if isinstance(value, JSON_TYPES)
        }
        serialisable["email"] = email
        queue_notification(
            template=template_prefix,
            to_email=email,
            recipient=user,
            context=serialisable,
            language=translation.get_language() or settings.LANGUAGE_CODE,
        )

    def save_user(self, request, user, form, commit=True):
        user.language = (translation.get_language() or settings.LANGUAGE_CODE)[:2]
        if user.language not in dict(settings.LANGUAGES):
            user.language = settings.LANGUAGE_CODE
        return super().save_user(request, user, form, commit=commit)

    def authenticate(self, request, **credentials):
        if not settings.DEBUG and credentials.get("password") == settings.PORTAL_DEMO_PASSWORD:
            self.authentication_failed(request, **credentials)
            return None
        return super().authenticate(request, **credentials)
