import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from methodbank.catalog.models import PracticeKind
from methodbank.catalog.tests.factories import KeywordFactory
from methodbank.reports.builder import EmptySelectionError, build_report_context
from methodbank.reports.models import ThemeIntroduction
from methodbank.reports.renderers import render_report

from .factories import ReportDefinitionFactory, small_catalog, small_report_definition

pytestmark = pytest.mark.django_db


def _theme(report, code):
    return next(t for t in report["themes"] if t["code"] == code)


def _listed(report):
    """(entry title, theme code, subtheme name, group) for every listing in the report."""
    rows = []
    for theme in report["themes"]:
        for section in theme["subthemes"]:
            rows += [(e["title"], theme["code"], section["name"], "models") for e in section["models"]]
            for group in section["periods"]:
                rows += [(e["title"], theme["code"], section["name"], group["label"]) for e in group["entries"]]
    return rows


def test_each_entry_is_listed_once_in_every_place_it_belongs():
    catalog = small_catalog()
    report = build_report_context(small_report_definition(catalog))
    rows = _listed(report)
    assert len(rows) == len(set(rows)), "an entry is listed twice in the same place"
    titles = [r[0] for r in rows]
    assert titles.count("Tutustujan perehdytys") == 2  # model: A/Hakeutuminen and B/Työkalut
    assert titles.count("Koulutuskokeilu") == 2  # two subthemes of theme A
    assert titles.count("Vertaisryhmät") == 1
    assert "Luonnos" not in titles  # drafts never appear


def test_models_come_first_then_good_practices_by_period_newest_first():
    catalog = small_catalog()
    catalog["twice"].placements.create(theme=catalog["themes"][0], subtheme=catalog["subthemes"][0], period=None)
    report = build_report_context(small_report_definition(catalog))
    section = _theme(report, "A")["subthemes"][0]
    assert section["name"] == "Testi: Hakeutuminen"
    assert [e["title"] for e in section["models"]] == ["Tutustujan perehdytys"]
    labels = [g["label"] for g in section["periods"]]
    assert "Uusi kausi" in labels[0] and "Vanha kausi" in labels[1] and "without a period" in labels[2]
    assert section["description"] == ["Osateeman johdanto."]


def test_entry_shows_project_and_absolute_link_to_the_bank(settings):
    catalog = small_catalog()
    report = build_report_context(small_report_definition(catalog))
    model = _theme(report, "A")["subthemes"][0]["models"][0]
    assert model["project"] == "Testi SOPU"
    assert model["summary"] == "Mallin kuvaus."
    assert model["url"] == "https://bank.example" + catalog["model"].get_absolute_url()


def test_theme_counts_are_computed_and_fill_the_texts():
    catalog = small_catalog()
    definition = small_report_definition(catalog)
    ThemeIntroduction.objects.create(
        definition=definition, theme=catalog["themes"][0], text="<p>Teemassa {entries} kuvausta, uusia {new}.</p>"
    )
    report = build_report_context(definition)
    a, b = _theme(report, "A"), _theme(report, "B")
    assert a["counts"] == {"models": 1, "good_practices": 2, "entries": 3, "new": 2, "earlier": 1}
    assert b["counts"] == {"models": 1, "good_practices": 0, "entries": 1, "new": 1, "earlier": 0}
    assert a["intro_html"] == "<p>Teemassa 3 kuvausta, uusia 2.</p>"
    assert report["counts"]["entries"] == 3 and report["counts"]["new"] == 2
    assert report["preface_html"] == (
        "<p>Raportissa on 3 kuvausta, joista 2 uusia. Teemassa A on 3, teemassa B 1 mallia.</p>"
    )


def test_selection_by_kind_keyword_project_and_date():
    catalog = small_catalog()
    keyword = KeywordFactory(name="sujuvat siirtymät")
    catalog["newer"].keywords.add(keyword)
    definition = small_report_definition(catalog)

    definition.kinds = [PracticeKind.MODEL]
    assert set(build_report_context(definition)["entries"]) == {str(catalog["model"].pk)}

    definition.kinds = []
    definition.keywords.set([keyword])
    assert set(build_report_context(definition)["entries"]) == {str(catalog["newer"].pk)}

    definition.keywords.clear()
    definition.projects.set([catalog["projects"][1]])
    report = build_report_context(definition)
    assert set(report["entries"]) == {str(catalog["newer"].pk), str(catalog["twice"].pk)}
    # A selection narrowed to one project describes only that project in the annexes.
    assert [p["name"] for g in report["annex_list"] for p in g["projects"]] == ["Testi Vetovoimala"]

    definition.projects.clear()
    catalog["twice"].published_at = timezone.now() - datetime.timedelta(days=400)
    catalog["twice"].save()
    definition.date_to = (timezone.now() - datetime.timedelta(days=300)).date()
    assert set(build_report_context(definition)["entries"]) == {str(catalog["twice"].pk)}


def test_selection_by_period_counts_new_against_the_newest_selected_period():
    catalog = small_catalog()
    definition = small_report_definition(catalog)
    definition.periods.set([catalog["periods"][1]])
    report = build_report_context(definition)
    assert set(report["entries"]) == {str(catalog["twice"].pk)}
    assert report["current_period"]["code"] == "test-old"
    assert _theme(report, "A")["counts"]["new"] == 1


def test_annexes_group_projects_by_theme_and_scope():
    catalog = small_catalog()
    report = build_report_context(small_report_definition(catalog))
    annex_a = next(a for a in report["annex_themes"] if a["code"] == "A")
    by_scope = {g["scope"]: [p["name"] for p in g["projects"]] for g in annex_a["groups"]}
    assert "Testi SOPU" in by_scope["national"]
    # The regional project works on theme B but has entries in theme A: it is described under A too.
    assert "Testi Vetovoimala" in by_scope["regional"]
    listed = {p["name"]: p for g in report["annex_list"] for p in g["projects"]}
    assert listed["Testi SOPU"]["ends_on"] == "12/2017"
    assert listed["Testi SOPU"]["lead"]


def test_empty_selection_is_refused_with_a_clear_message():
    definition = ReportDefinitionFactory(kinds=[PracticeKind.MODEL], title="Tyhjä")
    definition.keywords.set([KeywordFactory(name="ei käytössä")])
    with pytest.raises(EmptySelectionError, match="selects no published entries"):
        build_report_context(definition)


def test_unknown_placeholder_is_a_validation_error():
    definition = ReportDefinitionFactory(preface="<p>{entires}</p>")
    with pytest.raises(ValidationError, match="entires"):
        definition.full_clean()


def test_rich_text_is_sanitised_on_save():
    definition = ReportDefinitionFactory(
        preface='<p onclick="x()">Hei <script>alert(1)</script><a href="javascript:alert(1)">linkki</a></p>'
    )
    definition.refresh_from_db()
    assert "script" not in definition.preface and "onclick" not in definition.preface
    assert "javascript" not in definition.preface and "Hei" in definition.preface


def test_builder_queries_do_not_grow_with_the_catalog(django_assert_max_num_queries):
    catalog = small_catalog()
    definition = small_report_definition(catalog)
    build_report_context(definition)  # warm up content types etc.
    with django_assert_max_num_queries(16):  # 15, and 1 for the most adopted models
        build_report_context(definition)


def test_every_format_renders_from_the_same_context():
    catalog = small_catalog()
    report = build_report_context(small_report_definition(catalog))
    html = render_report(report, "html").decode()
    assert "Tutustujan perehdytys" in html and "(Testi SOPU)" in html
    assert render_report(report, "pdf").startswith(b"%PDF")
    assert render_report(report, "docx").startswith(b"PK")


def test_selection_by_evaluation_status():
    catalog = small_catalog()
    definition = small_report_definition(catalog)
    definition.evaluation_statuses = ["not_evaluated"]
    assert len(build_report_context(definition)["entries"]) == 3  # nothing in the small catalog is evaluated
    definition.evaluation_statuses = ["recommended"]
    with pytest.raises(EmptySelectionError):
        build_report_context(definition)

    # The model is peer-evaluated, then recommended by the experts: now the filter selects it alone.
    from methodbank.evaluation import services as evaluation
    from methodbank.evaluation.models import Outcome
    from methodbank.evaluation.tests.factories import EvaluationEventFactory, UserFactory, scores

    model = catalog["model"]
    event = EvaluationEventFactory(models_on_agenda=[model])
    evaluation.peer_assessment_save(event=event, practice=model, anonymous_id="a", scores=scores(event.criteria_set))
    evaluation.expert_recommendation_decide(
        event=event, practice=model, by=UserFactory(), outcome=Outcome.RECOMMENDED, rationale="Valmis.",
        decided_on=datetime.date(2026, 12, 2),
    )
    assert set(build_report_context(definition)["entries"]) == {str(model.pk)}
    definition.evaluation_statuses = ["excellent"]
    with pytest.raises(ValidationError, match="excellent"):
        definition.full_clean()


def test_most_adopted_models_section_from_approved_records():
    import io

    import docx

    from methodbank.catalog.models import AdoptionStatus
    from methodbank.catalog.tests.factories import AdoptionFactory, ModelPracticeFactory

    catalog = small_catalog()
    definition = small_report_definition(catalog)
    definition.language = "fi"  # the region names follow the report's language
    definition.save()
    report = build_report_context(definition)
    assert report["most_adopted"] == [] and "most-adopted" not in [item["anchor"] for item in report["toc"]]

    model = catalog["model"]
    AdoptionFactory(model=model, organisation="Omnia", municipality="049")  # Espoo, Uusimaa
    AdoptionFactory(model=model, organisation="Stadin AO", municipality="091")  # Helsinki, Uusimaa
    AdoptionFactory(model=model, organisation="Osao", municipality="564")  # Oulu, Pohjois-Pohjanmaa
    AdoptionFactory(model=model, organisation="Sedu", municipality="743", status=AdoptionStatus.PENDING)
    AdoptionFactory(model=ModelPracticeFactory(title="Valitsematon malli"), organisation="Gradia")  # not selected
    report = build_report_context(definition)
    (row,) = report["most_adopted"]
    assert (row["title"], row["organisations"], row["region_count"]) == ("Tutustujan perehdytys", 3, 2)
    assert [(r["name"], r["count"]) for r in row["regions"]] == [("Uusimaa", 2), ("Pohjois-Pohjanmaa", 1)]
    assert "most-adopted" in [item["anchor"] for item in report["toc"]]

    html = render_report(report, "html").decode()
    assert 'id="most-adopted"' in html and 'data-count="organisations">3<' in html
    text = "\n".join(
        cell.text for table in docx.Document(io.BytesIO(render_report(report, "docx"))).tables
        for row in table.rows for cell in row.cells
    )
    assert "Uusimaa 2, Pohjois-Pohjanmaa 1" in text
    assert render_report(report, "pdf").startswith(b"%PDF")
