"""The search log on the site: searches are logged around the (cached) search page, clicks through a
small redirect on each result link, and coordinators read the report and add query words to the
vocabulary. Nothing here needs JavaScript."""

from __future__ import annotations

import functools

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from methodbank.accounts.roles import coordinator_required
from methodbank.catalog.models import Practice

from .models import Concept, ConceptCategory, LabelKind, LabelLanguage, label_problem
from .searchlog import REPORT_PERIODS, query_report
from .services import concept_label_add, search_log_record

MAX_RANK = 10_000


def _language() -> str:
    return (get_language() or "fi")[:2]


def log_search(view):
    """Log each search, also those served from the page cache (so this wraps the cache). The view
    marks its response with ``search_log = (query, number of results)`` when the search is one to
    log: a query, on its first page, without facet filters."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        logged = getattr(response, "search_log", None)
        if logged and response.status_code == 200:
            search_log_record(query=logged[0], language=_language(), results=logged[1])
        return response

    return wrapper


@require_GET
@never_cache
def result_click(request, pk):
    """Forward to a result, logging its rank for the query (``?q=…&r=…``)."""
    practice = get_object_or_404(Practice.objects.published(), pk=pk)
    try:
        rank = int(request.GET.get("r", ""))
    except ValueError:
        rank = 0
    query = request.GET.get("q", "")[:500]
    if 0 < rank <= MAX_RANK and query.strip():
        search_log_record(query=query, language=_language(), clicked_rank=rank)
    return redirect(practice.get_absolute_url())


@require_GET
@coordinator_required
def query_log(request):
    try:
        days = int(request.GET.get("days", 30))
    except ValueError:
        days = 30
    if days not in REPORT_PERIODS:
        days = 30
    report = query_report(days=days)
    return render(request, "search/query_log.html", {"report": report, "days": days, "periods": REPORT_PERIODS})


def _concept_choices():
    groups = {value: [] for value in ConceptCategory.values}
    for concept in Concept.objects.order_by("pref_label_fi"):
        groups[concept.category].append((concept.pk, str(concept)))
    return [("", "—")] + [(label, groups[value]) for value, label in ConceptCategory.choices if groups[value]]


class AddLabelForm(forms.Form):
    text = forms.CharField(label=_("Word or phrase"), max_length=200)
    concept = forms.TypedChoiceField(label=_("Concept"), coerce=int)
    language = forms.ChoiceField(label=_("Language"), choices=LabelLanguage.choices, required=False)
    kind = forms.ChoiceField(label=_("Kind of label"), choices=LabelKind.choices, initial=LabelKind.ALTERNATIVE)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["concept"].choices = _concept_choices()

    def clean_text(self):
        text = " ".join(self.cleaned_data["text"].split())
        if label_problem(text):
            raise ValidationError(label_problem(text))
        return text


@require_http_methods(["GET", "POST"])
@coordinator_required
def query_log_add(request):
    """Add a word of a logged query as a label of a concept; searches use it at once."""
    if request.method == "POST":
        form = AddLabelForm(request.POST)
        if form.is_valid():
            concept = Concept.objects.filter(pk=form.cleaned_data["concept"]).first()
            if concept is None:
                raise Http404
            data = form.cleaned_data
            if concept.labels.filter(text=data["text"], language=data["language"]).exists():
                form.add_error("text", _("The concept already has this label in this language."))
            else:
                label = concept_label_add(
                    concept=concept, text=data["text"], language=data["language"], kind=data["kind"],
                    actor=request.user,
                )
                messages.success(request, _("“%(label)s” is now a label of “%(concept)s”; searches use it at once.")
                                 % {"label": label.text, "concept": concept})
                return redirect(reverse("search:query_log"))
    else:
        language = request.GET.get("lang", "")
        form = AddLabelForm(initial={
            "text": request.GET.get("q", "")[:200],
            "language": language if language in LabelLanguage.values else "",
        })
    return render(request, "search/query_log_add.html", {"form": form})
