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
