"""Entries in the visitor's language inside lists (see catalog/translations.py)."""

from django import template
from django.utils.html import format_html

from methodbank.catalog.translations import interface_language, practice_list_content
from methodbank.catalog.translations import project_name as project_name_in

register = template.Library()


@register.simple_tag
def project_name(project):
    """``{% project_name project %}``: the project's name in the visitor's language, wrapped in a
    ``lang`` span when it is in another language than the page (so screen readers pronounce it)."""
    name = project_name_in(project=project)
    if name.language == interface_language():
        return name.text
    return format_html('<span lang="{}">{}</span>', name.language, name.text)


@register.filter
def in_visitor_language(practice):
    """``{% with shown=entry|in_visitor_language %}``: ``shown.title`` and ``shown.summary`` as text
    with their language (for the ``lang`` attribute)."""
    return practice_list_content(practice=practice)
