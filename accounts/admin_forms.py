from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Role


class StaffInvitationForm(forms.Form):
    email = forms.EmailField(label=_("E-Mail-Adresse"))
    first_name = forms.CharField(label=_("Vorname"), max_length=150)
    last_name = forms.CharField(label=_("Nachname"), max_length=150)
    roles = forms.MultipleChoiceField(
        label=_("Rollen"),
        choices=Role.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Die Person erhält eine E-Mail mit einem Link, um ihr Passwort zu setzen."),
    )


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Rolle"), choices=Role.choices)


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Suche"), required=False, max_length=100)
