"""Every permission check of the contribution side, in one place.

Predicates (``can_*``) answer yes/no; getters (``*_get_for_*``) fetch an object only if the user may
touch it, so a view never holds an object it should not (after Zulip's ``access_*`` helpers).
Other people's unpublished work answers 404, not 403, so its existence does not leak.
Who holds a role and who is in a team is decided in accounts.roles.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from methodbank.accounts.roles import (  # noqa: F401  (can_transfer_ownership: views ask it here)
    can_moderate,
    can_transfer_ownership,
    is_active,
    is_team_member,
    team_practices_q,
    team_projects_q,
)
from methodbank.catalog.models import Practice, PracticeAttachment, Project, PublicationStatus


def can_contribute(user) -> bool:
    """Any signed-in user: allauth lets nobody sign in before the e-mail address is verified."""
    return is_active(user)


def can_edit_project(user, project: Project) -> bool:
    return can_moderate(user) or is_team_member(user, project)


def can_edit_practice(user, practice: Practice) -> bool:
    return can_moderate(user) or is_team_member(user, practice)


def can_view_practice(user, practice: Practice) -> bool:
    return practice.status == PublicationStatus.PUBLISHED or can_edit_practice(user, practice)


# Entries and projects a user may edit, as filters (own page lists): their team's.
editable_practices_q = team_practices_q
editable_projects_q = team_projects_q


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


def attachment_get_for_moderation(*, user, pk) -> PracticeAttachment:
    if not can_moderate(user):
        raise PermissionDenied
    return get_object_or_404(PracticeAttachment.objects.select_related("practice"), pk=pk)


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
