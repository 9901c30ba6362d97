"""Roles and team membership: the one place that says who is a coordinator, an expert or a member
of a team. Every app asks these functions; none reads group names or ``is_staff`` itself.

A role is a group (``Role``) that grants permissions; the checks ask for the permission, never the
group, so a permission given to one person directly also counts and a superuser (who holds every
permission) passes every check. ``is_staff`` grants nothing by itself here: it only lets a person
into the admin, where the same permissions decide what they see.

Team membership takes plain objects (a practice or a project, read by attribute), so accounts needs
no import from the apps above it.
"""

from enum import StrEnum
from functools import wraps

from django.core.exceptions import PermissionDenied
from django.db.models import Q


class Role(StrEnum):
    """The group names (made by accounts' migrations 0002 and 0005)."""

    CONTRIBUTOR = "contributor"
    PEER_EVALUATOR = "peer_evaluator"
    EXPERT = "expert"
    COORDINATOR = "coordinator"
    ADMINISTRATOR = "administrator"


# The permissions that make the roles (declared on accounts.User, granted to the groups by 0005).
COORDINATE = "accounts.coordinate"
REVIEW_AS_EXPERT = "accounts.review_as_expert"
# Finer grants a coordinator holds; an administrator may hand them out one by one.
MODERATE = "catalog.moderate_practice"
TRANSFER = "catalog.transfer_practice"

# The permissions that make each role. The migrations grant them to the groups; services.user_add_role
# makes sure of them too, for a database whose groups were emptied and made again (a test's flush).
ROLE_PERMISSIONS = {
    Role.COORDINATOR: (COORDINATE, MODERATE, TRANSFER),
    Role.EXPERT: (REVIEW_AS_EXPERT,),
}


def is_active(user) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False) and user.is_active)


def _has(user, perm: str) -> bool:
    # ModelBackend caches the user's permissions on the user object: one lookup per request.
    return is_active(user) and user.has_perm(perm)


def is_coordinator(user) -> bool:
    """Runs evaluations and reports, reads the search log, keeps the vocabulary."""
    return _has(user, COORDINATE)


def is_expert(user) -> bool:
    """Reviews a model after its peer phase."""
    return _has(user, REVIEW_AS_EXPERT)


def can_moderate(user) -> bool:
    """Publishes or returns entries, projects and keywords (the coordinator group grants it)."""
    return _has(user, MODERATE)


def can_transfer_ownership(user) -> bool:
    return _has(user, TRANSFER)


# --- teams -----------------------------------------------------------------------------------
# A project's team is its owner and its members. A practice's team is its own owner and the team of
# its project (a practice may have no project).


def _project_team_ids(project) -> set:
    if project is None:
        return set()
    ids = {project.owner_id} if project.owner_id else set()
    ids.update(project.members.values_list("pk", flat=True))
    return ids


def team_user_ids(project_or_practice) -> set:
    """The ids of the team of a project or a practice."""
    obj = project_or_practice
    if hasattr(obj, "members"):  # a project
        return _project_team_ids(obj)
    ids = {obj.owner_id} if obj.owner_id else set()
    if obj.project_id is not None:
        ids |= _project_team_ids(obj.project)
    return ids


def is_team_member(user, project_or_practice) -> bool:
    if project_or_practice is None or not is_active(user):
        return False
    obj = project_or_practice
    if hasattr(obj, "members"):  # a project: one query at most
        return obj.owner_id == user.pk or obj.members.filter(pk=user.pk).exists()
    if obj.owner_id == user.pk:
        return True
    return obj.project_id is not None and is_team_member(user, obj.project)


def team_practices_q(user) -> Q:
    """Practices whose team the user belongs to, as a filter on Practice."""
    return Q(owner=user) | Q(project__owner=user) | Q(project__members=user)


def team_projects_q(user) -> Q:
    """Projects whose team the user belongs to, as a filter on Project."""
    return Q(owner=user) | Q(members=user)


def coordinator_required(view):
    """A view for coordinators: a visitor is sent to log in, anyone else is refused (403)."""
    # Imported here: auth's views load models, and roles is imported before the apps are ready
    # (the root conftest, e2e fixtures).
    from django.contrib.auth.views import redirect_to_login

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not is_coordinator(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper
