from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from . import permissions
from .decorators import requires
from .selectors import memberships_of


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
