"""allauth's e-mails in the bank's own layout and in the recipient's language, with links from SITE_URL."""

from urllib.parse import urlsplit, urlunsplit

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils.translation import get_language

from methodbank.core import mail


def recipient_language(user) -> str:
    """The user's chosen language, else the one they registered in; without an account, the
    language of the page the request came from."""
    if user is not None and getattr(user, "pk", None):
        return user.email_language
    code = (get_language() or "").split("-")[0]
    return code if code in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def _on_site(url: str, language: str) -> str:
    """The same page on SITE_URL (not on whatever host the request named), in ``language``."""
    parts = urlsplit(url)
    return mail.site_url(urlunsplit(("", "", parts.path, parts.query, parts.fragment)), language=language)


class AccountAdapter(DefaultAccountAdapter):
    def get_email_confirmation_url(self, request, emailconfirmation):
        return mail.site_url(reverse("account_confirm_email", args=[emailconfirmation.key]))

    def get_reset_password_from_key_url(self, key):
        path = reverse("account_reset_password_from_key", kwargs={"uidb36": "UID", "key": "KEY"})
        return mail.site_url(path.replace("UID-KEY", key))

    def send_mail(self, template_prefix, email, context):
        user = context.get("user")
        if user is None:
            user = get_user_model().objects.filter(email__iexact=email).first()
        language = recipient_language(user)
        context = {key: value for key, value in context.items() if key not in ("request", "current_site")}
        for key, value in list(context.items()):
            if key.endswith("_url") and isinstance(value, str):
                context[key] = _on_site(value, language)
        mail.send(template_prefix, to=email, language=language, context={"email": email, **context})
