"""Writes of an entry's workflow: create and edit (in place, or as a pending revision of a published
entry), submit, publish, return, archive, versions, translations, ownership and attachments.

Every service is atomic, validates with ``full_clean``, checks the transition table (the entry's,
or the version's own for a revision) and the permissions (again: views already fetched the object
through a permission-checked getter), and writes an audit event. Every save keeps a full snapshot.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from methodbank.catalog import extensions
from methodbank.catalog.models import Practice, PracticeAttachment, PracticeTranslation, PublicationStatus
from methodbank.catalog.services import unique_slug
from methodbank.catalog.workflow import WorkflowError, check_transition
from methodbank.core.services import audit_log

from .. import permissions as perms
from ..content import PracticeContent
from ..models import PENDING_VERSION_STATUSES, VERSION_TRANSITIONS, Decision, PracticeVersion, VersionStatus
from ..uploads import upload_check
from .projects import project_publish_with_entry
from .quality import quality_issues_recheck
from .shared import decision_create, language_name, lock_take, translation_language_check


def version_transition_check(version: PracticeVersion, target: str) -> None:
    """Raise WorkflowError unless the version's own transition table (not the entry's) allows it."""
    check_transition(version, version.status, target, transitions=VERSION_TRANSITIONS,
                     labels=dict(VersionStatus.choices))


def version_status_set(version: PracticeVersion, target: str) -> None:
    """Move a version along its own transition table."""
    version_transition_check(version, target)
    version.status = target
    version.save(update_fields=["status"])


def version_create(
    *, practice: Practice, content: PracticeContent, by, status: str, reason: str = ""
) -> PracticeVersion:
    number = (practice.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    version = PracticeVersion(
        practice=practice, number=number, data=content.to_json(), author=by, status=status, reason=reason
    )
    version.full_clean()
    version.save()
    return version


def practice_pending_revision(practice: Practice) -> PracticeVersion | None:
    """The newest revision of a published entry that has not been moderated yet."""
    return practice.versions.filter(status__in=PENDING_VERSION_STATUSES).order_by("-number").first()


def practice_current_content(practice: Practice) -> PracticeContent:
    """What the team is working on: the pending revision of a published entry, else the entry."""
    if practice.status == PublicationStatus.PUBLISHED:
        revision = practice_pending_revision(practice)
        if revision is not None:
            return PracticeContent.from_json(revision.data)
    return PracticeContent.from_practice(practice)


def _content(data) -> PracticeContent:
    # Callers pass PracticeContent; a plain mapping (a test's, a script's) is validated into one.
    return data if isinstance(data, PracticeContent) else PracticeContent.model_validate(data)


def practice_workflow_status(practice: Practice) -> str:
    """The status that the next transition starts from: the pending revision's for a published entry."""
    if practice.status == PublicationStatus.PUBLISHED:
        revision = practice_pending_revision(practice)
        if revision is not None:
            return revision.status
    return practice.status


@transaction.atomic
def practice_create(*, by, data: PracticeContent, reason: str = "") -> Practice:
    if not perms.can_contribute(by):
        raise PermissionDenied
    content = _content(data)
    practice = Practice(
        kind=content.kind,
        title=content.title,
        slug=unique_slug(Practice, content.title, "menetelma"),
        owner=by,
        status=PublicationStatus.DRAFT,
    )
    content.apply_to(practice)
    version_create(
        practice=practice, content=PracticeContent.from_practice(practice), by=by, status=VersionStatus.SAVED,
        reason=reason or _("Created"),
    )
    audit_log(actor=by, verb="practice.create", target=practice)
    return practice


@transaction.atomic
def practice_update(
    *, practice: Practice, by, data: PracticeContent, lock_version: int, reason: str = ""
) -> PracticeVersion:
    """Save the form. Unpublished: edited in place. Published: a new pending revision."""
    if not perms.can_edit_practice(by, practice):
        raise PermissionDenied
    if practice.status == PublicationStatus.ARCHIVED:
        raise WorkflowError(_("An archived entry cannot be edited. Ask a coordinator to publish it again."))
    content = _content(data)
    if content.translations is None:
        # The entry form does not carry the translations: keep those being worked on (a pending
        # revision's), which a new revision would otherwise drop.
        content = content.model_copy(update={"translations": practice_current_content(practice).translations})
    lock_take(Practice, practice, lock_version, lambda fresh: practice_current_content(fresh).to_json())

    if practice.status == PublicationStatus.PUBLISHED:
        pending = practice_pending_revision(practice)
        status = pending.status if pending else VersionStatus.DRAFT
        if pending is not None:
            version_status_set(pending, VersionStatus.SUPERSEDED)
        content = content.model_copy(update={"attachments": PracticeContent.from_practice(practice).attachments})
        version = version_create(practice=practice, content=content, by=by, status=status, reason=reason)
        audit_log(actor=by, verb="practice.revise", target=practice, data={"version": version.number})
        return version

    content.apply_to(practice)
    version = version_create(
        practice=practice, content=PracticeContent.from_practice(practice), by=by, status=VersionStatus.SAVED,
        reason=reason,
    )
    audit_log(actor=by, verb="practice.update", target=practice, data={"version": version.number})
    return version


@transaction.atomic
def practice_submit(*, practice: Practice, by) -> Practice:
    if not perms.can_edit_practice(by, practice):
        raise PermissionDenied
    if practice.status == PublicationStatus.PUBLISHED:
        revision = practice_pending_revision(practice)
        if revision is None:
            raise WorkflowError(_("There are no changes to submit: edit the entry first."))
        version_transition_check(revision, VersionStatus.SUBMITTED)
        errors = PracticeContent.from_json(revision.data).submission_errors()
        if errors:
            raise ValidationError(errors)
        version_status_set(revision, VersionStatus.SUBMITTED)
        audit_log(actor=by, verb="practice.submit_revision", target=practice, data={"version": revision.number})
        return practice

    check_transition(practice, practice.status, PublicationStatus.SUBMITTED)
    errors = PracticeContent.from_practice(practice).submission_errors()
    if errors:
        raise ValidationError(errors)
    practice.status = PublicationStatus.SUBMITTED
    practice.submitted_at = timezone.now()
    practice.full_clean()
    practice.save(update_fields=["status", "submitted_at", "updated_at"])
    audit_log(actor=by, verb="practice.submit", target=practice)
    return practice


def practice_project_check(*, practice: Practice, by, comment: str, publish_project: bool) -> None:
    """A published entry never links to an unpublished project: its page, the search, the reports,
    the API and the dumps would show the project's unmoderated text (or a link to a 404). The
    coordinator publishes the project with the entry, or the entry waits."""
    project = practice.project
    if project is None or project.status == PublicationStatus.PUBLISHED:
        return
    if not publish_project:
        raise WorkflowError(
            _("The project “%(name)s” is not published. Publish it together with the entry, or return the "
              "entry to the team.") % {"name": project.name}
        )
    project_publish_with_entry(project=project, practice=practice, by=by, comment=comment)


@transaction.atomic
def practice_publish(*, practice: Practice, by, comment: str = "", publish_project: bool = False) -> Practice:
    """Publish the entry (or its pending revision). ``publish_project``: the coordinator also publishes
    the entry's unpublished project, which they saw on the review page."""
    perms.require_moderator(by)
    now = timezone.now()
    if practice.status == PublicationStatus.PUBLISHED:
        revision = practice_pending_revision(practice)
        if revision is None:
            raise WorkflowError(_("This entry has no revision waiting for publication."))
        version_transition_check(revision, VersionStatus.PUBLISHED)
        # The revision may move the entry to another project: the check below reads the new one.
        PracticeContent.from_json(revision.data).apply_to(practice)
        version_status_set(revision, VersionStatus.PUBLISHED)
        version = revision
    else:
        check_transition(practice, practice.status, PublicationStatus.PUBLISHED)
        practice.status = PublicationStatus.PUBLISHED
        version = practice.versions.order_by("-number").first()
        if version is not None and version.status == VersionStatus.SAVED:
            version_status_set(version, VersionStatus.PUBLISHED)
    practice_project_check(practice=practice, by=by, comment=comment, publish_project=publish_project)
    practice.published_at = now
    practice.lock_version = F("lock_version") + 1
    practice.full_clean(exclude=["lock_version"])
    practice.save()
    practice.refresh_from_db()
    # The coordinator saw the entry's new keywords and attachments in the review: publishing accepts them.
    practice.keywords.filter(approved=False).update(approved=True)
    practice.attachments.filter(public=False).update(public=True)
    decision_create(by=by, decision=Decision.PUBLISHED, comment=comment, practice=practice, version=version)
    audit_log(actor=by, verb="practice.publish", target=practice, message=comment,
              data={"version": version.number if version else None})
    quality_issues_recheck(practice=practice, by=by)
    return practice


@transaction.atomic
def practice_return(*, practice: Practice, by, comment: str) -> Practice:
    """Send the entry (or its pending revision) back to the team with the coordinator's comments."""
    perms.require_moderator(by)
    if not comment.strip():
        raise ValidationError({"comment": [_("Tell the team what to change: comments are required.")]})
    version = None
    if practice.status == PublicationStatus.PUBLISHED:
        version = practice_pending_revision(practice)
        if version is None:
            raise WorkflowError(_("This entry has no revision waiting for moderation."))
        version_status_set(version, VersionStatus.RETURNED)
    else:
        check_transition(practice, practice.status, PublicationStatus.RETURNED)
        practice.status = PublicationStatus.RETURNED
        practice.full_clean()
        practice.save(update_fields=["status", "updated_at"])
        version = practice.versions.order_by("-number").first()
    decision_create(by=by, decision=Decision.RETURNED, comment=comment, practice=practice, version=version)
    audit_log(actor=by, verb="practice.return", target=practice, message=comment)
    return practice


@transaction.atomic
def practice_archive(*, practice: Practice, by, comment: str = "") -> Practice:
    perms.require_moderator(by)
    check_transition(practice, practice.status, PublicationStatus.ARCHIVED)
    practice.status = PublicationStatus.ARCHIVED
    practice.archived_at = timezone.now()
    practice.full_clean()
    practice.save(update_fields=["status", "archived_at", "updated_at"])
    decision_create(by=by, decision=Decision.ARCHIVED, comment=comment, practice=practice)
    audit_log(actor=by, verb="practice.archive", target=practice, message=comment)
    return practice


@transaction.atomic
def practice_version_restore(*, version: PracticeVersion, by, reason: str = "") -> PracticeVersion:
    """Make an earlier version the entry's content again, as a new version (history is never rewritten)."""
    perms.require_moderator(by)
    practice = Practice.objects.select_for_update().get(pk=version.practice_id)
    if practice.status == PublicationStatus.ARCHIVED:
        raise WorkflowError(_("Publish the archived entry again before restoring a version."))
    PracticeContent.from_json(version.data).apply_to(practice)
    if practice.status == PublicationStatus.PUBLISHED:
        # An old version may name a project that is not published: restoring it would publish the link.
        practice_project_check(practice=practice, by=by, comment=reason, publish_project=False)
    Practice.objects.filter(pk=practice.pk).update(lock_version=F("lock_version") + 1)
    status = VersionStatus.PUBLISHED if practice.status == PublicationStatus.PUBLISHED else VersionStatus.SAVED
    reason = reason or _("Restored version %(number)s") % {"number": version.number}
    new = version_create(
        practice=practice, content=PracticeContent.from_practice(practice), by=by, status=status, reason=reason
    )
    decision_create(by=by, decision=Decision.RESTORED, comment=reason, practice=practice, version=new)
    audit_log(actor=by, verb="practice.restore_version", target=practice,
              data={"from_version": version.number, "version": new.number})
    return new


@transaction.atomic
def practice_translation_save(
    *, practice: Practice, by, language: str, fields: dict, lock_version: int, reason: str = ""
) -> PracticeVersion:
    """Add or change one translation of an entry. It is part of the entry's content, so this is an
    edit like any other: in place with a new version for an unpublished entry, a pending revision
    (moderated before it shows) for a published one, with the same permissions and locking."""
    translation_language_check(practice, language)
    values = {name: (fields.get(name) or "").strip() for name in PracticeTranslation.TRANSLATED_FIELDS}
    if not values["title"]:
        raise ValidationError({"title": [_("A translation needs at least the name of the entry.")]})
    content = practice_current_content(practice)
    content = content.model_copy(update={"translations": {**(content.translations or {}), language: values}})
    return practice_update(
        practice=practice, by=by, data=content, lock_version=lock_version,
        reason=reason or _("Translation (%(language)s) saved") % {"language": language_name(language)},
    )


@transaction.atomic
def practice_translation_delete(
    *, practice: Practice, by, language: str, lock_version: int, reason: str = ""
) -> PracticeVersion:
    """Remove one translation of an entry (an edit like practice_translation_save)."""
    content = practice_current_content(practice)
    translations = dict(content.translations or {})
    if translations.pop(language, None) is None:
        raise ValidationError({"language": [_("The entry has no translation in this language.")]})
    return practice_update(
        practice=practice, by=by, data=content.model_copy(update={"translations": translations}), lock_version=lock_version,
        reason=reason or _("Translation (%(language)s) removed") % {"language": language_name(language)},
    )


@transaction.atomic
def practice_transfer_ownership(*, practice: Practice, by, new_owner) -> Practice:
    perms.require_transfer(by)
    if not new_owner.is_active:
        raise ValidationError({"new_owner": [_("The new owner's account is not active.")]})
    old_owner_id = practice.owner_id
    practice.owner = new_owner
    practice.full_clean()
    practice.save(update_fields=["owner", "updated_at"])
    audit_log(actor=by, verb="practice.transfer", target=practice,
              data={"from_user": old_owner_id, "to_user": new_owner.pk})
    return practice


@transaction.atomic
def practice_attachment_add(*, practice: Practice, by, uploaded_file, title: str = "") -> PracticeAttachment:
    if not perms.can_edit_practice(by, practice):
        raise PermissionDenied
    content_type = upload_check(uploaded_file)  # raises ValidationError with a clear message
    attachment = PracticeAttachment(
        practice=practice,
        original_name=uploaded_file.name[:255],
        title=title.strip(),
        content_type=content_type,
        size=uploaded_file.size,
        uploaded_by=by,
        public=False,
    )
    attachment.file.save("upload", uploaded_file, save=False)
    attachment.full_clean()
    attachment.save()
    audit_log(actor=by, verb="practice.attachment_add", target=practice, data={"attachment": attachment.pk})
    return attachment


@transaction.atomic
def practice_attachment_delete(*, attachment: PracticeAttachment, by) -> None:
    if not perms.can_edit_practice(by, attachment.practice):
        raise PermissionDenied
    practice = attachment.practice
    if attachment.public and practice.status == PublicationStatus.PUBLISHED and not perms.can_moderate(by):
        raise WorkflowError(_("A published attachment can only be removed by a coordinator."))
    audit_log(actor=by, verb="practice.attachment_delete", target=practice, data={"attachment": attachment.pk})
    storage, name = attachment.file.storage, attachment.file.name
    attachment.delete()
    transaction.on_commit(lambda: storage.delete(name))


@transaction.atomic
def practice_admin_correction_record(*, practice: Practice, by) -> PracticeVersion:
    """A coordinator corrected the entry in the admin: keep the corrected content as a version, so the
    history, the diff of the next revision and a restore all see it. The admin saved the entry (and
    its inlines) in place; of a published entry the correction is itself published."""
    perms.require_moderator(by)
    status = VersionStatus.PUBLISHED if practice.status == PublicationStatus.PUBLISHED else VersionStatus.SAVED
    version = version_create(
        practice=practice, content=PracticeContent.from_practice(practice), by=by, status=status,
        reason=_("Corrected in the admin"),
    )
    audit_log(actor=by, verb="practice.admin_correct", target=practice, data={"version": version.number})
    return version


@transaction.atomic
def practice_save(
    *, practice: Practice | None, by, data: PracticeContent, lock_version: int | None = None, reason: str = "",
    submit: bool = False, extra: dict | None = None,
) -> Practice:
    """What the contribution form does: create or update, and submit when asked, in one transaction.
    ``extra``: the cleaned values of the form's fields that other apps added (catalog.extensions'
    entry form parts: search's browse values), saved by those apps in the same transaction."""
    if practice is None:
        practice = practice_create(by=by, data=data, reason=reason)
    else:
        practice_update(practice=practice, by=by, data=data, lock_version=lock_version or 0, reason=reason)
    if extra is not None:
        for part in extensions.entry_form_parts():
            part.save(practice=practice, cleaned_data=extra, by=by)
    if submit:
        practice_submit(practice=practice, by=by)
    return practice

