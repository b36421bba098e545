from django import forms
from django.utils.translation import gettext_lazy as _


class AccessibilityFeedbackForm(forms.Form):
    """Feedback on barriers: only the message is required, so anyone can write anonymously."""

    message = forms.CharField(
        label=_("Ihre Nachricht"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Beschreiben Sie bitte, was Ihnen nicht möglich war oder schwer fiel."),
        error_messages={"required": _("Bitte beschreiben Sie die Barriere.")},
    )
    page_url = forms.CharField(
        label=_("Betroffene Seite oder Adresse (freiwillig)"),
        max_length=500,
        required=False,
    )
    name = forms.CharField(label=_("Ihr Name (freiwillig)"), max_length=200, required=False)
    email = forms.EmailField(
        label=_("Ihre E-Mail-Adresse (freiwillig)"),
        required=False,
        help_text=_("Nur wenn Sie eine Antwort wünschen. Sie erhalten dann eine Bestätigung."),
        error_messages={"invalid": _("Bitte geben Sie eine gültige E-Mail-Adresse ein.")},
    )

    def clean_message(self):
        message = self.cleaned_data["message"].strip()
        if not message:
            raise forms.ValidationError(_("Bitte beschreiben Sie die Barriere."))
        return message
