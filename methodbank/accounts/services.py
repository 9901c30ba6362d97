"""Account writes: profile, roles and GDPR deletion."""

from django.contrib.auth.models import Group
from django.db import transaction

from methodbank.core.models import AuditEvent
from methodbank.core.services import audit_log

ROLE_CONTRIBUTOR = "contributor"


@transaction.atomic
def user_profile_update(*, user, full_name: str, organisation: str, project_role: str, language: str = ""):
    user.full_name = full_name.strip()
    user.organisation = organisation.strip()
    user.project_role = project_role.strip()
    user.language = language
    user.full_clean()
    user.save(update_fields=["full_name", "organisation", "project_role", "language"])
    audit_log(actor=user, verb="user.profile_update", target=user, message="")
    return user


@transaction.atomic
def user_make_contributor(*, user) -> None:
    """A verified e-mail address makes a user a contributor (the group is for the admin's overview)."""
    group, _created = Group.objects.get_or_create(name=ROLE_CONTRIBUTOR)
    user.groups.add(group)


@transaction.atomic
def user_delete_account(*, user) -> None:
    """GDPR erasure: remove every piece of personal data, keep the content the user published.

    The row stays (deactivated, anonymised) so versions and audit events keep a stable, anonymous
    reference; published entries stay attributed to their project. Unpublished entries the user
    owned alone (no project team to take them over) are deleted with the account.
    """
    from allauth.account.models import EmailAddress

    from methodbank.catalog.models import Practice, Project, PublicationStatus
    from methodbank.contributions.models import FormDraft

    pk = user.pk
    for practice in Practice.objects.filter(owner=user):
        if practice.status in (PublicationStatus.DRAFT, PublicationStatus.RETURNED) and practice.project_id is None:
            practice.delete()
        else:
            practice.owner = None
            practice.save(update_fields=["owner", "updated_at"])
    Project.objects.filter(owner=user).update(owner=None)
    for project in user.projects.all():
        project.members.remove(user)
    FormDraft.objects.filter(user=user).delete()
    EmailAddress.objects.filter(user=user).delete()

    user.username = f"deleted-{pk}"
    user.email = None
    user.first_name = user.last_name = ""
    user.full_name = user.organisation = user.project_role = ""
    user.is_active = False
    user.is_staff = False
    user.is_superuser = False
    user.set_unusable_password()
    user.save()
    user.groups.clear()
    user.user_permissions.clear()

    # Audit events about this user carried its name in target_repr; they keep only the anonymous id.
    AuditEvent.objects.filter(target_type=user._meta.label_lower, target_id=str(pk)).update(target_repr="", data={})
    audit_log(actor=None, verb="user.delete", target=user, message="")
