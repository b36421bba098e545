from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Organisation, Role


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


class OrganisationChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        place = " ".join(part for part in (obj.postal_code, obj.town) if part) or "–"
        return _("%(name)s, %(place)s (Nr. %(number)s)") % {
            "name": obj.name,
            "place": place,
            "number": obj.pk,
        }


class OrganisationMergeForm(forms.Form):
    target = OrganisationChoiceField(
        label=_("Organisation, die bestehen bleibt"),
        queryset=None,
        help_text=_(
            "Alle Anträge, Mitglieder, Einladungen und Netzwerkmitgliedschaften der Dublette "
            "gehen auf diese Organisation über. Ihr Profil bleibt unverändert."
        ),
        error_messages={
            "invalid_choice": _("Bitte wählen Sie eine andere, aktive Organisation als Ziel."),
            "required": _("Bitte wählen Sie die Organisation, die bestehen bleibt."),
        },
    )
    fingerprint = forms.CharField(required=False, widget=forms.HiddenInput, max_length=64)

    def __init__(self, *args, source, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"].queryset = Organisation.objects.filter(is_active=True).exclude(
            pk=source.pk
        )
