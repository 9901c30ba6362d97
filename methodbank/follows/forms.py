from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Frequency


class FollowForm(forms.Form):
    kind = forms.CharField(max_length=20, widget=forms.HiddenInput)
    key = forms.CharField(max_length=2000, required=False, widget=forms.HiddenInput)
    frequency = forms.ChoiceField(label=_("E-mail digest"), choices=Frequency.choices, initial=Frequency.WEEKLY)


class FrequencyForm(forms.Form):
    frequency = forms.ChoiceField(label=_("E-mail digest"), choices=Frequency.choices)
