"""Query parameters are read through Django form fields, never with ``str.isdigit()`` and ``int()``
by hand: "²" is a digit to ``isdigit`` but not to ``int``, a 23-digit number overflows the database's
integer, and NUL cannot be stored in a PostgreSQL string. A form field refuses all three, and a
filter whose value is not valid is left out, as an unknown value always was."""

from django import forms
from django.core.exceptions import ValidationError

# The largest id either database stores (a signed 64-bit integer).
MAX_ID = 2**63 - 1


class IdField(forms.IntegerField):
    """A database id: a whole number from 1 to MAX_ID."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(**kwargs)


class QueryForm(forms.Form):
    """Filters from ``request.GET``: ``valid_values()`` gives each field's cleaned value, or its
    empty value where what was sent is not valid."""

    def valid_values(self) -> dict:
        self.is_valid()
        return {name: self.cleaned_data.get(name, field.empty_value if hasattr(field, "empty_value") else None)
                for name, field in self.fields.items()}


def parse_id(value) -> int | None:
    """The id in ``value``, or None when it is not one."""
    try:
        return IdField().clean(value)
    except ValidationError:
        return None
