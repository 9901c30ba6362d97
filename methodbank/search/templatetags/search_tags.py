from django import template

from ..services import similar_entries as similar_entries_for

register = template.Library()


@register.inclusion_tag("search/_similar.html", name="similar_entries")
def similar_entries(practice, limit=5):
    """{% similar_entries practice %}: a section listing the entries most like this one."""
    return {"similar": similar_entries_for(practice=practice, limit=limit)}
