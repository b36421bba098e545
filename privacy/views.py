from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse
from django.shortcuts import render
from django.utils import timezone

from accounts import permissions
from accounts.decorators import requires

from .export import personal_data_archive
from .models import RetentionRun


@login_required
def my_data(request):
    return render(request, "privacy/my_data.html")


@login_required
def my_data_download(request):
    return FileResponse(
        personal_data_archive(request.user),
        as_attachment=True,
        filename=f"kitz-meine-daten-{timezone.localdate():%Y-%m-%d}.zip",
        content_type="application/zip",
    )


@requires(permissions.is_administrator)
def retention_runs(request):
    page = Paginator(RetentionRun.objects.order_by("-started_at"), 50).get_page(
        request.GET.get("seite")
    )
    return render(
        request,
        "privacy/retention_runs.html",
        {
            "page": page,
            "retention_years": settings.PORTAL_RETENTION_YEARS,
            "draft_days": settings.PORTAL_DRAFT_RETENTION_DAYS,
            "warning_days": settings.PORTAL_DRAFT_WARNING_DAYS,
        },
    )
