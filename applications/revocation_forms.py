from django import forms
from django.utils.translation import gettext_lazy as _

from kitz_portal.money import MoneyField
from kitz_portal.uploads import validate_document

from .forms import DATE_WIDGET
from .revocation_models import RevocationOutcome, RevocationScope


class HearingForm(forms.Form):
    scope = forms.ChoiceField(
        label=_("Umfang des Widerrufs"), choices=RevocationScope.choices, widget=forms.RadioSelect
    )
    amount = MoneyField(
        label=_("Beabsichtigter Rückforderungsbetrag"),
        required=False,
        help_text=_(
            "Höchstens der ausgezahlte Betrag. Beim vollständigen Widerruf leer lassen: "
            "dann wird alles Ausgezahlte zurückgefordert."
        ),
    )
    reason = forms.CharField(
        label=_("Grund der beabsichtigten Rückforderung"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Erscheint im Anhörungsschreiben an die Antragstellenden."),
    )
    answer_due_on = forms.DateField(
        label=_("Stellungnahme erbeten bis"),
        widget=DATE_WIDGET,
        help_text=_("TT.MM.JJJJ; mindestens 7 Tage, üblich sind 14 Tage."),
    )


class HearingAnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("Ihre Stellungnahme"), widget=forms.Textarea(attrs={"rows": 8})
    )
    file = forms.FileField(
        label=_("Anlage (freiwillig)"),
        required=False,
        help_text=_("PDF, JPEG, PNG, DOCX, XLSX, ODT oder ODS; höchstens 10 MB."),
    )

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if not upload:
            return None
        return upload, validate_document(upload)


class RevocationProposalForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Vorschlag"), choices=RevocationOutcome.choices, widget=forms.RadioSelect
    )
    amount = MoneyField(
        label=_("Rückforderungsbetrag"),
        required=False,
        help_text=_("Nur beim Widerruf; höchstens der ausgezahlte Betrag."),
    )
    due_on = forms.DateField(
        label=_("Zu zahlen bis"),
        required=False,
        widget=DATE_WIDGET,
        help_text=_("TT.MM.JJJJ; leer lassen für einen Monat nach Erlass des Bescheids."),
    )
    reasoning = forms.CharField(
        label=_("Begründung"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "Beim Widerruf erscheint sie im Widerrufsbescheid; bei der Einstellung ist sie der "
            "Vermerk dazu."
        ),
    )


class RevocationDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Ihre Entscheidung"),
        choices=[
            ("approve", _("Vorschlag bestätigen")),
            ("return", _("Zur Überarbeitung zurückgeben")),
        ],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Vermerk"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Bei der Rückgabe: was ist zu ändern?"),
    )


class RepaymentReceiptForm(forms.Form):
    received_on = forms.DateField(
        label=_("Eingegangen am"), widget=DATE_WIDGET, help_text=_("TT.MM.JJJJ")
    )
    amount = MoneyField(label=_("Betrag"), help_text=_("Teilzahlungen sind möglich."))
