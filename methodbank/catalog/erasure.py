"""Catalog's step in erasing an account (accounts.erasure, registered in CatalogConfig.ready())."""

from .models import Practice, Project, PublicationStatus


def catalog_erase_user(*, user) -> None:
    """Published entries stay, attributed to their project; unpublished entries the user owned alone
    (no project team to take them over) go with the account."""
    for practice in Practice.objects.filter(owner=user):
        if practice.status in (PublicationStatus.DRAFT, PublicationStatus.RETURNED) and practice.project_id is None:
            practice.delete()
        else:
            practice.owner = None
            practice.save(update_fields=["owner", "updated_at"])
    Project.objects.filter(owner=user).update(owner=None)
    for project in user.projects.all():
        project.members.remove(user)
