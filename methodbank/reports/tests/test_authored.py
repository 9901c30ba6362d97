"""Authored report text cannot contradict its data (issue 20, item 5): the small template syntax,
and the check that blocks publishing and ``build_report``, with definitions written to fail each rule."""

import datetime
import importlib
import io

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError

from methodbank.catalog.models import Placement, PublicationStatus, Subtheme
from methodbank.catalog.tests.factories import ModelPracticeFactory
from methodbank.reports.authored import render_authored
from methodbank.reports.builder import build_report_context
from methodbank.reports.models import ReportDefinition, ThemeIntroduction
from methodbank.reports.renderers import render_report
from methodbank.reports.services import report_publish

from .factories import small_catalog, small_report_definition

pytestmark = pytest.mark.django_db

# The small catalog's newest period runs 1.1.2030–31.12.2031.
DURING = datetime.datetime(2030, 6, 1, 12, tzinfo=datetime.UTC)
AFTER = datetime.datetime(2032, 6, 1, 12, tzinfo=datetime.UTC)


def _definition(*, preface="", intros=None, **kwargs):
    catalog = small_catalog()
    definition = small_report_definition(catalog, preface=preface, **kwargs)
    for code, text in (intros or {}).items():
        theme = next(t for t in catalog["themes"] if t.code == code)
        ThemeIntroduction.objects.create(definition=definition, theme=theme, text=text)
    return catalog, definition


def _problems(definition, now=DURING):
    return build_report_context(definition, now=now)["contradictions"]


def _theme(report, code):
    return next(t for t in report["themes"] if t["code"] == code)


# --- Rule 1: a set claimed empty while it is not, or presented while it is empty -------------------------


def test_a_sentence_saying_there_are_no_models_where_there_are_is_reported_with_its_reason():
    # Theme B has one model.
    _catalog, definition = _definition(intros={"B": "<p>Teema on laaja. Malleja tähän teemaan ei ole vielä kuvattu.</p>"})
    problems = _problems(definition)
    assert len(problems) == 1
    assert problems[0]["sentence"] == "Malleja tähän teemaan ei ole vielä kuvattu."
    assert "theme B" in problems[0]["where"]
    assert "no models" in problems[0]["reason"] and "1" in problems[0]["reason"]


def test_a_sentence_presenting_good_practices_where_there_are_none_is_reported():
    # Theme B has no good practices.
    _catalog, definition = _definition(intros={"B": "<p>Alla esitellään seuraavat hyvät käytännöt.</p>"})
    problems = _problems(definition)
    assert [p["sentence"] for p in problems] == ["Alla esitellään seuraavat hyvät käytännöt."]
    assert "none" in problems[0]["reason"]


def test_english_and_swedish_claims_are_read_too():
    _catalog, definition = _definition(intros={
        "A": "<p>There are no models in this theme yet.</p>",
        "B": "<p>Inga modeller har beskrivits.</p>",
    })
    assert len(_problems(definition)) == 2


def test_a_subtheme_description_that_the_data_has_overtaken_is_reported():
    catalog, definition = _definition()
    # The seed's wording, on a subtheme that has a model.
    Subtheme.objects.filter(pk=catalog["subthemes"][0].pk).update(
        description="Malleja tähän ei ole vielä kuvattu menetelmäpankkiin."
    )
    problems = _problems(definition)
    assert [p["sentence"] for p in problems] == ["Malleja tähän ei ole vielä kuvattu menetelmäpankkiin."]
    assert "Testi: Hakeutuminen" in problems[0]["where"]


def test_a_conditional_block_prints_the_claim_only_where_it_holds():
    text = "<p>{if no models}Malleja ei ole vielä kuvattu.{else}Malleja on {models}.{end}</p>" \
           "<p>{if good_practices}Hyviä käytäntöjä on {good_practices}.{end}</p>"
    _catalog, definition = _definition(intros={"A": text, "B": text})
    report = build_report_context(definition, now=DURING)
    assert report["contradictions"] == []
    assert _theme(report, "A")["intro_html"] == "<p>Malleja on 1.</p><p>Hyviä käytäntöjä on 2.</p>"
    # Theme B: no good practices, so that paragraph is gone entirely (no empty <p>).
    assert _theme(report, "B")["intro_html"] == "<p>Malleja on 1.</p>"

    # The same text where there are no models prints the other branch.
    rendered = render_authored(text, counts={"models": 0, "good_practices": 0}, theme_counts={}, periods={})
    assert rendered == "<p>Malleja ei ole vielä kuvattu.</p>"


# --- Rule 2: a literal number where a computed one exists -----------------------------------------------


def test_a_hand_written_count_is_reported_and_a_computed_one_is_not():
    _catalog, definition = _definition(
        preface="<p>Raportissa on 34 käytäntöä tai mallia. Uusia on {new} kappaletta.</p>"
        "<p>Rahoituskausi 2014-2020 ja hanke 1.5.2019-31.12.2021 sekä tavoitteet 1) ja 2).</p>",
        intros={"A": "<p>Teemaan on syntynyt 5 uutta mallia.</p>"},
    )
    problems = _problems(definition)
    assert sorted(p["sentence"] for p in problems) == [
        "Raportissa on 34 käytäntöä tai mallia.", "Teemaan on syntynyt 5 uutta mallia."]
    assert any("“34 käytäntöä”" in p["reason"] and "{entries}" in p["reason"] for p in problems)


def test_a_hand_written_count_hidden_in_a_block_is_reported_too():
    _catalog, definition = _definition(preface="<p>{if no models}Malleja on 12 mallia.{end}</p>")
    assert [p["sentence"] for p in _problems(definition)] == ["Malleja on 12 mallia."]


# --- Rule 3: a period called current after its end date -------------------------------------------------


def test_a_period_called_current_after_its_end_is_reported_and_its_dates_are_offered():
    _catalog, definition = _definition(preface="<p>Uusia nykyisellä kaudella: {new}.</p><p>New in the current period.</p>")
    assert _problems(definition, now=DURING) == []
    problems = _problems(definition, now=AFTER)
    assert len(problems) == 2
    ended = build_report_context(definition, now=AFTER)["newest_period"]["dates"].split("–")[1]
    assert ended in problems[0]["reason"] and "2031" in ended and "{newest_period_dates}" in problems[0]["reason"]


def test_periods_are_named_by_their_dates_in_text_and_headings():
    _catalog, definition = _definition(preface="<p>Kaudella {newest_period_dates} syntyi {new} uutta.</p>")
    report = build_report_context(definition, now=AFTER)
    assert report["contradictions"] == []
    dates = report["newest_period"]["dates"]
    assert "2030" in dates and "2031" in dates
    assert report["preface_html"] == f"<p>Kaudella {dates} syntyi 2 uutta.</p>"
    html = render_report(report, "html").decode()
    assert f"New in {dates}" in html and "current period" not in html


# --- Blocking and syntax --------------------------------------------------------------------------------


def test_publishing_refuses_a_contradicting_report_and_names_the_sentence(coordinator):
    _catalog, definition = _definition(intros={"B": "<p>Malleja tähän teemaan ei ole vielä kuvattu.</p>"})
    with pytest.raises(ValidationError) as error:
        report_publish(definition=definition, by=coordinator)
    assert "Malleja tähän teemaan ei ole vielä kuvattu." in error.value.messages[0]
    assert not definition.published_versions.exists()


def test_build_report_refuses_a_contradicting_report_and_writes_nothing(tmp_path):
    _catalog, definition = _definition(preface="<p>Raportissa on 34 käytäntöä.</p>")
    out = tmp_path / "r.html"
    with pytest.raises(CommandError, match="34 käytäntöä"):
        call_command("build_report", "--definition", definition.slug, "--format", "html", "--out", str(out))
    assert not out.exists()


@pytest.mark.parametrize("text", [
    "<p>{if models}kesken</p>", "<p>{end}</p>", "<p>{if models}{if new}x{end}{end}</p>", "<p>{if mallit}x{end}</p>",
    "<p>{else}</p>",
])
def test_broken_syntax_is_refused_when_the_definition_is_saved(text):
    catalog = small_catalog()
    definition = small_report_definition(catalog)
    definition.preface = text
    with pytest.raises(ValidationError):
        definition.full_clean()


def test_the_syntax_is_accepted_when_the_definition_is_saved():
    catalog = small_catalog()
    definition = small_report_definition(catalog)
    definition.preface = "<p>{if A.models}A: {A.models}{else}Ei malleja.{end} {newest_period}</p>"
    definition.full_clean()


# --- The shipped Zoomi 2020 definition ------------------------------------------------------------------


@pytest.fixture
def zoomi(seeded_db):
    if not ReportDefinition.objects.filter(slug="zoomi-2020").exists():
        importlib.import_module("methodbank.reports.migrations.0002_zoomi_2020_definition").install(apps, None)
        importlib.import_module("methodbank.reports.migrations.0004_zoomi_2020_texts_follow_data").forwards(apps, None)
    return ReportDefinition.objects.get(slug="zoomi-2020")


def test_zoomi_2020_passes_the_check_and_names_periods_by_their_dates(zoomi, tmp_path):
    report = build_report_context(zoomi)
    assert report["contradictions"] == []
    html = render_report(report, "html").decode()
    assert "nykyisellä kaudella" not in html and "Uusia kaudella 1.5.2019–31.12.2021" in html
    # Every coordinated project has ended: the preface says so instead of "0 running projects".
    assert "käynnissä 0 hanketta" not in report["preface_html"]
    assert "(1.5.2019–31.12.2021)" in _theme(report, "A")["intro_html"]
    out = io.StringIO()
    call_command("build_report", "--format", "html", "--out", str(tmp_path / "z.html"), stdout=out)
    assert "Wrote" in out.getvalue()


def test_zoomi_2020_is_blocked_once_a_model_makes_its_no_models_sentence_false(zoomi):
    subtheme = Subtheme.objects.get(name="Hakeutumisen ohjauspalvelut")
    model = ModelPracticeFactory(title="Uusi ohjausmalli", status=PublicationStatus.PUBLISHED)
    Placement.objects.create(practice=model, theme=subtheme.theme, subtheme=subtheme)
    problems = build_report_context(zoomi)["contradictions"]
    assert len(problems) == 1
    assert problems[0]["sentence"].startswith("Malleja tähän ei ole vielä kuvattu menetelmäpankkiin")
    assert "Hakeutumisen ohjauspalvelut" in problems[0]["where"]
