"""Entries in the visitor's language inside lists (see catalog/translations.py)."""

from django import template

from methodbank.catalog.translations import practice_list_content

register = template.Library()


@register.filter
def in_visitor_language(practice):
    """``{% with shown=entry|in_visitor_language %}``: ``shown.title`` and ``shown.summary`` as text
    with their language (for the ``lang`` attribute)."""
    return practice_list_content(practice=practice)
