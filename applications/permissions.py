"""Who may see and change applications."""

from accounts import permissions as account_permissions


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


def can_decide(user, application):
    """Signing authority without a conflict of interest; the reviewer check is in the service."""
    return account_permissions.has_signing_authority(user) and can_work_on_case(user, application)


def can_see_outbox(user):
    return account_permissions.is_kitz_staff(user) or account_permissions.is_administrator(user)
