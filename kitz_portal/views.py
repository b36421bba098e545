from datetime import date

from allauth.core import ratelimit
from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponseServerError
from django.shortcuts import redirect, render
from django.template import loader
from django.utils.translation import check_for_language, get_language_from_path, gettext, override
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language

from accounts import permissions
from accounts.decorators import requires
from accounts.feedback import accessibility_feedback_for_staff, submit_accessibility_feedback
from handlungsfelder.selectors import active_handlungsfelder

from .forms import AccessibilityFeedbackForm
from .public_cache import public_page

# The six Aufgabenschwerpunkte of the KITZ, in the order of its Arbeitskonzept.
TASKS = [
    _(
        "Zeitnaher Zugang zu Angeboten der Erstintegration – Deutschkurse und "
        "Migrationsberatung – bald nach der Ankunft im Kreis."
    ),
    _(
        "Gleichberechtigter Zugang zu den Regelsystemen Bildung, Ausbildung und Arbeit, "
        "Gesundheit und Wohnen – gemeinsam mit deren Trägern."
    ),
    _("Ein diskriminierungsfreies Zusammenleben auf Augenhöhe in Städten und Dörfern."),
    _(
        "Strukturelle Beteiligung von Menschen mit Einwanderungsgeschichte an Meinungsbildung "
        "und Entscheidungen, unter anderem mit Migrantenorganisationen."
    ),
    _(
        "Information und Beratung von Verwaltung und kommunaler Selbstverwaltung in "
        "Fragen der Integration."
    ),
    _("Interkulturelle Öffnung der Verwaltung."),
]

# Update the review date whenever the statement is checked again (§ 7 BITV 2.0: at least yearly).
ACCESSIBILITY_STATEMENT_CREATED = date(2026, 11, 25)
ACCESSIBILITY_STATEMENT_REVIEWED = date(2026, 11, 25)


@public_page
def home(request):
    return render(
        request,
        "pages/home.html",
        {"handlungsfelder": active_handlungsfelder(), "tasks": TASKS},
    )


@public_page
def about(request):
    return render(request, "pages/about.html", {"tasks": TASKS})


@public_page
def funding_info(request):
    from applications.selectors import programmes_with_guideline_document

    return render(
        request,
        "pages/funding_info.html",
        {"programmes": programmes_with_guideline_document()},
    )


@public_page
def imprint(request):
    return render(request, "pages/imprint.html")


@public_page
def privacy(request):
    return render(request, "pages/privacy.html")


@public_page
def accessibility(request):
    form = AccessibilityFeedbackForm(
        request.POST or None, initial={"page_url": request.GET.get("seite", "")[:500]}
    )
    if request.method == "POST" and form.is_valid():
        if ratelimit.consume(request, action="accessibility_feedback"):
            submit_accessibility_feedback(sender=request.user, **form.cleaned_data)
            messages.success(
                request,
                gettext("Vielen Dank! Ihre Rückmeldung ist beim KITZ eingegangen."),
            )
            return redirect("accessibility")
        form.add_error(
            None,
            gettext(
                "Von Ihrem Anschluss kamen gerade viele Rückmeldungen. "
                "Bitte versuchen Sie es in einigen Minuten noch einmal."
            ),
        )
    return render(
        request,
        "pages/accessibility.html",
        {
            "form": form,
            "statement_date": ACCESSIBILITY_STATEMENT_CREATED,
            "reviewed_date": ACCESSIBILITY_STATEMENT_REVIEWED,
        },
    )


@requires(permissions.may_read_accessibility_feedback)
def accessibility_feedback_list(request):
    page = Paginator(accessibility_feedback_for_staff(), 25).get_page(request.GET.get("seite"))
    return render(request, "pages/accessibility_feedback_list.html", {"page": page})


@public_page
def easy_language(request):
    return render(request, "pages/easy_language.html")


@require_POST
def set_language(request):
    """Django's view resolves `next` in the default language only, so /en/… pages stayed English.

    Resolving it in the language of its own prefix lets translate_url find the page.
    """
    next_language = get_language_from_path(request.POST.get("next", "")) or settings.LANGUAGE_CODE
    with override(next_language):
        response = django_set_language(request)
    remember_language(request)
    return response


def remember_language(request):
    """A logged-in person's choice is kept on the account; their e-mails use it."""
    language = request.POST.get("language")
    user = request.user
    if (
        request.method == "POST"
        and user.is_authenticated
        and check_for_language(language)
        and language in dict(settings.LANGUAGES)
        and user.language != language
    ):
        user.language = language
        user.save(update_fields=["language"])


def permission_denied(request, exception=None):
    return render(request, "errors/403.html", status=403)


def page_not_found(request, exception=None):
    return render(request, "errors/404.html", status=404)


def server_error(request):
    # Rendered without context processors: no database access, no stack trace.
    return HttpResponseServerError(loader.render_to_string("errors/500.html"))
