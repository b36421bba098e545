import re

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation, Role
from handlungsfelder.selectors import active_handlungsfelder

from .models import (
    Meeting,
    MeetingSeries,
    Network,
    Offer,
    Response,
    SeriesException,
    SeriesExceptionKind,
)

DATETIME_INPUT_FORMATS = ["%Y-%m-%dT%H:%M", "%d.%m.%Y %H:%M", "%Y-%m-%d %H:%M"]
MINUTES_EXTENSIONS = (".pdf", ".odt", ".docx", ".txt")
MINUTES_MAX_BYTES = 5 * 1024 * 1024


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def _datetime_field(label, **kwargs):
    return forms.DateTimeField(
        label=label, widget=DateTimeInput(), input_formats=DATETIME_INPUT_FORMATS, **kwargs
    )


class NetworkForm(forms.ModelForm):
    class Meta:
        model = Network
        fields = ["name", "slug", "description", "visibility", "handlungsfelder", "coordinators"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "visibility": forms.RadioSelect,
            "handlungsfelder": forms.CheckboxSelectMultiple,
            "coordinators": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["handlungsfelder"].queryset = active_handlungsfelder()
        self.fields["slug"].help_text = _("Nur Kleinbuchstaben, Ziffern und Bindestriche.")
        self.fields["coordinators"].queryset = (
            get_user_model()
            .objects.filter(
                is_active=True,
                role_assignments__role__in=[Role.CASE_HANDLER, Role.SIGNING_AUTHORITY],
            )
            .distinct()
        )

    def clean_slug(self):
        slug = self.cleaned_data["slug"]
        if slug in RESERVED_SLUGS:
            raise forms.ValidationError(
                _("Diesen Kurznamen verwendet das Portal selbst. Bitte wählen Sie einen anderen.")
            )
        return slug


# Addresses under /netzwerke/ that are not networks.
RESERVED_SLUGS = {"neu", "mein-kalender", "kalender", "einladung"}


class MemberForm(forms.Form):
    organisation = forms.ModelChoiceField(
        # A merged duplicate is no longer active and cannot join anything.
        label=_("Organisation"),
        queryset=Organisation.objects.filter(is_active=True),
        required=False,
    )
    user = forms.ModelChoiceField(
        label=_("oder Einzelperson"),
        queryset=get_user_model().objects.filter(is_active=True),
        required=False,
    )
    role = forms.CharField(label=_("Rolle im Netzwerk"), max_length=120, required=False)
    listed_publicly = forms.BooleanField(
        label=_("Organisation ist einverstanden, öffentlich genannt zu werden"), required=False
    )

    def clean(self):
        data = super().clean()
        if bool(data.get("organisation")) == bool(data.get("user")):
            raise forms.ValidationError(
                _("Bitte wählen Sie entweder eine Organisation oder eine Person.")
            )
        return data


class JoinRequestForm(forms.Form):
    organisation = forms.ModelChoiceField(label=_("Organisation"), queryset=Organisation.objects)
    message = forms.CharField(
        label=_("Nachricht an die Koordination"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations


def _online_url_field():
    return forms.URLField(
        label=_("Online-Link"), required=False, assume_scheme="https", max_length=200
    )


class MeetingForm(forms.ModelForm):
    start = _datetime_field(_("Beginn"))
    end = _datetime_field(_("Ende"))
    online_url = _online_url_field()

    class Meta:
        model = Meeting
        fields = ["title", "start", "end", "place", "online_url", "agenda"]
        widgets = {"agenda": forms.Textarea(attrs={"rows": 5})}

    def clean(self):
        data = super().clean()
        if not (data.get("place") or data.get("online_url")):
            self.add_error("place", _("Bitte geben Sie einen Ort oder einen Online-Link an."))
        return data


class SeriesForm(forms.ModelForm):
    first_start = _datetime_field(_("erster Termin"))
    online_url = _online_url_field()

    class Meta:
        model = MeetingSeries
        fields = [
            "title",
            "first_start",
            "duration_minutes",
            "rrule",
            "until",
            "place",
            "online_url",
            "agenda",
        ]
        widgets = {"until": DateInput(), "agenda": forms.Textarea(attrs={"rows": 4})}

    def clean_rrule(self):
        from kitz_portal.errors import PortalError

        from .services import parse_rrule

        rule = self.cleaned_data["rrule"].strip().removeprefix("RRULE:")
        try:
            parse_rrule(rule, self.cleaned_data.get("first_start") or _now())
        except PortalError as error:
            raise forms.ValidationError(error.message) from error
        return rule


def _now():
    from django.utils import timezone

    return timezone.now()


class SeriesExceptionForm(forms.ModelForm):
    new_start = _datetime_field(_("neuer Beginn"), required=False)

    class Meta:
        model = SeriesException
        fields = ["original_date", "kind", "new_start"]
        widgets = {"original_date": DateInput(), "kind": forms.RadioSelect}

    def clean(self):
        data = super().clean()
        if data.get("kind") == SeriesExceptionKind.MOVED and not data.get("new_start"):
            self.add_error("new_start", _("Bitte geben Sie den neuen Beginn an."))
        return data


class ResponseForm(forms.Form):
    response = forms.ChoiceField(
        label=_("Ihre Antwort"),
        choices=[(value, label) for value, label in Response.choices if value != "pending"],
        widget=forms.RadioSelect,
    )


class AttendanceForm(forms.Form):
    people = forms.ModelMultipleChoiceField(
        label=_("Anwesend"),
        queryset=get_user_model().objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["people"].queryset = people


class MinutesForm(forms.Form):
    minutes_text = forms.CharField(
        label=_("Protokoll"), required=False, widget=forms.Textarea(attrs={"rows": 10})
    )
    minutes_file = forms.FileField(
        label=_("Protokoll als Datei (PDF, ODT, DOCX oder TXT, höchstens 5 MB)"), required=False
    )

    notify_members = forms.BooleanField(
        label=_("Mitglieder per E-Mail auf das Protokoll hinweisen"), required=False
    )

    def clean_minutes_file(self):
        upload = self.cleaned_data.get("minutes_file")
        if not upload:
            return upload
        if not upload.name.lower().endswith(MINUTES_EXTENSIONS):
            raise forms.ValidationError(
                _("Bitte laden Sie eine PDF-, ODT-, DOCX- oder TXT-Datei hoch.")
            )
        if upload.size > MINUTES_MAX_BYTES:
            raise forms.ValidationError(_("Die Datei ist größer als 5 MB."))
        return upload


REFERENCE_PATTERN = re.compile(r"^KITZ-\d{4}-\d{4}$")


class OfferForm(forms.ModelForm):
    class Meta:
        model = Offer
        fields = [
            "title",
            "handlungsfeld",
            "responsible_organisations",
            "target_group",
            "description",
            "starts_on",
            "ends_on",
            "status",
            "funding_reference",
        ]
        widgets = {
            "responsible_organisations": forms.CheckboxSelectMultiple,
            "description": forms.Textarea(attrs={"rows": 4}),
            "starts_on": DateInput(),
            "ends_on": DateInput(),
        }

    def __init__(self, *args, network, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["handlungsfeld"].queryset = network.handlungsfelder.all()
        self.fields["responsible_organisations"].queryset = Organisation.objects.filter(
            network_memberships__network=network
        )

    def clean_funding_reference(self):
        value = (self.cleaned_data.get("funding_reference") or "").strip()
        if value and not REFERENCE_PATTERN.match(value):
            raise forms.ValidationError(_("Ein Aktenzeichen sieht so aus: KITZ-2027-0042."))
        return value or None


class TaskForm(forms.Form):
    title = forms.CharField(label=_("Aufgabe"), max_length=200)
    owner = forms.ModelChoiceField(
        label=_("zuständig"), queryset=get_user_model().objects.none(), required=False
    )
    due_on = forms.DateField(label=_("fällig am"), required=False, widget=DateInput())
    offer = forms.ModelChoiceField(
        label=_("Integrationsangebot"), queryset=Offer.objects.none(), required=False
    )

    def __init__(self, *args, network, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = people
        self.fields["offer"].queryset = network.offers.all()
