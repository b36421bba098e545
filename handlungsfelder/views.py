from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import permissions
from accounts.decorators import requires
from applications.selectors import funded_projects_of_handlungsfeld
from kitz_portal.errors import PortalError
from kitz_portal.public_cache import public_page
from networks.selectors import public_networks_of_handlungsfeld

from . import services
from .forms import HandlungsfeldForm
from .models import Handlungsfeld
from .selectors import all_handlungsfelder, usage_count


@public_page
def detail(request, slug):
    handlungsfeld = get_object_or_404(Handlungsfeld, slug=slug)
    if not handlungsfeld.is_active:
        raise Http404
    return render(
        request,
        "handlungsfelder/detail.html",
        {
            "handlungsfeld": handlungsfeld,
            "field_networks": public_networks_of_handlungsfeld(handlungsfeld),
            "funded_projects": funded_projects_of_handlungsfeld(handlungsfeld),
        },
    )


@requires(permissions.is_administrator)
def manage_list(request):
    return render(request, "handlungsfelder/manage_list.html", {"fields": all_handlungsfelder()})


@requires(permissions.is_administrator)
def create(request):
    form = HandlungsfeldForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.create_handlungsfeld(actor=request.user, **form.cleaned_data)
        messages.success(request, _("Das Handlungsfeld wurde angelegt."))
        return redirect("handlungsfelder:manage_list")
    return render(request, "handlungsfelder/form.html", {"form": form, "handlungsfeld": None})


@requires(permissions.is_administrator)
def edit(request, pk):
    handlungsfeld = get_object_or_404(Handlungsfeld, pk=pk)
    form = HandlungsfeldForm(request.POST or None, instance=handlungsfeld)
    if request.method == "POST" and form.is_valid():
        services.update_handlungsfeld(
            actor=request.user, handlungsfeld=handlungsfeld, **form.cleaned_data
        )
        messages.success(request, _("Die Änderungen wurden gespeichert."))
        return redirect("handlungsfelder:manage_list")
    return render(
        request, "handlungsfelder/form.html", {"form": form, "handlungsfeld": handlungsfeld}
    )


@require_POST
@requires(permissions.is_administrator)
def move(request, pk, direction):
    if direction not in ("up", "down"):
        raise Http404
    handlungsfeld = get_object_or_404(Handlungsfeld, pk=pk)
    services.move_handlungsfeld(
        actor=request.user, handlungsfeld=handlungsfeld, direction=-1 if direction == "up" else 1
    )
    return redirect("handlungsfelder:manage_list")


@require_POST
@requires(permissions.is_administrator)
def set_active(request, pk):
    handlungsfeld = get_object_or_404(Handlungsfeld, pk=pk)
    active = request.POST.get("active") == "1"
    services.set_handlungsfeld_active(
        actor=request.user, handlungsfeld=handlungsfeld, active=active
    )
    if active:
        messages.success(request, _("„%(name)s“ ist wieder aktiv.") % {"name": handlungsfeld})
    else:
        messages.success(request, _("„%(name)s“ wurde deaktiviert.") % {"name": handlungsfeld})
    return redirect("handlungsfelder:manage_list")


@requires(permissions.is_administrator)
def delete(request, pk):
    handlungsfeld = get_object_or_404(Handlungsfeld, pk=pk)
    if request.method == "POST":
        try:
            services.delete_handlungsfeld(actor=request.user, handlungsfeld=handlungsfeld)
        except PortalError as error:
            messages.error(request, error.message)
            return redirect("handlungsfelder:manage_list")
        messages.success(request, _("Das Handlungsfeld wurde gelöscht."))
        return redirect("handlungsfelder:manage_list")
    return render(
        request,
        "handlungsfelder/confirm_delete.html",
        {"handlungsfeld": handlungsfeld, "usage": usage_count(handlungsfeld)},
    )
