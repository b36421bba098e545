from django.contrib.auth.decorators import login_required
from django.http import FileResponse
from django.shortcuts import render
from django.utils import timezone

from .export import personal_data_archive


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
