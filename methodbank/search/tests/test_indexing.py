"""The index follows every save, publish, archive and delete; the commands rebuild and query it."""

import json

import pytest
from django.core.management import call_command

from methodbank.catalog.models import PublicationStatus
from methodbank.catalog.tests.factories import KeywordFactory, PracticeFactory, ProjectFactory
from methodbank.search.models import SearchDocument, SearchTerm
from methodbank.search.selectors import search_entries

pytestmark = pytest.mark.django_db


def found(text):
    return [e.practice_id for e in search_entries(text=text).entries]


def test_published_entry_is_found_after_save_and_edit():
    practice = PracticeFactory(title="Kumiankkamalli", summary="Kuvaus.")
    assert found("kumiankkamallin") == [practice.pk]
    practice.title = "Sadetakkimalli"
    practice.save()
    assert found("kumiankkamalli") == []
    assert found("sadetakkimalleista") == [practice.pk]


def test_only_published_entries_are_searchable():
    practice = PracticeFactory(title="Kaarnaveneohjaus", status=PublicationStatus.DRAFT, published_at=None)
    assert found("kaarnaveneohjaus") == []
    assert not SearchDocument.objects.filter(practice=practice).exists()
    practice.status = PublicationStatus.PUBLISHED
    practice.save()
    assert found("kaarnaveneohjaus") == [practice.pk]
    practice.status = PublicationStatus.ARCHIVED
    practice.save()
    assert found("kaarnaveneohjaus") == []


def test_deleted_entry_leaves_the_index_and_the_vocabulary():
    practice = PracticeFactory(title="Hyrrämalli", summary="Pyörivä hyrrämalli.")
    assert SearchTerm.objects.get(term="hyrrämalli").df == 1
    practice.delete()
    assert found("hyrrämalli") == []
    assert not SearchTerm.objects.filter(term="hyrrämalli").exists()


def test_keywords_and_project_names_are_indexed_and_followed():
    project = ProjectFactory(name="Lumiukkohanke")
    practice = PracticeFactory(title="Malli", project=project)
    assert found("lumiukkohankkeen") == [practice.pk]
    project.name = "Jääpuikkohanke"
    project.aliases = ["Jäpu"]
    project.save()
    assert found("lumiukkohanke") == []
    assert found("jääpuikkohankkeessa") == [practice.pk]
    assert found("jäpu") == [practice.pk]

    keyword = KeywordFactory(name="pilvilinna")
    practice.keywords.add(keyword)
    assert found("pilvilinnat") == [practice.pk]
    keyword.name = "tuulimylly"
    keyword.save()
    assert found("tuulimyllyt") == [practice.pk]
    keyword.delete()
    assert found("tuulimylly") == []
    other = KeywordFactory(name="kuuraparta")
    other.practices.add(practice)  # the reverse side of the relation
    assert found("kuuraparta") == [practice.pk]
    practice.keywords.clear()
    assert found("kuuraparta") == []


def test_rebuild_command_restores_the_index(capsys):
    practice = PracticeFactory(title="Purjevenemalli")
    SearchDocument.objects.all().delete()
    SearchTerm.objects.all().delete()
    assert found("purjevenemalli") == []
    call_command("rebuild_search_index")
    assert "Indexed" in capsys.readouterr().out
    assert found("purjevenemallit") == [practice.pk]
    assert SearchTerm.objects.get(term="purjevenemalli").df == 1


def test_search_command_prints_json():
    first = PracticeFactory(title="Kanootti-ohjaus melojille", summary="Kanootti.")
    second = PracticeFactory(title="Soutu", summary="Kanootti ja soutuvene.")
    out = _run("search", "kanootteja", "--json", "--limit", "5")
    rows = json.loads(out)["results"]
    assert [row["id"] for row in rows] == [first.pk, second.pk]
    assert rows[0]["title"] == "Kanootti-ohjaus melojille"
    assert rows[0]["score"] > rows[1]["score"] > 0
    assert len(json.loads(_run("search", "kanootteja", "--json", "--limit", "1"))["results"]) == 1


def test_search_command_json_offers_the_corrected_query():
    """A typo still finds the entry, and the JSON says which search was meant."""
    first = PracticeFactory(title="Kanootti-ohjaus melojille", summary="Kanootti.")
    output = json.loads(_run("search", "kanooti", "--json"))
    assert [row["id"] for row in output["results"]] == [first.pk]
    assert output["did_you_mean"] == "kanootti"


def _run(*args):
    from io import StringIO

    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_the_index_version_moves_again_after_the_commit(django_capture_on_commit_callbacks):
    """Another app server that read the new version before the commit built its lexicon and ranking
    statistics from the old rows: the version moves once more when the change is committed."""
    from methodbank.search.indexing import index_version

    before = index_version()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        PracticeFactory(status=PublicationStatus.PUBLISHED, title="Versiokoe")
        during = index_version()
    assert during > before  # this thread sees its own change at once
    for callback in callbacks:
        callback()
    assert index_version() > during


def test_migrate_rebuilds_an_index_a_migration_emptied(capsys):
    """An analyser change ships a migration that empties the index (0017); the same `migrate`
    rebuilds it, so an existing install is reindexed without a step of its own."""
    practice = PracticeFactory(title="Purjevenemalli")
    SearchDocument.objects.all().delete()
    SearchTerm.objects.all().delete()
    call_command("migrate", verbosity=1)
    assert "Rebuilt the search index: 1 published entries." in capsys.readouterr().out
    assert found("purjevenemallit") == [practice.pk]
    # An index that has its documents is left alone.
    call_command("migrate", verbosity=1)
    assert "Rebuilt" not in capsys.readouterr().out


def test_flush_sends_post_migrate_without_apps_and_the_index_is_left_alone():
    """`flush` (pytest-django's transactional tests end with one) sends post_migrate with no
    ``apps``: the receiver that rebuilds an emptied index must not fail on it."""
    from django.core.management.sql import emit_post_migrate_signal

    PracticeFactory(title="Purjevenemalli")
    SearchDocument.objects.all().delete()
    emit_post_migrate_signal(0, False, "default")  # what flush sends
    assert not SearchDocument.objects.exists()
