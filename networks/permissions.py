"""Who may do what in the networks: staff run them, coordinators manage, members take part."""

from django.db.models import Q

from accounts.permissions import is_kitz_staff


def _is_active(user):
    return bool(user and user.is_authenticated and user.is_active)


def can_create_network(user):
    return is_kitz_staff(user)


def can_edit_network(user, network):
    return is_kitz_staff(user)


def is_coordinator(user, network):
    if not is_kitz_staff(user):
        return False
    return network.coordinators.filter(pk=user.pk).exists()


def is_member(user, network):
    """A person in the network: by themselves, through their organisation, or coordinating."""
    if not _is_active(user):
        return False
    if network.memberships.filter(Q(user=user) | Q(organisation__memberships__user=user)).exists():
        return True
    return is_coordinator(user, network)


def can_see_network(user, network):
    """Members-only networks do not exist for anyone else (the views answer 404)."""
    return network.is_public or is_kitz_staff(user) or is_member(user, network)


def can_see_members_content(user, network):
    return is_kitz_staff(user) or is_member(user, network)


def can_manage_network(user, network):
    """Members, meetings, offers and tasks are managed by the network's coordinators."""
    return is_coordinator(user, network)


def can_request_to_join(user, organisation):
    from accounts.permissions import can_manage_organisation

    return can_manage_organisation(user, organisation)
