from django import template
from django.utils.html import format_html

register = template.Library()


@register.simple_tag
def kind_badge(practice):
    """The model / good practice badge; the class keeps the two visually distinct, the text says it."""
    return format_html('<span class="badge badge--{}">{}</span>', practice.kind, practice.get_kind_display())


@register.filter
def heading_tag(level):
    """Clamp a heading level passed to an include so nested lists keep a valid h2–h6 order."""
    try:
        level = int(level)
    except (TypeError, ValueError):
        level = 3
    return f"h{min(max(level, 2), 6)}"
