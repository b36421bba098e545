from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from kitz_portal.money import MoneyField

from .amendment_models import AmendmentProposal
from .amendments import AmendmentAction
from .forms import DATE_WIDGET
from .models import CostCategory


class AmendmentForm(forms.Form):
    new_start = forms.DateField(
        label=_("Bewilligungszeitraum von"), widget=DATE_WIDGET, help_text=_("TT.MM.JJJJ")
    )
    new_end = forms.DateField(
        label=_("Bewilligungszeitraum bis"), widget=DATE_WIDGET, help_text=_("TT.MM.JJJJ")
    )
    new_amount = MoneyField(
        label=_("Beantragte Förderung in Euro"), help_text=_("Zum Beispiel 1.950,00")
    )
    justification = forms.CharField(
        label=_("Begründung der Änderung"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Was hat sich geändert und warum? Die Begründung steht im Bescheid."),
    )

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("new_start"), cleaned.get("new_end")
        if start and end and end < start:
            self.add_error("new_end", _("Das Ende darf nicht vor dem Beginn liegen."))
        return cleaned


class AmendmentLineForm(forms.Form):
    cost_item_id = forms.IntegerField(widget=forms.HiddenInput, required=False)
    category = forms.ModelChoiceField(label=_("Kostenart"), queryset=CostCategory.objects.all())
    description = forms.CharField(label=_("Beschreibung"), max_length=300)
    quantity = forms.DecimalField(
        label=_("Menge"),
        min_value=Decimal("0.01"),
        max_digits=8,
        decimal_places=2,
        localize=True,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    unit_price = MoneyField(label=_("Einzelpreis in Euro"), min_value=Decimal("0.01"))


class BaseAmendmentLineFormSet(forms.BaseFormSet):
    def add_fields(self, form, index):
        super().add_fields(form, index)
        form.fields["DELETE"].label = _("Diese Kostenposition streichen")


AmendmentLineFormSet = forms.formset_factory(
    AmendmentLineForm,
    formset=BaseAmendmentLineFormSet,
    extra=1,
    can_delete=True,
    max_num=50,
    validate_max=True,
)


class AmendmentReviewForm(forms.Form):
    proposal = forms.ChoiceField(
        label=_("Vorschlag"), choices=AmendmentProposal.choices, widget=forms.RadioSelect
    )
    remarks = forms.CharField(
        label=_("Prüfvermerk"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text=_("Bei einer Ablehnung Pflicht: die Begründung steht im Bescheid."),
    )


class AmendmentDecisionForm(forms.Form):
    action = forms.ChoiceField(
        label=_("Entscheidung"),
        choices=[
            (AmendmentAction.APPROVE, _("Änderung bewilligen und Änderungsbescheid erlassen")),
            (AmendmentAction.REJECT, _("Änderungsantrag ablehnen und Bescheid erlassen")),
            (AmendmentAction.RETURN, _("Zur erneuten Prüfung zurückgeben")),
        ],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Vermerk"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("Bei einer Rückgabe Pflicht: was ist noch zu klären?"),
    )
