"""Who may see and change applications."""

from django.utils.translation import gettext_lazy as _

from accounts import permissions as account_permissions
from kitz_portal.errors import PortalError


def is_applicant_for(user, application):
    return account_permissions.is_member_of(user, application.organisation)


def can_edit_draft(user, application):
    return application.is_draft and is_applicant_for(user, application)


def can_view_application(user, application):
    """Members see their organisation's applications; KITZ staff every submitted one."""
    if is_applicant_for(user, application):
        return True
    return not application.is_draft and account_permissions.is_kitz_staff(user)


def is_excluded_from_case(user, application):
    """Staff who belong to the applying organisation never work on its cases."""
    return is_applicant_for(user, application)


def can_work_on_case(user, application):
    """Sachbearbeitung and Zeichnungsbefugt on a submitted case of another organisation."""
    return (
        account_permissions.is_kitz_staff(user)
        and not application.is_draft
        and not is_excluded_from_case(user, application)
    )


def require_case_work(actor, application, predicate=None):
    """Refuse with the reason unless ``actor`` may work on the case (``predicate`` narrows it)."""
    if is_excluded_from_case(actor, application):
        raise PortalError(
            _(
                "Sie gehören der antragstellenden Organisation an und dürfen diesen Antrag "
                "nicht bearbeiten."
            )
        )
    if not (predicate or can_work_on_case)(actor, application):
        raise PortalError(_("Dafür fehlt Ihnen die Berechtigung."))


def require_status(record, allowed):
    """Refuse a step that the status of ``record`` (a case or one of its requests) rules out."""
    if record.status not in allowed:
        raise PortalError(
            _("Das ist im Status „%(status)s“ nicht möglich.")
            % {"status": record.get_status_display()}
        )


def can_decide(user, application):
    """Signing authority without a conflict of interest; the reviewer check is in the service."""
    return account_permissions.has_signing_authority(user) and can_work_on_case(user, application)


def can_see_outbox(user):
    return account_permissions.is_kitz_staff(user) or account_permissions.is_administrator(user)
