"""The translation catalogs are complete: every interface string has a Finnish, Swedish and English
translation, none is fuzzy, placeholders match, and no string used in the code is missing.

When a string is added or changed in the code, refresh the catalogs (README, "Languages and translations"):

    DEBUG=true .venv/bin/python manage.py makemessages -l fi -l sv -l en --no-wrap \\
        --ignore=.venv --ignore=node_modules --ignore=staticfiles --ignore=var --ignore='*.egg-info'

then translate the new entries in methodbank/locale/*/LC_MESSAGES/django.po and compile them:

    (cd methodbank && DEBUG=true ../.venv/bin/python ../manage.py compilemessages)
"""

import os
import shutil
import subprocess
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import translation

LOCALE_DIR = Path(settings.BASE_DIR) / "methodbank" / "locale"
LANGUAGES = [code for code, _name in settings.LANGUAGES]
# The same directories the makemessages command above skips.
IGNORE = [".venv", "node_modules", "staticfiles", "var", "*.egg-info"]
REFRESH = "refresh the catalogs as described in methodbank/core/tests/test_locale.py"


def catalog(code):
    path = LOCALE_DIR / code / "LC_MESSAGES" / "django.po"
    assert path.exists(), f"{path} is missing: {REFRESH}"
    return polib.pofile(str(path))


def live_entries(po):
    return [entry for entry in po if not entry.obsolete]


def untranslated(entry):
    if entry.msgid_plural:
        return not entry.msgstr_plural or not all(entry.msgstr_plural.values())
    return not entry.msgstr


@pytest.mark.parametrize("code", LANGUAGES)
def test_catalog_has_no_fuzzy_or_untranslated_entries(code):
    po = catalog(code)
    fuzzy = [entry.msgid for entry in live_entries(po) if "fuzzy" in entry.flags]
    missing = [entry.msgid for entry in live_entries(po) if untranslated(entry)]
    assert not fuzzy, f"{code}: {len(fuzzy)} fuzzy entries, e.g. {fuzzy[:5]}"
    assert not missing, f"{code}: {len(missing)} untranslated entries, e.g. {missing[:5]}"
    assert po.metadata.get("Language") == code


@pytest.mark.parametrize("code", LANGUAGES)
def test_plural_forms_fill_every_form(code):
    po = catalog(code)
    assert "nplurals=2" in po.metadata["Plural-Forms"]
    for entry in live_entries(po):
        if entry.msgid_plural:
            assert sorted(entry.msgstr_plural) == [0, 1], entry.msgid


@pytest.mark.parametrize("code", LANGUAGES)
def test_catalog_compiles_with_matching_placeholders(code, tmp_path):
    # msgfmt --check compares every python-format placeholder of msgid and msgstr.
    msgfmt = shutil.which("msgfmt")
    assert msgfmt, "GNU gettext (msgfmt) is needed: scripts/bootstrap.sh installs it"
    po = LOCALE_DIR / code / "LC_MESSAGES" / "django.po"
    result = subprocess.run(
        [msgfmt, "--check", "-o", str(tmp_path / "django.mo"), str(po)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr


def test_every_string_in_the_code_is_in_the_catalogs(tmp_path, settings):
    """Extract the strings from the code now (as makemessages does) and compare with the catalogs.

    makemessages writes into every ``locale`` directory it walks past, so it runs on a copy of the
    source without the catalogs: the real ones are never touched by the test.
    """
    source = tmp_path / "src"
    skip = shutil.ignore_patterns("locale", "static", "__pycache__", "*.mo", "*.pyc")
    for top in ("config", "methodbank"):
        shutil.copytree(Path(settings.BASE_DIR) / top, source / top, ignore=skip)
    (source / "locale").mkdir()
    settings.LOCALE_PATHS = [str(source / "locale")]
    cwd = os.getcwd()
    os.chdir(source)
    try:
        call_command("makemessages", locale=["fi"], ignore_patterns=IGNORE, keep_pot=True, verbosity=0)
    finally:
        os.chdir(cwd)
    extracted = {(e.msgctxt, e.msgid) for e in polib.pofile(str(source / "locale" / "django.pot")) if e.msgid}
    assert len(extracted) > 500  # the extraction really saw the project
    for code in LANGUAGES:
        known = {(e.msgctxt, e.msgid) for e in live_entries(catalog(code))}
        missing = sorted(msgid for _ctx, msgid in extracted - known)
        assert not missing, f"{code}: {len(missing)} strings are not in the catalog ({REFRESH}): {missing[:10]}"


@pytest.mark.parametrize("code", LANGUAGES)
def test_compiled_catalog_is_up_to_date(code):
    po = LOCALE_DIR / code / "LC_MESSAGES" / "django.po"
    mo = po.with_suffix(".mo")
    assert mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime, (
        f"{mo} is missing or older than the .po file: run "
        "(cd methodbank && DEBUG=true ../.venv/bin/python ../manage.py compilemessages)"
    )


@pytest.mark.parametrize(
    ("code", "expected"),
    [("fi", "Oma sivu"), ("sv", "Egen sida"), ("en", "Own page")],
)
def test_interface_strings_are_translated_at_run_time(code, expected):
    with translation.override(code):
        assert translation.gettext("Own page") == expected
        plural = translation.ngettext("%(counter)s model", "%(counter)s models", 2) % {"counter": 2}
        assert plural == {"fi": "2 mallia", "sv": "2 modeller", "en": "2 models"}[code]
