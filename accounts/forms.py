from django import forms
from django.utils.translation import gettext_lazy as _


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
