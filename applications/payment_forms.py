from django import forms
from django.utils.translation import gettext_lazy as _

from kitz_portal.money import MoneyField

from .forms import DATE_HINT, DATE_WIDGET


class PaymentRequestForm(forms.Form):
    amount = MoneyField(label=_("Betrag"), help_text=_("Zum Beispiel 1.250,00"))
    period_start = forms.DateField(
        label=_("Benötigt für Ausgaben vom"), widget=DATE_WIDGET, help_text=DATE_HINT
    )
    period_end = forms.DateField(
        label=_("bis"),
        widget=DATE_WIDGET,
        help_text=_("Höchstens zwei Monate: Mittel nur für Ausgaben, die bald fällig werden."),
    )


class PaymentCheckForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Ergebnis der Prüfung"),
        choices=[("approve", _("In Ordnung – zur Freigabe")), ("reject", _("Ablehnen"))],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Begründung einer Ablehnung"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )


class PaymentPaidForm(forms.Form):
    paid_on = forms.DateField(label=_("Ausgezahlt am"), widget=DATE_WIDGET, help_text=DATE_HINT)
