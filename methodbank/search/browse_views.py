"""Browse pages of the facets (target group, education level, transition stage), and the
coordinator's screen that confirms or rejects the suggested values, one value at a time."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from methodbank.accounts.roles import coordinator_required
from methodbank.catalog import extensions
from methodbank.catalog import selectors as catalog_selectors
from methodbank.catalog.models import Theme
from methodbank.core.cache import cache_public_page
from methodbank.core.pagination import paginate
from methodbank.core.params import parse_id

from . import selectors, services
from .facets import CONCEPT_FACETS
from .models import ConceptCategory, FacetStatus

# The review screen lists at most this many suggestions of one value at a time (strongest first);
# deciding them brings the next ones.
REVIEW_PAGE = 200


@require_GET
@cache_public_page
def browse_index(request):
    return render(request, "search/browse_index.html", {"categories": selectors.facet_categories()})


@require_GET
@cache_public_page
def browse_facet(request, identifier):
    concept = selectors.facet_value_get(identifier=identifier)
    theme = None
    theme_slug = request.GET.get("theme", "")
    if theme_slug:
        theme = Theme.objects.filter(slug=theme_slug[:100]).first()
        if theme is None:  # a made-up theme is no page of this list
            raise Http404("No such theme")
    counts = selectors.facet_value_counts_by_kind(concept=concept, theme=theme)
    page = paginate(
        request, selectors.facet_value_entries(concept=concept, theme=theme, counts=counts),
        per_page=catalog_selectors.LIST_PAGE_SIZE, keep=("theme",),
    )
    groups = catalog_selectors.kind_groups(page.object_list)
    extensions.annotate_listing(p for g in groups if g.is_models for p in g.entries)
    facet = CONCEPT_FACETS[concept.category]
    search_params = [(facet.param, concept.identifier)] + ([("theme", theme.slug)] if theme else [])
    return render(
        request,
        "search/browse_facet.html",
        {
            "concept": concept,
            "category_label": dict(ConceptCategory.choices)[concept.category],
            "theme": theme,
            "themes": selectors.facet_value_theme_counts(concept=concept),
            "counts": counts,
            "page": page,
            "groups": groups,
            "search_url": reverse("search:search") + "?" + urlencode(search_params),
        },
    )


@require_GET
@coordinator_required
def facet_review_index(request):
    return render(request, "search/facet_review_index.html", {"values": selectors.facet_review_values()})


@require_http_methods(["GET", "POST"])
@coordinator_required
def facet_review(request, identifier):
    concept = selectors.facet_value_get(identifier=identifier)
    if request.method == "POST":
        action = request.POST.get("action")
        if action not in ("confirm", "reject"):
            raise Http404("No such action")
        ids = [i for i in (parse_id(v) for v in request.POST.getlist("entry")[:REVIEW_PAGE]) if i is not None]
        if not ids:
            messages.error(request, _("Choose at least one entry."))
        else:
            changed = services.facet_assignments_decide(
                concept=concept, practice_ids=ids, confirm=action == "confirm", by=request.user
            )
            if action == "confirm":
                messages.success(request, _("Entries confirmed for “%(value)s”: %(n)d.") % {"n": changed, "value": concept.local_label()})
            else:
                messages.success(request, _("Suggestions rejected for “%(value)s”: %(n)d.") % {"n": changed, "value": concept.local_label()})
        return redirect("search:facet_review", identifier=concept.identifier)
    suggestions = selectors.facet_review_suggestions(concept=concept)
    return render(
        request,
        "search/facet_review.html",
        {
            "concept": concept,
            "category_label": dict(ConceptCategory.choices)[concept.category],
            "suggestions": list(suggestions[:REVIEW_PAGE]),
            "waiting": suggestions.count(),
            "confirmed": selectors.facet_review_suggestions(concept=concept, status=FacetStatus.CONFIRMED).count(),
        },
    )
