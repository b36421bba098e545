import time

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from kitz_portal.middleware import path_without_language

from . import permissions

# Pages a staff member without a second factor may still open: the account pages to set it up.
MFA_SETUP_PREFIXES = ("/konto/", "/i18n/", "/static/", "/healthz")
# The last activity is stored to the minute: writing the session on every click costs three
# queries per page (BEGIN, UPDATE, COMMIT) and the idle timeout is half an hour.
ACTIVITY_GRANULARITY_SECONDS = 60


def is_staff_role(user):
    return permissions.is_kitz_staff(user) or permissions.is_administrator(user)


class StaffSecurityMiddleware:
    """Staff sessions end after inactivity, and staff must use a second factor (TOTP)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and is_staff_role(user):
            response = self.check_idle(request) or self.check_second_factor(request)
            if response is not None:
                return response
        return self.get_response(request)

    def check_idle(self, request):
        now = int(time.time())
        last = request.session.get("last_activity")
        if last is None or now - last >= ACTIVITY_GRANULARITY_SECONDS:
            request.session["last_activity"] = now
        if last is not None and now - last > settings.PORTAL_STAFF_IDLE_TIMEOUT_SECONDS:
            logout(request)
            messages.info(
                request,
                _("Sie wurden nach längerer Inaktivität abgemeldet. Bitte melden Sie sich neu an."),
            )
            return redirect(f"{reverse('account_login')}?next={request.path}")
        return None

    def check_second_factor(self, request):
        path = path_without_language(request.path)
        if not settings.PORTAL_STAFF_MFA_REQUIRED or path.startswith(MFA_SETUP_PREFIXES):
            return None
        if Authenticator.objects.filter(user=request.user, type=Authenticator.Type.TOTP).exists():
            return None
        messages.warning(
            request,
            _(
                "Für Mitarbeitende des KITZ ist die Zwei-Faktor-Authentifizierung Pflicht. "
                "Bitte richten Sie sie jetzt ein."
            ),
        )
        return redirect("mfa_activate_totp")
