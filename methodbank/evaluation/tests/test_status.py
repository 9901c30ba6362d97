import datetime

import pytest
from django.core.exceptions import ValidationError
from django.template import Context, Template

from methodbank.catalog.models import Practice
from methodbank.catalog.tests.factories import ModelPracticeFactory, PracticeFactory
from methodbank.evaluation import services
from methodbank.evaluation.models import Outcome
from methodbank.evaluation.selectors import (
    EvaluationStatus,
    evaluation_status_for,
    practices_with_evaluation_status,
)

from .factories import EvaluationEventFactory, UserFactory, scores

pytestmark = pytest.mark.django_db


def render_status(practice):
    return Template("{% load evaluation %}{% evaluation_status practice %}").render(
        Context({"practice": practice})
    )


@pytest.fixture
def models():
    untouched, peer_only, local, recommended = (ModelPracticeFactory() for _ in range(4))
    event = EvaluationEventFactory(models_on_agenda=[peer_only, local, recommended])
    expert = UserFactory()
    for practice in (peer_only, local, recommended):
        services.peer_assessment_save(
            event=event, practice=practice, anonymous_id="b", scores=scores(event.criteria_set)
        )
    services.expert_recommendation_decide(
        event=event,
        practice=local,
        by=expert,
        outcome=Outcome.LOCAL,
        rationale="Paikallinen.",
        decided_on=datetime.date(2026, 12, 1),
    )
    services.expert_recommendation_decide(
        event=event,
        practice=recommended,
        by=expert,
        outcome=Outcome.RECOMMENDED,
        rationale="Valmis.",
        decided_on=datetime.date(2026, 12, 2),
    )
    return untouched, peer_only, local, recommended


def test_status_per_practice_for_pages_and_facets(models, django_assert_max_num_queries):
    untouched, peer_only, local, recommended = models
    with django_assert_max_num_queries(3):
        status = evaluation_status_for(models)
    assert [status[p.pk].status for p in models] == [
        EvaluationStatus.NOT_EVALUATED,
        EvaluationStatus.PEER_EVALUATED,
        EvaluationStatus.LOCAL,
        EvaluationStatus.RECOMMENDED,
    ]
    assert status[recommended.pk].date == datetime.date(2026, 12, 2)
    assert status[peer_only.pk].date == datetime.date(2026, 11, 30)  # the workshop's date
    # Plain primary keys work too (the search index has ids, not objects).
    assert evaluation_status_for([local.pk])[local.pk].status == EvaluationStatus.LOCAL
    # The same status as a queryset annotation, for facet counts in SQL.
    annotated = dict(
        practices_with_evaluation_status(Practice.objects.filter(pk__in=[p.pk for p in models])).values_list(
            "pk", "evaluation_status"
        )
    )
    assert annotated == {p.pk: status[p.pk].status for p in models}


def test_public_status_names_the_evaluated_version_and_flags_later_edits(models):
    _untouched, _peer, _local, recommended = models
    html = render_status(recommended)
    assert "Recommended for national dissemination" in html
    assert "concerning version 0 of the description" in html
    assert "earlier version" not in html

    # The team edits the description after the evaluation (the services bump lock_version).
    Practice.objects.filter(pk=recommended.pk).update(lock_version=1, summary="Uusi kuvaus.")
    recommended.refresh_from_db()
    html = render_status(recommended)
    assert "the evaluation concerns an earlier version" in html
    assert evaluation_status_for([recommended])[recommended.pk].is_outdated


def test_status_of_models_without_evaluation(models):
    untouched, peer_only, _local, _rec = models
    assert "Not evaluated" in render_status(untouched)
    assert "Peer evaluated" in render_status(peer_only)
    assert "The expert phase has not yet been completed." in render_status(peer_only)


def test_a_recommendation_needs_a_rationale_and_peer_results(models):
    untouched, peer_only, _local, _rec = models
    event = peer_only.evaluation_events.get()
    expert = UserFactory()
    with pytest.raises(ValidationError, match="written rationale"):
        services.expert_recommendation_decide(
            event=event, practice=peer_only, by=expert, outcome=Outcome.RECOMMENDED, rationale="  "
        )
    event.models_on_agenda.add(untouched)
    with pytest.raises(ValidationError, match="after the model has peer results"):
        services.expert_recommendation_decide(
            event=event, practice=untouched, by=expert, outcome=Outcome.LOCAL, rationale="Syy."
        )


def test_good_practices_show_no_evaluation_box():
    assert render_status(PracticeFactory()).strip() == ""


def test_a_save_that_leaves_the_description_unchanged_does_not_outdate_the_evaluation(models):
    _untouched, _peer, local, _recommended = models
    # E.g. a status change or a keyword moderation saves the row and bumps its version ...
    Practice.objects.filter(pk=local.pk).update(lock_version=3)
    local.refresh_from_db()
    assert "earlier version" not in render_status(local)
    # ... while an edit of any described section does outdate it.
    Practice.objects.filter(pk=local.pk).update(lock_version=4, resources="Kaksi ohjaajaa.")
    assert evaluation_status_for([local.pk])[local.pk].is_outdated
