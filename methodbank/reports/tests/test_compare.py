"""The report comparison and "what's new since a version" use one diff over an entry's whole content."""

import copy

import pytest

from methodbank.catalog.models import PracticeAttachment, PracticeKind
from methodbank.catalog.tests.factories import (
    KeywordFactory,
    PlacementFactory,
    PracticeLinkFactory,
    PracticeTranslationFactory,
    SubthemeFactory,
)
from methodbank.contributions.content import TEXT_FIELDS
from methodbank.reports.builder import build_report_context
from methodbank.reports.compare import report_compare

from .factories import small_catalog, small_report_definition

pytestmark = pytest.mark.django_db


def test_a_changed_results_field_counts_as_a_changed_entry():
    catalog = small_catalog()
    definition = small_report_definition(catalog)
    before = build_report_context(definition)
    catalog["model"].results_and_indicators = "Keskeyttäneitä 40 % vähemmän."
    catalog["model"].save()

    comparison = report_compare(new_context=build_report_context(definition), old_context=before)

    assert [c.entry["title"] for c in comparison.changed] == ["Tutustujan perehdytys"]
    assert [f["key"] for f in comparison.changed[0].fields] == ["results_and_indicators"]


def _set_text(name):
    def change(catalog):
        practice = catalog["model"]
        setattr(practice, name, f"{getattr(practice, name)} Muutettu.")
        practice.save()
        return practice

    return change


def _kind(catalog):
    practice = catalog["twice"]
    practice.kind = PracticeKind.MODEL
    practice.save()
    return practice


def _model_criteria(catalog):
    practice = catalog["model"]
    practice.model_criteria = ["piloted", "adoptable", "national"]
    practice.save()
    return practice


def _project(catalog):
    practice = catalog["model"]
    practice.project = catalog["projects"][1]
    practice.save()
    return practice


def _applies_model(catalog):
    practice = catalog["twice"]
    practice.applies_model = catalog["model"]
    practice.save()
    return practice


def _placements(catalog):
    # A place outside the report's selection: the report's places stay, the entry's content does not.
    practice = catalog["model"]
    PlacementFactory(practice=practice, theme=catalog["themes"][1], subtheme=SubthemeFactory(theme=catalog["themes"][1]),
                     period=catalog["periods"][0])
    return practice


def _keywords(catalog):
    practice = catalog["model"]
    practice.keywords.add(KeywordFactory(name="nivelvaihe"))
    return practice


def _links(catalog):
    return PracticeLinkFactory(practice=catalog["model"]).practice


def _attachments(catalog):
    practice = catalog["model"]
    PracticeAttachment.objects.create(practice=practice, file="attachments/x", original_name="opas.pdf",
                                      content_type="application/pdf", size=1234, public=True)
    return practice


def _translations(catalog):
    return PracticeTranslationFactory(practice=catalog["model"], language="sv").practice


CHANGES = [(name, _set_text(name), [name]) for name in TEXT_FIELDS] + [
    ("kind", _kind, ["kind"]),
    ("model_criteria", _model_criteria, ["model_criteria"]),
    ("project", _project, ["project_name"]),
    ("applies_model", _applies_model, ["applies_model_title"]),
    ("placements", _placements, ["placements"]),
    ("keywords", _keywords, ["keywords"]),
    ("links", _links, ["links"]),
    ("attachments", _attachments, ["attachments"]),
    ("translations", _translations, ["translations.sv.title", "translations.sv.summary"]),
]


@pytest.mark.parametrize(("name", "change", "keys"), CHANGES, ids=[c[0] for c in CHANGES])
def test_every_field_of_an_entry_counts(name, change, keys):
    catalog = small_catalog()
    definition = small_report_definition(catalog)
    before = build_report_context(definition)

    changed = change(catalog)
    comparison = report_compare(new_context=build_report_context(definition), old_context=before)

    assert [(c.entry["id"], c.field_keys) for c in comparison.changed] == [(changed.pk, keys)]
    assert not comparison.new and not comparison.removed


def test_every_content_field_is_covered_by_the_parametrised_test():
    from methodbank.contributions.content import PracticeContent

    covered = {name for name, _change, _keys in CHANGES}
    # Ids and labels travel together: project with project_name, applies_model with its title.
    skipped = {"schema_version", "project_name", "applies_model_title"}
    assert set(PracticeContent.model_fields) - skipped == covered


def test_what_a_team_keeps_private_never_enters_the_snapshot():
    catalog = small_catalog()
    definition = small_report_definition(catalog)
    before = build_report_context(definition)
    model = catalog["model"]
    PracticeAttachment.objects.create(practice=model, file="attachments/y", original_name="salainen.pdf",
                                      content_type="application/pdf", size=1, public=False)
    model.keywords.add(KeywordFactory(name="ehdotettu", approved=False))
    draft_model = catalog["draft"]
    draft_model.kind = PracticeKind.MODEL
    draft_model.save()
    catalog["twice"].applies_model = draft_model
    catalog["twice"].save()

    after = build_report_context(definition)

    assert not report_compare(new_context=after, old_context=before).has_differences
    frozen = str(after["entries"])
    assert "salainen.pdf" not in frozen and "ehdotettu" not in frozen and "Luonnos" not in frozen


def test_a_version_published_before_entries_carried_their_content_compares_what_it_froze():
    catalog = small_catalog()
    definition = small_report_definition(catalog)
    legacy = copy.deepcopy(build_report_context(definition))
    for entry in legacy["entries"].values():
        del entry["content"]
    model = catalog["model"]
    model.results_and_indicators = "Uudet tulokset."
    model.summary = "Uusi tiivistelmä."
    model.save()

    comparison = report_compare(new_context=build_report_context(definition), old_context=legacy)

    # Not every field of every entry: only what the old version froze (the summary; not the results).
    assert [(c.entry["title"], c.field_keys) for c in comparison.changed] == [("Tutustujan perehdytys", ["summary"])]
