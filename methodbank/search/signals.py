"""The index follows the catalog: every save, publish, archive and delete of an entry, and changes to
the project names and keywords that are indexed with it.

Translations are indexed with their entry (each language with its own analyser, see indexing.py):
saving or deleting a PracticeTranslation reindexes its entry, a ProjectTranslation the project's
published entries (a translated project name is indexed in its language).

Placements are not indexed text (theme, subtheme and period are facets read live from the catalog),
so they need no signal. Bulk writers can wrap their work in ``search_index_deferred()`` (the importer,
which cannot import search, sends catalog.signals.bulk_load_started/finished instead)
to index each touched entry once at the end instead of after every related save.

Also here: editing the thesaurus forgets its cached version, and SQLite connections memory-map the
database file (the search reads the postings of many entries per query).
"""

from __future__ import annotations

import threading
from contextlib import contextmanager

from django.db import transaction
from django.db.backends.signals import connection_created
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete
from django.dispatch import receiver

from methodbank.catalog import signals as catalog_signals
from methodbank.catalog.models import Keyword, Practice, PracticeTranslation, Project, ProjectTranslation
from methodbank.core.backup import restore_loaded

from .indexing import (
    practices_for_indexing,
    search_document_delete,
    search_document_update,
    with_indexed_relations,
)
from .models import Concept, ConceptLabel
from .services import facet_suggestions_update, practice_near_duplicates
from .thesaurus import thesaurus_changed

_state = threading.local()


def _deferral_start():
    _state.depth = getattr(_state, "depth", 0) + 1
    if _state.depth == 1:  # nested: the outermost block does the work
        _state.pending = set()


def _deferral_end(*, completed: bool):
    _state.depth -= 1
    if _state.depth:
        return
    pending, _state.pending = _state.pending, None
    if completed:  # a failed block's transaction is rolled back: nothing to index
        search_reindex_practices(practice_ids=pending)


@contextmanager
def search_index_deferred():
    """Collect the entries touched inside the block and index each of them once when it ends."""
    _deferral_start()
    completed = False
    try:
        yield
        completed = True
    finally:
        _deferral_end(completed=completed)


# The report importer (catalog) announces a bulk load and bulk-created keyword tags with signals.


@receiver(catalog_signals.bulk_load_started, dispatch_uid="search_bulk_load_started")
def _bulk_load_started(sender, **kwargs):
    _deferral_start()


@receiver(catalog_signals.bulk_load_finished, dispatch_uid="search_bulk_load_finished")
def _bulk_load_finished(sender, completed=False, **kwargs):
    _deferral_end(completed=completed)


@receiver(catalog_signals.practices_changed_in_bulk, dispatch_uid="search_practices_changed_in_bulk")
def _practices_changed_in_bulk(sender, practice_ids=(), **kwargs):
    search_reindex_practices(practice_ids=practice_ids)


@receiver(catalog_signals.near_duplicates_wanted, dispatch_uid="search_near_duplicates_wanted")
def _near_duplicates_wanted(sender, practices=(), **kwargs):
    return practice_near_duplicates(practices=practices)


@receiver(catalog_signals.practices_imported, dispatch_uid="search_practices_imported")
def _practices_imported(sender, practices=(), **kwargs):
    # Every imported entry gets its browse values suggested; coordinators confirm them in bulk.
    facet_suggestions_update(practice_ids=[p.pk for p in practices])


def search_reindex_practices(*, practice_ids) -> None:
    ids = set(practice_ids)
    if not ids:
        return
    pending = getattr(_state, "pending", None)
    if pending is not None:
        pending.update(ids)
        return
    with transaction.atomic():
        found = set()
        for practice in with_indexed_relations(Practice.objects.filter(pk__in=ids)):
            found.add(practice.pk)
            search_document_update(practice=practice)
        for missing in ids - found:
            search_document_delete(practice_id=missing)


@receiver(post_save, sender=Practice, dispatch_uid="search_practice_saved")
def _practice_saved(sender, instance, raw=False, **kwargs):
    if raw:  # loaddata: the rebuild command indexes fixtures
        return
    search_reindex_practices(practice_ids=[instance.pk])


@receiver(pre_delete, sender=Practice, dispatch_uid="search_practice_deleted")
def _practice_deleted(sender, instance, **kwargs):
    # pre_delete: the cascade would remove the document before post_delete, and with it the
    # terms the vocabulary must forget.
    pending = getattr(_state, "pending", None)
    if pending is not None:
        pending.discard(instance.pk)
    _deleting().add(instance.pk)
    search_document_delete(practice_id=instance.pk)


@receiver(post_delete, sender=Practice, dispatch_uid="search_practice_gone")
def _practice_gone(sender, instance, **kwargs):
    _deleting().discard(instance.pk)


def _deleting() -> set:
    """Entries being deleted in this thread (between their pre_delete and post_delete)."""
    if not hasattr(_state, "deleting"):
        _state.deleting = set()
    return _state.deleting


@receiver(post_save, sender=Project, dispatch_uid="search_project_saved")
def _project_saved(sender, instance, created=False, raw=False, **kwargs):
    if raw or created:
        return
    search_reindex_practices(
        practice_ids=practices_for_indexing().filter(project=instance).values_list("pk", flat=True)
    )


@receiver(post_save, sender=Keyword, dispatch_uid="search_keyword_saved")
def _keyword_saved(sender, instance, created=False, raw=False, **kwargs):
    if raw or created:
        return
    search_reindex_practices(practice_ids=instance.practices.values_list("pk", flat=True))


@receiver(pre_delete, sender=Keyword, dispatch_uid="search_keyword_deleting")
def _keyword_deleting(sender, instance, **kwargs):
    # Deleting a keyword removes its m2m rows without m2m_changed: remember whom it was on.
    instance._search_practice_ids = list(instance.practices.values_list("pk", flat=True))


@receiver(post_delete, sender=Keyword, dispatch_uid="search_keyword_deleted")
def _keyword_deleted(sender, instance, **kwargs):
    search_reindex_practices(practice_ids=getattr(instance, "_search_practice_ids", []))


@receiver(m2m_changed, sender=Practice.keywords.through, dispatch_uid="search_keywords_changed")
def _keywords_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if action not in {"post_add", "post_remove", "post_clear", "pre_clear"}:
        return
    if not reverse:
        if action != "pre_clear":
            search_reindex_practices(practice_ids=[instance.pk])
        return
    # Reverse side: keyword.practices.add(...). On clear the ids are only known before it happens.
    if action == "pre_clear":
        instance._search_cleared_ids = list(instance.practices.values_list("pk", flat=True))
        return
    ids = pk_set if action != "post_clear" else getattr(instance, "_search_cleared_ids", [])
    search_reindex_practices(practice_ids=ids or [])


@receiver(post_save, sender=PracticeTranslation, dispatch_uid="search_practice_translation_saved")
@receiver(post_delete, sender=PracticeTranslation, dispatch_uid="search_practice_translation_deleted")
def _practice_translation_changed(sender, instance, raw=False, **kwargs):
    if raw:
        return
    # Deleting the entry deletes its translations first: indexing the entry again then would bring
    # back the document its pre_delete has just removed.
    if instance.practice_id in _deleting():
        return
    search_reindex_practices(practice_ids=[instance.practice_id])


@receiver(post_save, sender=ProjectTranslation, dispatch_uid="search_project_translation_saved")
@receiver(post_delete, sender=ProjectTranslation, dispatch_uid="search_project_translation_deleted")
def _project_translation_changed(sender, instance, raw=False, **kwargs):
    if raw:
        return
    search_reindex_practices(
        practice_ids=practices_for_indexing()
        .filter(project_id=instance.project_id)
        .values_list("pk", flat=True)
    )


@receiver(post_save, sender=Concept, dispatch_uid="search_thesaurus_saved")
@receiver(post_delete, sender=Concept, dispatch_uid="search_thesaurus_deleted")
@receiver(post_save, sender=ConceptLabel, dispatch_uid="search_thesaurus_label_saved")
@receiver(post_delete, sender=ConceptLabel, dispatch_uid="search_thesaurus_label_deleted")
@receiver(m2m_changed, sender=Concept.related.through, dispatch_uid="search_thesaurus_related")
def _thesaurus_edited(sender, **kwargs):
    # Now for this process, and again at commit: a search in between must not keep the old version.
    thesaurus_changed()
    transaction.on_commit(thesaurus_changed)


@receiver(restore_loaded, dispatch_uid="search_restore_loaded")
def _restore_loaded(sender, **kwargs):
    # A backup leaves the index out (it is derived): build it from the restored catalog, inside the
    # restore's transaction so that a failure here undoes the restore too.
    from .indexing import search_index_rebuild

    search_index_rebuild()
    thesaurus_changed()
    transaction.on_commit(thesaurus_changed)


# SQLite reads the index through its own page cache, 2 MB per connection by default and empty at
# every request (connections are not kept); the postings of 100,000 entries are ~1 GB. Memory-mapped,
# the file's pages come straight from the operating system's cache, shared by every connection and
# process: the candidates' postings are read about twice as fast. (Capped by SQLite's compile-time
# maximum; 0 turns it off.)
SQLITE_MMAP_SIZE = 2**31


@receiver(connection_created, dispatch_uid="search_sqlite_mmap")
def _sqlite_connected(sender, connection, **kwargs):
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA mmap_size = {SQLITE_MMAP_SIZE}")
