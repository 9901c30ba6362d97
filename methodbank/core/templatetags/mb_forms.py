"""Renders a form field with its help text and errors tied to it (aria-describedby)."""

from django import forms, template

register = template.Library()


@register.filter
def described(field):
    """The widget, with aria-describedby pointing at the help text and error list of the field."""
    ids = []
    if field.help_text:
        ids.append(f"{field.auto_id}_helptext")
    if field.errors:
        ids.append(f"{field.auto_id}_errors")
    attrs = {"aria-describedby": " ".join(ids)} if ids else {}
    if field.errors:
        attrs["aria-invalid"] = "true"
    return field.as_widget(attrs=attrs)


@register.filter
def is_choice_group(field):
    """Radio buttons, checkbox lists and multi-part widgets are a group with a legend, not a single
    labelled input (Django says so with ``use_fieldset``)."""
    return field.use_fieldset


@register.filter
def is_checkbox(field):
    return isinstance(field.field.widget, forms.CheckboxInput)


@register.filter
def is_hidden(field):
    return field.is_hidden
