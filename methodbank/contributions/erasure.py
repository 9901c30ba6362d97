"""Contributions' step in erasing an account (accounts.erasure, registered in ContributionsConfig.ready())."""

from .models import FormDraft, ProjectClaim


def contributions_erase_user(*, user) -> None:
    FormDraft.objects.filter(user=user).delete()
    # A request to join a team says who the person is and what they did: it goes with the account.
    ProjectClaim.objects.filter(user=user).delete()
