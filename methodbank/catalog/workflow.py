"""Domain errors and the transition check of the contribution workflow.

The table itself lives on the model (``PublishableModel.TRANSITIONS``); services call
``check_transition`` before changing a status, so a view can never move an entry around the table.
"""

from django.utils.translation import gettext as _


class WorkflowError(Exception):
    """A change the workflow does not allow (wrong status, missing content, not permitted)."""


class EditConflict(Exception):
    """Someone else saved the entry after this form was opened (optimistic locking)."""

    def __init__(self, current_data: dict, current_lock_version: int):
        super().__init__(_("Someone else has saved this entry after you opened the form."))
        self.current_data = current_data
        self.current_lock_version = current_lock_version


def check_transition(obj_or_model, current: str, target: str) -> None:
    if target not in obj_or_model.TRANSITIONS.get(current, set()):
        from .models import PublicationStatus

        labels = dict(PublicationStatus.choices)
        raise WorkflowError(
            _("An entry that is %(current)s cannot become %(target)s.")
            % {"current": labels.get(current, current), "target": labels.get(target, target)}
        )
