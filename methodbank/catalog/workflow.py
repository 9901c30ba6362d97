"""Domain errors and the transition check of the publication workflow.

The entry's table lives on the model (``PublishableModel.TRANSITIONS``), a version's on
``contributions.models.VERSION_TRANSITIONS``; services call ``check_transition`` before changing a
status, so a view can never move an entry or a revision around its table.
"""

from django.utils.translation import gettext as _

from methodbank.core.errors import ApplicationError


class WorkflowError(ApplicationError):
    """A change the workflow does not allow (wrong status, missing content, not permitted)."""


class EditConflict(ApplicationError):
    """Someone else saved the entry after this form was opened (optimistic locking)."""

    def __init__(self, current_data, current_lock_version: int):
        super().__init__(
            _("Someone else has saved this entry after you opened the form."),
            extra={"current_data": current_data, "current_lock_version": current_lock_version},
        )
        self.current_data = current_data
        self.current_lock_version = current_lock_version


def check_transition(obj_or_model, current: str, target: str, *, transitions=None, labels=None) -> None:
    """Raise WorkflowError unless ``target`` may follow ``current`` in the table: the model's
    ``TRANSITIONS`` by default, or the one given (with the labels of its statuses)."""
    table = obj_or_model.TRANSITIONS if transitions is None else transitions
    if target not in table.get(current, set()):
        if labels is None:
            from .models import PublicationStatus

            labels = dict(PublicationStatus.choices)
        raise WorkflowError(
            _("An entry that is %(current)s cannot become %(target)s.")
            % {"current": labels.get(current, current), "target": labels.get(target, target)}
        )
