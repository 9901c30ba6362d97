from allauth.account.forms import SignupForm as AllauthSignupForm
from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class SignupForm(AllauthSignupForm):
    """allauth's sign-up (e-mail + password) plus the profile the own page shows."""

    full_name = forms.CharField(label=_("Name"), max_length=200, required=True)
    organisation = forms.CharField(label=_("Organisation"), max_length=200, required=False)
    project_role = forms.CharField(
        label=_("Role in the project"), max_length=200, required=False,
        help_text=_("For example project manager or coach."),
    )

    field_order = ["full_name", "email", "organisation", "project_role", "password1", "password2"]

    def save(self, request):
        user = super().save(request)
        user.full_name = self.cleaned_data["full_name"]
        user.organisation = self.cleaned_data.get("organisation", "")
        user.project_role = self.cleaned_data.get("project_role", "")
        # The language the person registered in: the bank's e-mails use it until they choose another.
        language = (get_language() or "").split("-")[0]
        user.registration_language = language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        user.save(update_fields=["full_name", "organisation", "project_role", "registration_language"])
        return user


class ProfileForm(forms.ModelForm):
    class Meta:
        model = get_user_model()
        fields = ["full_name", "organisation", "project_role", "language"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        registered = dict(settings.LANGUAGES).get(self.instance.registration_language)
        empty = _("The language I registered in (%(language)s)") % {"language": registered} if registered else _(
            "The language I registered in")
        self.fields["language"].choices = [("", empty), *settings.LANGUAGES]


class AccountDeleteForm(forms.Form):
    password = forms.CharField(
        label=_("Your password"), widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text=_("To confirm that it is you."),
    )
    confirm = forms.BooleanField(
        label=_("I understand that my account and personal data are removed and this cannot be undone."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("The password is not correct."))
        return password
