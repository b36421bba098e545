"""The security log: logins, failed logins, role and second-factor changes."""

from allauth.account.signals import password_changed
from allauth.mfa.signals import authenticator_added, authenticator_removed
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from .models import SecurityEvent, SecurityEventKind


def client_ip(request):
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


def log_security_event(*, kind, user=None, actor=None, email="", request=None, detail=""):
    return SecurityEvent.objects.create(
        kind=kind,
        user=user,
        actor=actor,
        email=email or (user.email if user is not None else ""),
        ip_address=client_ip(request),
        detail=detail[:255],
    )


@receiver(user_logged_in)
def on_login(sender, request, user, **kwargs):
    log_security_event(kind=SecurityEventKind.LOGIN, user=user, actor=user, request=request)


@receiver(user_logged_out)
def on_logout(sender, request, user, **kwargs):
    if user is not None:
        log_security_event(kind=SecurityEventKind.LOGOUT, user=user, actor=user, request=request)


@receiver(user_login_failed)
def on_login_failed(sender, credentials, request=None, **kwargs):
    email = str(credentials.get("email") or credentials.get("username") or "")[:254]
    log_security_event(kind=SecurityEventKind.LOGIN_FAILED, email=email, request=request)


@receiver(authenticator_added)
def on_authenticator_added(sender, request, user, authenticator, **kwargs):
    log_security_event(
        kind=SecurityEventKind.MFA_ACTIVATED,
        user=user,
        actor=user,
        request=request,
        detail=authenticator.type,
    )


@receiver(authenticator_removed)
def on_authenticator_removed(sender, request, user, authenticator, **kwargs):
    log_security_event(
        kind=SecurityEventKind.MFA_DEACTIVATED,
        user=user,
        actor=user,
        request=request,
        detail=authenticator.type,
    )


@receiver(password_changed)
def on_password_changed(sender, request, user, **kwargs):
    log_security_event(
        kind=SecurityEventKind.PASSWORD_CHANGED, user=user, actor=user, request=request
    )
