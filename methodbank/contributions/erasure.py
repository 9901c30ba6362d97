"""Contributions' step in erasing an account (accounts.erasure, registered in ContributionsConfig.ready())."""

from .models import FormDraft


def contributions_erase_user(*, user) -> None:
    FormDraft.objects.filter(user=user).delete()
