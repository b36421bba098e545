"""Writes on organisations: create, keep the profile, invite colleagues, accept invitations."""

from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kitz_portal.errors import PortalError

from . import permissions
from .models import Invitation, Membership, Organisation
from .notifications import queue_notification

INVITATION_SALT = "accounts.invitation"
INVITATION_MAX_AGE = 14 * 24 * 3600


def _store_proof(organisation, proof, content_type):
    old_name = organisation.non_profit_proof.name if organisation.non_profit_proof else ""
    organisation.non_profit_proof.save(proof.name, proof, save=False)
    organisation.non_profit_proof_name = proof.name
    organisation.non_profit_proof_content_type = content_type
    if old_name:
        storage = organisation.non_profit_proof.storage
        transaction.on_commit(lambda: storage.delete(old_name))


@transaction.atomic
def create_organisation(*, actor, proof=None, proof_content_type="", **fields):
    """The person who creates an organisation becomes its first manager."""
    if not permissions._is_active(actor):
        raise PortalError(_("Bitte melden Sie sich an."))
    organisation = Organisation(**fields)
    if proof is not None:
        _store_proof(organisation, proof, proof_content_type)
    organisation.save()
    Membership.objects.create(user=actor, organisation=organisation, is_manager=True)
    return organisation


@transaction.atomic
def update_organisation(*, actor, organisation, proof=None, proof_content_type="", **fields):
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    if not permissions.can_manage_organisation(actor, organisation):
        raise PortalError(
            _("Nur Personen, die die Organisation verwalten, dürfen das Profil ändern.")
        )
    for name, value in fields.items():
        setattr(organisation, name, value)
    if proof is not None:
        _store_proof(organisation, proof, proof_content_type)
    organisation.save()
    return organisation


def invitation_token(invitation):
    return signing.dumps(
        {"invitation": invitation.pk, "email": invitation.email}, salt=INVITATION_SALT
    )


@transaction.atomic
def invite_member(*, actor, organisation, email):
    if not permissions.can_manage_organisation(actor, organisation):
        raise PortalError(_("Nur Personen, die die Organisation verwalten, dürfen einladen."))
    email = email.strip().lower()
    if organisation.memberships.filter(user__email__iexact=email).exists():
        raise PortalError(_("Diese Person gehört schon zur Organisation."), field="email")
    invitation = Invitation.objects.create(organisation=organisation, email=email, invited_by=actor)
    accept_path = reverse(
        "accounts:accept_invitation", kwargs={"token": invitation_token(invitation)}
    )
    queue_notification(
        template="emails/organisation_invitation",
        to_email=email,
        context={
            "organisation": organisation.name,
            "inviter": str(actor),
            "accept_path": accept_path,
        },
    )
    return invitation


def invitation_from_token(token):
    try:
        data = signing.loads(token, salt=INVITATION_SALT, max_age=INVITATION_MAX_AGE)
    except signing.SignatureExpired:
        raise PortalError(
            _("Diese Einladung ist abgelaufen. Bitte lassen Sie sich neu einladen.")
        ) from None
    except signing.BadSignature:
        raise PortalError(_("Dieser Einladungslink ist ungültig.")) from None
    invitation = (
        Invitation.objects.select_related("organisation").filter(pk=data.get("invitation")).first()
    )
    if invitation is None or invitation.email != data.get("email"):
        raise PortalError(_("Dieser Einladungslink ist ungültig."))
    return invitation


@transaction.atomic
def accept_invitation(*, actor, token):
    invitation = invitation_from_token(token)
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at is not None:
        raise PortalError(_("Diese Einladung wurde schon angenommen."))
    if actor.email.lower() != invitation.email.lower():
        raise PortalError(
            _("Diese Einladung gilt für %(email)s. Bitte melden Sie sich mit dieser Adresse an.")
            % {"email": invitation.email}
        )
    Membership.objects.get_or_create(
        user=actor, organisation=invitation.organisation, defaults={"is_manager": False}
    )
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = actor
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    return invitation.organisation
