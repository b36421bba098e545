from django.conf import settings
from django.shortcuts import render


class RequestSizeLimitMiddleware:
    """Refuse request bodies larger than any form of the portal accepts, before reading them."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.PORTAL_MAX_REQUEST_SIZE:
            return render(request, "errors/413.html", status=413)
        return self.get_response(request)
