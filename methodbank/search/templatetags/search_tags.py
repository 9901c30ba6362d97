"""Template tags of the search page."""

from django import template
from django.template.defaultfilters import slugify, urlencode
from django.urls import reverse
from django.utils.formats import localize
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from methodbank.catalog.templatetags.catalog_i18n import project_name
from methodbank.catalog.templatetags.catalog_tags import kind_badge

register = template.Library()


@register.simple_tag
def facet_values(facet, values):
    """The checkbox items of one facet's values: what an include of one template per value wrote
    (a page lists up to a few hundred values, and an include costs more than the value's markup)."""
    param = conditional_escape(facet.param)
    items = []
    for value in values:
        ident = f"f-{param}-{slugify(value.value)}"
        label = (
            format_html('<span lang="{}">{}</span>', value.lang, value.label) if value.lang else conditional_escape(value.label)
        )
        items.append(format_html(
            '<li><input type="checkbox" class="facet-input" id="{}" name="{}" value="{}"{}>\n'
            '  <label for="{}">{} <span class="facet__count">({})</span></label></li>\n',
            ident, param, value.value, mark_safe(" checked") if value.selected else "", ident, label,
            localize(value.count),
        ))
    return mark_safe("".join(items))


@register.simple_tag
def result_items(hits, q, first_rank):
    """The result list's items: what an include of one template per hit wrote. A result's link
    goes through the click log (search:result_click) with its rank when there are words."""
    items = []
    for rank, hit in enumerate(hits, start=first_rank):
        practice = hit.practice
        address = practice.get_absolute_url()
        if q and rank:
            href = format_html(
                "{}?q={}&amp;r={}", reverse("search:result_click", args=[practice.pk]), urlencode(q), localize(rank)
            )
        else:
            href = conditional_escape(address)
        some = format_html(' <span class="search-hit__some">{}</span>', gettext("some of the words"))
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
