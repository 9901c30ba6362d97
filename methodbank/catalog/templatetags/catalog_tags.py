from django import template
from django.utils.html import format_html
from django.utils.translation import get_language

from methodbank.catalog import extensions
from methodbank.catalog.provenance import practice_source_report

register = template.Library()


@register.simple_tag
def kind_badge(practice):
    """The model / good practice badge; the class keeps the two visually distinct, the text says it."""
    # Two kinds in three languages: each badge is built once per process (a search page shows 20,
    # each a translation lookup and a format_html).
    key = (practice.kind, get_language())
    badge = _KIND_BADGES.get(key)
    if badge is None:
        badge = _KIND_BADGES[key] = format_html(
            '<span class="badge badge--{}">{}</span>', practice.kind, practice.get_kind_display()
        )
    return badge


_KIND_BADGES: dict = {}


@register.filter
def heading_tag(level):
    """Clamp a heading level passed to an include so nested lists keep a valid h2–h6 order."""
    try:
        level = int(level)
    except (TypeError, ValueError):
        level = 3
    return f"h{min(max(level, 2), 6)}"


@register.simple_tag(takes_context=True)
def entry_blocks(context, practice, slot):
    """{% entry_blocks practice "status" %}: what the apps above catalog add to an entry's page
    (catalog.extensions; evaluation's status box, search's similar entries)."""
    return extensions.entry_blocks(slot, request=context.get("request"), practice=practice)


@register.simple_tag(takes_context=True)
def followable(context, slot, kind, *key_parts, obj=None):
    """{% followable "head" "subtheme" theme.slug subtheme.slug obj=subtheme %}: what the apps above
    catalog add to a page someone can follow (catalog.extensions; follows' feed links and follow
    button). The key is its parts joined by "/" (a subtheme is named by its theme and its own slug);
    ``obj`` is the page's object, so naming it costs no query."""
    key = "/".join(str(part) for part in key_parts)
    return extensions.followable_blocks(slot, request=context.get("request"), kind=kind, key=key, obj=obj)


@register.simple_tag(takes_context=True)
def own_page_sections(context):
    """{% own_page_sections %}: the sections other apps add to the own page (catalog.extensions)."""
    return extensions.own_page_sections(context.get("request"))


@register.simple_tag(takes_context=True)
def front_page_blocks(context):
    """{% front_page_blocks %}: what the apps above catalog add beside the front page's themes."""
    return extensions.front_page_blocks(request=context.get("request"))


@register.simple_tag
def source_report(practice):
    """{% source_report practice as report %}: the report an imported entry came from, or None."""
    return practice_source_report(practice)
