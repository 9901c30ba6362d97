"""Account writes: profile, roles and GDPR deletion."""

from django.apps import apps
from django.contrib.auth.management import create_permissions
from django.contrib.auth.models import Group, Permission
from django.db import transaction

from methodbank.core.models import AuditEvent
from methodbank.core.services import audit_log

from .erasure import run_erasure_steps
from .roles import ROLE_PERMISSIONS, Role


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
def user_add_role(*, user, role: Role) -> None:
    """Put the user in the role's group, which holds the permissions that make the role."""
    group, _created = Group.objects.get_or_create(name=role)
    for perm in ROLE_PERMISSIONS.get(role, ()):
        app_label, codename = perm.split(".")
        permission = Permission.objects.filter(content_type__app_label=app_label, codename=codename).first()
        if permission is None:
            # Emptied tables (a test's flush): make the app's permissions as migrate's post_migrate does.
            create_permissions(apps.get_app_config(app_label), verbosity=0)
            permission = Permission.objects.get(content_type__app_label=app_label, codename=codename)
        group.permissions.add(permission)
    user.groups.add(group)
    # ModelBackend caches the permissions on the user object: the next check must see the new role.
    for cache in ("_perm_cache", "_user_perm_cache", "_group_perm_cache"):
        user.__dict__.pop(cache, None)


@transaction.atomic
def user_make_contributor(*, user) -> None:
    """A verified e-mail address makes a user a contributor (the group is for the admin's overview)."""
    group, _created = Group.objects.get_or_create(name=Role.CONTRIBUTOR)
    user.groups.add(group)


@transaction.atomic
def user_delete_account(*, user) -> None:
    """GDPR erasure: remove every piece of personal data, keep the content the user published.

    The row stays (deactivated, anonymised) so versions and audit events keep a stable, anonymous
    reference; published entries stay attributed to their project. Unpublished entries the user
    owned alone (no project team to take them over) are deleted with the account.
    """
    from allauth.account.models import EmailAddress

    pk = user.pk
    # Entries, projects and drafts are the apps' above accounts: each erases its part (accounts.erasure).
    run_erasure_steps(user=user)
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


@transaction.atomic
def user_create_coordinator(*, email: str, password: str | None, by=None):
    """The first (or any further) coordinator, ready to sign in at once: e-mail verified in allauth,
    in the coordinator and contributor groups, staff (the admin needs it).

    An existing account with this e-mail is promoted and keeps its password unless one is given.
    Returns (user, created)."""
    from allauth.account.models import EmailAddress
    from django.contrib.auth import get_user_model
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError
    from django.core.validators import validate_email

    email = (email or "").strip()
    validate_email(email)
    User = get_user_model()
    user = User.objects.filter(email__iexact=email).first()
    created = user is None
    if created:
        if not password:
            raise ValidationError("A new coordinator needs a password.")
        username = email.lower()[: User._meta.get_field("username").max_length]
        user = User(username=username, email=email)
    if password:
        validate_password(password, user)
        user.set_password(password)
    user.is_staff = True
    user.is_active = True
    user.full_clean()
    user.save()
    for role in (Role.COORDINATOR, Role.CONTRIBUTOR):
        user_add_role(user=user, role=role)
    # allauth's mandatory verification reads EmailAddress, not the user's e-mail field.
    EmailAddress.objects.filter(user=user).exclude(email__iexact=email).update(primary=False)
    address = EmailAddress.objects.filter(user=user, email__iexact=email).first()
    if address is None:
        address = EmailAddress(user=user, email=email)
    address.verified = True
    address.primary = True
    address.save()
    audit_log(actor=by, verb="user.coordinator_created" if created else "user.coordinator_promoted",
              target=user, message="")
    return user, created
