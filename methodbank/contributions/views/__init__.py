"""Own page ("Oma sivu"), contribution forms, versions, attachments and the coordinator's queue.

One module per screen. Views parse input, fetch objects through the permission-checked getters in
permissions.py, call one service and render; an action that changes something is one POST view.
Nothing typed is lost: invalid forms re-render with the data, conflicts show both texts, and the
autosave keeps a server-side draft per user.
"""

from .adoptions import (
    adoption_create,
    adoption_withdraw,
    moderation_adoption_approve,
    moderation_adoption_reject,
    moderation_adoptions,
    own_adoptions,
)
from .attachments import attachment_delete, attachment_download, attachment_upload
from .autosave import autosave, autosave_discard
from .claims import moderation_claim_approve, moderation_claim_decline, moderation_claims, project_claim
from .moderation import (
    moderation_attachment,
    moderation_keyword_approve,
    moderation_keyword_reject,
    moderation_keywords,
    moderation_practice,
    moderation_practice_archive,
    moderation_practice_publish,
    moderation_practice_return,
    moderation_project,
    moderation_project_publish,
    moderation_project_return,
    moderation_queue,
)
from .own_page import own_page
from .practice_detail import practice_detail, practice_submit, practice_transfer
from .practice_form import practice_create, practice_edit, practice_similar
from .projects import (
    project_create,
    project_edit,
    project_member_add,
    project_member_remove,
    project_pick,
    project_submit,
    project_transfer,
)
from .quality import moderation_quality, moderation_quality_dismiss, moderation_quality_fix
from .translations import (
    practice_translation_delete,
    practice_translation_edit,
    project_translation_delete,
    project_translation_edit,
)
from .versions import practice_versions, version_restore

__all__ = [
    "adoption_create", "adoption_withdraw", "moderation_adoption_approve", "moderation_adoption_reject",
    "moderation_adoptions", "own_adoptions",
    "attachment_delete", "attachment_download", "attachment_upload", "autosave", "autosave_discard",
    "moderation_attachment",
    "moderation_claim_approve", "moderation_claim_decline", "moderation_claims", "project_claim",
    "moderation_quality", "moderation_quality_dismiss", "moderation_quality_fix",
    "moderation_keyword_approve", "moderation_keyword_reject", "moderation_keywords", "moderation_practice",
    "moderation_practice_archive", "moderation_practice_publish", "moderation_practice_return",
    "moderation_project", "moderation_project_publish", "moderation_project_return", "moderation_queue",
    "own_page", "practice_create", "practice_detail", "practice_edit", "practice_similar", "practice_submit", "practice_transfer",
    "practice_translation_delete", "practice_translation_edit", "practice_versions", "project_create",
    "project_edit", "project_member_add", "project_member_remove", "project_pick", "project_submit",
    "project_transfer", "project_translation_delete", "project_translation_edit", "version_restore",
]
