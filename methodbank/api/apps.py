from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "methodbank.api"
    label = "api"
    verbose_name = _("Open data API")

    def ready(self):
        # Rebuild the open-data dumps when published content changes.
        from . import signals  # noqa: F401
