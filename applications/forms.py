from decimal import Decimal

from django import forms
from django.core.validators import MinValueValidator
from django.utils.formats import get_format
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from handlungsfelder.selectors import active_handlungsfelder
from kitz_portal.language_of_parts import localised_text
from kitz_portal.money import MoneyField, format_money, plain_number
from kitz_portal.uploads import validate_document

from .models import Answer, Application, AttachmentKind, CostCategory, FinancingKind


def _date_hint():
    """The date pattern of the active language, e.g. TT.MM.JJJJ in German, DD/MM/YYYY in English.

    The words for day, month and year come from the translated "TT.MM.JJJJ"; order and separator
    from the language's first DATE_INPUT_FORMATS entry, which the widget also renders with.
    """
    words = gettext("TT.MM.JJJJ")
    parts = dict(zip(("%d", "%m", "%Y"), words.split("."), strict=False))
    if len(parts) != 3:
        return words
    pattern = get_format("DATE_INPUT_FORMATS")[0]
    for directive, word in parts.items():
        pattern = pattern.replace(directive, word)
    return pattern


DATE_HINT = lazy(_date_hint, str)()


class LocalisedDateInput(forms.DateInput):
    """Renders and explains the date in the active language's own input format."""

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["attrs"].setdefault("placeholder", _date_hint())
        return context


DATE_WIDGET = LocalisedDateInput()


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
                label=localised_text(criterion, "text"),
                help_text=localised_text(criterion, "help"),
                choices=Answer.choices,
                widget=forms.RadioSelect,
                error_messages={"required": _("Bitte beantworten Sie diese Frage.")},
            )

    def answers(self):
        return {criterion.code: self.cleaned_data[criterion.code] for criterion in self.criteria}


class HandlungsfeldChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return localised_text(obj, "name")


class ProjectForm(forms.ModelForm):
    start_date = forms.DateField(label=_("Projektbeginn"), widget=DATE_WIDGET)
    end_date = forms.DateField(label=_("Projektende"), widget=DATE_WIDGET)
    handlungsfelder = HandlungsfeldChoiceField(
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
    kind = forms.ModelChoiceField(
        label=_("Art der Anlage"),
        queryset=AttachmentKind.objects.all(),
        required=False,
        empty_label=_("Sonstige Anlage"),
        help_text=_("Wählen Sie die Art, wenn die Datei eine der geforderten Anlagen ist."),
        error_messages={"invalid_choice": _("Bitte wählen Sie eine Art aus der Liste.")},
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
                label=localised_text(criterion, "text"),
                help_text=localised_text(criterion, "help"),
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


# Review and decision ---------------------------------------------------------------------


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleDocumentField(forms.FileField):
    """Several documents in one field; each one is checked like a single upload."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        if not files and self.required:
            raise forms.ValidationError(self.error_messages["required"], code="required")
        checked = []
        for upload in files:
            upload = super().clean(upload, initial)
            checked.append((upload, validate_document(upload)))
        return checked


class StaffChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.get_full_name() or obj.email


class AssignForm(forms.Form):
    assignee = StaffChoiceField(label=_("Zuständige Person"), queryset=None)

    def __init__(self, *args, staff, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = staff


class InformationRequestForm(forms.Form):
    message = forms.CharField(
        label=_("Rückfrage an die Antragstellenden"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Die Antragstellenden sehen diesen Text im Portal und per E-Mail-Hinweis."),
    )
    due_on = forms.DateField(label=_("Antwort erbeten bis"), widget=DATE_WIDGET)

    def clean_due_on(self):
        from django.utils import timezone

        due_on = self.cleaned_data["due_on"]
        if due_on <= timezone.localdate():
            raise forms.ValidationError(_("Die Frist muss in der Zukunft liegen."))
        return due_on


class AnswerForm(forms.Form):
    answer = forms.CharField(label=_("Ihre Antwort"), widget=forms.Textarea(attrs={"rows": 6}))
    files = MultipleDocumentField(
        label=_("Anlagen (freiwillig)"),
        required=False,
        help_text=_("PDF, JPEG, PNG, DOCX, XLSX, ODT oder ODS; höchstens 10 MB je Datei."),
    )

    def uploads(self):
        return [(upload, content_type, "") for upload, content_type in self.cleaned_data["files"]]


class InternalNoteForm(forms.Form):
    text = forms.CharField(
        label=_("Interne Notiz"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Nur für das KITZ sichtbar."),
    )

    def __init__(self, *args, **kwargs):
        # The case page also shows the message form, whose field is called "text" too.
        kwargs.setdefault("auto_id", "id_note_%s")
        super().__init__(*args, **kwargs)


class CaseMessageForm(forms.Form):
    text = forms.CharField(label=_("Nachricht"), widget=forms.Textarea(attrs={"rows": 4}))


class ReviewForm(forms.Form):
    """The Prüfvermerk: formal check, one field pair per criterion and per cost line."""

    is_complete = forms.BooleanField(label=_("Der Antrag ist vollständig."), required=False)
    is_in_time = forms.BooleanField(label=_("Der Antrag ist fristgerecht."), required=False)
    is_eligible_applicant = forms.BooleanField(
        label=_("Der Antragsteller ist förderberechtigt."), required=False
    )
    formal_remark = forms.CharField(
        label=_("Bemerkung zur formalen Prüfung"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    financing_type = forms.ChoiceField(
        label=_("Finanzierungsart"), choices=(), widget=forms.RadioSelect
    )

    def __init__(self, *args, criteria, cost_items, **kwargs):
        from kitz_portal.money import format_money

        from .models import CostOutcome, CriterionOutcome, FinancingType

        super().__init__(*args, **kwargs)
        self.fields["financing_type"].choices = FinancingType.choices
        self.criteria = list(criteria)
        self.cost_items = list(cost_items)
        for criterion in self.criteria:
            self.fields[f"criterion_{criterion.pk}"] = forms.ChoiceField(
                label=criterion.text,
                choices=CriterionOutcome.choices,
                widget=forms.RadioSelect,
                error_messages={"required": _("Bitte bewerten Sie diesen Prüfpunkt.")},
            )
            self.fields[f"criterion_{criterion.pk}_remark"] = forms.CharField(
                label=_("Bemerkung zu: %(text)s") % {"text": criterion.text},
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
        for item in self.cost_items:
            name = f"{item.description} ({item.category}, {format_money(item.total)})"
            self.fields[f"cost_{item.pk}"] = forms.ChoiceField(
                label=name,
                choices=CostOutcome.choices,
                widget=forms.RadioSelect,
                error_messages={"required": _("Bitte entscheiden Sie über diese Position.")},
            )
            self.fields[f"cost_{item.pk}_amount"] = MoneyField(
                label=_("Anerkannter Betrag bei Kürzung: %(item)s") % {"item": item.description},
                required=False,
            )
            self.fields[f"cost_{item.pk}_reason"] = forms.CharField(
                label=_("Begründung zu: %(item)s") % {"item": item.description},
                required=False,
            )

    def formal_fields(self):
        names = ["is_complete", "is_in_time", "is_eligible_applicant", "formal_remark"]
        return [self[name] for name in names]

    def criterion_fields(self):
        return [self[name] for name in self.fields if name.startswith("criterion_")]

    def cost_fields(self):
        return [self["financing_type"]] + [
            self[name] for name in self.fields if name.startswith("cost_")
        ]

    def items(self):
        return {
            criterion.pk: (
                self.cleaned_data[f"criterion_{criterion.pk}"],
                self.cleaned_data[f"criterion_{criterion.pk}_remark"],
            )
            for criterion in self.criteria
        }

    def cost_decisions(self):
        return {
            item.pk: (
                self.cleaned_data[f"cost_{item.pk}"],
                self.cleaned_data[f"cost_{item.pk}_amount"],
                self.cleaned_data[f"cost_{item.pk}_reason"],
            )
            for item in self.cost_items
        }

    def service_arguments(self):
        data = self.cleaned_data
        return {
            "is_complete": data["is_complete"],
            "is_in_time": data["is_in_time"],
            "is_eligible_applicant": data["is_eligible_applicant"],
            "formal_remark": data["formal_remark"],
            "financing_type": data["financing_type"],
            "items": self.items(),
            "cost_decisions": self.cost_decisions(),
        }


class ProposalForm(forms.Form):
    proposal = forms.ChoiceField(label=_("Vorschlag"), choices=(), widget=forms.RadioSelect)
    amount = MoneyField(label=_("Förderbetrag in Euro"), required=False)
    period_start = forms.DateField(
        label=_("Bewilligungszeitraum von"), required=False, widget=DATE_WIDGET
    )
    period_end = forms.DateField(
        label=_("Bewilligungszeitraum bis"), required=False, widget=DATE_WIDGET
    )
    conditions = forms.CharField(
        label=_("Besondere Nebenbestimmungen"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    rejection_reasons = forms.CharField(
        label=_("Gründe der Ablehnung"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Übernehmen Sie die Gründe aus den nicht erfüllten Prüfpunkten."),
    )

    def __init__(self, *args, **kwargs):
        from .models import Proposal

        super().__init__(*args, **kwargs)
        self.fields["proposal"].choices = Proposal.choices


class DecisionForm(forms.Form):
    action = forms.ChoiceField(label=_("Ihre Entscheidung"), choices=(), widget=forms.RadioSelect)
    note = forms.CharField(
        label=_("Vermerk"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Pflicht, wenn Sie den Antrag zurücksenden."),
    )

    def __init__(self, *args, proposal, **kwargs):
        from .models import Proposal
        from .services import DecisionAction

        super().__init__(*args, **kwargs)
        sign = (
            (DecisionAction.APPROVE, _("Bewilligung zeichnen"))
            if proposal == Proposal.APPROVE
            else (DecisionAction.REJECT, _("Ablehnung zeichnen"))
        )
        self.fields["action"].choices = [
            sign,
            (DecisionAction.RETURN, _("Mit Vermerk zur Prüfung zurücksenden")),
        ]
