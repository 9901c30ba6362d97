"""A role is checked by its permission (accounts.roles), not by its group name or by is_staff: the
coordinator group grants "coordinate", the expert group "review_as_expert". Administrators again get
every permission. The names are written here, not imported, so this migration never changes."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GRANTS = {"coordinator": "coordinate", "expert": "review_as_expert"}


def grant(apps, schema_editor):
    accounts = apps.get_app_config("accounts")
    accounts.models_module = True
    create_permissions(accounts, apps=apps, verbosity=0)
    accounts.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group_name, codename in GRANTS.items():
        group, _created = Group.objects.get_or_create(name=group_name)
        group.permissions.add(Permission.objects.get(content_type__app_label="accounts", codename=codename))
    administrator, _created = Group.objects.get_or_create(name="administrator")
    administrator.permissions.set(Permission.objects.all())


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    Permission.objects.filter(content_type__app_label="accounts", codename__in=GRANTS.values()).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0004_email_language"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="user",
            options={
                "permissions": [
                    ("coordinate", "Can coordinate: evaluations, reports, the search log and the vocabulary"),
                    ("review_as_expert", "Can review models as an expert"),
                ],
                "verbose_name": "user",
                "verbose_name_plural": "users",
            },
        ),
        migrations.RunPython(grant, revoke),
    ]
