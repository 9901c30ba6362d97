"""What evaluation adds to the pages of the apps below it, registered in EvaluationConfig.ready():
a model's evaluation status on its catalog page and in catalog's listings, and the evaluation
facet of the search page."""

from django.db.models import Count
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _

from methodbank.catalog import extensions
from methodbank.catalog.models import Practice, PracticeKind

from .selectors import EvaluationStatus, evaluation_status_for, practices_with_evaluation_status
from .templatetags.evaluation import evaluation_status


def annotate_listed_models(entries) -> None:
    """Set ``evaluation`` on the listed models (3 queries at most, whatever their number); good
    practices are not evaluated."""
    models = [entry for entry in entries if entry.kind == PracticeKind.MODEL]
    if not models:
        return
    statuses = evaluation_status_for(models)
    for model in models:
        model.evaluation = statuses.get(model.pk)


def status_block(request, practice) -> str:
    return render_to_string("evaluation/_status.html", evaluation_status(practice))


class EvaluationFacet:
    """Evaluation status of models (good practices are not evaluated, so they are not counted).
    The shape of search.facets.Facet; search shows it without importing evaluation."""

    param, label = "evaluation", _("Evaluation status")
    order = "key"  # as EvaluationStatus.CHOICES lists them

    def filter(self, qs, values):
        ids = (
            practices_with_evaluation_status(
                Practice.objects.filter(kind=PracticeKind.MODEL, pk__in=qs.order_by().values("pk"))
            )
            .filter(evaluation_status__in=values)
            .values("pk")
        )
        return qs.filter(pk__in=ids)

    def counts(self, qs):
        rows = (
            practices_with_evaluation_status(qs.filter(kind=PracticeKind.MODEL).order_by())
            .values("evaluation_status")
            .annotate(n=Count("pk"))
        )
        counts = {r["evaluation_status"]: r["n"] for r in rows}
        return [
            (value, str(label), counts[value])
            for value, label in EvaluationStatus.CHOICES
            if counts.get(value)
        ]


    def entry_values(self, ids):
        """Each model's status among ``ids`` (search.facets counts a search's results from these)."""
        labels = dict(EvaluationStatus.CHOICES)
        position = {value: number for number, value in enumerate(labels)}
        rows = practices_with_evaluation_status(
            Practice.objects.filter(pk__in=ids, kind=PracticeKind.MODEL).order_by()
        ).values_list("pk", "evaluation_status")
        return {pk: [(status, str(labels[status]), (position[status],))] for pk, status in rows if status in labels}


def register():
    extensions.register_listing_annotator(annotate_listed_models)
    extensions.register_entry_block("status", status_block)
    # Between the period and the project, where the search page has always shown it.
    extensions.register_search_facet(EvaluationFacet(), before="project")
