from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FollowsConfig(AppConfig):
    name = "methodbank.follows"
    verbose_name = _("Follows and feeds")

    def ready(self):
        from . import hooks

        hooks.register()
