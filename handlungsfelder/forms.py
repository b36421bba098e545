from django import forms

from .models import Handlungsfeld


class HandlungsfeldForm(forms.ModelForm):
    class Meta:
        model = Handlungsfeld
        fields = ["name_de", "name_en", "slug", "description_de", "description_en"]
        widgets = {
            "description_de": forms.Textarea(attrs={"rows": 4}),
            "description_en": forms.Textarea(attrs={"rows": 4}),
        }
