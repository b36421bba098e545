"""Writes on staff accounts: invite staff, grant and revoke roles, deactivate accounts.

Every role change is written to the security log in the same transaction.
"""

from allauth.account.forms import default_token_generator
from allauth.account.models import EmailAddress
from allauth.account.utils import user_pk_to_url_str
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kitz_portal.errors import PortalError

from . import permissions
from .models import Role, RoleAssignment, SecurityEventKind, User
from .notifications import queue_notification
from .security import log_security_event


def _require_administrator(actor):
    if not permissions.is_administrator(actor):
        raise PortalError(_("Nur die Administration darf Personen und Rollen verwalten."))


def _lock_administrators():
    """Serialise changes that could remove the last administrator."""
    return list(
        RoleAssignment.objects.select_for_update()
        .filter(role=Role.ADMINISTRATION)
        .values_list("user_id", flat=True)
    )


def _active_administrators_except(user):
    return (
        RoleAssignment.objects.filter(role=Role.ADMINISTRATION, user__is_active=True)
        .exclude(user=user)
        .exists()
    )


def _password_setup_path(user):
    return reverse(
        "account_reset_password_from_key",
        kwargs={
            "uidb36": user_pk_to_url_str(user),
            "key": default_token_generator.make_token(user),
        },
    )


@transaction.atomic
def invite_staff(*, actor, email, first_name, last_name, roles, request=None):
    """Create a staff account with the given roles and e-mail a link to set a password."""
    _require_administrator(actor)
    email = email.strip().lower()
    if User.objects.filter(email__iexact=email).exists():
        raise PortalError(
            _("Es gibt schon ein Konto mit dieser E-Mail-Adresse. Erteilen Sie dort die Rolle."),
            field="email",
        )
    if not roles:
        raise PortalError(_("Bitte wählen Sie mindestens eine Rolle."), field="roles")
    user = User.objects.create_user(email=email, first_name=first_name, last_name=last_name)
    user.set_unusable_password()
    user.save(update_fields=["password"])
    # The link to set the password proves the address.
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    for role in roles:
        _grant(actor=actor, user=user, role=role, request=request)
    queue_notification(
        template="emails/staff_invitation",
        to_email=email,
        recipient=user,
        context={
            "inviter": str(actor),
            "roles": [str(Role(role).label) for role in roles],
            "setup_path": _password_setup_path(user),
        },
    )
    return user


def _grant(*, actor, user, role, request):
    if role == Role.SIGNING_AUTHORITY and actor.pk == user.pk:
        raise PortalError(
            _("Sie können sich nicht selbst die Zeichnungsbefugnis erteilen."), field="role"
        )
    assignment, created = RoleAssignment.objects.get_or_create(
        user=user, role=role, defaults={"granted_by": actor}
    )
    if not created:
        raise PortalError(
            _("%(person)s hat die Rolle „%(role)s“ schon.")
            % {"person": user, "role": Role(role).label},
            field="role",
        )
    log_security_event(
        kind=SecurityEventKind.ROLE_GRANTED,
        user=user,
        actor=actor,
        request=request,
        detail=str(Role(role).label),
    )
    return assignment


@transaction.atomic
def grant_role(*, actor, user, role, request=None):
    _require_administrator(actor)
    user = User.objects.select_for_update().get(pk=user.pk)
    if not user.is_active:
        raise PortalError(_("Das Konto ist deaktiviert."), field="role")
    return _grant(actor=actor, user=user, role=role, request=request)


@transaction.atomic
def revoke_role(*, actor, user, role, request=None):
    _require_administrator(actor)
    if role == Role.ADMINISTRATION:
        _lock_administrators()
        if not _active_administrators_except(user):
            raise PortalError(
                _(
                    "Die Rolle kann nicht entzogen werden: Danach gäbe es keine Administration "
                    "mehr im Portal."
                )
            )
    deleted, _rows = RoleAssignment.objects.filter(user=user, role=role).delete()
    if not deleted:
        raise PortalError(_("%(person)s hat diese Rolle nicht.") % {"person": user})
    log_security_event(
        kind=SecurityEventKind.ROLE_REVOKED,
        user=user,
        actor=actor,
        request=request,
        detail=str(Role(role).label),
    )


@transaction.atomic
def set_account_active(*, actor, user, active, request=None):
    """Deactivated people cannot log in; their cases and letters stay as they are."""
    _require_administrator(actor)
    user = User.objects.select_for_update().get(pk=user.pk)
    if not active:
        if user.pk == actor.pk:
            raise PortalError(_("Sie können Ihr eigenes Konto nicht deaktivieren."))
        if user.has_role(Role.ADMINISTRATION):
            _lock_administrators()
            if not _active_administrators_except(user):
                raise PortalError(
                    _(
                        "Das Konto kann nicht deaktiviert werden: Danach gäbe es keine "
                        "Administration mehr im Portal."
                    )
                )
    user.is_active = active
    user.save(update_fields=["is_active"])
    log_security_event(
        kind=SecurityEventKind.ACCOUNT_REACTIVATED
        if active
        else SecurityEventKind.ACCOUNT_DEACTIVATED,
        user=user,
        actor=actor,
        request=request,
    )
    return user
