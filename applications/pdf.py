"""The application as a PDF (WeasyPrint), rendered from a Django template."""

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from . import selectors
from .rules import financing_summary
from .wizard import money_summary_rows, status_in_words


def render_application_pdf(application):
    detail = selectors.application_detail(application)
    plan = financing_summary(
        application, cost_items=detail["cost_items"], financing_items=detail["financing_items"]
    )
    with translation.override("de"):
        html = render_to_string(
            "applications/pdf.html",
            {
                **detail,
                "application": application,
                "programme": application.programme,
                "summary": plan,
                "summary_rows": money_summary_rows(plan),
                "status_text": status_in_words(application),
                "declarations": selectors.declaration_criteria(application.programme),
            },
        )
    from weasyprint import HTML

    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()
