from crispy_forms.helper import FormHelper
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


class _PerPaymentForm(forms.Form):
    """One form per payment on a page: the ids name the payment, the field names stay plain."""

    def __init__(self, *args, payment_id, **kwargs):
        kwargs.setdefault("auto_id", f"id_{self.id_stem}{payment_id}_%s")
        super().__init__(*args, **kwargs)
        self.payment_id = payment_id


class PaymentCheckForm(_PerPaymentForm):
    id_stem = "check"

    decision = forms.ChoiceField(
        label=_("Ergebnis der Prüfung"),
        choices=[("approve", _("In Ordnung – zur Freigabe")), ("reject", _("Ablehnen"))],
        widget=forms.RadioSelect,
        error_messages={"required": _("Bitte wählen Sie das Ergebnis der Prüfung.")},
    )
    reason = forms.CharField(
        label=_("Begründung einer Ablehnung"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )


class PaymentPaidForm(_PerPaymentForm):
    """In a table row: the fields carry their messages, the summary stands above the table."""

    id_stem = "paid"

    paid_on = forms.DateField(
        label=_("Ausgezahlt am"),
        widget=DATE_WIDGET,
        help_text=DATE_HINT,
        error_messages={
            "required": _("Bitte geben Sie das Auszahlungsdatum an."),
            "invalid": _("Bitte geben Sie das Auszahlungsdatum als TT.MM.JJJJ an."),
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.form_show_errors = False


def with_forms(payment_requests, *, form_class, attribute, statuses, bound=None, initial=None):
    """The payments as a list, each in ``statuses`` with its form (the bound one if given)."""
    rows = list(payment_requests)
    for payment in rows:
        if payment.status not in statuses:
            continue
        if bound is not None and bound.payment_id == payment.pk:
            form = bound
        else:
            form = form_class(payment_id=payment.pk, initial=initial)
        setattr(payment, attribute, form)
    return rows
