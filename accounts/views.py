from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from kitz_portal.errors import PortalError
from kitz_portal.uploads import private_file_response

from . import permissions, services
from .decorators import requires
from .forms import InvitationForm, OrganisationForm
from .models import Organisation
from .selectors import memberships_of, security_events
from .validators import format_iban


@login_required
def home(request):
    return render(
        request,
        "accounts/home.html",
        {
            "memberships": memberships_of(request.user),
            "is_staff_member": permissions.is_kitz_staff(request.user),
            "is_administrator": permissions.is_administrator(request.user),
        },
    )


@requires(permissions.is_kitz_staff)
def staff_home(request):
    return render(request, "accounts/staff_home.html")


@requires(permissions.is_administrator)
def security_log(request):
    page = Paginator(security_events(), 50).get_page(request.GET.get("seite"))
    return render(request, "accounts/security_log.html", {"page": page})


def _organisation_of_member(user, pk):
    """Another organisation answers "not found", never "forbidden"."""
    return get_object_or_404(Organisation.objects.filter(memberships__user=user), pk=pk)


@login_required
def organisation_create(request):
    form = OrganisationForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        proof = data.pop("proof")
        organisation = services.create_organisation(
            actor=request.user,
            proof=proof or None,
            proof_content_type=form.proof_content_type,
            **data,
        )
        messages.success(request, _("Ihre Organisation wurde angelegt."))
        return redirect("accounts:organisation_detail", pk=organisation.pk)
    return render(request, "accounts/organisation_form.html", {"form": form, "organisation": None})


@login_required
def organisation_detail(request, pk):
    organisation = _organisation_of_member(request.user, pk)
    return render(
        request,
        "accounts/organisation_detail.html",
        {
            "organisation": organisation,
            "memberships": organisation.memberships.select_related("user").order_by(
                "user__last_name", "user__email"
            ),
            "invitations": organisation.invitations.filter(accepted_at__isnull=True),
            "can_manage": permissions.can_manage_organisation(request.user, organisation),
            "iban": format_iban(organisation.iban) if organisation.iban else "",
        },
    )


@login_required
def organisation_edit(request, pk):
    organisation = _organisation_of_member(request.user, pk)
    if not permissions.can_manage_organisation(request.user, organisation):
        raise PermissionDenied
    form = OrganisationForm(request.POST or None, request.FILES or None, instance=organisation)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        proof = data.pop("proof")
        try:
            services.update_organisation(
                actor=request.user,
                organisation=organisation,
                proof=proof or None,
                proof_content_type=form.proof_content_type,
                **data,
            )
        except PortalError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Das Profil wurde gespeichert."))
            return redirect("accounts:organisation_detail", pk=organisation.pk)
    return render(
        request, "accounts/organisation_form.html", {"form": form, "organisation": organisation}
    )


@login_required
def organisation_proof(request, pk):
    organisation = _organisation_of_member(request.user, pk)
    if not organisation.non_profit_proof:
        raise Http404
    return private_file_response(
        organisation.non_profit_proof,
        filename=organisation.non_profit_proof_name or "nachweis",
        content_type=organisation.non_profit_proof_content_type or "application/octet-stream",
    )


@login_required
def organisation_invite(request, pk):
    organisation = _organisation_of_member(request.user, pk)
    if not permissions.can_manage_organisation(request.user, organisation):
        raise PermissionDenied
    form = InvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.invite_member(
                actor=request.user, organisation=organisation, email=form.cleaned_data["email"]
            )
        except PortalError as error:
            form.add_error("email" if error.field == "email" else None, error.message)
        else:
            messages.success(
                request,
                _("Wir haben eine Einladung an %(email)s geschickt.")
                % {"email": form.cleaned_data["email"]},
            )
            return redirect("accounts:organisation_detail", pk=organisation.pk)
    return render(
        request, "accounts/organisation_invite.html", {"form": form, "organisation": organisation}
    )


@login_required
def accept_invitation(request, token):
    try:
        invitation = services.invitation_from_token(token)
    except PortalError as error:
        messages.error(request, error.message)
        return redirect("accounts:home")
    if request.method == "POST":
        try:
            organisation = services.accept_invitation(actor=request.user, token=token)
        except PortalError as error:
            messages.error(request, error.message)
            return redirect("accounts:home")
        messages.success(request, _("Sie gehören jetzt zu %(name)s.") % {"name": organisation.name})
        return redirect("accounts:organisation_detail", pk=organisation.pk)
    return render(request, "accounts/accept_invitation.html", {"invitation": invitation})
