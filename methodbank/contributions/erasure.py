"""Contributions' step in erasing an account (accounts.erasure, registered in ContributionsConfig.ready())."""

from methodbank.catalog.models import Adoption, AdoptionStatus

from .models import FormDraft, ProjectClaim


def contributions_erase_user(*, user) -> None:
    FormDraft.objects.filter(user=user).delete()
    # A request to join a team says who the person is and what they did: it goes with the account.
    ProjectClaim.objects.filter(user=user).delete()
    # An approved adoption record is a fact about an organisation: it stays, no longer tied to the
    # person. Records nobody has approved go with the account (no one is left to answer for them).
    Adoption.objects.filter(created_by=user).exclude(status=AdoptionStatus.APPROVED).delete()
    Adoption.objects.filter(created_by=user).update(created_by=None)
