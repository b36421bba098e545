from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kitz_portal.errors import PortalError

from . import organisation_merge as organisation_merge_service
from . import permissions, role_services
from .admin_forms import OrganisationMergeForm, RoleForm, SearchForm, StaffInvitationForm
from .admin_selectors import (
    organisations_with_members,
    people_for_administration,
    possible_duplicates,
)
from .decorators import requires
from .models import Organisation, Role, User

PAGE_SIZE = 50


@requires(permissions.is_administrator)
def people(request):
    search = SearchForm(request.GET or None)
    query = search.cleaned_data["q"] if search.is_valid() else ""
    staff_only = request.GET.get("nur") == "kitz"
    page = Paginator(
        people_for_administration(search=query, staff_only=staff_only), PAGE_SIZE
    ).get_page(request.GET.get("seite"))
    return render(
        request,
        "administration/people.html",
        {"page": page, "search": search, "staff_only": staff_only},
    )


@requires(permissions.is_administrator)
def invite_staff(request):
    form = StaffInvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            person = role_services.invite_staff(
                actor=request.user, request=request, **form.cleaned_data
            )
        except PortalError as error:
            form.add_error(error.field, error.message)
        else:
            messages.success(request, _("%(email)s wurde eingeladen.") % {"email": person.email})
            return redirect("user_admin:person", pk=person.pk)
    return render(request, "administration/invite_staff.html", {"form": form})


@requires(permissions.is_administrator)
def person(request, pk):
    person = get_object_or_404(people_for_administration(), pk=pk)
    held = {assignment.role for assignment in person.role_assignments.all()}
    return render(
        request,
        "administration/person.html",
        {
            "person": person,
            "grant_form": RoleForm(),
            "roles": [(Role(value), value in held) for value in Role.values],
        },
    )


def _role_change(request, pk, change):
    person = get_object_or_404(User, pk=pk)
    form = RoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Bitte wählen Sie eine Rolle."))
        return redirect("user_admin:person", pk=pk)
    try:
        change(actor=request.user, user=person, role=form.cleaned_data["role"], request=request)
    except PortalError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Die Rollen wurden geändert."))
    return redirect("user_admin:person", pk=pk)


@require_POST
@requires(permissions.is_administrator)
def grant_role(request, pk):
    return _role_change(request, pk, role_services.grant_role)


@require_POST
@requires(permissions.is_administrator)
def revoke_role(request, pk):
    return _role_change(request, pk, role_services.revoke_role)


@require_POST
@requires(permissions.is_administrator)
def set_active(request, pk):
    person = get_object_or_404(User, pk=pk)
    active = request.POST.get("active") == "1"
    try:
        role_services.set_account_active(
            actor=request.user, user=person, active=active, request=request
        )
    except PortalError as error:
        messages.error(request, error.message)
    else:
        if active:
            messages.success(request, _("Das Konto ist wieder aktiv."))
        else:
            messages.success(request, _("Das Konto wurde deaktiviert."))
    return redirect("user_admin:person", pk=pk)


@requires(permissions.is_administrator)
def organisations(request):
    search = SearchForm(request.GET or None)
    query = search.cleaned_data["q"] if search.is_valid() else ""
    page = Paginator(organisations_with_members(search=query), PAGE_SIZE).get_page(
        request.GET.get("seite")
    )
    hints = possible_duplicates()
    for organisation in page:
        organisation.duplicate_hints = hints.get(organisation.pk, [])
    return render(request, "administration/organisations.html", {"page": page, "search": search})


@requires(permissions.is_administrator)
def organisation_merge(request, pk):
    source = get_object_or_404(Organisation.objects.select_related("merged_into"), pk=pk)
    if request.method == "POST":
        data = request.POST
    else:
        data = request.GET if "target" in request.GET else None
    form = OrganisationMergeForm(data, source=source)
    plan = None
    if source.is_active and form.is_valid():
        target = form.cleaned_data["target"]
        if request.method == "POST":
            try:
                organisation_merge_service.merge_organisations(
                    actor=request.user,
                    source=source,
                    target=target,
                    fingerprint=form.cleaned_data["fingerprint"],
                    request=request,
                )
            except PortalError as error:
                form.add_error(error.field if error.field in form.fields else None, error.message)
            else:
                messages.success(
                    request,
                    _("„%(source)s“ wurde mit „%(target)s“ zusammengeführt.")
                    % {"source": source.name, "target": target.name},
                )
                return redirect("user_admin:organisations")
        try:
            plan = organisation_merge_service.plan_merge(
                actor=request.user, source=source, target=target
            )
        except PortalError as error:
            field = error.field if error.field in form.fields else None
            if not form.has_error(field):
                form.add_error(field, error.message)
    return render(
        request,
        "administration/organisation_merge.html",
        {"source": source, "form": form, "plan": plan},
    )
