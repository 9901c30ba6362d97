"""The ``unchanged`` check itself: it notices a changed field, a new many-to-many row and a new file,
so a passing hostile-input test means something."""

import pytest

pytestmark = pytest.mark.django_db


def test_dump_notices_changes(unchanged, draft, intruder, settings):
    check = unchanged()
    draft.summary = "changed"
    draft.save()
    with pytest.raises(pytest.fail.Exception, match="catalog.practice"):
        check("field")
    check = unchanged()
    draft.project.members.add(intruder)
    with pytest.raises(pytest.fail.Exception, match="project_members"):
        check("many-to-many")
    check = unchanged()
    settings.MEDIA_ROOT.mkdir(parents=True, exist_ok=True)
    (settings.MEDIA_ROOT / "dropped.pdf").write_bytes(b"%PDF-")
    with pytest.raises(AssertionError, match="files under MEDIA_ROOT"):
        check("file")
