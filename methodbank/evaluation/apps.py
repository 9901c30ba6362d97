from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationConfig(AppConfig):
    name = "methodbank.evaluation"
    verbose_name = _("Evaluation")

    def ready(self):
        # Evaluation adds a model's status to catalog's pages and its facet to search (the lower
        # apps offer registries; they never import evaluation).
        from . import hooks

        hooks.register()
