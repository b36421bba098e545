from django.shortcuts import render

from accounts import permissions
from accounts.decorators import requires


@requires(permissions.is_administrator)
def overview(request):
    return render(request, "administration/overview.html")
