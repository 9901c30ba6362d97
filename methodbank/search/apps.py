from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "methodbank.search"
    verbose_name = _("Search")

    def ready(self):
        from . import hooks, signals  # noqa: F401  (signals connects the index to catalog saves)

        hooks.register()  # similar entries on catalog's entry pages

        from methodbank.core.cache import register_warmer

        from .selectors import browse_facets_warm, browse_values_warm

        register_warmer("search-browse-facets", browse_facets_warm)
        register_warmer("browse-values", browse_values_warm)
