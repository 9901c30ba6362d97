"""The one error type that services raise for a rule of the domain, and the one mapping of service
errors to form errors.

Services raise Django's ``ValidationError`` for bad input (``full_clean`` does, and a service may
name fields the same way) and ``ApplicationError`` for a change the domain does not allow (wrong
status, edit conflict). Views and the API catch both in one place each: views through
``form_add_service_error``, the API through its problem details (HackSoft's Styleguide shape).
"""

from django.core.exceptions import ValidationError


class ApplicationError(Exception):
    """A change the domain does not allow. ``message`` is for the user; ``extra`` carries what a
    caller needs to explain or recover (e.g. the current content after an edit conflict)."""

    def __init__(self, message: str, extra: dict | None = None):
        super().__init__(message)
        self.message = message
        self.extra = extra or {}

    @property
    def messages(self) -> list[str]:
        # The same shape as ValidationError.messages, so a caller lists either without branching.
        return [self.message]


def service_error_items(error: Exception) -> list[tuple[str | None, str]]:
    """(field, message) for every message of a service error, in order; the field is None for a
    message about the whole input (an ApplicationError, a ValidationError without fields, or
    Django's ``__all__``)."""
    if isinstance(error, ValidationError):
        if hasattr(error, "error_dict"):
            return [
                (None if name == "__all__" else name, message)
                for name, messages in error.message_dict.items()
                for message in messages
            ]
        return [(None, message) for message in error.messages]
    return [(None, str(error))]


def form_add_service_error(form, error: Exception, *, field_for=None) -> None:
    """Put a service's error on the form: each message on the field the service named (or on
    ``field_for(name)`` when the form calls that field differently), else on the whole form."""
    for name, message in service_error_items(error):
        target = None
        if name in form.fields:
            target = name
        elif name is not None and field_for is not None and field_for(name) in form.fields:
            target = field_for(name)
        form.add_error(target, message)


def service_error_messages(error: Exception) -> list[str]:
    """Every message of a service error, in order (for a page that shows them as flash messages)."""
    return [message for _field, message in service_error_items(error)]
