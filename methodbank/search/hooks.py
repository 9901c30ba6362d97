"""What search adds to the pages of the apps below it, registered in SearchConfig.ready(): similar
entries and the confirmed browse values on an entry's page, possible duplicates in the
coordinator's queue, "browse by" on the front page and the browse values in the entry form."""

from django import forms
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _

from methodbank.catalog import extensions

from . import selectors, services
from .facets import CONCEPT_FACETS
from .models import FACET_CATEGORIES, Concept, ConceptCategory, FacetAssignment, FacetSource, FacetStatus

SIMILAR_LIMIT = 5


def similar_entries_block(request, practice) -> str:
    """A section listing the entries most like this one, at the end of an entry's page."""
    return render_to_string(
        "search/_similar.html", {"similar": services.similar_entries(practice=practice, limit=SIMILAR_LIMIT)}
    )


def duplicates_for_queue(**kwargs) -> list:
    # Looked up when called, so a test or a bench may replace services.find_duplicates.
    return services.find_duplicates(**kwargs)


def entry_facets_block(request, practice) -> str:
    """The entry's confirmed target groups, education levels and transition stages, linked to
    their browse pages (under the entry's facts)."""
    return render_to_string("search/_entry_facets.html", {"groups": selectors.practice_facet_values(practice=practice)})


def front_page_browse_block(request) -> str:
    return render_to_string(
        "search/_front_browse.html", {"categories": selectors.facet_categories(with_empty=False)}, request=request
    )


FORM_HELP = {
    ConceptCategory.TARGET_GROUP: _("Whom the entry is for. Choose all that fit."),
    ConceptCategory.EDUCATION: _("The education the entry takes place in or leads to. Choose all that fit."),
    ConceptCategory.TRANSITION: _("The transitions the entry makes smoother. Choose all that fit."),
}


class BrowseValuesFormPart:
    """The browse values in the contributor's entry form: one group of checkboxes per facet. The
    form shows the confirmed values and the contributor's own waiting choices; a new choice waits
    for a coordinator's confirmation, a cleared value is rejected (services.practice_facets_set)."""

    def _field_name(self, category):
        return f"facet_{CONCEPT_FACETS[category].param}"

    def fields(self, practice) -> dict:
        concepts = Concept.objects.filter(facet_value=True, category__in=FACET_CATEGORIES).order_by("pref_label_fi")
        choices = {category: [] for category in FACET_CATEGORIES}
        for concept in concepts:
            choices[concept.category].append((str(concept.pk), concept.local_label()))
        return {
            self._field_name(category): forms.MultipleChoiceField(
                label=CONCEPT_FACETS[category].label, choices=options, required=False,
                widget=forms.CheckboxSelectMultiple, help_text=FORM_HELP[category],
            )
            for category, options in choices.items()
            if options
        }

    def initial(self, practice) -> dict:
        if practice is None:
            return {}
        chosen = {category: [] for category in FACET_CATEGORIES}
        rows = FacetAssignment.objects.filter(
            Q(status=FacetStatus.CONFIRMED) | Q(status=FacetStatus.SUGGESTED, source=FacetSource.CONTRIBUTOR),
            practice=practice,
        ).values_list("concept_id", "concept__category")
        for concept_id, category in rows:
            if category in chosen:
                chosen[category].append(str(concept_id))
        return {self._field_name(category): ids for category, ids in chosen.items()}

    def save(self, *, practice, cleaned_data, by) -> None:
        names = [self._field_name(category) for category in FACET_CATEGORIES]
        if not any(name in cleaned_data for name in names):
            return
        ids = [int(v) for name in names for v in (cleaned_data.get(name) or [])]
        services.practice_facets_set(practice=practice, concept_ids=ids, by=by)


browse_values_form_part = BrowseValuesFormPart()

# The open data exports carry each entry's confirmed browse values as vocabulary identifiers (the
# names in three languages are in the API's /facet-values and on the browse pages /selaa/<id>/).
EXPORT_COLUMNS = {
    ConceptCategory.TARGET_GROUP: "target_groups",
    ConceptCategory.EDUCATION: "education_levels",
    ConceptCategory.TRANSITION: "transition_stages",
}
EXPORT_DESCRIPTIONS = {
    "target_groups": 'Confirmed target groups: identifiers of the vocabulary\'s concepts, " | " between them.',
    "education_levels": 'Confirmed education levels and institutions: concept identifiers, " | " between them.',
    "transition_stages": 'Confirmed transition stages: concept identifiers, " | " between them.',
}


def export_browse_values(ids) -> dict:
    values: dict = {}
    rows = (
        FacetAssignment.objects.filter(
            practice_id__in=list(ids), status=FacetStatus.CONFIRMED, concept__facet_value=True,
            concept__category__in=FACET_CATEGORIES,
        )
        .order_by("concept__identifier")
        .values_list("practice_id", "concept__category", "concept__identifier")
    )
    for practice_id, category, identifier in rows:
        values.setdefault(practice_id, {}).setdefault(EXPORT_COLUMNS[category], []).append(identifier)
    return values


def register():
    extensions.register_entry_block("related", similar_entries_block)
    extensions.register_entry_block("status", entry_facets_block)
    extensions.register_duplicate_finder(duplicates_for_queue)  # the coordinator's queue
    extensions.register_front_page_block(front_page_browse_block)
    extensions.register_entry_form_part(browse_values_form_part)
    extensions.register_export_fields(
        "entries",
        columns=[(name, "string", EXPORT_DESCRIPTIONS[name]) for name in EXPORT_COLUMNS.values()],
        provider=export_browse_values,
    )
