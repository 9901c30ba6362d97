"""Writes of contributors and moderators: the contribution workflow of entries and projects, their
versions, moderation decisions, keywords and autosaved drafts.

One module per subject; this package lists every service so callers write
``services.practice_submit(...)`` without knowing the module.
"""

from .adoptions import adoption_approve, adoption_create, adoption_reject, adoption_withdraw, can_withdraw
from .claims import project_claim_approve, project_claim_create, project_claim_decline
from .drafts import DRAFT_KEY_RE, formdraft_discard, formdraft_get, formdraft_save
from .keywords import keyword_approve, keyword_reject
from .practices import (
    practice_admin_correction_record,
    practice_archive,
    practice_attachment_add,
    practice_attachment_delete,
    practice_create,
    practice_current_content,
    practice_pending_revision,
    practice_publish,
    practice_return,
    practice_save,
    practice_submit,
    practice_transfer_ownership,
    practice_translation_delete,
    practice_translation_save,
    practice_update,
    practice_version_restore,
    practice_workflow_status,
    version_create,
    version_status_set,
    version_transition_check,
)
from .projects import (
    PROJECT_FIELDS,
    project_create,
    project_member_add,
    project_member_remove,
    project_publish,
    project_return,
    project_snapshot,
    project_submit,
    project_transfer_ownership,
    project_translation_delete,
    project_translation_save,
    project_update,
)
from .quality import quality_issue_dismiss, quality_issue_fix, quality_issues_recheck, quality_issues_record

__all__ = [
    "adoption_approve", "adoption_create", "adoption_reject", "adoption_withdraw", "can_withdraw",
    "DRAFT_KEY_RE", "PROJECT_FIELDS",
    "project_claim_approve", "project_claim_create", "project_claim_decline",
    "quality_issue_dismiss", "quality_issue_fix", "quality_issues_recheck", "quality_issues_record",
    "formdraft_discard", "formdraft_get", "formdraft_save",
    "keyword_approve", "keyword_reject",
    "practice_admin_correction_record", "practice_archive", "practice_attachment_add", "practice_attachment_delete",
    "practice_create", "practice_current_content", "practice_pending_revision",
    "practice_publish", "practice_return", "practice_save",
    "practice_submit", "practice_transfer_ownership", "practice_translation_delete", "practice_translation_save",
    "practice_update", "practice_version_restore", "practice_workflow_status",
    "project_create", "project_member_add", "project_member_remove", "project_publish", "project_return",
    "project_snapshot", "project_submit", "project_transfer_ownership", "project_translation_delete",
    "project_translation_save", "project_update", "version_create", "version_status_set", "version_transition_check",
]
