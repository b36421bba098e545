from django.conf import settings

from accounts import permissions


def portal(request):
    """Role flags for the navigation; the views check permissions themselves."""
    user = getattr(request, "user", None)
    is_staff = bool(user and permissions.is_kitz_staff(user))
    is_administrator = bool(user and permissions.is_administrator(user))
    return {
        "portal_debug": settings.DEBUG,
        "nav_is_staff": is_staff,
        "nav_is_administrator": is_administrator,
        "nav_may_view_statistics": bool(user and permissions.may_view_statistics(user)),
        "idle_timeout_seconds": (
            settings.PORTAL_STAFF_IDLE_TIMEOUT_SECONDS if is_staff or is_administrator else None
        ),
    }
