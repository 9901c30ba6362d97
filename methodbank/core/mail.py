"""Every e-mail of the bank: one layout (HTML and plain text), in the recipient's language.

A message is three templates, ``<name>_subject.txt``, ``<name>_message.txt`` (extends
``email/base.txt``) and ``<name>_message.html`` (extends ``email/base.html``), rendered with the
recipient's language active. Links are absolute and built from ``SITE_URL`` (never from the host a
request happened to come in on) in the recipient's language (``site_url``).
"""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse, translate_url
from django.utils import translation
from django.utils.translation import gettext as _


def site_url(path_or_url: str = "/", *, language: str | None = None) -> str:
    """An absolute address on the bank from a path; an address of the bank (in any interface
    language) comes back in ``language``'s version of the page."""
    base = settings.SITE_URL.rstrip("/")
    url = path_or_url if path_or_url.startswith(("http://", "https://")) else base + "/" + path_or_url.lstrip("/")
    if url.startswith(base + "/"):
        path = url[len(base):]
        # A path resolves only under its own language's prefix (/sv/... with Swedish active).
        prefix = path.lstrip("/").split("/", 1)[0]
        own = prefix if prefix in dict(settings.LANGUAGES) else translation.get_language()
        with translation.override(own):
            url = base + translate_url(path, language or translation.get_language())
    return url


def render_message(template: str, *, language: str, context: dict) -> tuple[str, str, str]:
    """(subject, plain text, HTML) of a message in ``language``."""
    with translation.override(language):
        context = {
            **context,
            "language": language,
            "home_url": base_link("core:home", language=language),
            "profile_url": base_link("accounts:profile", language=language),
        }
        subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
        # The bank's name first, so the recipient sees who writes before opening the message.
        subject = f"[{_('Menetelmäpankki')}] {subject}"
        text = render_to_string(f"{template}_message.txt", context)
        html = render_to_string(f"{template}_message.html", context)
    return subject, text, html


def base_link(name: str, *, language: str, **kwargs) -> str:
    with translation.override(language):
        return settings.SITE_URL.rstrip("/") + reverse(name, **kwargs)


def send(template: str, *, to: str, language: str, context: dict, headers: dict | None = None) -> int:
    """``headers``: extra headers of the message (a digest's List-Unsubscribe)."""
    subject, text, html = render_message(template, language=language, context=context)
    message = EmailMultiAlternatives(
        subject=subject, body=text, from_email=settings.DEFAULT_FROM_EMAIL, to=[to],
        headers={"Content-Language": language, **(headers or {})},
    )
    message.attach_alternative(html, "text/html")
    return message.send()
