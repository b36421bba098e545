"""German-only text from the database carries lang="de" on pages in another language.

Screen readers then read a German programme name with a German voice on an English or Arabic
page (WCAG 3.1.2 Language of Parts). On German pages nothing is added.
"""

from django.utils import translation
from django.utils.html import conditional_escape, format_html

GERMAN = "de"


def page_language():
    return (translation.get_language() or GERMAN).split("-")[0]


def has_translation(obj, field):
    """Whether ``obj`` has ``field`` in the page's language (``name_en`` for ``name`` …)."""
    language = page_language()
    return language == GERMAN or bool(getattr(obj, f"{field}_{language}", ""))


def mark_german(text, element="span"):
    """The text, escaped; wrapped in an element with lang="de" unless the page is German."""
    if text is None or text == "":
        return ""
    if page_language() == GERMAN:
        return conditional_escape(text)
    return format_html('<{} lang="de">{}</{}>', element, text, element)


def localised_text(obj, field):
    """The page-language text of ``obj.<field>``, or the German one marked as German."""
    value = getattr(obj, field)
    return conditional_escape(value) if has_translation(obj, field) else mark_german(value)
