from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "methodbank.core"
    verbose_name = _("Core")

    def ready(self):
        from django.db.models.signals import post_migrate

        from . import checks  # noqa: F401  (registers the system checks)
        from .cache import advance_generation_after_migrate, connect_invalidation

        connect_invalidation()
        post_migrate.connect(advance_generation_after_migrate, sender=self, dispatch_uid="core-advance-generation")
