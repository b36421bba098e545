from django import template
from django.utils.html import format_html
from django.utils.translation import get_language_bidi

from kitz_portal.money import format_money

register = template.Library()


@register.filter
def money(value):
    """1.234,56 € (German) or 1,234.56 € (English); kept left-to-right in Arabic, Farsi, Dari."""
    if get_language_bidi():
        return format_html('<bdi class="portal-ltr" dir="ltr">{}</bdi>', format_money(value))
    return format_money(value)
