"""Writes of a project's workflow: create, edit, translations, submit, publish, return, team and
ownership. A published project is corrected by a coordinator."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from methodbank.catalog.models import Organisation, Project, ProjectTranslation, PublicationStatus
from methodbank.catalog.services import unique_slug
from methodbank.catalog.workflow import WorkflowError, check_transition
from methodbank.core.services import audit_log

from .. import permissions as perms
from ..models import Decision
from .shared import decision_create, lock_take, translation_language_check

PROJECT_FIELDS = ["name", "short_name", "scope", "description", "funding_programme"]


def project_snapshot(project: Project) -> dict:
    data = {name: getattr(project, name) for name in PROJECT_FIELDS}
    data["lead"] = project.lead.name if project.lead_id else ""
    data["ends_on"] = project.ends_on_display
    data["themes"] = sorted(project.themes.values_list("code", flat=True))
    return data


def _project_apply(project: Project, data: dict) -> None:
    for name in PROJECT_FIELDS:
        setattr(project, name, (data.get(name) or "").strip())
    lead = (data.get("lead") or "").strip()
    if lead:
        organisation = Organisation.objects.filter(name__iexact=lead).first()
        if organisation is None:
            organisation = Organisation(name=lead, slug=unique_slug(Organisation, lead, "organisaatio"))
            organisation.full_clean()
            organisation.save()
        project.lead = organisation
    else:
        project.lead = None
    project.ends_on = data.get("ends_on")
    project.full_clean()
    project.save()
    project.themes.set(data.get("themes") or [])


@transaction.atomic
def project_create(*, by, data: dict) -> Project:
    if not perms.can_contribute(by):
        raise PermissionDenied
    project = Project(owner=by, status=PublicationStatus.DRAFT, slug=unique_slug(Project, data["name"], "hanke"))
    _project_apply(project, data)
    project.members.add(by)
    audit_log(actor=by, verb="project.create", target=project)
    return project


@transaction.atomic
def project_update(*, project: Project, by, data: dict, lock_version: int) -> Project:
    if not perms.can_edit_project(by, project):
        raise PermissionDenied
    if project.status == PublicationStatus.PUBLISHED and not perms.can_moderate(by):
        # Project facts are few and public; a team changes them through a coordinator once published.
        raise WorkflowError(_("A published project is corrected by a coordinator. Contact the coordinators."))
    lock_take(Project, project, lock_version, project_snapshot)
    _project_apply(project, data)
    audit_log(actor=by, verb="project.update", target=project)
    return project


def _project_edit_check(project: Project, by) -> None:
    if not perms.can_edit_project(by, project):
        raise PermissionDenied
    if project.status == PublicationStatus.PUBLISHED and not perms.can_moderate(by):
        raise WorkflowError(_("A published project is corrected by a coordinator. Contact the coordinators."))


@transaction.atomic
def project_translation_save(*, project: Project, by, language: str, fields: dict) -> ProjectTranslation:
    """Add or change the project's name and description in another language (who may edit the
    project may edit its translations; a published one through a coordinator, as project_update)."""
    _project_edit_check(project, by)
    translation_language_check(project, language)
    translation = project.translations.filter(language=language).first() or ProjectTranslation(
        project=project, language=language
    )
    for name in ProjectTranslation.TRANSLATED_FIELDS:
        setattr(translation, name, (fields.get(name) or "").strip())
    if not (translation.name or translation.description):
        raise ValidationError({"description": [_("Write the description (or the name) in this language.")]})
    translation.full_clean()
    translation.save()
    audit_log(actor=by, verb="project.translation_save", target=project, data={"language": language})
    return translation


@transaction.atomic
def project_translation_delete(*, project: Project, by, language: str) -> None:
    _project_edit_check(project, by)
    deleted, _rows = project.translations.filter(language=language).delete()
    if not deleted:
        raise ValidationError({"language": [_("The project has no translation in this language.")]})
    audit_log(actor=by, verb="project.translation_delete", target=project, data={"language": language})


@transaction.atomic
def project_submit(*, project: Project, by) -> Project:
    if not perms.can_edit_project(by, project):
        raise PermissionDenied
    check_transition(project, project.status, PublicationStatus.SUBMITTED)
    if not project.description.strip():
        raise ValidationError({"description": [_("Describe the project before submitting it.")]})
    project.status = PublicationStatus.SUBMITTED
    project.submitted_at = timezone.now()
    project.full_clean()
    project.save(update_fields=["status", "submitted_at", "updated_at"])
    audit_log(actor=by, verb="project.submit", target=project)
    return project


@transaction.atomic
def project_publish(*, project: Project, by, comment: str = "") -> Project:
    perms.require_moderator(by)
    check_transition(project, project.status, PublicationStatus.PUBLISHED)
    project.status = PublicationStatus.PUBLISHED
    project.published_at = timezone.now()
    project.full_clean()
    project.save(update_fields=["status", "published_at", "updated_at"])
    decision_create(by=by, decision=Decision.PUBLISHED, comment=comment, project=project)
    audit_log(actor=by, verb="project.publish", target=project, message=comment)
    return project


@transaction.atomic
def project_publish_with_entry(*, project: Project, practice, by, comment: str = "") -> Project:
    """Publish an unpublished project together with an entry of it that the coordinator publishes.

    The coordinator chose this on the entry's review page, which showed the project's facts: that
    review stands in for the project's own, so a draft or returned project may be published here
    (the transition table alone would ask for a submission the team may never make)."""
    perms.require_moderator(by)
    if project.status == PublicationStatus.PUBLISHED:
        return project
    if not project.description.strip():
        raise ValidationError({"comment": [
            _("The project “%(name)s” has no description yet: return the entry and ask the team to describe "
              "the project.") % {"name": project.name}
        ]})
    project.status = PublicationStatus.PUBLISHED
    project.published_at = timezone.now()
    project.full_clean()
    project.save(update_fields=["status", "published_at", "updated_at"])
    decision_create(by=by, decision=Decision.PUBLISHED, comment=comment, project=project)
    audit_log(actor=by, verb="project.publish", target=project, message=comment,
              data={"with_practice": practice.pk})
    return project


@transaction.atomic
def project_return(*, project: Project, by, comment: str) -> Project:
    perms.require_moderator(by)
    if not comment.strip():
        raise ValidationError({"comment": [_("Tell the team what to change: comments are required.")]})
    check_transition(project, project.status, PublicationStatus.RETURNED)
    project.status = PublicationStatus.RETURNED
    project.full_clean()
    project.save(update_fields=["status", "updated_at"])
    decision_create(by=by, decision=Decision.RETURNED, comment=comment, project=project)
    audit_log(actor=by, verb="project.return", target=project, message=comment)
    return project


@transaction.atomic
def project_member_add(*, project: Project, by, user) -> Project:
    if not perms.can_edit_project(by, project):
        raise PermissionDenied
    project.members.add(user)
    audit_log(actor=by, verb="project.member_add", target=project, data={"user": user.pk})
    return project


@transaction.atomic
def project_member_remove(*, project: Project, by, user) -> Project:
    if not perms.can_edit_project(by, project):
        raise PermissionDenied
    if user.pk == project.owner_id:
        raise WorkflowError(_("The owner cannot be removed from the team; transfer the ownership first."))
    project.members.remove(user)
    audit_log(actor=by, verb="project.member_remove", target=project, data={"user": user.pk})
    return project


@transaction.atomic
def project_transfer_ownership(*, project: Project, by, new_owner) -> Project:
    perms.require_transfer(by)
    if not new_owner.is_active:
        raise ValidationError({"new_owner": [_("The new owner's account is not active.")]})
    old_owner_id = project.owner_id
    project.owner = new_owner
    project.full_clean()
    project.save(update_fields=["owner", "updated_at"])
    project.members.add(new_owner)
    audit_log(actor=by, verb="project.transfer", target=project,
              data={"from_user": old_owner_id, "to_user": new_owner.pk})
    return project

