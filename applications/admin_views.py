from django.shortcuts import render

from accounts import permissions
from accounts.decorators import requires

from .statistics import applications_for_statistics, statistics_for


@requires(permissions.is_administrator)
def overview(request):
    return render(request, "administration/overview.html")


@requires(permissions.may_view_statistics)
def statistics(request):
    filterset = applications_for_statistics(user=request.user, data=request.GET)
    return render(
        request,
        "administration/statistics.html",
        {
            "filter": filterset,
            "figures": statistics_for(filterset.qs),
            "query": request.GET.urlencode(),
        },
    )
