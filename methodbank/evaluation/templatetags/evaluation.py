from django import template
from django.utils.formats import number_format
from django.utils.translation import gettext as _

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
        "alpha": number_format(result.alpha, 2),
        "raters": result.raters,
    }
