"""A themed report about evaluation results shows, for each evaluated model it includes, the
per-criterion charts of its latest peer evaluation with their tables of figures: in HTML, as tagged
figures with alternative text in the PDF, and as captioned tables in the DOCX."""

import datetime
import io
import re

import pytest
from docx import Document
from docx.oxml.ns import qn

from methodbank.core.tests.pdf_structure import assert_pdf_ua
from methodbank.evaluation import services
from methodbank.evaluation.selectors import EvaluationStatus
from methodbank.evaluation.tests.factories import EvaluationEventFactory, scores
from methodbank.reports import services as report_services
from methodbank.reports.builder import build_report_context
from methodbank.reports.renderers import render_report

from .factories import small_catalog, small_report_definition

pytestmark = pytest.mark.django_db

EVALUATED = [EvaluationStatus.PEER_EVALUATED, EvaluationStatus.RECOMMENDED]


def evaluate(model, values, date=datetime.date(2026, 11, 30)):
    event = EvaluationEventFactory(models_on_agenda=[model], date=date)
    for n, value in enumerate(values):
        services.peer_assessment_save(
            event=event, practice=model, anonymous_id=f"{date}-{n}", scores=scores(event.criteria_set, value)
        )
    return event


@pytest.fixture
def evaluated_report():
    catalog = small_catalog()
    event = evaluate(catalog["model"], [3, 3, 4])
    definition = small_report_definition(catalog, evaluation_statuses=EVALUATED)
    return catalog, event, build_report_context(definition)


def _svgs(page):
    return re.findall(r'<svg[^>]*role="img"[^>]*aria-labelledby="([^"]+)"[^>]*>(.*?)</svg>', page, re.S)


def test_html_report_shows_each_criterion_chart_with_its_table(evaluated_report):
    catalog, event, report = evaluated_report
    page = render_report(report, "html").decode()
    criteria = list(event.criteria_set.criteria.all())
    first = criteria[0]
    # The model is listed in two places (themes A and B): one chart per criterion in each place.
    svgs = _svgs(page)
    assert len(svgs) == 2 * len(criteria)
    labelled_by, body = svgs[0]
    title_id, desc_id = labelled_by.split()
    assert f'<title id="{title_id}">{first.title}: answers per level</title>' in body
    # The description gives every value: three individual answers, two at level 3 and one at 4.
    desc = re.search(rf'<desc id="{desc_id}">(.*?)</desc>', body).group(1)
    assert "3: Individual forms 2, Group assessments 0" in desc and "4: Individual forms 1" in desc
    # Every id on the page is unique, also with the model listed twice.
    ids = re.findall(r'\bid="([^"]+)"', page)
    assert len(ids) == len(set(ids))
    # The table alternative: the same figures under a caption naming the chart.
    assert page.count(f"<caption>{first.title}: answers per level</caption>") == 2
    assert "Show the figures as a table" in page
    assert "3 individual forms and 0 group assessments" in page


def test_pdf_report_has_a_figure_with_alt_text_per_chart(evaluated_report):
    catalog, event, report = evaluated_report
    structure = assert_pdf_ua(render_report(report, "pdf"), lang="en")
    criteria = list(event.criteria_set.criteria.all())
    alts = [figure.alt for figure in structure.tags("Figure")]
    assert len(alts) == 2 * len(criteria)
    first = criteria[0]
    assert alts[0].startswith(f"{first.title}: answers per level.")
    assert "3: Individual forms 2, Group assessments 0" in alts[0]
    # The table of figures is in the PDF too, with header cells.
    assert len(structure.tags("TH")) >= 3 * len(criteria)


def test_docx_report_gives_each_chart_as_a_captioned_table(evaluated_report):
    catalog, event, report = evaluated_report
    document = Document(io.BytesIO(render_report(report, "docx")))
    first = event.criteria_set.criteria.first()
    title = f"{first.title}: answers per level"
    captions = [p.text for p in document.paragraphs if p.style.name == "Caption"]
    assert captions.count(title) == 2
    table = next(
        t for t in document.tables if t._tbl.tblPr.find(qn("w:tblCaption")).get(qn("w:val")) == title
    )
    rows = [[cell.text for cell in row.cells] for row in table.rows]
    assert rows[0] == ["Level", "Individual forms", "Group assessments"]
    assert ["3", "2", "0"] in rows and ["4", "1", "0"] in rows and ["1", "0", "0"] in rows
    assert "3: Individual forms 2" in table._tbl.tblPr.find(qn("w:tblDescription")).get(qn("w:val"))


def test_the_charts_are_frozen_in_the_published_snapshot(evaluated_report, coordinator):
    catalog, event, _report = evaluated_report
    definition = small_report_definition(catalog, evaluation_statuses=EVALUATED)
    published = report_services.report_publish(definition=definition, by=coordinator)
    # A later answer changes the live results, not the published version.
    services.peer_assessment_save(
        event=event, practice=catalog["model"], anonymous_id="late", scores=scores(event.criteria_set, 1)
    )
    model = published.context["themes"][0]["subthemes"][0]["models"][0]
    assert model["evaluation"]["individual_count"] == 3
    live = build_report_context(definition)["themes"][0]["subthemes"][0]["models"][0]
    assert live["evaluation"]["individual_count"] == 4


def test_a_model_evaluated_twice_shows_its_criteria_over_time():
    catalog = small_catalog()
    evaluate(catalog["model"], [2, 2], date=datetime.date(2025, 9, 1))
    evaluate(catalog["model"], [4, 4], date=datetime.date(2026, 9, 1))
    report = build_report_context(small_report_definition(catalog, evaluation_statuses=EVALUATED))
    evaluation = report["themes"][0]["subthemes"][0]["models"][0]["evaluation"]
    # The latest evaluation's distribution, and each criterion's means at both evaluations.
    assert evaluation["charts"][0]["series"][0]["values"] == [0, 0, 0, 2, 0]
    assert evaluation["history"][0]["series"][0]["values"] == [2.0, 4.0]
    assert "over time: mean level per evaluation" in render_report(report, "html").decode()


def test_a_report_on_evaluation_results_without_evaluated_models_shows_no_charts():
    catalog = small_catalog()
    statuses = [EvaluationStatus.NOT_EVALUATED, EvaluationStatus.PEER_EVALUATED]
    report = build_report_context(small_report_definition(catalog, evaluation_statuses=statuses))
    assert report["counts"]["models"] == 1  # the model is in the report, but nobody has evaluated it
    page = render_report(report, "html").decode()
    assert not _svgs(page) and "answers per level" not in page
    structure = assert_pdf_ua(render_report(report, "pdf"), lang="en")
    assert not structure.tags("Figure")
    document = Document(io.BytesIO(render_report(report, "docx")))
    assert not [p for p in document.paragraphs if p.style.name == "Caption"]


def test_a_report_not_about_evaluation_results_shows_no_charts():
    catalog = small_catalog()
    evaluate(catalog["model"], [3, 4])
    # Any status (no evaluation selection), or only the models not yet evaluated: no results.
    for statuses in ([], [EvaluationStatus.NOT_EVALUATED]):
        report = build_report_context(small_report_definition(catalog, evaluation_statuses=statuses))
        assert "answers per level" not in render_report(report, "html").decode()


def test_discarded_answers_are_not_an_evaluation(coordinator):
    catalog = small_catalog()
    event = evaluate(catalog["model"], [3])
    answer = event.peer_assessments.get()
    services.assessment_discard(assessment=answer, by=coordinator, reason="Testivastaus")
    other = catalog["model"]
    report = build_report_context(
        small_report_definition(catalog, evaluation_statuses=[EvaluationStatus.NOT_EVALUATED,
                                                              EvaluationStatus.PEER_EVALUATED])
    )
    listed = [m for t in report["themes"] for s in t["subthemes"] for m in s["models"] if m["id"] == other.pk]
    assert listed and all("evaluation" not in m for m in listed)
