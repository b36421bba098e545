"""Money in German notation: one form field for every amount, one way to show it."""

import re
from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError
from django.utils import formats
from django.utils.translation import gettext_lazy as _

CENT = Decimal("0.01")
_GROUPED_THOUSANDS = re.compile(r"^-?\d{1,3}(\.\d{3})+$")


def parse_amount(text):
    """Read "1.234,56", "1234,56", "1.234" or "1234.56" as a Decimal; None if unreadable."""
    text = (text or "").replace("€", "").replace("\u00a0", "").replace(" ", "").strip()
    if not text:
        return None
    if "," in text:
        text = text.replace(".", "").replace(",", ".")
    elif _GROUPED_THOUSANDS.match(text):
        text = text.replace(".", "")
    if not re.fullmatch(r"-?\d+(\.\d+)?", text):
        return None
    try:
        return Decimal(text)
    except InvalidOperation:
        return None


def format_amount(value):
    """1.234,56 in German (the current language decides the separators), without the sign."""
    if value is None:
        return ""
    return formats.number_format(
        Decimal(value).quantize(CENT), 2, use_l10n=True, force_grouping=True
    )


def plain_number(value):
    """20 rather than 20.00 or 2E+1: for percentages and counts in sentences."""
    value = Decimal(value)
    if value == value.to_integral():
        return str(value.to_integral())
    return formats.number_format(value.normalize(), use_l10n=True)


def format_money(value):
    return f"{format_amount(value)}\u00a0€" if value is not None else ""


class MoneyInput(forms.TextInput):
    def __init__(self, attrs=None):
        super().__init__({"inputmode": "decimal", "autocomplete": "off", **(attrs or {})})

    def format_value(self, value):
        if isinstance(value, Decimal | int | float):
            return format_amount(value)
        return super().format_value(value)


class MoneyField(forms.DecimalField):
    """An amount in euros and cents; accepts German notation such as 1.234,56."""

    widget = MoneyInput
    default_error_messages = {
        "invalid": _("Bitte geben Sie einen Betrag in Euro ein, zum Beispiel 1.234,56."),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("max_digits", 10)
        kwargs.setdefault("decimal_places", 2)
        kwargs.setdefault("min_value", Decimal("0"))
        kwargs.setdefault("localize", False)
        super().__init__(**kwargs)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, Decimal):
            return value
        amount = parse_amount(str(value))
        if amount is None:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return amount

    def widget_attrs(self, widget):
        # No HTML number attributes: the browser must accept the German comma.
        return {}
