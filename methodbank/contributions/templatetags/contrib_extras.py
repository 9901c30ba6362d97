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


@register.filter
def translation_rows(translations):
    """A snapshot's translations as [(code, language name, title, summary, [(heading, text)])], for
    the entry's page and the coordinator's review (only the sections the translator wrote)."""
    from django.conf import settings

    from methodbank.catalog.models import Practice

    names = dict(settings.LANGUAGES)
    return [
        (
            code,
            names.get(code, code),
            fields.get("title", ""),
            fields.get("summary", ""),
            [(heading, fields.get(name)) for name, heading in Practice.TEMPLATE_FIELDS if fields.get(name)],
        )
        for code, fields in sorted((translations or {}).items())
    ]
