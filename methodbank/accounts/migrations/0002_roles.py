"""Roles as groups with permissions. Visitors are anonymous; contributors are verified users (any
signed-in user may contribute; the group marks them for the admin); peer evaluators and experts get
their evaluation permissions with the evaluation app; coordinators moderate; administrators may do
everything."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

ROLE_PERMISSIONS = {
    "contributor": ["catalog.add_practice", "catalog.add_project"],
    "peer_evaluator": ["catalog.view_practice", "catalog.view_project"],
    "expert": ["catalog.view_practice", "catalog.view_project"],
    "coordinator": [
        "catalog.moderate_practice",
        "catalog.transfer_practice",
        "catalog.view_practice",
        "catalog.change_practice",
        "catalog.view_project",
        "catalog.change_project",
        "catalog.view_keyword",
        "catalog.add_keyword",
        "catalog.change_keyword",
        "catalog.delete_keyword",
        "catalog.view_organisation",
        "catalog.change_organisation",
        "catalog.view_placement",
        "catalog.change_placement",
        "catalog.view_practicelink",
        "catalog.change_practicelink",
        "catalog.view_practiceattachment",
        "contributions.view_practiceversion",
        "contributions.view_moderationdecision",
        "core.view_auditevent",
    ],
}


def create_roles(apps, schema_editor):
    # Permissions are normally created after all migrations (post_migrate); create them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, codes in ROLE_PERMISSIONS.items():
        group, _created = Group.objects.get_or_create(name=role)
        for code in codes:
            app_label, codename = code.split(".")
            group.permissions.add(Permission.objects.get(content_type__app_label=app_label, codename=codename))
    administrator, _created = Group.objects.get_or_create(name="administrator")
    administrator.permissions.set(Permission.objects.all())


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(
        name__in=[*ROLE_PERMISSIONS, "administrator"]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("catalog", "0002_alter_practice_options_practice_model_criteria_and_more"),
        ("contributions", "0001_initial"),
        ("core", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
