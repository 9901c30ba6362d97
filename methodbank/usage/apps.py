from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class UsageConfig(AppConfig):
    name = "methodbank.usage"
    verbose_name = _("Usage figures")

    def ready(self):
        # The own page is contributions' and adoptions are catalog's: both reach usage through
        # catalog's registry and signal (usage is contributions' sibling, above catalog).
        from methodbank.catalog import extensions, signals

        from . import views
        from .services import usage_record

        extensions.register_own_page_section(views.own_page_block)

        def count_use(sender, *, practice_id, kind, **kwargs):
            usage_record(kind=kind, practice_id=practice_id)

        self._count_use = count_use  # keep the receiver alive (signals hold weak references)
        signals.practice_used.connect(count_use, dispatch_uid="usage-count-use")
