from django import forms
from django.utils.translation import gettext_lazy as _

from .models import ApiToken


class ApiTokenCreateForm(forms.ModelForm):
    class Meta:
        model = ApiToken
        fields = ["name"]
        labels = {"name": _("Name of the token")}
        help_texts = {
            "name": _("What the token is for, so you recognise it later, e.g. “Our project website”."),
        }

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError(_("Give the token a name."))
        return name
