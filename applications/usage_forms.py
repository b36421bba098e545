from django import forms
from django.utils.translation import gettext_lazy as _

from kitz_portal.money import MoneyField

from .forms import DATE_HINT, DATE_WIDGET, AttachmentForm
from .models import CostCategory
from .usage_models import UsageCheckItem, UsageCheckOutcome


class UsageReportForm(forms.Form):
    activities = forms.CharField(
        label=_("Sachbericht: Was ist geschehen?"), widget=forms.Textarea(attrs={"rows": 5})
    )
    participants = forms.CharField(
        label=_("Erreichte Teilnehmende je Zielgruppe"),
        help_text=_("Zum Beispiel: Neuzugewanderte 35, Einheimische 12"),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    publicity = forms.CharField(
        label=_("Wie haben Sie den Kreis als Förderer genannt?"),
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ReceiptForm(forms.Form):
    paid_on = forms.DateField(label=_("Datum"), widget=DATE_WIDGET, help_text=DATE_HINT)
    payee = forms.CharField(label=_("Zahlungsempfänger"), max_length=200)
    purpose = forms.CharField(label=_("Zweck"), max_length=300)
    category = forms.ModelChoiceField(label=_("Kostenart"), queryset=CostCategory.objects.none())
    amount = MoneyField(label=_("Betrag"))

    def __init__(self, *args, programme, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = programme.eligible_cost_categories.order_by("order")


class ReceiptImportForm(forms.Form):
    file = forms.FileField(
        label=_("Belegliste (CSV oder XLSX nach der Vorlage)"),
        help_text=_("Ersetzt alle bisher erfassten Belege. Höchstens 1.000 Zeilen."),
    )


class UsageAttachmentForm(AttachmentForm):
    """Photos, flyers, participant lists: checked like the attachments of the application."""

    prefix = "attachment"


class UsageCheckForm(forms.Form):
    """The staff checklist: every point answered, with a remark where it helps."""

    remarks = forms.CharField(
        label=_("Prüfvermerk zum Verwendungsnachweis"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        remarks = self.fields.pop("remarks")
        for item in UsageCheckItem:
            self.fields[item.value] = forms.ChoiceField(
                label=item.label,
                choices=UsageCheckOutcome.choices,
                widget=forms.RadioSelect,
                error_messages={"required": _("Bitte beantworten Sie diesen Prüfpunkt.")},
            )
            self.fields[f"{item.value}_remark"] = forms.CharField(
                label=_("Bemerkung zu „%(item)s“") % {"item": item.label},
                widget=forms.Textarea(attrs={"rows": 2}),
                required=False,
            )
        self.fields["remarks"] = remarks

    def answers(self):
        """{item: (outcome, remark)} for the service."""
        data = self.cleaned_data
        return {
            item.value: (data.get(item.value, ""), data.get(f"{item.value}_remark", ""))
            for item in UsageCheckItem
        }
