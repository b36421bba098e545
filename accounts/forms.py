import re

from django import forms
from django.utils.translation import gettext_lazy as _

from kitz_portal.uploads import validate_document

from .models import Organisation
from .validators import normalise_iban


class SignupForm(forms.Form):
    """Extra fields of the registration; allauth adds e-mail and password."""

    first_name = forms.CharField(label=_("Vorname"), max_length=150)
    last_name = forms.CharField(label=_("Nachname"), max_length=150)
    privacy_accepted = forms.BooleanField(
        label=_("Ich habe die Datenschutzhinweise gelesen."),
        help_text=_("Sie finden die Datenschutzhinweise unten auf jeder Seite."),
    )

    field_order = ["first_name", "last_name", "email", "password1", "password2", "privacy_accepted"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["first_name"].widget.attrs["autocomplete"] = "given-name"
        self.fields["last_name"].widget.attrs["autocomplete"] = "family-name"

    def signup(self, request, user):
        user.first_name = self.cleaned_data["first_name"]
        user.last_name = self.cleaned_data["last_name"]
        user.save(update_fields=["first_name", "last_name"])


class OrganisationForm(forms.ModelForm):
    """The organisation profile; the proof of non-profit status is checked like every upload."""

    proof = forms.FileField(
        label=_("Nachweis der Gemeinnützigkeit"),
        required=False,
        help_text=_(
            "Freistellungsbescheid des Finanzamts oder Satzung; PDF, JPEG, PNG, DOCX, XLSX, ODT "
            "oder ODS, höchstens 10 MB."
        ),
        allow_empty_file=False,
        error_messages={"empty": _("Die Datei ist leer.")},
    )

    class Meta:
        model = Organisation
        fields = [
            "name",
            "kind",
            "street",
            "postal_code",
            "town",
            "municipality",
            "email",
            "phone",
            "contact_person",
            "register_number",
            "is_non_profit",
            "iban",
            "account_holder",
        ]
        widgets = {"kind": forms.RadioSelect}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ["street", "postal_code", "town", "contact_person"]:
            self.fields[name].required = True
        self.fields["iban"].help_text = _("Deutsche IBAN, zum Beispiel DE89 3704 0044 0532 0130 00")
        # An IBAN reads left to right in Arabic, Farsi and Dari pages too.
        self.fields["iban"].widget.attrs["dir"] = "ltr"
        self.fields["postal_code"].widget.attrs["autocomplete"] = "postal-code"
        self.fields["street"].widget.attrs["autocomplete"] = "street-address"
        self.proof_content_type = ""

    def clean_postal_code(self):
        value = self.cleaned_data["postal_code"].strip()
        if not re.fullmatch(r"\d{5}", value):
            raise forms.ValidationError(_("Bitte geben Sie eine fünfstellige Postleitzahl ein."))
        if not value.startswith("24"):
            raise forms.ValidationError(
                _("Die Postleitzahl liegt nicht im Kreis Schleswig-Flensburg.")
            )
        return value

    def clean_iban(self):
        return normalise_iban(self.cleaned_data["iban"])

    def clean_proof(self):
        proof = self.cleaned_data.get("proof")
        if proof:
            self.proof_content_type = validate_document(proof)
        return proof

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("iban") and not cleaned.get("account_holder"):
            self.add_error("account_holder", _("Bitte geben Sie den Kontoinhaber an."))
        return cleaned


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("E-Mail-Adresse der Person"))
