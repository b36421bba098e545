from decimal import Decimal

from django import forms
from django.core.validators import MinValueValidator
from django.utils.translation import gettext_lazy as _

from handlungsfelder.selectors import active_handlungsfelder
from kitz_portal.money import MoneyField, format_money, plain_number
from kitz_portal.uploads import validate_document

from .models import Answer, Application, CostCategory, FinancingKind

DATE_WIDGET = forms.DateInput(format="%d.%m.%Y", attrs={"placeholder": "TT.MM.JJJJ"})


class EligibilityForm(forms.Form):
    """One yes/no question per eligibility criterion of the programme's Leitfaden."""

    def __init__(self, *args, criteria, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        self.fields["organisation"] = forms.ModelChoiceField(
            label=_("Für welche Organisation stellen Sie den Antrag?"),
            queryset=organisations,
            empty_label=None,
            widget=forms.RadioSelect,
        )
        for criterion in self.criteria:
            self.fields[criterion.code] = forms.ChoiceField(
                label=criterion.text,
                help_text=criterion.help,
                choices=Answer.choices,
                widget=forms.RadioSelect,
                error_messages={"required": _("Bitte beantworten Sie diese Frage.")},
            )

    def answers(self):
        return {criterion.code: self.cleaned_data[criterion.code] for criterion in self.criteria}


class ProjectForm(forms.ModelForm):
    start_date = forms.DateField(label=_("Projektbeginn"), widget=DATE_WIDGET)
    end_date = forms.DateField(label=_("Projektende"), widget=DATE_WIDGET)
    handlungsfelder = forms.ModelMultipleChoiceField(
        label=_("Handlungsfelder"),
        queryset=active_handlungsfelder(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Wählen Sie mindestens ein Handlungsfeld, zu dem das Projekt beiträgt."),
        error_messages={"required": _("Bitte wählen Sie mindestens ein Handlungsfeld.")},
    )

    class Meta:
        model = Application
        fields = [
            "title",
            "summary",
            "description",
            "handlungsfelder",
            "target_groups",
            "expected_participants",
            "places",
            "start_date",
            "end_date",
        ]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 3}),
            "description": forms.Textarea(attrs={"rows": 8}),
            "target_groups": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, programme, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ["title", "summary", "description", "target_groups", "places"]:
            self.fields[name].required = True
        self.fields["expected_participants"].validators.append(MinValueValidator(1))
        self.fields["start_date"].help_text = _(
            "Frühestens %(weeks)s Wochen nach dem Absenden des Antrags (Leitfaden)."
        ) % {"weeks": programme.lead_time_weeks}
        self.fields["end_date"].help_text = _(
            "Das Projekt darf höchstens %(months)s Monate dauern."
        ) % {"months": programme.max_duration_months}
        self.fields["places"].help_text = _("Stadt oder Gemeinde im Kreis Schleswig-Flensburg")
        self.programme = programme

    def clean(self):
        from .rules import project_date_errors

        cleaned = super().clean()
        for name, message in project_date_errors(
            self.programme, cleaned.get("start_date"), cleaned.get("end_date")
        ).items():
            self.add_error(name, message)
        return cleaned


class CostItemForm(forms.Form):
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

    def __init__(self, *args, programme, **kwargs):
        super().__init__(*args, **kwargs)
        self.programme = programme

    def clean(self):
        from .rules import cost_item_error

        cleaned = super().clean()
        category = cleaned.get("category")
        if category is not None:
            error = cost_item_error(self.programme, category, cleaned.get("unit_price"))
            if error:
                self.add_error(error[0], error[1])
        return cleaned


class FinancingForm(forms.Form):
    own_funds = MoneyField(label=_("Eigenmittel in Euro"), initial=Decimal("0"))
    volunteer_hours = forms.DecimalField(
        label=_("Ehrenamtliche Arbeit in Stunden"),
        min_value=Decimal("0"),
        max_digits=8,
        decimal_places=1,
        localize=True,
        initial=Decimal("0"),
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    requested_amount = MoneyField(label=_("Beantragte Förderung in Euro"))

    def __init__(self, *args, programme, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["volunteer_hours"].help_text = _(
            "Jede Stunde zählt mit %(rate)s zum Eigenanteil, höchstens bis %(cap)s %% der "
            "Gesamtkosten."
        ) % {
            "rate": format_money(programme.volunteer_hourly_rate),
            "cap": plain_number(programme.volunteer_cap_percent),
        }
        self.fields["requested_amount"].help_text = _("Mindestens %(min)s, höchstens %(max)s.") % {
            "min": format_money(programme.min_grant),
            "max": format_money(programme.max_grant),
        }


class ThirdPartyFundsForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Stand"), choices=FinancingKind.choices, widget=forms.RadioSelect
    )
    source = forms.CharField(label=_("Geldgeber"), max_length=200)
    amount = MoneyField(label=_("Betrag in Euro"), min_value=Decimal("0.01"))


class AttachmentForm(forms.Form):
    file = forms.FileField(
        label=_("Datei"),
        help_text=_(
            "PDF, JPEG, PNG, DOCX, XLSX, ODT oder ODS; höchstens 10 MB je Datei und 30 MB "
            "insgesamt."
        ),
        max_length=200,
        allow_empty_file=False,
        error_messages={"empty": _("Die Datei ist leer.")},
    )
    description = forms.CharField(
        label=_("Beschreibung"),
        max_length=200,
        required=False,
        help_text=_("Zum Beispiel „Kostenvoranschlag Dolmetscherin“."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        self.content_type = validate_document(upload)
        return upload


class DeclarationsForm(forms.Form):
    def __init__(self, *args, criteria, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        for criterion in self.criteria:
            self.fields[criterion.code] = forms.BooleanField(
                label=criterion.text,
                help_text=criterion.help,
                error_messages={"required": _("Bitte bestätigen Sie diese Erklärung.")},
            )

    def codes(self):
        return [code for code, value in self.cleaned_data.items() if value]


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Grund (freiwillig)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    confirm = forms.BooleanField(
        label=_("Ja, ich möchte diesen Antrag zurückziehen."),
        error_messages={"required": _("Bitte bestätigen Sie, dass Sie den Antrag zurückziehen.")},
    )
