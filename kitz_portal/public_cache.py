"""Public pages kept rendered for anonymous visitors, per language, until their content changes.

Only anonymous GET requests without pending messages are served from the cache. Every form's
CSRF token is taken out before storing and a fresh one put in for each visitor, so a cached
page never hands one person's token to another. A save or delete of what these pages show
bumps one version number, which makes every stored page stale at once. With several server
processes the cache must be shared (CACHE_URL, e.g. Redis) for that to reach all of them;
with the in-process default, a process may show the old page for PORTAL_PUBLIC_PAGE_CACHE_SECONDS.
"""

import functools
import hashlib
import re

from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils.cache import patch_vary_headers
from django.utils.translation import get_language

VERSION_KEY = "public-pages:version"
TOKEN_PLACEHOLDER = "\x00csrf-token\x00"
TOKEN_FIELD = re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]*(")')


def bump_version(**kwargs):
    """Signal receiver: what a public page shows has changed."""
    try:
        cache.incr(VERSION_KEY)
    except ValueError:
        cache.set(VERSION_KEY, 2, None)


def _version():
    version = cache.get(VERSION_KEY)
    if version is None:
        version = 1
        cache.add(VERSION_KEY, version, None)
    return version


def _has_messages(request):
    storage = get_messages(request)
    pending = len(list(storage)) > 0
    storage.used = False  # looking does not count as showing
    return pending


def _cacheable(request):
    return (
        settings.PORTAL_PUBLIC_PAGE_CACHE_SECONDS > 0
        and request.method == "GET"
        and not request.user.is_authenticated
        and not _has_messages(request)
    )


def _key(request):
    path = hashlib.sha256(request.get_full_path().encode()).hexdigest()
    return f"public-page:{_version()}:{get_language()}:{path}"


def _with_token(request, html):
    return html.replace(TOKEN_PLACEHOLDER, get_token(request))


def public_page(view):
    """Serve an anonymous visitor the stored page; logged-in people always get a fresh one."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        if not _cacheable(request):
            return view(request, *args, **kwargs)
        key = _key(request)
        stored = cache.get(key)
        if stored is not None:
            response = HttpResponse(_with_token(request, stored["html"]))
            response["Content-Type"] = stored["content_type"]
        else:
            response = view(request, *args, **kwargs)
            if response.status_code == 200 and not response.streaming:
                html = TOKEN_FIELD.sub(
                    rf"\g<1>{TOKEN_PLACEHOLDER}\g<2>", response.content.decode(response.charset)
                )
                cache.set(
                    key,
                    {"html": html, "content_type": response["Content-Type"]},
                    settings.PORTAL_PUBLIC_PAGE_CACHE_SECONDS,
                )
        patch_vary_headers(response, ("Cookie", "Accept-Language"))
        return response

    return wrapped
