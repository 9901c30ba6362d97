"""Template tags of the search page."""

import re

from django import template
from django.template.defaultfilters import slugify, urlencode
from django.urls import reverse
from django.utils.formats import localize
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeData, mark_safe
from django.utils.translation import gettext

from methodbank.catalog.templatetags.catalog_i18n import project_name
from methodbank.catalog.templatetags.catalog_tags import kind_badge

register = template.Library()

_SLUG_PLACEHOLDER = "slug-placeholder-5e1f"
_PK_PLACEHOLDER = 918273645
_PLAIN_SLUG_RE = re.compile(r"[-a-zA-Z0-9_]+")


# A facet value's item around its count, per (facet, value, label, label's language, checked): a
# page writes about 150 of them, and a value's markup (slugify, escaping, format_html) is the same
# on every page that shows it, only the count differs. Bounded like process_store's dictionaries;
# a pure function of its key, so never stale.
_FACET_ITEMS: dict = {}
FACET_ITEMS_MAX = 20_000


def _facet_item_parts(param, value) -> tuple[str, str]:
    label = value.label
    key = (param, value.value, label, value.lang, value.selected, isinstance(label, SafeData))
    parts = _FACET_ITEMS.get(key)
    if parts is None:
        escaped = conditional_escape(param)
        ident = f"f-{escaped}-{slugify(value.value)}"
        label_html = format_html('<span lang="{}">{}</span>', value.lang, label) if value.lang else conditional_escape(label)
        head = format_html(
            '<li><input type="checkbox" class="facet-input" id="{}" name="{}" value="{}"{}>\n'
            '  <label for="{}">{} <span class="facet__count">(',
            ident, escaped, value.value, mark_safe(" checked") if value.selected else "", ident, label_html,
        )
        parts = (str(head), ")</span></label></li>\n")
        if len(_FACET_ITEMS) >= FACET_ITEMS_MAX:
            _FACET_ITEMS.clear()
        _FACET_ITEMS[key] = parts
    return parts


@register.simple_tag
def facet_values(facet, values):
    """The checkbox items of one facet's values: what an include of one template per value wrote
    (a page lists up to a few hundred values, and an include costs more than the value's markup)."""
    items = []
    for value in values:
        head, tail = _facet_item_parts(facet.param, value)
        count = value.count
        # localize() of a count under 1000 is its digits in every language (no group separator);
        # it is the dearest part of an item otherwise.
        items.append(f"{head}{count if 0 <= count < 1000 else localize(count)}{tail}")
    return mark_safe("".join(items))


@register.simple_tag
def result_items(hits, q, first_rank):
    """The result list's items: what an include of one template per hit wrote. A result's link
    goes through the click log (search:result_click) with its rank when there are words."""
    items = []
    # The two addresses reversed once per list, the hit's slug or id then put in the placeholder's
    # place: reverse() twice per hit was a tenth of the list's cost. The entry's address is what
    # Practice.get_absolute_url() reverses; a slug with characters reverse() would quote takes that.
    entry_address = reverse("catalog:practice", kwargs={"slug": _SLUG_PLACEHOLDER})
    click_address = reverse("search:result_click", args=[_PK_PLACEHOLDER])
    # The same for every hit of the list: once.
    some = format_html(' <span class="search-hit__some">{}</span>', gettext("some of the words"))
    quoted_q = urlencode(q) if q else ""
    for rank, hit in enumerate(hits, start=first_rank):
        practice = hit.practice
        if _PLAIN_SLUG_RE.fullmatch(practice.slug):
            address = entry_address.replace(_SLUG_PLACEHOLDER, practice.slug)
        else:
            address = practice.get_absolute_url()
        if q and rank:
            href = format_html(
                "{}?q={}&amp;r={}",
                click_address.replace(str(_PK_PLACEHOLDER), str(practice.pk)),
                quoted_q,
                localize(rank),
            )
        else:
            href = conditional_escape(address)
        project = practice.project
        items.append(format_html(
            '<li class="search-hit{}">\n'
            '  <h3 class="search-hit__title"><a data-print-url="{}" href="{}">{}</a></h3>\n'
            '  <p class="search-hit__meta">{}{}{}</p>\n'
            "  {}\n"
            "</li>\n",
            "" if hit.complete else " search-hit--partial",
            address, href, hit.title_html,
            kind_badge(practice), "" if hit.complete else some,
            format_html(' <span class="entry__project">{}</span>', project_name(project)) if project else "",
            format_html('<p class="search-hit__snippet">{}</p>', hit.snippet_html) if hit.snippet_html else "",
        ))
    return mark_safe("".join(items))
