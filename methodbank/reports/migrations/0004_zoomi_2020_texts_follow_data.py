"""The Zoomi 2020 definition's texts follow the data (issue 20): the number of running projects is a
conditional sentence (every coordinated project has ended by now), and "the follow-up project" is
named by its dates. Only text still as 0002 shipped it is changed; a coordinator's edits are kept.
The migration carries its own data (historical models only)."""

from django.db import migrations

PREFACE_OLD = (
    "Sujuvat siirtymät -verkostoon kuuluvissa koordinoitavissa hankkeissa on tällä hetkellä käynnissä "
    "{projects_active} hanketta. "
)
PREFACE_NEW = (
    "{if projects_active}Sujuvat siirtymät -verkostoon kuuluvissa koordinoitavissa hankkeissa on raportin "
    "laatimishetkellä käynnissä {projects_active} hanketta.{else}Sujuvat siirtymät -verkoston koordinoitavat "
    "hankkeet ovat kaikki päättyneet.{end} "
)
REPLACEMENTS = [
    (PREFACE_OLD, PREFACE_NEW),
    ("Jatkohankkeen aikana luotuja hanketuloksia", "Jatkohankkeen aikana ({newest_period_dates}) luotuja hanketuloksia"),
    ("Zoomin jatkohankkeen aikana", "Zoomin jatkohankkeen aikana ({newest_period_dates})"),
]


def _replace(text, pairs):
    for old, new in pairs:
        if old in text and new not in text:
            text = text.replace(old, new)
    return text


def forwards(apps, schema_editor):
    ReportDefinition = apps.get_model("reports", "ReportDefinition")
    ThemeIntroduction = apps.get_model("reports", "ThemeIntroduction")
    definition = ReportDefinition.objects.filter(slug="zoomi-2020").first()
    if definition is None:
        return
    definition.preface = _replace(definition.preface, REPLACEMENTS)
    definition.save(update_fields=["preface"])
    for intro in ThemeIntroduction.objects.filter(definition=definition):
        intro.text = _replace(intro.text, REPLACEMENTS)
        intro.save(update_fields=["text"])


def backwards(apps, schema_editor):
    ReportDefinition = apps.get_model("reports", "ReportDefinition")
    ThemeIntroduction = apps.get_model("reports", "ThemeIntroduction")
    reverse_pairs = [(new, old) for old, new in REPLACEMENTS]
    definition = ReportDefinition.objects.filter(slug="zoomi-2020").first()
    if definition is None:
        return
    definition.preface = _replace(definition.preface, reverse_pairs)
    definition.save(update_fields=["preface"])
    for intro in ThemeIntroduction.objects.filter(definition=definition):
        intro.text = _replace(intro.text, reverse_pairs)
        intro.save(update_fields=["text"])


class Migration(migrations.Migration):
    dependencies = [("reports", "0003_definition_evaluation_statuses")]

    operations = [migrations.RunPython(forwards, backwards)]
