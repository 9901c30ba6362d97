"""Helpers the practice and project services share: optimistic locking, moderation decisions (with
their e-mail) and the translation language check."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from methodbank.catalog.workflow import EditConflict

from ..models import ModerationDecision
from ..notifications import decision_notify
from ..selectors import translation_languages


def lock_take(model, obj, expected: int, current_data) -> None:
    """Optimistic locking: bump lock_version only if nobody else did since the form was opened."""
    updated = model.objects.filter(pk=obj.pk, lock_version=expected).update(lock_version=F("lock_version") + 1)
    if not updated:
        fresh = model.objects.get(pk=obj.pk)
        raise EditConflict(current_data=current_data(fresh), current_lock_version=fresh.lock_version)
    obj.lock_version = expected + 1


def _notify(decision: ModerationDecision) -> None:
    transaction.on_commit(lambda: decision_notify(decision_id=decision.pk))


def decision_create(*, by, decision: str, comment: str = "", practice=None, project=None, version=None):
    obj = ModerationDecision(
        practice=practice, project=project, version=version, decision=decision, comment=comment, decided_by=by
    )
    obj.full_clean()
    obj.save()
    _notify(obj)
    return obj


def language_name(code: str) -> str:
    return str(dict(settings.LANGUAGES).get(code, code)).lower()


def translation_language_check(obj, language: str) -> None:
    if language not in dict(translation_languages(obj)):
        raise ValidationError(
            {"language": [_("Choose a language other than the one the original is written in.")]}
        )

