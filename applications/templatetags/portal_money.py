from django import template

from kitz_portal.money import format_money

register = template.Library()


@register.filter
def money(value):
    """1.234,56 € (German) or 1,234.56 € (English)."""
    return format_money(value)
