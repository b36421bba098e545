from django.http import Http404
from django.shortcuts import render
from django.utils import timezone

from accounts import permissions
from accounts.decorators import requires

from . import exports
from .selectors import applications_for_staff_queue
from .statistics import applications_for_statistics, statistics_for

EXPORT_FORMATS = ("csv", "xlsx")


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


def _export_name(prefix):
    return f"{prefix}-{timezone.localdate():%Y-%m-%d}"


@requires(permissions.may_view_statistics)
def statistics_export(request, fmt):
    if fmt not in EXPORT_FORMATS:
        raise Http404
    filterset = applications_for_statistics(user=request.user, data=request.GET)
    return exports.export_response(
        fmt=fmt,
        filename=_export_name("kitz-auswertung"),
        sheets=exports.statistics_sheets(statistics_for(filterset.qs)),
    )


@requires(permissions.is_kitz_staff)
def queue_export(request, fmt):
    if fmt not in EXPORT_FORMATS:
        raise Http404
    filterset = applications_for_staff_queue(user=request.user, data=request.GET)
    return exports.export_response(
        fmt=fmt,
        filename=_export_name("kitz-eingang"),
        sheets=[("Eingang", exports.queue_header(), exports.queue_rows(filterset.qs))],
    )
