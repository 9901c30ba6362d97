import sys

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


class SearchConfig(AppConfig):
    name = "methodbank.search"
    verbose_name = _("Search")

    def ready(self):
        from . import hooks, signals  # noqa: F401  (signals connects the index to catalog saves)

        hooks.register()  # similar entries on catalog's entry pages
        post_migrate.connect(_fill_index_after_migrate, sender=self, dispatch_uid="search_fill_index_after_migrate")

        from methodbank.core.cache import register_warmer

        from .facet_index import facet_index_warm
        from .selectors import browse_facets_warm, browse_values_warm

        # The facet index first: the whole catalog's facets are counted from it.
        register_warmer("search-facet-index", facet_index_warm)
        register_warmer("search-browse-facets", browse_facets_warm)
        register_warmer("browse-values", browse_values_warm)
