from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render

from . import permissions
from .decorators import requires
from .selectors import memberships_of, security_events


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
