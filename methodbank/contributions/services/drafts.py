"""Autosaved form drafts: what a user typed but has not saved yet."""

import re

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ..models import FormDraft

DRAFT_KEY_RE = re.compile(r"^(practice|project)-(new|\d+)$")
# Fields that are never stored in a draft: tokens, and the button pressed.
SKIPPED_FIELDS = {"csrfmiddlewaretoken", "action"}
MAX_DRAFT_CHARS = 200_000


@transaction.atomic
def formdraft_save(*, user, key: str, data) -> FormDraft:
    if not DRAFT_KEY_RE.match(key):
        raise ValidationError(_("Unknown form."))
    values = {name: data.getlist(name) for name in data if name not in SKIPPED_FIELDS}
    if sum(len(v) for vs in values.values() for v in vs) > MAX_DRAFT_CHARS:
        raise ValidationError(_("The draft is too large to save automatically."))
    draft, _created = FormDraft.objects.update_or_create(user=user, key=key, defaults={"data": values})
    return draft


def formdraft_get(*, user, key: str) -> FormDraft | None:
    return FormDraft.objects.filter(user=user, key=key).first()


@transaction.atomic
def formdraft_discard(*, user, key: str) -> None:
    FormDraft.objects.filter(user=user, key=key).delete()
