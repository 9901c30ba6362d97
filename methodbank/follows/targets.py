"""What can be followed and fed: a *target* is a kind (theme, subtheme, project, search, concept,
or the whole bank) and a key naming one of that kind. Feeds, follows and digests only ever ask a
target for its title, its page and its published entries, so a new kind (a facet value, say) is one
``TargetKind`` registered at the end of this module.

Keys are ASCII and short: slugs, ``theme/subtheme`` slugs, a concept's identifier, or a search's
words and filters as a canonical query string (sorted, without the page number).
"""

from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from urllib.parse import urlencode

from django.db.models import QuerySet
from django.http import QueryDict
from django.urls import reverse
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from methodbank.catalog.models import Practice, Project, Subtheme, Theme
from methodbank.catalog.selectors import placed_entries
from methodbank.catalog.translations import project_name
from methodbank.search.facets import all_facets, apply_filters, parse_filters
from methodbank.search.models import FACET_CATEGORIES, Concept, FacetAssignment, FacetStatus
from methodbank.search.selectors import search_entries

# A search of 500 characters, percent-encoded, with filters; a follow keeps at most Follow.key's length.
KEY_MAX_LENGTH = 4000


@dataclass
class Target:
    kind: str
    key: str
    # In the active language: a string, or a function that names it when asked (a search's filters
    # are named by queries the search page's feed link need not pay for).
    describe: str | Callable[[], str]
    page_url: str  # a path in the active language
    entries: Callable[[], QuerySet]  # published entries, unordered

    @cached_property
    def title(self) -> str:
        return self.describe if isinstance(self.describe, str) else self.describe()

    @property
    def feed_url(self) -> str:
        return feed_path(self.kind, self.key)


@dataclass(frozen=True)
class TargetKind:
    name: str
    segment: str  # the feed's address: /syotteet/<segment>/<key>/
    follow_label: str  # the button's text, e.g. "Follow this theme"
    resolve: Callable[[str], Target | None]  # None: no such target (the page answers 404)
    followable: bool = True
    # The target of an object a page already holds (its theme, its project), without a query.
    of_object: Callable[[object], Target] | None = None


_kinds: dict[str, TargetKind] = {}


def register_kind(kind: TargetKind) -> TargetKind:
    _kinds[kind.name] = kind
    return kind


def kind_get(name: str) -> TargetKind | None:
    return _kinds.get(name)


def kind_by_segment(segment: str) -> TargetKind | None:
    return next((kind for kind in _kinds.values() if kind.segment == segment), None)


def target_resolve(kind: str, key: str) -> Target | None:
    """The target a kind and key name, or None (unknown kind, bad key, nothing by that name)."""
    registered = _kinds.get(kind)
    if registered is None or not isinstance(key, str) or len(key) > KEY_MAX_LENGTH or "\x00" in key:
        return None
    if not key.isascii():
        return None
    return registered.resolve(key)


def feed_path(kind: str, key: str) -> str:
    if kind == "all":
        return reverse("follows:feed_all")
    if kind == "search":
        return reverse("follows:feed_search") + (f"?{key}" if key else "")
    return reverse("follows:feed", kwargs={"segment": _kinds[kind].segment, "key": key})


def _published() -> QuerySet:
    return Practice.objects.published()


def _language() -> str:
    return (get_language() or "fi")[:2]


# --- the kinds ----------------------------------------------------------------------------------


def _all(key: str) -> Target | None:
    if key:
        return None
    return Target("all", "", _("All entries"), reverse("core:home"), _published)


def _theme(key: str) -> Target | None:
    theme = Theme.objects.filter(slug=key).first()
    return _theme_target(theme) if theme else None


def _theme_target(theme: Theme) -> Target:
    return Target(
        "theme", theme.slug, f"{theme.code}. {theme.local_name}", theme.get_absolute_url(),
        lambda: placed_entries(theme=theme),
    )


def _subtheme(key: str) -> Target | None:
    theme_slug, _slash, slug = key.partition("/")
    subtheme = Subtheme.objects.select_related("theme").filter(theme__slug=theme_slug, slug=slug).first()
    return _subtheme_target(subtheme) if subtheme else None


def _subtheme_target(subtheme: Subtheme) -> Target:
    return Target(
        "subtheme", f"{subtheme.theme.slug}/{subtheme.slug}", f"{subtheme.local_name} ({subtheme.theme.code}. {subtheme.theme.local_name})",
        subtheme.get_absolute_url(),
        lambda: placed_entries(subtheme=subtheme),
    )


def _project(key: str) -> Target | None:
    project = Project.objects.published().prefetch_related("translations").filter(slug=key).first()
    return _project_target(project) if project else None


def _project_target(project: Project) -> Target:
    return Target(
        "project", project.slug, str(project_name(project=project)), project.get_absolute_url(),
        lambda: _published().filter(project=project),
    )


def search_key(params) -> str:
    """The canonical key of a search from its GET parameters (a QueryDict or a query string): the
    words and the known filters, sorted, without the page or anything else."""
    if isinstance(params, str):
        params = QueryDict(params)
    text = " ".join(params.get("q", "").replace("\x00", "").split())[:500]
    filters = parse_filters(params)
    pairs = [("q", text)] if text else []
    pairs += sorted((param, value) for param, values in filters.items() for value in values)
    return urlencode(pairs)


def _search_entries(text: str, filters: dict) -> QuerySet:
    if not text:
        return apply_filters(_published(), filters)
    results = search_entries(text=text, filters=filters, language=_language())
    return _published().filter(pk__in=[entry.practice_id for entry in results.entries])


def _search(key: str) -> Target | None:
    if not key or search_key(key) != key:
        # Only the canonical form: one search, one follow and one cached feed.
        return None
    params = QueryDict(key)
    text, filters = params.get("q", ""), parse_filters(params)
    return Target(
        "search", key, lambda: _search_title(text, filters), reverse("search:search") + "?" + key,
        lambda: _search_entries(text, filters),
    )


def _search_title(text: str, filters: dict) -> str:
    """"Search: ohjaus (Theme: A. Smooth transition into education)": the filters by their labels, as
    the search page's chips show them (one grouped query per filtered facet)."""
    title = _("Search: %(words)s") % {"words": text} if text else _("Search")
    described = []
    selected = apply_filters(_published(), filters)
    for facet in all_facets():
        values = filters.get(facet.param)
        if values:
            labels = {value: label for value, label, _count in facet.counts(selected)}
            described.append(f"{facet.label}: {', '.join(labels.get(value, value) for value in values)}")
    return f"{title} ({'; '.join(described)})" if described else title


def _concept(key: str) -> Target | None:
    concept = Concept.objects.filter(identifier=key).first()
    return _concept_target(concept) if concept else None


def _concept_target(concept: Concept) -> Target:
    labels = dict(concept.pref_labels())
    label = labels.get(_language()) or concept.pref_label_fi
    if concept.facet_value and concept.category in FACET_CATEGORIES:
        # A browse value (target group, education level, transition stage): the entries a coordinator
        # confirmed for it, as its browse page lists them.
        return Target(
            "concept", concept.identifier, label, concept.get_absolute_url(),
            lambda: _published().filter(
                pk__in=FacetAssignment.objects.filter(concept=concept, status=FacetStatus.CONFIRMED)
                .values("practice_id")
            ),
        )
    # Any other concept's entries are those a search for it finds: the search widens its preferred
    # label with all of its labels in every language (search/thesaurus.py).
    return Target(
        "concept", concept.identifier, label,
        reverse("search:search") + "?" + urlencode({"q": concept.pref_label_fi}),
        lambda: _search_entries(concept.pref_label_fi, {}),
    )


register_kind(TargetKind("all", "", gettext_lazy("Follow the bank"), _all, followable=False))
register_kind(TargetKind("theme", "teemat", gettext_lazy("Follow this theme"), _theme, of_object=_theme_target))
register_kind(
    TargetKind("subtheme", "alateemat", gettext_lazy("Follow this subtheme"), _subtheme, of_object=_subtheme_target)
)
register_kind(
    TargetKind("project", "hankkeet", gettext_lazy("Follow this project"), _project, of_object=_project_target)
)
register_kind(TargetKind("search", "haku", gettext_lazy("Follow this search"), _search))
register_kind(
    TargetKind("concept", "kasitteet", gettext_lazy("Follow this concept"), _concept, of_object=_concept_target)
)
