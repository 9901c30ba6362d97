"""Every permission check of the contribution side, in one place.

Predicates (``can_*``) answer yes/no; getters (``*_get_for_*``) fetch an object only if the user may
touch it, so a view never holds an object it should not (after Zulip's ``access_*`` helpers).
Other people's unpublished work answers 404, not 403, so its existence does not leak.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404

from methodbank.catalog.models import Practice, PracticeAttachment, Project, PublicationStatus

ROLE_CONTRIBUTOR = "contributor"
ROLE_PEER_EVALUATOR = "peer_evaluator"
ROLE_EXPERT = "expert"
ROLE_COORDINATOR = "coordinator"
ROLE_ADMINISTRATOR = "administrator"


def _active(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def can_contribute(user) -> bool:
    """Any signed-in user: allauth lets nobody sign in before the e-mail address is verified."""
    return _active(user)


def can_moderate(user) -> bool:
    return _active(user) and (user.is_superuser or user.has_perm("catalog.moderate_practice"))


def can_transfer_ownership(user) -> bool:
    return _active(user) and (user.is_superuser or user.has_perm("catalog.transfer_practice"))


def is_project_team_member(user, project: Project | None) -> bool:
    if project is None or not _active(user):
        return False
    return project.owner_id == user.pk or project.members.filter(pk=user.pk).exists()


def can_edit_project(user, project: Project) -> bool:
    return can_moderate(user) or is_project_team_member(user, project)


def can_edit_practice(user, practice: Practice) -> bool:
    if not _active(user):
        return False
    if can_moderate(user) or practice.owner_id == user.pk:
        return True
    return is_project_team_member(user, practice.project)


def can_view_practice(user, practice: Practice) -> bool:
    return practice.status == PublicationStatus.PUBLISHED or can_edit_practice(user, practice)


def editable_practices_q(user) -> Q:
    """Entries a user may edit, as a filter (own page lists)."""
    return Q(owner=user) | Q(project__owner=user) | Q(project__members=user)


def editable_projects_q(user) -> Q:
    return Q(owner=user) | Q(members=user)


def practice_get_for_edit(*, user, pk) -> Practice:
    practice = get_object_or_404(Practice.objects.select_related("project", "owner", "applies_model"), pk=pk)
    if not can_edit_practice(user, practice):
        raise Http404
    return practice


def practice_get_for_view(*, user, pk) -> Practice:
    practice = get_object_or_404(Practice.objects.select_related("project", "owner", "applies_model"), pk=pk)
    if not can_view_practice(user, practice):
        raise Http404
    return practice


def practice_get_for_moderation(*, user, pk) -> Practice:
    if not can_moderate(user):
        raise PermissionDenied
    return get_object_or_404(Practice.objects.select_related("project", "owner", "applies_model"), pk=pk)


def project_get_for_edit(*, user, pk) -> Project:
    project = get_object_or_404(Project.objects.select_related("lead", "owner"), pk=pk)
    if not can_edit_project(user, project):
        raise Http404
    return project


def project_get_for_moderation(*, user, pk) -> Project:
    if not can_moderate(user):
        raise PermissionDenied
    return get_object_or_404(Project.objects.select_related("lead", "owner"), pk=pk)


def attachment_get_for_download(*, user, pk) -> PracticeAttachment:
    attachment = get_object_or_404(PracticeAttachment.objects.select_related("practice__project"), pk=pk)
    if attachment.public and attachment.practice.status == PublicationStatus.PUBLISHED:
        return attachment
    if not can_edit_practice(user, attachment.practice):
        raise Http404
    return attachment


def attachment_get_for_edit(*, user, pk) -> PracticeAttachment:
    attachment = get_object_or_404(PracticeAttachment.objects.select_related("practice__project"), pk=pk)
    if not can_edit_practice(user, attachment.practice):
        raise Http404
    return attachment


def require_moderator(user) -> None:
    if not can_moderate(user):
        raise PermissionDenied


def require_transfer(user) -> None:
    if not can_transfer_ownership(user):
        raise PermissionDenied
