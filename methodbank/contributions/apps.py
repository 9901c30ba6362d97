from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContributionsConfig(AppConfig):
    name = "methodbank.contributions"
    verbose_name = _("Contributions")

    def ready(self):
        from methodbank.accounts.erasure import register_erasure_step

        from . import hooks
        from .erasure import contributions_erase_user

        register_erasure_step(contributions_erase_user)  # drafts go with an erased account
        hooks.register()  # the claim link on imported entries
