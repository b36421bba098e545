from django import forms
from django.utils.translation import gettext_lazy as _

from kitz_portal.money import MoneyField
from kitz_portal.uploads import validate_document

from .letter_texts import MAX_TEXT_LENGTH
from .models import AttachmentKind, CostCategory, FundingProgramme, GuidelineCriterion

GUIDELINE_DOCUMENT_MAX_SIZE = 10 * 1024 * 1024

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ProgrammeCopyForm(forms.Form):
    title = forms.CharField(label=_("Titel"), max_length=200)
    budget_year = forms.IntegerField(label=_("Haushaltsjahr"), min_value=2000, max_value=2100)
    opens_on = forms.DateField(label=_("Antragsfrist ab"), widget=DATE_INPUT)
    closes_on = forms.DateField(label=_("Antragsfrist bis"), widget=DATE_INPUT)
    budget = MoneyField(label=_("Budget in Euro"), max_digits=12)

    def clean(self):
        cleaned = super().clean()
        opens_on, closes_on = cleaned.get("opens_on"), cleaned.get("closes_on")
        if opens_on and closes_on and closes_on < opens_on:
            self.add_error("closes_on", _("Die Antragsfrist kann nicht enden, bevor sie beginnt."))
        return cleaned


class ProgrammeForm(forms.ModelForm):
    eligible_cost_categories = forms.ModelMultipleChoiceField(
        label=_("förderfähige Kostenarten"),
        queryset=CostCategory.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Nicht angekreuzte Kostenarten sind in diesem Programm nicht förderfähig."),
    )
    required_attachment_kinds = forms.ModelMultipleChoiceField(
        label=_("Pflichtanlagen"),
        queryset=AttachmentKind.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_(
            "Ohne diese Anlagen kann kein Antrag abgesendet werden. Eine fehlende Art legen Sie "
            "unten unter „Neue Anlagenart“ an."
        ),
    )
    min_grant = MoneyField(label=_("Mindestförderung in Euro"))
    max_grant = MoneyField(label=_("Höchstförderung in Euro"))
    volunteer_hourly_rate = MoneyField(label=_("Stundensatz ehrenamtlicher Arbeit in Euro"))
    max_investment_per_item = MoneyField(label=_("Anschaffungen höchstens je Stück in Euro"))

    class Meta:
        model = FundingProgramme
        fields = [
            "title",
            "description",
            "opens_on",
            "closes_on",
            "min_grant",
            "max_grant",
            "min_own_share_percent",
            "volunteer_hourly_rate",
            "volunteer_cap_percent",
            "max_investment_per_item",
            "lead_time_weeks",
            "max_duration_months",
            "one_pending_per_organisation",
            "eligible_cost_categories",
            "required_attachment_kinds",
            "repayment_interest_points",
            "contact_name",
            "contact_email",
            "contact_phone",
            "is_published",
        ]
        widgets = {
            "opens_on": DATE_INPUT,
            "closes_on": DATE_INPUT,
            "description": forms.Textarea(attrs={"rows": 4}),
        }

    def clean(self):
        cleaned = super().clean()
        opens_on, closes_on = cleaned.get("opens_on"), cleaned.get("closes_on")
        if opens_on and closes_on and closes_on < opens_on:
            self.add_error("closes_on", _("Die Antragsfrist kann nicht enden, bevor sie beginnt."))
        min_grant, max_grant = cleaned.get("min_grant"), cleaned.get("max_grant")
        if min_grant is not None and max_grant is not None and min_grant > max_grant:
            self.add_error(
                "min_grant", _("Die Mindestförderung darf nicht über der Höchstförderung liegen.")
            )
        return cleaned


class BudgetChangeForm(forms.Form):
    amount = MoneyField(
        label=_("Änderung in Euro"),
        max_digits=12,
        min_value=None,
        help_text=_("Eine Aufstockung positiv, eine Kürzung mit Minus, zum Beispiel -1.000,00."),
    )
    reason = forms.CharField(label=_("Grund"), max_length=300)


class CriterionForm(forms.ModelForm):
    class Meta:
        model = GuidelineCriterion
        fields = [
            "kind",
            "code",
            "order",
            "text_de",
            "text_en",
            "help_de",
            "help_en",
            "excluding_answer",
            "explanation_de",
            "explanation_en",
        ]
        widgets = {
            name: forms.Textarea(attrs={"rows": 3})
            for name in [
                "text_de",
                "text_en",
                "help_de",
                "help_en",
                "explanation_de",
                "explanation_en",
            ]
        }

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("kind") == "eligibility" and not cleaned.get("excluding_answer"):
            self.add_error(
                "excluding_answer",
                _("Eine Prüffrage braucht die Antwort, die eine Förderung ausschließt."),
            )
        return cleaned

    def validate_unique(self):
        # The service checks the code within the version and answers at the field.
        pass


class AttachmentKindForm(forms.Form):
    name_de = forms.CharField(label=_("Name der Anlagenart (deutsch)"), max_length=120)
    name_en = forms.CharField(label=_("Name (englisch)"), max_length=120, required=False)


class GuidelineDocumentForm(forms.Form):
    document = forms.FileField(
        label=_("Leitfaden als PDF"),
        max_length=200,
        allow_empty_file=False,
        help_text=_("Eine PDF-Datei, höchstens 10 MB. Sie ersetzt die bisherige Datei."),
        error_messages={
            "empty": _("Die Datei ist leer."),
            "required": _("Bitte wählen Sie eine PDF-Datei aus."),
        },
    )

    def clean_document(self):
        upload = self.cleaned_data["document"]
        if validate_document(upload, max_size=GUIDELINE_DOCUMENT_MAX_SIZE) != "application/pdf":
            raise forms.ValidationError(
                _("Das ist keine PDF-Datei. Bitte laden Sie den Leitfaden als PDF hoch."),
                code="file_type",
            )
        return upload


class LetterTextForm(forms.Form):
    text = forms.CharField(
        label=_("Text"),
        max_length=MAX_TEXT_LENGTH,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_(
            "Absätze durch eine Leerzeile trennen. Bescheide sind deutsch. Ohne Platzhalter: "
            "Aktenzeichen, Beträge und Daten setzt das Portal selbst ein."
        ),
    )
