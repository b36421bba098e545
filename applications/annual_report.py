"""The Jahresbericht for the Ministerium: the figures of the Auswertung as a tagged PDF.

Same figures as the page and the exports (``statistics_for``), German whatever the language
of the request, archivable and tagged like the Bescheid (PDF/A-2a), fonts embedded.
"""

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import timezone, translation

from .letters import AUTHORITY, PDF_VARIANT, _font_faces

REPORT_TEMPLATE = "reports/annual_report.html"
REPORT_STYLESHEET = "css/report.css"


def report_title(cleaned_filters):
    """ "Jahresbericht 2027", or the programme's year and title, or all years."""
    programme = cleaned_filters.get("programme")
    year = cleaned_filters.get("budget_year")
    if programme is not None:
        return f"Jahresbericht {programme.budget_year}: {programme.title}"
    if year:
        return f"Jahresbericht {int(year)}"
    return "Jahresbericht: alle Haushaltsjahre"


def active_filters(filterset):
    """The filters in force, as (label, value) pairs for the report's first page."""
    form = filterset.form
    if not form.is_valid():
        return []
    shown = []
    for name, value in form.cleaned_data.items():
        if value in (None, "", False):
            continue
        field = form.fields[name]
        if hasattr(field, "choices") and not hasattr(value, "pk"):
            value = dict(field.choices).get(value, value)
        if name == "budget_year":
            value = int(value)
        shown.append((str(field.label), str(value)))
    return shown


def report_file_name(cleaned_filters):
    programme = cleaned_filters.get("programme")
    year = cleaned_filters.get("budget_year")
    if programme is not None:
        return f"kitz-jahresbericht-{programme.budget_year}-programm-{programme.pk}.pdf"
    if year:
        return f"kitz-jahresbericht-{int(year)}.pdf"
    return f"kitz-jahresbericht-{timezone.localdate():%Y-%m-%d}.pdf"


def render_annual_report_pdf(*, figures, filterset):
    from weasyprint import CSS, HTML

    cleaned = filterset.form.cleaned_data if filterset.form.is_valid() else {}
    with translation.override("de"):
        html = render_to_string(
            REPORT_TEMPLATE,
            {
                "title": report_title(cleaned),
                "authority": AUTHORITY,
                "filters": active_filters(filterset),
                "figures": figures,
                "created_on": timezone.localdate(),
                "font_faces": _font_faces(),
            },
        )
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf(
        stylesheets=[CSS(filename=finders.find(REPORT_STYLESHEET))],
        pdf_variant=PDF_VARIANT,
        pdf_identifier=True,
    )
