from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogConfig(AppConfig):
    name = "methodbank.catalog"
    verbose_name = _("Catalog")

    def ready(self):
        from methodbank.accounts.erasure import register_erasure_step

        from .erasure import catalog_erase_user

        register_erasure_step(catalog_erase_user)  # entries and projects of an erased account

        from methodbank.core.cache import register_warmer

        from . import selectors

        register_warmer("front-page", selectors.front_page_figures)
