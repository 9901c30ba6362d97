"""Malformed and truncated report files: ``import_report`` stops with a CommandError that names the
line, and nothing is stored (the dump is identical)."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from methodbank.catalog.models import Practice

pytestmark = pytest.mark.django_db

SEED = (Path(settings.BASE_DIR) / "data" / "zoomi-2020" / "report.txt").read_bytes()

BAD_FILES = {
    "empty": (b"", "no theme headings"),
    "binary-garbage": (bytes(range(256)) * 40, "not valid UTF-8"),
    "pdf-instead-of-text": (b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n", "not valid UTF-8"),
    "latin-1": (SEED.decode("utf-8").encode("latin-1", "replace"), "not valid UTF-8"),
    "utf-16": (SEED.decode("utf-8").encode("utf-16"), "not valid UTF-8"),
    "truncated-half": (SEED[: len(SEED) // 2], "truncated"),
    "truncated-early": (SEED[:10_000], "not a report"),
    "truncated-mid-character": (SEED[: SEED.index("ä".encode()) + 1], "UTF-8"),
    "nul-byte-inside": (SEED[:100_000] + b"\x00" + SEED[100_000:], "NUL"),
    "only-whitespace": (b"\n\n \t\n", "no theme headings"),
}


@pytest.mark.parametrize("name", BAD_FILES)
def test_bad_report_is_refused_naming_the_line_and_nothing_is_stored(tmp_path, unchanged, name):
    content, reason = BAD_FILES[name]
    path = tmp_path / f"{name}.txt"
    path.write_bytes(content)
    check = unchanged()
    with pytest.raises(CommandError) as info:
        call_command("import_report", str(path), verbosity=0)
    message = str(info.value)
    assert re.search(r"line \d+", message), f"{name}: {message}"
    assert reason in message, f"{name}: {message}"
    assert "nothing was imported" in message
    assert not Practice.objects.exists()
    check(f"import {name}")


def test_missing_file_is_a_clear_error(tmp_path, unchanged):
    check = unchanged()
    with pytest.raises(CommandError, match="cannot read"):
        call_command("import_report", str(tmp_path / "missing.txt"), verbosity=0)
    check("missing file")
