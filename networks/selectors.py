"""Reads shared by the network pages, feeds and tasks."""

from django.contrib.auth import get_user_model
from django.db.models import Count, OuterRef, Prefetch, Q, Subquery
from django.utils import timezone

from accounts.permissions import is_kitz_staff

from .models import (
    Invitation,
    JoinRequest,
    JoinRequestStatus,
    Meeting,
    MeetingStatus,
    Network,
    NetworkMembership,
    Offer,
    Task,
    Visibility,
)


def member_network_ids(user):
    """Ids of the networks the person belongs to or coordinates, in one query."""
    if not (user and user.is_authenticated and user.is_active):
        return set()
    return set(
        Network.objects.filter(
            Q(memberships__user=user)
            | Q(memberships__organisation__memberships__user=user)
            | Q(coordinators=user)
        ).values_list("pk", flat=True)
    )


def visible_networks(user):
    """Networks the person may see: public ones, their own, and all for KITZ staff."""
    networks = Network.objects.all()
    if not is_kitz_staff(user):
        networks = networks.filter(
            Q(visibility=Visibility.PUBLIC) | Q(pk__in=member_network_ids(user))
        )
    return (
        networks.prefetch_related("handlungsfelder")
        .annotate(member_count=Count("memberships", distinct=True))
        .order_by("name")
    )


def network_for(user, slug):
    """The network or None when the person may not know it exists."""
    network = Network.objects.filter(slug=slug).first()
    if network is None:
        return None
    from .permissions import can_see_network

    return network if can_see_network(user, network) else None


def public_networks_of_handlungsfeld(handlungsfeld):
    """Public networks of a field with their next meetings (title and time only)."""
    upcoming = Meeting.objects.filter(
        start__gte=timezone.now(), status=MeetingStatus.PLANNED
    ).order_by("start")
    networks = (
        Network.objects.filter(handlungsfelder=handlungsfeld, visibility=Visibility.PUBLIC)
        .prefetch_related(Prefetch("meetings", queryset=upcoming, to_attr="upcoming_meetings"))
        .order_by("name")
    )
    for network in networks:
        network.upcoming_meetings = network.upcoming_meetings[:3]
    return networks


def listed_memberships(network):
    return (
        NetworkMembership.objects.filter(
            network=network, organisation__isnull=False, listed_publicly=True
        )
        .select_related("organisation")
        .order_by("organisation__name")
    )


def all_memberships(network):
    return (
        NetworkMembership.objects.filter(network=network)
        .select_related("organisation", "user")
        .order_by("organisation__name", "user__last_name", "user__first_name")
    )


def upcoming_meetings(network, *, limit=None):
    meetings = network.meetings.filter(start__gte=timezone.now()).order_by("start")
    return meetings[:limit] if limit else meetings


def past_meetings(network):
    return network.meetings.filter(start__lt=timezone.now()).order_by("-start")


def pending_join_requests(network):
    return (
        JoinRequest.objects.filter(network=network, status=JoinRequestStatus.PENDING)
        .select_related("organisation", "requested_by")
        .order_by("created_at")
    )


def offers_of(network):
    from applications.models import Application

    # The Aktenzeichen links the offer to the funding application that finances it.
    funding_application = Application.objects.filter(
        reference=OuterRef("funding_reference")
    ).values("pk")[:1]
    return (
        Offer.objects.filter(network=network)
        .annotate(funding_application_id=Subquery(funding_application))
        .select_related("handlungsfeld")
        .prefetch_related(
            "responsible_organisations",
            Prefetch("tasks", queryset=Task.objects.select_related("owner")),
        )
        .order_by("starts_on", "title")
    )


def open_tasks_of(network):
    return (
        Task.objects.filter(network=network, done=False)
        .select_related("owner", "offer")
        .order_by("due_on", "title")
    )


def invitations_of(meeting):
    return Invitation.objects.filter(meeting=meeting).select_related("user")


def _member_people_condition(network):
    return (
        Q(network_memberships__network=network)
        | Q(memberships__organisation__network_memberships__network=network)
        | Q(coordinated_networks=network)
    )


def member_people(network):
    """Everybody invited to meetings: person members, organisation members, coordinators."""
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(_member_people_condition(network))
        .distinct()
        .order_by("last_name", "first_name", "email")
    )


def attendance_candidates(meeting):
    """Members and everybody who was invited, even if they left the network since."""
    return (
        get_user_model()
        .objects.filter(
            _member_people_condition(meeting.network) | Q(meeting_invitations__meeting=meeting)
        )
        .distinct()
        .order_by("last_name", "first_name", "email")
    )


def meetings_for_person(user):
    """Meetings in the person's calendar feed: every network they belong to."""
    return (
        Meeting.objects.filter(network_id__in=member_network_ids(user))
        .select_related("network")
        .order_by("start")
    )


def meetings_of(network):
    return Meeting.objects.filter(network=network).select_related("network").order_by("start")
