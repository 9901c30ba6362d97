"""Results as pictures: a chart per criterion with its table, in the results page, the team's
feedback report (HTML and PDF), and the criteria over time for a model evaluated more than once."""

import datetime
import io
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.formats import date_format
from pypdf import PdfReader

from methodbank.catalog.tests.factories import ModelPracticeFactory
from methodbank.evaluation import services

from .factories import EvaluationEventFactory, scores

pytestmark = pytest.mark.django_db


def login(user):
    client = Client()
    client.force_login(user)
    return client


def evaluated(model, date, values):
    event = EvaluationEventFactory(models_on_agenda=[model], date=date)
    for n, value in enumerate(values):
        services.peer_assessment_save(
            event=event, practice=model, anonymous_id=f"{date}-{n}", scores=scores(event.criteria_set, value)
        )
    return event


def test_results_show_a_chart_and_a_table_per_criterion(coordinator):
    model = ModelPracticeFactory(title="Malli")
    event = evaluated(model, datetime.date(2026, 11, 30), [3, 3, 4])
    page = login(coordinator).get(reverse("evaluation:results", args=[event.pk, model.pk])).content.decode()
    criteria = list(event.criteria_set.criteria.all())
    svgs = re.findall(r"<svg[^>]*role=\"img\"[^>]*>.*?</svg>", page, re.S)
    assert len(svgs) == len(criteria)
    first = criteria[0]
    assert f"<title id=\"chart-{model.pk}-{first.code}-title\">{first.title}: answers per level</title>" in page
    assert "3: Individual forms 2, Group assessments 0" in page  # the description spells out the values
    assert page.count("<caption>") == len(criteria)  # each chart's table alternative
    assert "Over time" not in page  # evaluated once


def test_a_model_evaluated_twice_shows_its_criteria_over_time(coordinator):
    model = ModelPracticeFactory(title="Malli")
    evaluated(model, datetime.date(2025, 9, 1), [2, 2])
    later = evaluated(model, datetime.date(2026, 9, 1), [4, 3])
    page = login(coordinator).get(reverse("evaluation:results", args=[later.pk, model.pk])).content.decode()
    assert "Over time" in page
    code = later.criteria_set.criteria.first().code
    desc = re.search(rf'<desc id="history-{model.pk}-{code}-desc">(.*?)</desc>', page).group(1)
    first, second = (date_format(datetime.date(y, 9, 1), "SHORT_DATE_FORMAT") for y in (2025, 2026))
    assert desc == (
        f"{first}: Individual forms 2.0, Group assessments –; {second}: Individual forms 3.5, Group assessments –."
    )


def test_the_feedback_report_has_the_charts_in_html_and_pdf(coordinator):
    model = ModelPracticeFactory(title="Palautemalli")
    event = evaluated(model, datetime.date(2026, 11, 30), [1, 4])
    client = login(coordinator)
    html = client.get(reverse("evaluation:feedback", args=[event.pk, model.pk])).content.decode()
    assert 'role="img"' in html and "Show the figures as a table" in html
    pdf = client.get(reverse("evaluation:feedback_pdf", args=[event.pk, model.pk]))
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    first = event.criteria_set.criteria.first()
    assert f"{first.title}: answers per level" in " ".join(text.split())  # the table alternative's caption
