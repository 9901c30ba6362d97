from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "methodbank.reports"
    verbose_name = _("Reports")

    def ready(self):
        # The API answers "what is new since this version" through catalog's registry: api and
        # reports are siblings and do not import each other.
        from methodbank.catalog.extensions import register_report_changes

        from .compare import published_report_changes_by_slug

        register_report_changes(published_report_changes_by_slug)
