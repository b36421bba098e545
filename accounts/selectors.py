from .models import Membership


def memberships_of(user):
    return (
        Membership.objects.filter(user=user)
        .select_related("organisation")
        .order_by("organisation__name")
    )


def security_events():
    from .models import SecurityEvent

    return SecurityEvent.objects.select_related("user", "actor").order_by("-created_at")
