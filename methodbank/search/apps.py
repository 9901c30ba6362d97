import sys
import time

from django.apps import AppConfig
from django.db import DEFAULT_DB_ALIAS
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _fill_index_after_migrate(sender, *, apps=None, using=DEFAULT_DB_ALIAS, verbosity=1, stdout=None, **kwargs):
    """A migration that changes how text is analysed empties the index (it cannot run the live
    analyser, e.g. 0017); the same `migrate` then rebuilds it here, so an existing install is
    reindexed without a step of its own. `flush` sends the signal too, without ``apps``: it has just
    emptied every table, so there is nothing to fill."""
    if apps is None or using != DEFAULT_DB_ALIAS:
        return
    try:  # migrated back to before the index or the catalog existed: nothing to fill
        apps.get_model("search", "SearchDocument")
        apps.get_model("catalog", "Practice")
    except LookupError:
        return
    from .indexing import search_index_fill_if_empty

    count = search_index_fill_if_empty()
    if count is not None and verbosity > 0:
        (stdout or sys.stdout).write(f"Rebuilt the search index: {count} published entries.\n")


def _warm_after_migrate(sender, *, apps=None, using=DEFAULT_DB_ALIAS, verbosity=1, stdout=None, plan=None, **kwargs):
    """Once the last app has migrated, compute and keep the shared figures (core/cache.py: in the
    cache and in the database with the catalog generation) when the catalog has published entries.
    `migrate` moves the generation (core.cache.advance_generation_after_migrate), so every figure kept
    before is no longer exact: without this, the first visitors after a deploy that migrates, or of
    a new install, computed them ("nothing kept": the search page's facets more than a second at
    100,000 entries, the front page 24 queries). Recomputed, not read back: the deploy's code may
    count differently. Nothing for `flush` (no ``apps``), another database, a migration backwards
    or an empty catalog."""
    from django.apps import apps as registry

    if apps is None or using != DEFAULT_DB_ALIAS:
        return
    last = [config for config in registry.get_app_configs() if config.models_module is not None][-1]
    if sender is not last or any(backwards for _migration, backwards in plan or ()):
        return
    from methodbank.catalog.models import Practice
    from methodbank.core.cache import registered_warmers, warm_shared_figures

    if not Practice.objects.published().exists():
        return
    started = time.monotonic()
    done = warm_shared_figures(recompute=True)
    if verbosity > 0:
        failed = [name for name in registered_warmers() if name not in done]
        (stdout or sys.stdout).write(
            f"Computed the shared figures ({', '.join(done)}) in {time.monotonic() - started:.1f} s"
            + (f"; the pages will compute these: {', '.join(failed)}" if failed else "")
            + ".\n"
        )


class SearchConfig(AppConfig):
    name = "methodbank.search"
    verbose_name = _("Search")

    def ready(self):
        from . import hooks, signals  # noqa: F401  (signals connects the index to catalog saves)

        hooks.register()  # similar entries on catalog's entry pages
        post_migrate.connect(_fill_index_after_migrate, sender=self, dispatch_uid="search_fill_index_after_migrate")
        # Every app's post_migrate (it runs after the last one's migrations and signals).
        post_migrate.connect(_warm_after_migrate, dispatch_uid="search_warm_after_migrate")

        from methodbank.core.cache import register_warmer

        from .facet_index import facet_index_warm
        from .selectors import browse_facets_warm, browse_values_warm

        # The facet index first: the whole catalog's facets are counted from it.
        register_warmer("search-facet-index", facet_index_warm)
        register_warmer("search-browse-facets", browse_facets_warm)
        register_warmer("browse-values", browse_values_warm)
