from django.conf import settings

from accounts import permissions


def portal(request):
    """Role flags for the navigation; the views check permissions themselves."""
    user = getattr(request, "user", None)
    return {
        "portal_debug": settings.DEBUG,
        "nav_is_staff": bool(user and permissions.is_kitz_staff(user)),
        "nav_is_administrator": bool(user and permissions.is_administrator(user)),
    }
