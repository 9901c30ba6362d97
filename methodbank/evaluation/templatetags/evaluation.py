from django import template
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from methodbank.core.charts import BarChart, Series

from ..selectors import evaluation_status_for

register = template.Library()


@register.inclusion_tag("evaluation/_status.html")
def evaluation_status(practice, info=None):
    """The evaluation status box of a model. Lists can pass ``info`` from evaluation_status_for()."""
    if not practice.is_model:
        return {"practice": practice, "info": None}  # only models are evaluated
    if info is None:
        info = evaluation_status_for([practice])[practice.pk]
    return {"practice": practice, "info": info}


@register.filter
def mean(value):
    """A mean with one decimal, or a dash when nobody answered."""
    return "–" if value is None else number_format(value, 1)


@register.filter
def dist(distribution):
    """'0 / 1 / 3 / 2 / 1': counts of levels 1–4 and of "cannot say"."""
    return " / ".join(str(n) for n in [*distribution.counts.values(), distribution.cannot_say])


@register.filter
def alpha(result):
    if result.alpha is None:
        return _("cannot be computed (n = %(raters)d raters)") % {"raters": result.raters}
    return _("%(alpha)s (n = %(raters)d raters)") % {
        # Rounded first: number_format cuts a float's digits, so -0.2999999999999998 (the
        # package's -0.3) would show as -0.29, and 0.6699... below the 0.67 threshold as 0.66.
        "alpha": number_format(round(result.alpha, 2), 2),
        "raters": result.raters,
    }


def _level_labels():
    return ["1", "2", "3", "4", _("Cannot say")]


@register.simple_tag
def criterion_chart(row, scope=""):
    """The distribution of one criterion's answers (individual forms and group assessments) as a chart."""

    def counts(dist):
        return [*dist.counts.values(), dist.cannot_say]

    return BarChart(
        title=_("%(criterion)s: answers per level") % {"criterion": row.criterion.title},
        labels=_level_labels(),
        series=[
            Series(_("Individual forms"), counts(row.individual)),
            Series(_("Group assessments"), counts(row.groups)),
        ],
        label_heading=_("Level"),
        chart_id=f"chart-{scope}-{row.criterion.code}",
    )


@register.simple_tag
def history_chart(item, scope=""):
    """A criterion's means at each evaluation of the model, oldest first."""
    return BarChart(
        title=_("%(criterion)s over time: mean level per evaluation") % {"criterion": item.title},
        labels=item.labels,
        series=[
            Series(_("Individual forms"), item.individual),
            Series(_("Group assessments"), item.groups),
        ],
        max_value=4,
        decimals=1,
        label_heading=_("Evaluation"),
        chart_id=f"history-{scope}-{item.code}",
    )
