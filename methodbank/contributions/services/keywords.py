"""A coordinator's decisions on keywords that contributors suggested."""

from django.db import transaction
from django.utils.translation import gettext as _

from methodbank.catalog.models import Keyword
from methodbank.catalog.workflow import WorkflowError
from methodbank.core.services import audit_log

from .. import permissions as perms


@transaction.atomic
def keyword_approve(*, keyword: Keyword, by) -> Keyword:
    perms.require_moderator(by)
    keyword.approved = True
    keyword.full_clean()
    keyword.save(update_fields=["approved"])
    audit_log(actor=by, verb="keyword.approve", target=keyword)
    return keyword


@transaction.atomic
def keyword_reject(*, keyword: Keyword, by) -> None:
    perms.require_moderator(by)
    if keyword.approved:
        raise WorkflowError(_("Only new, unapproved keywords can be rejected here."))
    audit_log(actor=by, verb="keyword.reject", target=keyword)
    keyword.delete()

