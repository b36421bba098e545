"""Who may do what: the one place for the account-level predicates.

Every view asks one of these; the permission matrix test walks them per URL and role.
"""

from .models import Role


def _is_active(user):
    return bool(user and user.is_authenticated and user.is_active)


def is_case_handler(user):
    return _is_active(user) and user.has_role(Role.CASE_HANDLER)


def has_signing_authority(user):
    return _is_active(user) and user.has_role(Role.SIGNING_AUTHORITY)


def is_administrator(user):
    return _is_active(user) and user.has_role(Role.ADMINISTRATION)


def is_kitz_staff(user):
    """Sachbearbeitung or Zeichnungsbefugt: the people who work on cases."""
    return is_case_handler(user) or has_signing_authority(user)


def is_member_of(user, organisation):
    if not _is_active(user):
        return False
    return organisation.memberships.filter(user=user).exists()


def can_manage_organisation(user, organisation):
    if not _is_active(user):
        return False
    return organisation.memberships.filter(user=user, is_manager=True).exists()


def may_view_statistics(user):
    """The Auswertung: for the Administration and the KITZ lead with signing authority."""
    return is_administrator(user) or has_signing_authority(user)


def may_read_accessibility_feedback(user):
    """Feedback on barriers is read by the KITZ staff and the Administration."""
    return is_kitz_staff(user) or is_administrator(user)
