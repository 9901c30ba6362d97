from django import template

from methodbank.contributions.selectors import snapshot_value_text

register = template.Library()


@register.filter
def get_item(mapping, key):
    return (mapping or {}).get(key)


@register.filter
def as_text(value):
    """A snapshot value (text or list of placements/links/keywords) as readable text."""
    return snapshot_value_text(value)
