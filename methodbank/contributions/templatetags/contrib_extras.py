from django import template

from methodbank.contributions.selectors import _as_text

register = template.Library()


@register.filter
def get_item(mapping, key):
    return (mapping or {}).get(key)


@register.filter
def as_text(value):
    """A snapshot value (text or list of placements/links/keywords) as readable text."""
    return _as_text(value)
