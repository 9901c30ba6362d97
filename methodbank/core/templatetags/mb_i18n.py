"""The language switcher and links between language versions of the same page.

Every page's address carries its language (``/fi/…``, ``/sv/…``, ``/en/…``), so switching
language is a plain link to the same page under another prefix: it works without JavaScript,
keeps the page (and its query string), and — unlike a POST to ``set_language`` — needs no CSRF
token, so anonymous public pages stay cacheable (see ``methodbank/core/cache.py``).
"""

from urllib.parse import urlsplit, urlunsplit

from django import template
from django.conf import settings
from django.urls import NoReverseMatch, reverse, translate_url
from django.utils.translation import get_language, get_language_info, override

register = template.Library()


def _url_in(request, code: str) -> str:
    if request is None:
        with override(code):
            return reverse("core:home")
    current = request.get_full_path()
    url = _translated(request, current, code)
    if url == current and code != get_language():
        # The address did not resolve (e.g. a 404 page): the other language's front page is the
        # nearest useful target.
        with override(code):
            return reverse("core:home")
    return url


def _translated(request, current: str, code: str) -> str:
    """translate_url(current, code) from the request's own resolver match: translate_url resolves
    the address again for each language, three resolves per page for the switcher and hreflang
    links. The same steps otherwise (the view's name reversed in the other language, the query
    kept); without a match (an error page) or under a script prefix, translate_url itself."""
    match = getattr(request, "resolver_match", None)
    if match is None or request.path != request.path_info:
        return translate_url(current, code)
    name = f"{match.namespace}:{match.url_name}" if match.namespace else match.url_name
    with override(code):
        try:
            path = reverse(name, args=match.args, kwargs=match.kwargs)
        except NoReverseMatch:
            return current
    parsed = urlsplit(current)
    return urlunsplit((parsed.scheme, parsed.netloc, path, parsed.query, parsed.fragment))


@register.simple_tag(takes_context=True)
def language_links(context):
    """One entry per interface language: code, its name in that language, the current page's
    address in it, and whether it is the language being shown."""
    request = context.get("request")
    current = get_language()
    links = []
    for code, _name in settings.LANGUAGES:
        info = get_language_info(code)
        links.append(
            {
                "code": code,
                "name_local": info["name_local"].capitalize(),
                "url": _url_in(request, code),
                "current": code == current,
            }
        )
    return links


@register.simple_tag(takes_context=True)
def translated_url(context, code):
    """The current page's address in the language ``code``."""
    return _url_in(context.get("request"), code)


@register.filter
def language_name_local(code):
    """The name of a language in that language, e.g. ``"sv"`` -> "Svenska" (use with ``lang``)."""
    try:
        return get_language_info(code)["name_local"].capitalize()
    except KeyError:
        return code
