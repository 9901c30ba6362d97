"""Coordinators also edit criteria sets, report definitions, the search thesaurus and every part of
an entry's placement in the admin; 0002 ran before those apps existed. Administrators again get every
permission, including the ones added since."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

COORDINATOR_EXTRA = [
    "catalog.add_placement", "catalog.delete_placement",
    "catalog.add_practicelink", "catalog.delete_practicelink",
    "catalog.view_theme", "catalog.change_theme",
    "catalog.view_subtheme", "catalog.add_subtheme", "catalog.change_subtheme",
    "catalog.view_period",
    "catalog.view_practicetranslation", "catalog.add_practicetranslation",
    "catalog.change_practicetranslation", "catalog.delete_practicetranslation",
    "catalog.view_projecttranslation", "catalog.add_projecttranslation",
    "catalog.change_projecttranslation", "catalog.delete_projecttranslation",
    "evaluation.view_criteriaset", "evaluation.add_criteriaset", "evaluation.change_criteriaset",
    "evaluation.view_criterion", "evaluation.add_criterion", "evaluation.change_criterion",
    "evaluation.delete_criterion",
    "evaluation.view_evaluationevent", "evaluation.view_expertrecommendation",
    "reports.view_reportdefinition", "reports.add_reportdefinition", "reports.change_reportdefinition",
    "reports.view_themeintroduction", "reports.add_themeintroduction", "reports.change_themeintroduction",
    "reports.delete_themeintroduction",
    "reports.view_reportbuild", "reports.view_publishedreport",
    "search.view_synonymgroup", "search.add_synonymgroup", "search.change_synonymgroup",
    "search.delete_synonymgroup",
]


def grant(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    coordinator, _created = Group.objects.get_or_create(name="coordinator")
    for code in COORDINATOR_EXTRA:
        app_label, codename = code.split(".")
        coordinator.permissions.add(Permission.objects.get(content_type__app_label=app_label, codename=codename))
    administrator, _created = Group.objects.get_or_create(name="administrator")
    administrator.permissions.set(Permission.objects.all())


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    coordinator = Group.objects.filter(name="coordinator").first()
    if coordinator is None:
        return
    for code in COORDINATOR_EXTRA:
        app_label, codename = code.split(".")
        coordinator.permissions.remove(*Permission.objects.filter(content_type__app_label=app_label, codename=codename))


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_roles"),
        ("catalog", "0003_practicetranslation_projecttranslation"),
        ("evaluation", "0002_default_criteria"),
        ("reports", "0003_definition_evaluation_statuses"),
        ("search", "0004_postings"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
