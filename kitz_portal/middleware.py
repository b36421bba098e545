"""Request guards of the portal: body size, and the languages of staff pages."""

from django.conf import settings
from django.shortcuts import render
from django.utils import translation

# Paths (without the language prefix) of the KITZ work area and the administration.
STAFF_PATH_PREFIXES = (
    "/antraege/kitz/",
    "/mein-bereich/kitz/",
    "/mein-bereich/sicherheitsprotokoll/",
    "/handlungsfelder/verwaltung/",
    "/verwaltung/",
    "/meine-daten/loeschfristen/",
    "/django-admin/",
)


def path_without_language(path):
    language = translation.get_language_from_path(path)
    if language and path.startswith(f"/{language}/"):
        return path[len(language) + 1 :]
    return path


def is_staff_path(path):
    return path_without_language(path).startswith(STAFF_PATH_PREFIXES)


class StaffPagesInGermanMiddleware:
    """In an applicant-only language (Arabic, Farsi …) staff pages are rendered in German.

    It switches in process_view, after the URL was resolved in the requested language, and
    stands last in MIDDLEWARE so every other middleware's process_view (CSRF …) has run.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        language = translation.get_language()
        if language in settings.STAFF_LANGUAGES or not is_staff_path(request.path_info):
            return None
        request.LANGUAGE_CODE = settings.LANGUAGE_CODE
        with translation.override(settings.LANGUAGE_CODE):
            response = view_func(request, *view_args, **view_kwargs)
            if hasattr(response, "render") and callable(response.render):
                response = response.render()
        return response


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
