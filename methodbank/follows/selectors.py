"""Reads of follows: a user's follows with their targets, and the follow of one page."""

from dataclasses import dataclass

from django.http import Http404

from .models import Follow
from .targets import Target, target_resolve


@dataclass
class FollowRow:
    follow: Follow
    target: Target | None  # None: the target is gone (a project archived, a theme renamed)


def follows_for_user(*, user) -> list[FollowRow]:
    # One query for the follows, then one per target: a person follows a handful of things.
    return [FollowRow(f, target_resolve(f.kind, f.key)) for f in Follow.objects.filter(user=user)]


def follow_get_for_user(*, user, pk) -> Follow:
    """The user's own follow; anyone else's, or none, is a 404 (ids of others reveal nothing)."""
    follow = Follow.objects.filter(user=user, pk=pk).first() if user.is_authenticated else None
    if follow is None:
        raise Http404("No such follow")
    return follow


def follow_for_page(*, user, kind: str, key: str) -> Follow | None:
    if not user.is_authenticated:
        return None
    return Follow.objects.filter(user=user, kind=kind, key=key).first()
